// Package e2e drives the real nipp binary in a real headless Chromium.
package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var nippBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nipp-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	nippBin = filepath.Join(dir, "nipp")
	build := exec.Command("go", "build", "-o", nippBin, "../cmd/nipp")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building nipp:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// requireBrowser returns chromedriver's path. Without a browser the test is
// skipped on a developer machine but fails in CI, so it never passes unrun.
func requireBrowser(t *testing.T) string {
	drv, err := exec.LookPath("chromedriver")
	if err != nil || chromiumPath() == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run the browser tests: install the Debian packages chromium and chromium-driver")
		}
		t.Skip("chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
	}
	return drv
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitHTTP(t *testing.T, url string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready", url)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startProcess runs a command until the test ends.
func startProcess(t *testing.T, name string, args []string, env []string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	log, _ := os.Create(filepath.Join(t.TempDir(), filepath.Base(name)+".log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cancel()
		}
		log.Close()
	})
}

// A user's first minutes, in a real browser: sign in through the form, see
// the programs, switch to English, search the registry, and type a project
// budget while the page (a script file under a strict CSP) shows the state
// support the rule set allows.
func TestBrowserJourney(t *testing.T) {
	drv := requireBrowser(t)
	const password = "browser-admin-password"
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	startProcess(t, nippBin, []string{"serve", "--demo", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", t.TempDir()},
		[]string{"NIPP_ADMIN_PASSWORD=" + password})
	waitHTTP(t, base+"/readyz", 60*time.Second)

	dport := freePort(t)
	startProcess(t, drv, []string{fmt.Sprintf("--port=%d", dport)}, nil)
	driverURL := fmt.Sprintf("http://127.0.0.1:%d", dport)
	waitHTTP(t, driverURL+"/status", 30*time.Second)
	d := newSession(t, driverURL, t.TempDir())

	// Sign in through the login form.
	d.navigate(base + "/login")
	d.typeInto("#email", "admin@nipp.local")
	d.typeInto("#password", password)
	d.click("form[action='/login'] button[type=submit]")
	d.waitFor("the administrator's work page", 10*time.Second, func() bool {
		return strings.Contains(d.text("header"), "admin@nipp.local") && strings.Contains(d.text("main h1"), "Việc của tôi")
	})
	d.navigate(base + "/")
	if body := d.text("main"); !strings.Contains(body, "1.600") || !strings.Contains(body, "2021-2025") {
		t.Fatalf("home page lacks the 2021-2025 targets: %.300s", body)
	}

	// English, remembered across pages.
	d.click("a[hreflang=en]")
	d.waitFor("the English page", 10*time.Second, func() bool { return d.script(`return document.documentElement.lang;`) == "en" })
	d.navigate(base + "/projects")
	if lang := d.script(`return document.documentElement.lang;`); lang != "en" {
		t.Fatalf("language not remembered: %v", lang)
	}
	d.click("a[hreflang=vi]")
	d.waitFor("the Vietnamese page", 10*time.Second, func() bool { return d.script(`return document.documentElement.lang;`) == "vi" })

	// Registry search without diacritics finds names with them.
	d.navigate(base + "/establishments?q=gom")
	rows, _ := d.script(`return Array.from(document.querySelectorAll("main table tbody tr")).map(function (r) { return r.textContent; }).join("\n");`).(string)
	if !strings.Contains(strings.ToLower(rows), "gốm") {
		t.Fatalf("search for 'gom' found no 'gốm':\n%.500s", rows)
	}

	// The project form computes the allowed state support as the budget is typed.
	d.navigate(base + "/projects/new")
	d.script(`document.querySelector("select[name=activity_type]").value = "MACHINERY";`)
	d.typeInto("input[name=budget_reciprocal]", "600000000")
	d.typeInto("input[name=budget_national]", "400000000")
	// The preview refreshes as each field is typed; wait for the one that
	// has seen both amounts (an earlier one shows only the first).
	d.waitFor("the support preview of both amounts", 10*time.Second, func() bool {
		p := d.text("#support-preview")
		return strings.Contains(p, "≤") && strings.Contains(p, "1.000.000.000")
	})
	preview := d.text("#support-preview")
	if !strings.Contains(preview, "1.000.000.000") {
		t.Fatalf("preview does not show the total cost 1.000.000.000: %q", preview)
	}
	if n, _ := d.script(`return document.querySelectorAll("script:not([src])").length;`).(float64); n != 0 {
		t.Fatalf("%v inline scripts on the page (the CSP forbids them)", n)
	}
}
