package web_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web"
	"nipp/internal/web/webtest"
)

// bomb is a multipart body of one file part n bytes long, generated as it
// is read (never held in memory); sent counts what the client gave away.
type bomb struct {
	r    io.Reader
	sent *atomic.Int64
	size int64 // the whole body's length
}

func newBomb(n int64, sent *atomic.Int64) *bomb {
	head := "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	tail := "\r\n--B--\r\n"
	return &bomb{r: io.MultiReader(strings.NewReader(head), io.LimitReader(fill{}, n), strings.NewReader(tail)), sent: sent,
		size: int64(len(head)) + n + int64(len(tail))}
}

func (b *bomb) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.sent.Add(int64(n))
	return n, err
}

type fill struct{}

func (fill) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'A'
	}
	return len(p), nil
}

// sendBomb posts a generated multipart body of size bytes (chunked unless
// declareLength, so the server cannot judge it by its length) and returns
// the status, the bytes the server read and the bytes the client sent.
func sendBomb(t *testing.T, env *webtest.Env, c *webtest.Client, path string, size int64, declareLength bool) (status int, read, sent int64) {
	t.Helper()
	var n atomic.Int64
	b := newBomb(size, &n)
	req, _ := http.NewRequest("POST", c.URL(path), b)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	if declareLength {
		req.ContentLength = b.size
	} else {
		req.ContentLength = -1
	}
	before := env.BytesRead()
	resp := c.Do(req)
	time.Sleep(100 * time.Millisecond) // net/http drains up to 256 KB after answering
	return resp.Status, env.BytesRead() - before, n.Load()
}

// emptyTempDir points os.TempDir at a fresh directory and returns a check
// that fails the test when anything was left in it.
func emptyTempDir(t *testing.T) func() {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return func() {
		t.Helper()
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// TestLargeBodyRefusedUnread is the disk-filling attack: 200 MB multipart
// bodies, signed out and signed in, to the login form and to the upload
// routes. Each is refused after at most its route's limit has been read,
// and leaves no temporary file.
func TestLargeBodyRefusedUnread(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		officer := env.As(nipp.RoleProvincial, "01")
		anon := env.Anonymous()
		anon.CSRF()
		proj := webtest.InsertProject(t, db, "01", false)
		check := emptyTempDir(t)

		// net/http reads up to 256 KB of an unread body after the answer
		// (to keep the connection); besides that, buffers and headers.
		const slack = 256<<10 + 64<<10
		const mb200, gb1 = 200 << 20, 1 << 30
		cases := []struct {
			name    string
			c       *webtest.Client
			path    string
			size    int64
			declare bool
			status  []int
			maxRead int64
		}{
			{"anonymous login, chunked", anon, "/login", mb200, false, []int{413}, 1<<20 + slack},
			{"anonymous login, declared length", anon, "/login", mb200, true, []int{413}, slack},
			{"anonymous attachment", anon, "/projects/" + proj.PublicID + "/attachments", mb200, false, []int{401, 403}, slack},
			{"anonymous import", anon, "/imports/establishments", mb200, false, []int{401, 403}, slack},
			{"officer's form route", officer, "/establishments", mb200, false, []int{413}, 1<<20 + slack},
			{"officer's attachment", officer, "/projects/" + proj.PublicID + "/attachments", mb200, false, []int{413}, 21<<20 + slack},
			{"officer's import, declared length", officer, "/imports/establishments", gb1, true, []int{413}, slack},
		}
		for _, tc := range cases {
			status, read, sent := sendBomb(t, env, tc.c, tc.path, tc.size, tc.declare)
			t.Logf("%s: %d after the server read %d KB (client sent %d KB)", tc.name, status, read>>10, sent>>10)
			if !containsInt(tc.status, status) {
				t.Errorf("%s: status %d, want one of %v", tc.name, status, tc.status)
			}
			if read > tc.maxRead {
				t.Errorf("%s: the server read %d bytes of a %d-byte body, want at most %d", tc.name, read, tc.size, tc.maxRead)
			}
			if sent >= tc.size {
				t.Errorf("%s: the client sent the whole body before the answer", tc.name)
			}
		}
		check()
	})
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestUploadTempFilesRemoved: an accepted multipart upload whose file went
// to a temporary file (over 1 MiB) leaves nothing in os.TempDir once the
// request is answered, whatever the handler did with it.
func TestUploadTempFilesRemoved(t *testing.T) {
	env := webtest.New(t, storetest.OpenSQLite(t, storetest.Options{}))
	officer := env.As(nipp.RoleProvincial, "01")
	proj := webtest.InsertProject(t, env.DB, "01", false)
	check := emptyTempDir(t)
	for _, path := range []string{"/projects/" + proj.PublicID + "/attachments", "/imports/establishments", "/rule-sets/preview"} {
		var n atomic.Int64
		req, _ := http.NewRequest("POST", officer.URL(path), newBomb(3<<19, &n)) // 1.5 MiB
		req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		req.Header.Set("X-CSRF-Token", officer.CSRF())
		r := officer.Do(req)
		if r.Status >= 500 {
			t.Errorf("%s: %d", path, r.Status)
		}
	}
	check()
}

// TestControlCharactersRefused sends NUL and other control characters, and
// invalid UTF-8, in the path, the query, form fields and JSON strings, on
// public and signed-in routes: each is a 400 that says why, in the user's
// language, on both engines; nothing reaches the database.
func TestControlCharactersRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		anon := env.Anonymous()
		central := env.As(nipp.RoleCentral)

		gets := []string{
			"/programs/N%00X", "/organizations/%1B", "/rule-sets/%FF",
			"/establishments?q=a%00b", "/projects?q=%07", "/api/v1/programs/N%00X", "/api/v1/communes?province=01&q=%00",
			"/login?next=/%00", "/?x=%FF%FE",
			"/programs/N%00X?lang=en", // last: the language is remembered
		}
		for _, p := range gets {
			for _, c := range []*webtest.Client{anon, central} {
				r := c.Get(p)
				if r.Status != http.StatusBadRequest {
					t.Errorf("GET %s: %d, want 400", p, r.Status)
					continue
				}
				want := "ký tự điều khiển"
				if strings.Contains(p, "%FF") {
					want = "UTF-8"
				}
				if strings.Contains(p, "lang=en") {
					want = "control characters"
				}
				if !strings.Contains(r.Body, want) {
					t.Errorf("GET %s: the answer does not say %q: %.300s", p, want, r.Body)
				}
			}
		}

		// Form fields: a control character in a one-line or multi-line
		// field; tab and newline pass the edge (the domain decides).
		for _, v := range []string{"Cơ sở\x00", "Cơ sở\x07", "\x1b[31mđỏ", "a\x7fb", "a\u0085b", "\xff\xfe"} {
			r := central.PostForm("/establishments", map[string][]string{"name": {v}, "province": {"01"}})
			if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "name") {
				t.Errorf("form name %q: %d %.200s", v, r.Status, r.Body)
			}
		}
		if r := central.PostForm("/establishments", map[string][]string{"name": {"Cơ sở\tmột"}, "note": {"dòng 1\r\ndòng 2"}}); r.Status == http.StatusBadRequest {
			t.Errorf("tab and CRLF refused at the edge: %.300s", r.Body)
		}

		// JSON strings, keys and raw bytes.
		for _, body := range []string{
			`{"name": "Cơ sở\u0000X", "province": "01"}`,
			`{"name": "\u001b[2J", "province": "01"}`,
			`{"name\u0000": "x"}`,
			"{\"name\": \"\xff\"}",
		} {
			r := sendJSONText(t, central, "POST", "/api/v1/establishments", body)
			if r.Status != http.StatusBadRequest {
				t.Errorf("JSON %q: %d %s", body, r.Status, r.Body)
			}
		}
		var n int
		if err := db.ReadTx(t.Context(), func(tx *store.Tx) error {
			return tx.QueryRow(t.Context(), `SELECT COUNT(*) FROM establishments`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d establishments stored from refused requests", n)
		}
	})
}

