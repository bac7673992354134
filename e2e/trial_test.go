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

// The user trial, by hand: drives each role's job against a running
// `nipp serve --demo` (NIPP_TRIAL_BASE, accounts in NIPP_TRIAL_ACCOUNTS as
// role=email:password,...) and saves screenshots in NIPP_TRIAL_OUT for a
// person to look at. Skipped unless NIPP_TRIAL_BASE is set.

type trial struct {
	t    *testing.T
	d    *webDriver
	base string
	out  string
	acct map[string][2]string
	n    int
	s    screen
}

func newTrial(t *testing.T) *trial {
	base := os.Getenv("NIPP_TRIAL_BASE")
	if base == "" {
		t.Skip("manual: set NIPP_TRIAL_BASE")
	}
	drv := requireBrowser(t)
	tr := &trial{t: t, d: startDriver(t, drv), base: base, out: envOr("NIPP_TRIAL_OUT", t.TempDir()), acct: map[string][2]string{}, s: screens[0]}
	tr.d.setTimeouts(60*time.Second, 60*time.Second)
	os.MkdirAll(tr.out, 0o755)
	for _, a := range strings.Split(os.Getenv("NIPP_TRIAL_ACCOUNTS"), ",") {
		role, cred, _ := strings.Cut(a, "=")
		email, pw, _ := strings.Cut(cred, ":")
		tr.acct[role] = [2]string{email, pw}
	}
	return tr
}

func (tr *trial) as(role, lang string, s screen) {
	tr.s = s
	tr.d.deleteCookies()
	tr.d.viewport(s.width, s.height, s.mobile)
	a := tr.acct[role]
	signIn(tr.t, tr.d, tr.base, a[0], a[1])
	tr.d.navigate(tr.base + "/work?lang=" + lang)
}

func (tr *trial) shot(name string) {
	tr.n++
	file := filepath.Join(tr.out, fmt.Sprintf("%03d-%s-%d.png", tr.n, name, tr.s.width))
	tr.d.screenshot(file, tr.s, 5000)
	tr.t.Logf("%s: %s", file, tr.d.url())
}

func (tr *trial) open(path, name string) {
	tr.d.navigate(tr.base + path)
	tr.shot(name)
}

func (tr *trial) count(css string) int {
	n, _ := tr.d.script(`return document.querySelectorAll(arguments[0]).length;`, css).(float64)
	return int(n)
}

func (tr *trial) text(css string) string {
	v, _ := tr.d.script(`var e = document.querySelector(arguments[0]); return e ? e.innerText : "";`, css).(string)
	return v
}

func (tr *trial) setValue(css, v string) {
	tr.d.script(`var e = document.querySelector(arguments[0]); e.value = arguments[1];`, css, v)
}

func (tr *trial) waitURL(re string) string {
	r := regexp.MustCompile(re)
	tr.d.waitFor(re, 20*time.Second, func() bool { return r.MatchString(tr.d.url()) })
	return tr.d.url()
}

