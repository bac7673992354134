package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A screen size the pages must work at.
type screen struct {
	name          string
	width, height int
	mobile        bool
}

var screens = []screen{{"desktop", 1366, 768, false}, {"phone", 390, 844, true}}

// shotsDir is where the page walk saves its screenshots: $NIPP_E2E_SHOTS, or
// e2e/screenshots (ignored by git) so that a person can look at them.
func shotsDir(t *testing.T) string {
	dir := os.Getenv("NIPP_E2E_SHOTS")
	if dir == "" {
		abs, err := filepath.Abs("screenshots")
		if err != nil {
			t.Fatal(err)
		}
		dir = abs
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A role's walk: who signs in, the pages they open by path, and pages found
// by following the first link on a list page that matches a pattern.
type walk struct {
	role     string
	email    string // "" for the public
	userArgs []string
	langs    []string
	pages    []string
	links    []linkRule
}

type linkRule struct {
	from string
	re   string
}

var (
	estLink     = linkRule{"/establishments", `^/establishments/[A-Za-z0-9-]+$`}
	projectLink = linkRule{"/projects", `^/projects/[A-Za-z0-9-]+$`}
	programLink = linkRule{"/programs", `^/programs/[A-Za-z0-9._-]+$`}
	orgLink     = linkRule{"/organizations", `^/organizations/[A-Za-z0-9._-]+$`}
	ruleLink    = linkRule{"/rule-sets", `^/rule-sets/[A-Za-z0-9._-]+$`}
	ledgerLink  = linkRule{"/ledger/entries", `^/projects/[A-Za-z0-9-]+/ledger$`}
	entryLink   = linkRule{"/ledger/entries", `^/projects/[A-Za-z0-9-]+/ledger/[0-9]+$`}
)

// TestBrowserPages walks every role's pages in a real browser, at a laptop's
// 1366x768 and a phone's 390x844: each page renders (no error page), scrolls
// no wider than the screen, and axe-core finds no serious or critical
// accessibility violation. Screenshots of every page at both widths go to
// shotsDir.
func TestBrowserPages(t *testing.T) {
	drv := requireBrowser(t)
	const password = "browser-pages-password"
	base, data := startNipp(t, password)
	walks := []walk{
		{role: "public", langs: []string{"vi", "en"}, pages: []string{"/", "/login"}, links: []linkRule{programLink, orgLink, ruleLink}},
		{role: "provincial", email: "tinh01@nipp.local", userArgs: []string{"--role", "provincial", "--province", "01"}, langs: []string{"vi", "en"},
			pages: []string{"/", "/establishments/new", "/imports/establishments", "/projects/new", "/programs/new", "/account", "/account/tokens",
				"/ledger", "/ledger/imports", "/programs/NIPP-2021-2025/progress?province=01", "/programs/NIPP-2021-2025/review?province=01"},
			links: []linkRule{estLink, projectLink, ledgerLink, entryLink}},
		{role: "central", email: "bo@nipp.local", userArgs: []string{"--role", "central"}, langs: []string{"vi"},
			pages: []string{"/establishments/duplicates", "/appraisal", "/plans/2025", "/rule-sets/new", "/ledger", "/ledger?by=then",
				"/programs/NIPP-2021-2025/progress", "/programs/NIPP-2021-2025/progress?map=63&show=state_funding", "/programs/NIPP-2021-2025/progress?region=NCC",
				"/programs/NIPP-2021-2025/review", "/programs/NIPP-2026-2030/progress",
				"/projects?program=NIPP-2021-2025&years=2021-2023&then=2008%2F02&state=decided", "/projects?home=01&state=achieved",
				"/programs/NIPP-2021-2025", "/programs/NIPP-2021-2025/allocation", "/programs/NIPP-2026-2030/allocation"},
			links: []linkRule{estLink, projectLink, programLink, ledgerLink, entryLink}},
		{role: "appraiser", email: "hoidong@nipp.local", userArgs: []string{"--role", "appraiser"}, langs: []string{"vi"},
			pages: []string{"/", "/projects", "/account"}},
		{role: "auditor", email: "kiemtoan@nipp.local", userArgs: []string{"--role", "auditor"}, langs: []string{"vi"},
			pages: []string{"/audit", "/audit/verify", "/ledger"}, links: []linkRule{estLink, projectLink, ledgerLink}},
		{role: "admin", email: "admin@nipp.local", langs: []string{"vi"},
			pages: []string{"/admin/users", "/admin/users/new", "/audit", "/audit/verify"}, links: []linkRule{{"/admin/users", `^/admin/users/[0-9]+$`}}},
	}
	if only := os.Getenv("NIPP_E2E_ROLES"); only != "" { // e.g. NIPP_E2E_ROLES=public,admin
		var keep []walk
		for _, w := range walks {
			if strings.Contains(","+only+",", ","+w.role+",") {
				keep = append(keep, w)
			}
		}
		walks = keep
	}
	for _, w := range walks {
		if w.userArgs != nil {
			addUser(t, data, w.email, password, w.userArgs)
		}
	}

	d := startDriver(t, drv)
	d.setTimeouts(60*time.Second, 60*time.Second)
	axe := loadAxe(t)
	dir := shotsDir(t)
	t.Logf("screenshots in %s", dir)
	checked := 0
	start := time.Now()
	for _, w := range walks {
		d.deleteCookies()
		d.viewport(screens[0].width, screens[0].height, false)
		if w.email != "" {
			signIn(t, d, base, w.email, password)
		}
		pages := append([]string(nil), w.pages...)
		for _, lr := range w.links {
			pages = append(pages, lr.from)
			if p := firstLink(d, base+lr.from, lr.re); p != "" {
				pages = append(pages, p)
			} else {
				t.Errorf("%s: no link like %s on %s", w.role, lr.re, lr.from)
			}
		}
		if w.role == "provincial" {
			pages = append(pages, uploadImport(t, d, base), uploadLedgerImport(t, d, base))
		}
		for _, lang := range w.langs {
			d.navigate(base + "/?lang=" + lang)
			for _, p := range dedupe(pages) {
				checkPage(t, d, base, p, fmt.Sprintf("%s-%s", w.role, lang), dir, axe)
				checked++
			}
		}
	}
	t.Logf("%d pages checked at %d widths in %s (%v)", checked, len(screens), time.Since(start).Round(time.Second), timing)
}

var timing = map[string]time.Duration{}

// checkPage opens path and checks it at every screen size.
func checkPage(t *testing.T, d *webDriver, base, path, who, dir, axe string) {
	t.Helper()
	for _, s := range screens {
		d.viewport(s.width, s.height, s.mobile)
		t0 := time.Now()
		d.navigate(base + path)
		timing["navigate"] += time.Since(t0)
		if got := d.url(); !strings.HasPrefix(got, base+strings.SplitN(path, "?", 2)[0]) {
			t.Errorf("%s %s: ended on %s", who, path, got)
			return
		}
		if msg := errorPage(d); msg != "" {
			t.Errorf("%s %s: error page: %s", who, path, msg)
			return
		}
		name := fmt.Sprintf("%s-%s-%s.png", who, s.name, shotName(path))
		t0 = time.Now()
		d.screenshot(filepath.Join(dir, name), s, 3000)
		timing["screenshot"] += time.Since(t0)
		wide, _ := d.script(`var e = document.documentElement; if (e.scrollWidth <= e.clientWidth) { return ""; }
var out = [];
document.querySelectorAll("body *").forEach(function (el) {
  var r = el.getBoundingClientRect();
  if (r.right > e.clientWidth + 1 && out.length < 5) { out.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " right=" + Math.round(r.right)); }
});
return "scrollWidth " + e.scrollWidth + " > clientWidth " + e.clientWidth + ": " + out.join(", ");`).(string)
		if wide != "" {
			t.Errorf("%s %s at %dpx scrolls sideways (%s): %s", who, path, s.width, name, wide)
		}
		if !s.mobile {
			continue // axe once per page: colours and names do not change with the width
		}
		t0 = time.Now()
		for _, v := range runAxe(t, d, axe) {
			t.Errorf("%s %s at %dpx: axe %s", who, path, s.width, v)
		}
		timing["axe"] += time.Since(t0)
	}
}

// errorPage returns the message of nipp's error page, or "".
func errorPage(d *webDriver) string {
	v, _ := d.script(`var p = document.querySelector("main > h1 + p.error[role=alert]"); return p ? p.textContent : "";`).(string)
	return v
}

func shotName(path string) string {
	s := strings.Trim(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(path, "_"), "_")
	if s == "" {
		return "home"
	}
	return s
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// firstLink opens a list page and returns the first link in main matching re.
func firstLink(d *webDriver, url, re string) string {
	d.navigate(url)
	v, _ := d.script(`var re = new RegExp(arguments[0]);
var as = document.querySelectorAll("main a[href]");
for (var i = 0; i < as.length; i++) { var h = as[i].getAttribute("href"); if (re.test(h) && !/\/(new|duplicates)$/.test(h)) { return h; } }
return "";`, re).(string)
	return v
}

// addUser creates an account with the command line, beside the running server.
func addUser(t *testing.T, data, email, password string, args []string) {
	t.Helper()
	cmd := exec.Command(nippBin, append([]string{"user", "add", "--email", email, "--password", password}, args...)...)
	cmd.Env = append(os.Environ(), "NIPP_DATA="+data)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user add %s: %v\n%s", email, err, out)
	}
}

// signIn signs in through the login form.
func signIn(t *testing.T, d *webDriver, base, email, password string) {
	t.Helper()
	d.navigate(base + "/login")
	d.typeInto("#email", email)
	d.typeInto("#password", password)
	d.click("form[action='/login'] button[type=submit]")
	d.waitFor(email+" signed in", 10*time.Second, func() bool { return strings.Contains(d.text("header"), email) })
}

// uploadImport sends a small registry file through the import form and
// returns the path of its mapping and preview page.
func uploadImport(t *testing.T, d *webDriver, base string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "co-so-ha-noi.csv")
	csv := "Tên cơ sở,Loại hình,Mã số thuế,Tỉnh/TP,Xã/phường,Địa chỉ,Ngành nghề,Số lao động,Năm thành lập,Điện thoại,Ghi chú của huyện\n" +
		"Hợp tác xã Mây tre đan Phú Vinh,Hợp tác xã,0101234567,Hà Nội,Xã Phú Nghĩa,Thôn Phú Vinh,Mây tre đan,45,2013,0243 123 4567,Làng nghề truyền thống được công nhận năm 2006\n" +
		"Cơ sở gốm Bát Tràng Minh Hải,Hộ kinh doanh,,Hà Nội,Xã Bát Tràng,Số 12 xóm 3,Gốm sứ,12,1998,0912345678,\n" +
		"Công ty TNHH Cơ khí Đông Anh,Công ty TNHH,01234,Hà Nội,Không có xã này,KCN Nguyên Khê,Cơ khí,80,2009,,Mã số thuế thiếu số\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	d.navigate(base + "/imports/establishments")
	d.typeInto("input[type=file][name=file]", file)
	d.click("form[action='/imports/establishments'] button[type=submit]")
	re := regexp.MustCompile(`/imports/[0-9]+$`)
	d.waitFor("the import's mapping page", 20*time.Second, func() bool { return re.MatchString(d.url()) })
	return strings.TrimPrefix(d.url(), base)
}

// uploadLedgerImport uploads a small treasury statement through the
// ledger import page and returns the job's page (mapping and preview: one
// row names a project that does not exist, one has no amount).
func uploadLedgerImport(t *testing.T, d *webDriver, base string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "sao-ke-kho-bac.csv")
	csv := "Mã đề án,Nguồn kinh phí,Nghiệp vụ,Số tiền,Ngày,Số chứng từ,Diễn giải\n" +
		"KCQG-2025-01-0001,KCQG,Tạm ứng,50.000.000,15/03/2025,UNC-2025-001,Tạm ứng đợt 1 theo hợp đồng\n" +
		"KCQG-2099-99-9999,KCQG,Chi,12.000.000,20/03/2025,BC-2025-014,Đề án không có trong hệ thống\n" +
		"KCQG-2025-01-0001,KCQG,Chi,,21/03/2025,BC-2025-015,Thiếu số tiền\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	d.navigate(base + "/ledger/imports")
	d.typeInto("input[type=file][name=file]", file)
	d.click("form[action='/ledger/imports'] button[type=submit]")
	re := regexp.MustCompile(`/ledger/imports/[0-9]+$`)
	d.waitFor("the ledger import's mapping page", 20*time.Second, func() bool { return re.MatchString(d.url()) })
	return strings.TrimPrefix(d.url(), base)
}