// sendJSONText sends a raw JSON body with the client's CSRF header.
func sendJSONText(t *testing.T, c *webtest.Client, method, path, body string) *webtest.Response {
	t.Helper()
	req, _ := http.NewRequest(method, c.URL(path), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

// TestJSONReaderStrict: a JSON body is exactly one value of the expected
// shape; trailing data, a second object and unknown fields are 400.
func TestJSONReaderStrict(t *testing.T) {
	env := webtest.New(t, storetest.OpenSQLite(t, storetest.Options{}))
	central := env.As(nipp.RoleCentral)
	for _, body := range []string{
		`{"name": "A", "province": "01"} garbage`,
		`{"name": "A", "province": "01"}{"name": "B"}`,
		`{"name": "A", "province": "01", "is_admin": true}`,
		`{"name": "A"`,
		`[]`,
	} {
		r := sendJSONText(t, central, "POST", "/api/v1/establishments", body)
		if r.Status != http.StatusBadRequest {
			t.Errorf("JSON %q: %d, want 400: %s", body, r.Status, r.Body)
		}
	}
}

// TestSecurityHeadersTLS: HSTS is sent when the site is served over TLS,
// and only then.
func TestSecurityHeadersTLS(t *testing.T) {
	db := storetest.OpenSQLite(t, storetest.Options{})
	for _, tls := range []bool{false, true} {
		env := webtest.NewWithConfig(t, db, web.Config{TLS: tls})
		r := env.Anonymous().Get("/login")
		got := r.Header.Get("Strict-Transport-Security")
		if tls && !strings.Contains(got, "max-age=") {
			t.Errorf("TLS: no HSTS header (%q)", got)
		}
		if !tls && got != "" {
			t.Errorf("plain HTTP sends HSTS %q", got)
		}
	}
}

var _ = fmt.Sprint
