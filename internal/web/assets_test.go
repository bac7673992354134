package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

var cssRef = regexp.MustCompile(`href="(/static/nipp\.([0-9a-f]{10})\.css)"`)

// Pages link assets by a content-hashed name that browsers keep for a year;
// the plain name is revalidated. Pages and JSON are gzipped for clients that
// ask; .xlsx (already a zip) is not.
func TestStaticAssetsAndCompression(t *testing.T) {
	db := storetest.OpenSQLite(t, storetest.Options{})
	env := webtest.New(t, db)
	get := func(path string, gz bool) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", env.HTTP.URL+path, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	read := func(res *http.Response) string {
		t.Helper()
		var r io.Reader = res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	home := get("/login", true)
	if home.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("a page asked for with gzip came as %q", home.Header.Get("Content-Encoding"))
	}
	page := read(home)
	m := cssRef.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the page does not link the stylesheet by a hashed name:\n%.600s", page)
	}
	css := get(m[1], true)
	if css.StatusCode != 200 || !strings.Contains(css.Header.Get("Cache-Control"), "immutable") || !strings.Contains(read(css), "body") {
		t.Errorf("hashed stylesheet: %d, Cache-Control %q", css.StatusCode, css.Header.Get("Cache-Control"))
	}
	plain := get("/static/nipp.css", false)
	if plain.StatusCode != 200 || plain.Header.Get("Cache-Control") != "no-cache" || plain.Header.Get("Content-Encoding") != "" {
		t.Errorf("plain stylesheet: %d, Cache-Control %q, encoding %q", plain.StatusCode, plain.Header.Get("Cache-Control"), plain.Header.Get("Content-Encoding"))
	}
	if body := read(plain); !strings.Contains(body, "body") {
		t.Error("plain stylesheet is empty")
	}
	req, _ := http.NewRequest("GET", env.HTTP.URL+"/static/nipp.css", nil)
	req.Header.Set("If-None-Match", `"`+m[2]+`"`)
	if res, err := http.DefaultTransport.RoundTrip(req); err != nil || res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation with the current ETag: %v %v", res.StatusCode, err)
	}
	if res := get("/static/nipp.0000000000.css", false); res.StatusCode != 404 {
		t.Errorf("an unknown hashed name answered %d", res.StatusCode)
	}

	api := get("/api/v1/programs", true)
	if body := strings.TrimSpace(read(api)); api.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(body, "2021-2025") {
		t.Errorf("JSON with gzip: encoding %q, body %.200q", api.Header.Get("Content-Encoding"), body)
	}
	// A JSON answer under 1,400 bytes (minGzipSize) is sent as it is, with its length:
	// compressing it costs more CPU than the bytes it saves.
	health := get("/healthz", true)
	if body := read(health); health.Header.Get("Content-Encoding") != "" || health.Header.Get("Content-Length") != strconv.Itoa(len(body)) ||
		len(body) >= 1400 || !strings.Contains(body, `"ok"`) {
		t.Errorf("small JSON with gzip asked: encoding %q, length %q, body %q", health.Header.Get("Content-Encoding"), health.Header.Get("Content-Length"), body)
	}
	if res := get("/login", false); res.Header.Get("Content-Encoding") != "" {
		t.Error("a client that did not ask got gzip")
	}
	// Exports: CSV is text and compressed; .xlsx is a zip already and is not.
	central := env.As(nipp.RoleCentral)
	for path, want := range map[string]string{"/establishments/export.csv": "gzip", "/establishments/export.xlsx": ""} {
		req, _ := http.NewRequest("GET", central.URL(path), nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if res := central.Do(req); res.Status != 200 || res.Header.Get("Content-Encoding") != want {
			t.Errorf("%s: %d, encoding %q, want %q", path, res.Status, res.Header.Get("Content-Encoding"), want)
		}
	}
}
