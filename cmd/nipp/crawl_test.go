package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	hrefRe = regexp.MustCompile(`href="([^"#]+)"`)
	csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	// A Go pointer printed instead of its value (e.g. a *int64 passed to a
	// template function).
	pointerRe = regexp.MustCompile(`>\s*0x[0-9a-f]{8,}\s*<`)
)

// TestCrawlDemo serves the demo data set, signs in as the administrator
// through the login form, and follows every same-site link it finds
// (bounded), in Vietnamese and English: no page may fail with a 5xx. It is
// the guard against template and SQL errors on pages no other test opens.
func TestCrawlDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("crawl skipped in -short mode")
	}
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			const password = "demo-admin-password-1"
			base, out, _ := startServe(t, append(e.args, "--demo"), map[string]string{"NIPP_ADMIN_PASSWORD": password})
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			fetch := func(u string) (int, string) {
				resp, err := c.Get(u)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
				return resp.StatusCode, string(b)
			}
			_, body := fetch(base + "/login")
			m := csrfRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no CSRF token on the login page")
			}
			resp, err := c.PostForm(base+"/login", url.Values{"email": {"admin@nipp.local"}, "password": {password}, "csrf_token": {m[1]}})
			if err != nil || resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %v %v", resp.Status, err)
			}
			resp.Body.Close()

			seen := map[string]bool{}
			queue := []string{"/", "/?lang=en", "/establishments", "/projects", "/audit", "/rule-sets", "/organizations",
				"/account", "/account/tokens", "/account/password", "/admin/users", "/admin/users/new", "/plans/2025", "/plans/2026",
				"/establishments/duplicates", "/establishments/new", "/imports/establishments", "/programs/NIPP-2021-2025",
				"/projects?lang=en", "/establishments?lang=en", "/projects?state=settled", "/establishments?q=gom"}
			perPrefix := map[string]int{}
			visited := 0
			for len(queue) > 0 && visited < 400 {
				p := queue[0]
				queue = queue[1:]
				if seen[p] {
					continue
				}
				seen[p] = true
				// Bound each family of pages (e.g. /establishments/{id}) so the
				// crawl covers many kinds rather than every record.
				fam := family(p)
				if perPrefix[fam] >= 6 {
					continue
				}
				perPrefix[fam]++
				visited++
				if testing.Verbose() {
					t.Logf("visit %s (%s)", p, fam)
				}
				status, body := fetch(base + p)
				if status >= 500 {
					t.Errorf("GET %s = %d: %.300s", p, status, body)
					continue
				}
				if strings.Contains(body, "<!doctype") || strings.Contains(body, "<!DOCTYPE") {
					if m := pointerRe.FindString(body); m != "" {
						t.Errorf("GET %s shows a Go pointer %q instead of a value", p, m)
					}
					if strings.Contains(body, "ZgotmplZ") {
						t.Errorf("GET %s: a template value was refused by html/template (ZgotmplZ)", p)
					}
				}
				for _, mm := range hrefRe.FindAllStringSubmatch(body, -1) {
					link := strings.ReplaceAll(mm[1], "&amp;", "&")
					if _, q, ok := strings.Cut(link, "?"); ok && q != "" && !strings.Contains(q, "=") {
						t.Errorf("GET %s links to %s: a query string escaped whole (the filters would be lost)", p, link)
						continue
					}
					if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/static/") ||
						strings.Contains(link, "logout") || strings.Contains(link, "export") || strings.Contains(link, "download") || strings.Contains(link, "errors.xlsx") {
						continue
					}
					if !seen[link] {
						queue = append(queue, link)
					}
				}
			}
			if visited < 40 {
				t.Errorf("crawl visited only %d pages; links missing?", visited)
			}
			if t.Failed() {
				t.Log(out) // the server's log names what failed
			}
			t.Logf("crawled %d pages in %d families", visited, len(perPrefix))
		})
	}
}

// family names a page's kind: the path with ids replaced and the query's
// keys only.
func family(p string) string {
	path, query, _ := strings.Cut(p, "?")
	parts := strings.Split(path, "/")
	for i, s := range parts {
		if (strings.ContainsAny(s, "0123456789") && len(s) > 3) || (strings.Contains(s, "-") && len(s) >= 8) {
			parts[i] = "{id}"
		}
	}
	keys := []string{}
	if q, err := url.ParseQuery(query); err == nil {
		for k := range q {
			keys = append(keys, k)
		}
	}
	return strings.Join(parts, "/") + "?" + strings.Join(sortStrings(keys), "&")
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
