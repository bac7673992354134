package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
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

// cdp runs a Chrome DevTools Protocol command through chromedriver.
func (d *webDriver) cdp(cmd string, params map[string]any) map[string]any {
	d.t.Helper()
	v, _ := d.call("POST", "/goog/cdp/execute", map[string]any{"cmd": cmd, "params": params})["value"].(map[string]any)
	return v
}

// viewport makes the page's layout viewport width x height CSS pixels; mobile
// also honours the page's <meta name=viewport>, as a phone does.
func (d *webDriver) viewport(width, height int, mobile bool) {
	d.t.Helper()
	d.cdp("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
}

// screenshot saves the whole page (up to maxHeight CSS pixels) as a PNG: the
// viewport is stretched to the page's height for the capture, then restored
// (capturing beyond the viewport can hang under mobile emulation).
func (d *webDriver) screenshot(path string, s screen, maxHeight int) {
	d.t.Helper()
	h, _ := d.script(`return document.documentElement.scrollHeight;`).(float64)
	if int(h) > maxHeight {
		h = float64(maxHeight)
	}
	if int(h) > s.height {
		d.viewport(s.width, int(h), s.mobile)
		defer d.viewport(s.width, s.height, s.mobile)
	}
	out := d.cdp("Page.captureScreenshot", map[string]any{"format": "png"})
	data, _ := out["data"].(string)
	png, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(png) == 0 {
		d.t.Fatalf("screenshot %s: %v", path, err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		d.t.Fatal(err)
	}
}

// asyncScript runs js with a callback as its last argument (W3C execute/async).
func (d *webDriver) asyncScript(js string, args ...any) any {
	d.t.Helper()
	if args == nil {
		args = []any{}
	}
	return d.call("POST", "/execute/async", map[string]any{"script": js, "args": args})["value"]
}

// clear empties an input.
func (d *webDriver) clear(css string) {
	d.t.Helper()
	d.call("POST", "/element/"+d.find(css)+"/clear", map[string]any{})
}

// deleteCookies signs the browser out of every site.
func (d *webDriver) deleteCookies() {
	d.t.Helper()
	d.call("DELETE", "/cookie", nil)
}

// setTimeouts sets the script and page-load timeouts.
func (d *webDriver) setTimeouts(script, pageLoad time.Duration) {
	d.t.Helper()
	d.call("POST", "/timeouts", map[string]any{"script": script.Milliseconds(), "pageLoad": pageLoad.Milliseconds()})
}
