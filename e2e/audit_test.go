package e2e

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The audit trail at 1366 px (issue 15): long values (a whole rule set's
// caps and eligibility) wrap inside the table; the page never scrolls
// sideways. A screenshot is kept in NIPP_E2E_SHOTS when set.
func TestAuditTrailFitsAt1366(t *testing.T) {
	drv := requireBrowser(t)
	const password = "browser-admin-password"
	data := t.TempDir()
	// A rule set loaded from the command line writes an entry with long lists.
	src, err := os.ReadFile("../internal/refdata/data/rulesets/nd235-2025.txt")
	if err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(t.TempDir(), "rules.txt")
	os.WriteFile(rules, []byte(strings.Replace(string(src), "code = ND235-2025", "code = ND235-2025-WIDE", 1)), 0o600)
	if out, err := exec.Command(nippBin, "rules", "load", rules, "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("rules load: %v\n%s", err, out)
	}
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	startProcess(t, nippBin, []string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", data},
		[]string{"NIPP_ADMIN_PASSWORD=" + password})
	waitHTTP(t, base+"/readyz", 60*time.Second)
	dport := freePort(t)
	startProcess(t, drv, []string{fmt.Sprintf("--port=%d", dport)}, nil)
	driverURL := fmt.Sprintf("http://127.0.0.1:%d", dport)
	waitHTTP(t, driverURL+"/status", 30*time.Second)
	d := newSession(t, driverURL, t.TempDir())
	d.call("POST", "/window/rect", map[string]int{"width": 1366, "height": 900})

	d.navigate(base + "/login")
	d.typeInto("#email", "admin@nipp.local")
	d.typeInto("#password", password)
	d.click("form[action='/login'] button[type=submit]")
	d.waitFor("the signed-in home page", 10*time.Second, func() bool {
		return strings.Contains(d.text("header"), "admin@nipp.local")
	})
	d.navigate(base + "/audit")
	if body := d.text("main"); !strings.Contains(body, "ND235-2025-WIDE") || !strings.Contains(body, "Mức hỗ trợ tối đa") {
		t.Fatalf("the audit page lacks the rule set entry: %.500s", body)
	}
	width, _ := d.script(`return window.innerWidth;`).(float64)
	scroll, _ := d.script(`return document.documentElement.scrollWidth;`).(float64)
	if width < 1300 || width > 1366 {
		t.Fatalf("window is %v px wide, want 1366", width)
	}
	if dir := os.Getenv("NIPP_E2E_SHOTS"); dir != "" {
		out := d.call("GET", "/screenshot", nil)
		if png, err := base64.StdEncoding.DecodeString(fmt.Sprint(out["value"])); err == nil {
			os.WriteFile(filepath.Join(dir, "audit-1366.png"), png, 0o644)
		}
	}
	if scroll > width {
		t.Fatalf("the audit trail overflows sideways at 1366 px: scrollWidth %v > %v", scroll, width)
	}
}