// TestTrialJobs drives each role's job at one width and language
// (NIPP_TRIAL_WIDTH 1366 or 390, NIPP_TRIAL_LANG vi or en).
func TestTrialJobs(t *testing.T) {
	tr := newTrial(t)
	s := screens[0]
	if os.Getenv("NIPP_TRIAL_WIDTH") == "390" {
		s = screens[1]
	}
	lang := envOr("NIPP_TRIAL_LANG", "vi")

	// The provincial officer proposes a project, tries to submit it at
	// once, completes it and submits it.
	tr.as("provincial", lang, s)
	tr.shot("prov-work")
	tr.d.navigate(tr.base + "/projects/new")
	tr.shot("prov-new")
	tr.d.typeInto("input[name=title]", "Hỗ trợ ứng dụng máy dệt chiếu tự động cho HTX cói")
	tr.setValue("select[name=activity_type]", "MACHINERY")
	tr.d.click("button[name=op][value=save]")
	url := tr.waitURL(`/projects/[a-z]{2}-[a-z0-9]+$`)
	id := url[strings.LastIndex(url, "/")+1:]
	tr.shot("prov-draft")
	tr.d.click(fmt.Sprintf("form[action='/projects/%s/transitions/submit'] button[type=submit]", id))
	tr.waitURL(`/refused/`)
	tr.shot("prov-submit-refused")
	// Budget and outputs on the edit form, one amount mistyped.
	tr.d.navigate(tr.base + "/projects/" + id + "/edit")
	tr.d.typeInto("input[name=budget_national]", "250.000.000")
	tr.d.typeInto("input[name=budget_reciprocal]", "3OO.000.000")
	tr.setValue("select[name=output_indicator]", "MACHINES")
	tr.d.typeInto("input[name=output_planned]", "3")
	tr.d.click("button[name=op][value=save]")
	tr.waitURL(`/refused/`)
	tr.shot("prov-edit-refused")
	tr.d.clear("input[name=budget_reciprocal]")
	tr.d.typeInto("input[name=budget_reciprocal]", "300.000.000")
	tr.d.click("button[name=op][value=save]")
	tr.waitURL(`/projects/` + id + `$`)
	tr.shot("prov-edited")
	// A beneficiary found by name, without diacritics.
	tr.d.typeInto("#picker input[name=find]", "coi")
	tr.d.click("#picker button[type=submit]")
	tr.d.waitFor("candidates", 20*time.Second, func() bool { return tr.count("ul.candidates form button") > 0 || tr.count("p.empty") > 2 })
	tr.shot("prov-picker")
	if tr.count("ul.candidates form button") > 0 {
		tr.d.click("ul.candidates form button[type=submit]")
		tr.waitURL(`/projects/` + id + `$|/refused/`)
		if tr.count("#duplicate") > 0 { // supported recently: confirm with a reason
			tr.shot("prov-duplicate")
			tr.d.typeInto("#duplicate input[name=confirm_reason]", "Mở rộng dây chuyền, khác máy đã hỗ trợ")
			tr.d.click("#duplicate button[type=submit]")
			tr.waitURL(`/projects/` + id + `$`)
		}
	}
	tr.d.click(fmt.Sprintf("form[action='/projects/%s/transitions/submit'] button[type=submit]", id))
	time.Sleep(time.Second)
	tr.shot("prov-submitted")
	tr.open("/projects?own=1", "prov-projects")
	tr.open("/establishments", "prov-registry")
	tr.open("/imports/establishments", "prov-imports")
	tr.open("/plans", "prov-plan")

	// The central officer: work, appraisal of that project, approval with
	// a mistake, then corrected; acceptance and settlement of national
	// projects waiting for the central agency.
	tr.as("central", lang, s)
	tr.shot("central-work")
	tr.d.navigate(tr.base + "/projects/" + id)
	tr.d.click(fmt.Sprintf("form[action='/projects/%s/transitions/start_appraisal'] button[type=submit]", id))
	time.Sleep(time.Second)
	f := fmt.Sprintf("form[action='/projects/%s/transitions/approve'] ", id)
	tr.d.typeInto(f+"input[name=decision_no]", "1550/QĐ-BCT")
	tr.setValue(f+"input[name=decision_date]", "2027-03-01")
	tr.d.click(f + "button[type=submit]")
	tr.waitURL(`/refused/`)
	tr.shot("central-approve-refused")
	tr.setValue(f+"input[name=decision_date]", time.Now().Format("2006-01-02"))
	tr.d.typeInto(f+"input[name=override_reason]", "Hội đồng họp ngày 25/11, biên bản kèm theo")
	tr.d.click(f + "button[type=submit]")
	tr.waitURL(`/projects/` + id + `$`)
	tr.shot("central-approved")
	tr.d.navigate(tr.base + "/work")
	if tr.count("#queue-in_implementation a[href^='/projects/']") > 0 {
		tr.d.click("#queue-in_implementation li a[href^='/projects/']")
		tr.waitURL(`/projects/[a-z]{2}-`)
		tr.shot("central-to-accept")
	}
	if tr.count("#queue-accepted li a[href^='/projects/']") > 0 {
		tr.d.navigate(tr.base + "/work")
		tr.d.click("#queue-accepted li a[href^='/projects/']")
		tr.waitURL(`/projects/[a-z]{2}-`)
		tr.shot("central-to-settle")
	}
	// An appraisal round for the submitted proposals: a council with the
	// appraiser, a proposal assigned by its code.
	tr.d.navigate(tr.base + "/work")
	code := ""
	if tr.count("#queue-submitted li a[href^='/projects/']") > 0 {
		code = tr.text("#queue-submitted li a[href^='/projects/']")
	}
	tr.d.navigate(tr.base + "/appraisal")
	tr.d.typeInto("form[action='/appraisal'] input[name=name]", "Đợt thẩm định đề án năm 2027")
	tr.d.typeInto("form[action='/appraisal'] textarea[name=criteria]", "A; Sự cần thiết; 40; 10\nB; Hiệu quả kinh tế; 60; x")
	tr.d.click("form[action='/appraisal'] button[type=submit]")
	tr.waitURL(`/refused/`)
	tr.shot("central-round-refused")
	tr.d.clear("form[action='/appraisal'] textarea[name=criteria]")
	tr.d.typeInto("form[action='/appraisal'] textarea[name=criteria]", "A; Sự cần thiết; 40; 10\nB; Hiệu quả kinh tế; 60; 10")
	tr.d.click("form[action='/appraisal'] button[type=submit]")
	round := tr.waitURL(`/appraisal/[0-9]+$`)
	tr.d.typeInto("form[action$='/councils'] input[name=name]", "Hội đồng 1")
	tr.d.click("form[action$='/councils'] button[type=submit]")
	tr.waitURL(`/appraisal/[0-9]+$`)
	tr.d.typeInto("form[action$='/members'] input[name=email]", "nobody@demo.vn")
	tr.d.click("form[action$='/members'] button[type=submit]")
	tr.waitURL(`/refused/`)
	tr.shot("central-member-refused")
	tr.d.clear("form[action$='/members'] input[name=email]")
	tr.d.typeInto("form[action$='/members'] input[name=email]", tr.acct["appraiser"][0])
	tr.d.click("form[action$='/members'] button[type=submit]")
	tr.waitURL(`/appraisal/[0-9]+$`)
	if code != "" {
		tr.d.typeInto("form[action$='/projects'] input[name=project]", code)
		tr.d.click("form[action$='/projects'] button[type=submit]")
		tr.waitURL(`/appraisal/[0-9]+$|/refused/`)
	}
	tr.shot("central-round")
	_ = round
	tr.open("/appraisal", "central-appraisal")
	tr.open("/plans", "central-plan")

	// The appraiser scores the assigned proposal (one score out of range
	// first), and the auditor reads the trail.
	tr.as("appraiser", lang, s)
	tr.shot("appraiser-work")
	if tr.count("#to-score li a") > 0 {
		tr.d.click("#to-score li a[href^='/projects/']")
		tr.waitURL(`/projects/[a-z]{2}-`)
		inputs := tr.count("form[action$='/scores'] input[type=number]")
		for i := 0; i < inputs; i++ {
			tr.d.script(`document.querySelectorAll("form[action$='/scores'] input[type=number]")[arguments[0]].value = arguments[1];`, i, []string{"8", "12"}[i%2])
		}
		tr.d.script(`document.querySelector("form[action$='/scores']").noValidate = true;`)
		tr.d.click("form[action$='/scores'] button[type=submit]")
		tr.waitURL(`/refused/|/projects/`)
		tr.shot("appraiser-score-refused")
		for i := 0; i < inputs; i++ {
			tr.d.script(`document.querySelectorAll("form[action$='/scores'] input[type=number]")[arguments[0]].value = "8";`, i)
		}
		tr.d.click("form[action$='/scores'] button[type=submit]")
		tr.waitURL(`/projects/[a-z]{2}-[a-z0-9]+$`)
		tr.shot("appraiser-scored")
	}
	tr.as("auditor", lang, s)
	tr.shot("auditor-audit")
	tr.open("/audit?entity=project&entity_id="+id, "auditor-project-trail")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// TestTrialShots (manual) saves screenshots of pages as one role:
// NIPP_TRIAL_ROLE (an account of NIPP_TRIAL_ACCOUNTS), NIPP_TRIAL_PATHS
// (comma-separated), NIPP_TRIAL_LANGS and NIPP_TRIAL_WIDTHS.
func TestTrialShots(t *testing.T) {
	tr := newTrial(t)
	for _, lang := range strings.Split(envOr("NIPP_TRIAL_LANGS", "vi"), ",") {
		for _, w := range strings.Split(envOr("NIPP_TRIAL_WIDTHS", "1366"), ",") {
			s := screens[0]
			if w == "390" {
				s = screens[1]
			}
			tr.as(envOr("NIPP_TRIAL_ROLE", "provincial"), lang, s)
			for _, p := range strings.Split(os.Getenv("NIPP_TRIAL_PATHS"), ",") {
				tr.open(p, lang+"-"+shotName(p))
			}
		}
	}
}

// TestTrialLedger (manual) records a project's money as one officer:
// NIPP_TRIAL_ROLE (provincial or central, an account of
// NIPP_TRIAL_ACCOUNTS), NIPP_TRIAL_PROJECT (the public id of an approved or
// started project in the officer's scope), NIPP_TRIAL_LANG and
// NIPP_TRIAL_WIDTH. Each step is tried once wrong, as an officer would, and
// then right: an advance over the rule's limit, an expenditure typed
// wrong and reversed, a contribution without its evidence and with it, and
// settlement; document numbers carry the run's language and width, so runs
// do not refuse one another's entries as duplicates.
func TestTrialLedger(t *testing.T) {
	tr := newTrial(t)
	s := screens[0]
	if os.Getenv("NIPP_TRIAL_WIDTH") == "390" {
		s = screens[1]
	}
	lang, role, id := envOr("NIPP_TRIAL_LANG", "vi"), envOr("NIPP_TRIAL_ROLE", "provincial"), os.Getenv("NIPP_TRIAL_PROJECT")
	run := fmt.Sprintf("%s%d", strings.ToUpper(lang), s.width)
	ledger := tr.base + "/projects/" + id + "/ledger"
	form := fmt.Sprintf("form[action='/projects/%s/ledger'] ", id)
	record := func(source, kind, amount, doc, file string) {
		tr.d.navigate(ledger)
		tr.setValue(form+"select[name=source]", source)
		tr.setValue(form+"select[name=kind]", kind)
		tr.d.clear(form + "input[name=amount]")
		tr.d.typeInto(form+"input[name=amount]", amount)
		tr.d.typeInto(form+"input[name=document_no]", doc+"-"+run)
		tr.d.typeInto(form+"textarea[name=note]", "Thử nghiệm "+run)
		if file != "" {
			tr.d.typeInto(form+"input[name=evidence]", file)
		}
		tr.d.click(form + "button[type=submit]")
		tr.waitURL(`/refused/|/ledger(#entries)?$`)
	}
	tr.as(role, lang, s)
	tr.d.navigate(ledger)
	tr.shot(role + "-ledger")
	// An advance far over the limit, then one within it.
	record("national", "advance", "999.000.000.000", "UNC-1", "")
	tr.shot(role + "-advance-refused")
	record("national", "advance", "1.000.000", "UNC-1", "")
	tr.shot(role + "-advance")
	// An expenditure whose amount is no number, then a wrong one reversed.
	record("national", "expenditure", "8OO.000", "BC-1", "")
	tr.shot(role + "-expenditure-refused")
	record("national", "expenditure", "8.000.000", "BC-1", "")
	no := tr.text("table.ledger-entries tbody tr:last-child td a")
	tr.d.navigate(ledger + "/" + no)
	tr.shot(role + "-entry")
	rev := fmt.Sprintf("form[action='/projects/%s/ledger/%s/reverse'] ", id, no)
	if tr.count(rev) > 0 {
		// Dated before the entry it reverses, then right.
		tr.d.typeInto(rev+"input[name=document_no]", "DC-1-"+run)
		tr.d.typeInto(rev+"textarea[name=note]", "Nhập nhầm: đúng là 800.000")
		tr.setValue(rev+"input[name=date]", "2025-01-02")
		tr.d.click(rev + "button[type=submit]")
		tr.waitURL(`/refused/|/ledger(#entries)?$`)
		tr.shot(role + "-reversal-refused")
		tr.setValue(rev+"input[name=date]", time.Now().Format("2006-01-02"))
		tr.d.click(rev + "button[type=submit]")
		tr.waitURL(`/refused/|/ledger(#entries)?$`)
		tr.shot(role + "-reversed")
	}
	record("national", "expenditure", "800.000", "BC-2", "")
	// Reciprocal capital contributed: without its evidence, then with it.
	record("reciprocal", "contribution", "5.000.000", "HD-1", "")
	tr.shot(role + "-contribution-refused")
	evidence := filepath.Join(tr.out, "chung-tu-gop-von.png")
	os.WriteFile(evidence, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"), 0o644)
	record("reciprocal", "contribution", "5.000.000", "HD-1", evidence)
	tr.shot(role + "-contribution")
	// Settlement: the project page's settle form when the project is
	// accepted (refused while a source does not reconcile), else where the
	// project stands.
	tr.d.navigate(tr.base + "/projects/" + id)
	accept := fmt.Sprintf("form[action='/projects/%s/transitions/accept'] ", id)
	if tr.count(accept) > 0 {
		tr.d.script(`document.querySelectorAll(arguments[0]).forEach(function (e) { e.value = "1"; });`, accept+"input[name^=actual_output_]")
		tr.d.click(accept + "button[type=submit]")
		tr.waitURL(`/refused/|/projects/`)
		tr.shot(role + "-accepted")
		tr.d.navigate(ledger)
		tr.shot(role + "-ledger-accepted")
		tr.d.navigate(tr.base + "/projects/" + id)
	}
	settle := fmt.Sprintf("form[action='/projects/%s/transitions/settle'] ", id)
	if tr.count(settle) > 0 {
		tr.d.click(settle + "button[type=submit]")
		tr.waitURL(`/refused/|/projects/`)
		tr.shot(role + "-settle-refused")
	} else {
		tr.shot(role + "-project")
	}
	tr.d.navigate(ledger)
	tr.shot(role + "-ledger-after")
}
