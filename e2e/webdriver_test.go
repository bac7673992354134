package e2e

import (
	"bytes"
	"encoding/json"

	"io"
	"net/http"
	"testing"
	"time"
)

// webDriver is a minimal W3C WebDriver client for chromedriver: enough to
// navigate, find elements, type, click and read the page.
type webDriver struct {
	t       *testing.T
	base    string // http://127.0.0.1:PORT/session/ID
	elemKey string
}

const w3cElement = "element-6066-11e4-a52e-4f735466cecf"

func (d *webDriver) call(method, path string, body any) map[string]any {
	d.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, d.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatalf("webdriver %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != 200 {
		d.t.Fatalf("webdriver %s %s: %d %v", method, path, resp.StatusCode, out["value"])
	}
	return out
}

func newSession(t *testing.T, driverURL, profileDir string) *webDriver {
	t.Helper()
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{
			"binary": chromiumPath(),
			"args": []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1280,900", "--user-data-dir=" + profileDir},
		},
	}}}
	d := &webDriver{t: t, base: driverURL + "/session"}
	out := d.call("POST", "", caps)
	v, _ := out["value"].(map[string]any)
	id, _ := v["sessionId"].(string)
	if id == "" {
		t.Fatalf("no session: %v", out)
	}
	d.base += "/" + id
	t.Cleanup(func() {
		req, _ := http.NewRequest("DELETE", d.base, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	})
	return d
}

func (d *webDriver) navigate(url string) {
	d.t.Helper()
	d.call("POST", "/url", map[string]string{"url": url})
}

func (d *webDriver) find(css string) string {
	d.t.Helper()
	out := d.call("POST", "/element", map[string]string{"using": "css selector", "value": css})
	v, _ := out["value"].(map[string]any)
	id, _ := v[w3cElement].(string)
	if id == "" {
		d.t.Fatalf("element %q not found", css)
	}
	return id
}

func (d *webDriver) typeInto(css, text string) {
	d.t.Helper()
	d.call("POST", "/element/"+d.find(css)+"/value", map[string]string{"text": text})
}

func (d *webDriver) click(css string) {
	d.t.Helper()
	d.call("POST", "/element/"+d.find(css)+"/click", map[string]any{})
}

func (d *webDriver) script(js string, args ...any) any {
	d.t.Helper()
	if args == nil {
		args = []any{}
	}
	return d.call("POST", "/execute/sync", map[string]any{"script": js, "args": args})["value"]
}

func (d *webDriver) text(css string) string {
	d.t.Helper()
	v, _ := d.script(`var e = document.querySelector(arguments[0]); return e ? e.textContent : "";`, css).(string)
	return v
}

// waitFor polls cond until it holds or the timeout passes.
func (d *webDriver) waitFor(what string, timeout time.Duration, cond func() bool) {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			d.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (d *webDriver) url() string {
	v, _ := d.call("GET", "/url", nil)["value"].(string)
	return v
}
