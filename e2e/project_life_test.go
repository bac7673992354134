package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestBrowserProjectLife walks a project from proposal to settlement through
// the pages, in a real browser at a phone's width (every step typed and
// clicked as a user does), and checks each step's page at 1366x768 and
// 390x844: no error page, no sideways scroll, no serious axe finding, and a
// screenshot of each.
func TestBrowserProjectLife(t *testing.T) {
	drv := requireBrowser(t)
	const password = "project-life-password"
	base, data := startNipp(t, password)
	addUser(t, data, "tinh01@nipp.local", password, []string{"--role", "provincial", "--province", "01"})
	addUser(t, data, "bo@nipp.local", password, []string{"--role", "central"})
	d := startDriver(t, drv)
	d.setTimeouts(60*time.Second, 60*time.Second)
	axe := loadAxe(t)
	dir := shotsDir(t)
	phone := screens[1]
	as := func(email string) {
		d.deleteCookies()
		d.viewport(phone.width, phone.height, phone.mobile)
		signIn(t, d, base, email, password)
	}
	var id string
	step := func(name string) {
		t.Helper()
		if msg := errorPage(d); msg != "" {
			t.Fatalf("%s: error page: %s", name, msg)
		}
		if alert, _ := d.script(`var e = document.querySelector("main .error-summary, main .error[role=alert], main p.error"); return e ? e.textContent : "";`).(string); strings.TrimSpace(alert) != "" {
			t.Fatalf("%s: the page refused it: %s", name, alert)
		}
		checkPage(t, d, base, "/projects/"+id, "life-"+name, dir, axe)
		d.viewport(phone.width, phone.height, phone.mobile)
	}
	state := func() string {
		d.navigate(base + "/projects/" + id + "?lang=vi")
		s, _ := d.script(`var e = document.querySelector("main span.state"); return e ? e.className : document.querySelector("main").textContent;`).(string)
		return s
	}
	count := func(css string) int {
		n, _ := d.script(`return document.querySelectorAll(arguments[0]).length;`, css).(float64)
		return int(n)
	}
	// act submits the transition form of the project page, after fill.
	act := func(action string, fill func()) {
		t.Helper()
		d.navigate(base + "/projects/" + id)
		form := fmt.Sprintf("form[action='/projects/%s/transitions/%s']", id, action)
		if count(form) != 1 {
			t.Fatalf("%s: the page offers no %s form", action, action)
		}
		if fill != nil {
			fill()
		}
		d.click(form + " button[type=submit]")
		d.waitFor(action+" done", 20*time.Second, func() bool {
			return strings.HasSuffix(strings.SplitN(d.url(), "?", 2)[0], "/projects/"+id) && count(form) == 0 || errorPage(d) != ""
		})
		step(action)
	}

	// The provincial officer proposes a project on the new-project form.
	as("tinh01@nipp.local")
	d.navigate(base + "/projects/new")
	d.script(`var s = document.querySelector("select[name=program]"); for (var i = 0; i < s.options.length; i++) { if (s.options[i].value.indexOf("2026-2030") >= 0) { s.selectedIndex = i; } }`)
	if y, _ := d.script(`return document.querySelector("input[name=year]").value;`).(string); y != fmt.Sprint(time.Now().Year()) {
		t.Errorf("a new project's year starts as %q, want this year", y)
	}
	d.typeInto("input[name=title]", "Hỗ trợ máy cắt laser cho hợp tác xã mây tre")
	d.script(`document.querySelector("select[name=activity_type]").value = "MACHINERY";`)
	d.typeInto("input[name=budget_national]", "100.000.000")
	d.typeInto("input[name=budget_reciprocal]", "400.000.000")
	d.script(`var s = document.querySelector("select[name=output_indicator]"); s.value = "MACHINES";`)
	d.typeInto("input[name=output_planned]", "2")
	d.click("button[name=op][value=save]")
	re := regexp.MustCompile(`/projects/([A-Za-z0-9-]+)$`)
	d.waitFor("the new project's page", 20*time.Second, func() bool {
		m := re.FindStringSubmatch(strings.SplitN(d.url(), "?", 2)[0])
		return m != nil && m[1] != "new" || errorPage(d) != ""
	})
	id = re.FindStringSubmatch(strings.SplitN(d.url(), "?", 2)[0])[1]
	step("proposed")

	// ... picks a beneficiary by name from their registry ...
	d.navigate(base + "/establishments")
	name, _ := d.script(`var a = document.querySelector("main table tbody tr a[href^='/establishments/cs-']"); return a ? a.textContent : "";`).(string)
	if name == "" {
		t.Fatal("the officer's registry lists no establishment")
	}
	d.navigate(base + "/projects/" + id)
	d.typeInto("#picker input[name=find]", name)
	d.click("#picker button[type=submit]")
	d.waitFor("the picker's candidates", 20*time.Second, func() bool { return count("ul.candidates form button") > 0 || errorPage(d) != "" })
	d.click("ul.candidates form button[type=submit]")
	d.waitFor("the beneficiary listed", 20*time.Second, func() bool { return strings.Contains(d.text("ul.beneficiaries"), name) || errorPage(d) != "" })
	step("beneficiary")

	// ... and submits it.
	act("submit", nil)
	if s := state(); !strings.Contains(s, "state-submitted") {
		t.Fatalf("after submit: %.200s", s)
	}

	// The ministry appraises and approves with its decision.
	as("bo@nipp.local")
	act("start_appraisal", nil)
	// A decision dated in the future is refused beside its field, with what
	// was typed kept, and the page brings the field into view.
	d.navigate(base + "/projects/" + id)
	approve := fmt.Sprintf("form[action='/projects/%s/transitions/approve'] ", id)
	d.typeInto(approve+"input[name=decision_no]", "1234/QĐ-BCT")
	d.script(`document.querySelector(arguments[0]).value = "2099-01-01";`, approve+"input[name=decision_date]")
	d.click(approve + "button[type=submit]")
	d.waitFor("the refused approval", 20*time.Second, func() bool { return strings.Contains(d.url(), "/refused/") || errorPage(d) != "" })
	if v, _ := d.script(`return document.querySelector(arguments[0]).value;`, approve+"input[name=decision_no]").(string); v != "1234/QĐ-BCT" {
		t.Errorf("the refused approval lost the decision number: %q", v)
	}
	if msg := d.text(approve + "#err-decision_date"); msg == "" {
		t.Error("no message beside the decision date")
	}
	inView := func() bool {
		seen, _ := d.script(`var e = document.querySelector("#err-decision_date"); if (!e) { return false; } var r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;`).(bool)
		return seen
	}
	d.waitFor("the refused field in view", 5*time.Second, inView)
	checkPage(t, d, base, strings.TrimPrefix(d.url(), base), "life-approve-refused", dir, axe)
	d.viewport(phone.width, phone.height, phone.mobile)
	act("approve", func() {
		f := fmt.Sprintf("form[action='/projects/%s/transitions/approve'] ", id)
		d.typeInto(f+"input[name=decision_no]", "1234/QĐ-BCT")
		d.script(`document.querySelector(arguments[0]).value = "2026-11-20";`, f+"input[name=decision_date]")
		d.typeInto(f+"input[name=override_reason]", "Hội đồng chưa chấm điểm")
	})
	if s := state(); !strings.Contains(s, "state-approved") {
		t.Fatalf("after approval: %.200s", s)
	}

	// The implementing province starts and records the money on the
	// project's ledger: the first advance (30% of the approved 100,000,000
	// under ND235-2025), what was spent, and the beneficiaries' capital with
	// its evidence.
	as("tinh01@nipp.local")
	act("start", nil)
	evidence := filepath.Join(t.TempDir(), "hoa-don-may-cat.png")
	if err := os.WriteFile(evidence, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	record := func(source, kind, amount, doc, file string) {
		t.Helper()
		d.navigate(base + "/projects/" + id + "/ledger")
		before := count("tr[data-no]")
		f := fmt.Sprintf("form[action='/projects/%s/ledger'] ", id)
		d.script(`document.querySelector(arguments[0]).value = arguments[1];`, f+"select[name=source]", source)
		d.script(`document.querySelector(arguments[0]).value = arguments[1];`, f+"select[name=kind]", kind)
		d.typeInto(f+"input[name=amount]", amount)
		d.typeInto(f+"input[name=document_no]", doc)
		if file != "" {
			d.typeInto(f+"input[name=evidence]", file)
		}
		d.click(f + "button[type=submit]")
		d.waitFor(kind+" recorded", 20*time.Second, func() bool {
			return count("tr[data-no]") > before || errorPage(d) != "" || count("main .error-summary") > 0
		})
		if msg := errorPage(d); msg != "" || count("main .error-summary") > 0 {
			t.Fatalf("recording %s: %s %s", kind, msg, d.text("main"))
		}
	}
	record("national", "advance", "30.000.000", "UNC-2026-001", "")
	record("national", "expenditure", "30.000.000", "BC-2026-001", "")
	record("reciprocal", "contribution", "400.000.000", "HĐ-2026-015", evidence)
	checkPage(t, d, base, "/projects/"+id+"/ledger", "life-ledger", dir, axe)
	d.viewport(phone.width, phone.height, phone.mobile)
	// The ministry accepts and settles: every source reconciles, so the
	// settlement takes its amounts from the ledger.
	as("bo@nipp.local")
	act("accept", nil) // the actual outputs are pre-filled with the planned ones
	act("settle", nil)
	if s := state(); !strings.Contains(s, "state-settled") {
		t.Fatalf("after settlement: %.200s", s)
	}
}
