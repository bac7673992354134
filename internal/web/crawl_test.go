package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// crawlFamily names a family of pages: path segments holding a digit (ids,
// codes, years) are one family, and the query does not count.
func crawlFamily(path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.ContainsAny(s, "0123456789") {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}

// endsCrawl reports whether submitting a form would end the crawler's
// session or lock it out: signing out, changing or resetting its own
// password, changing its own account.
func endsCrawl(f *webtest.Form, self *nipp.User) bool {
	p := f.URL().Path
	if strings.Contains(p, "logout") || strings.HasPrefix(p, "/account/password") || p == "/login" {
		return true
	}
	return self != nil && strings.HasPrefix(p+"/", "/admin/users/"+strconv.FormatInt(self.ID, 10)+"/")
}

// TestCrawlEveryRole loads the demo data set (what `nipp demo` loads),
// signs in as every role, follows the navigation and every same-site link
// (a few pages per family) and submits every form with the values it
// renders, on a freshly loaded page, as a user pressing its button would:
// no 5xx anywhere, no concurrent-change refusal on a fresh page, no link to
// a missing page, no value refused by html/template, and every problem of
// a refused form shown beside its field.
func TestCrawlEveryRole(t *testing.T) {
	if testing.Short() {
		t.Skip("crawl skipped in -short mode")
	}
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		if _, err := demo.Load(context.Background(), db, demo.Small); err != nil {
			t.Fatalf("loading the demo data: %v", err)
		}
		// The administrator goes last: its forms change other accounts.
		roles := []struct {
			name string
			c    *webtest.Client
		}{{"public", env.Anonymous()}, {"appraiser", env.As(nipp.RoleAppraiser)}, {"auditor", env.As(nipp.RoleAuditor)},
			{"provincial", env.As(nipp.RoleProvincial, "01")}, {"central", env.As(nipp.RoleCentral)}, {"admin", env.As(nipp.RoleAdmin)}}
		for _, r := range roles {
			t.Run(r.name, func(t *testing.T) {
				crawl(t, r.c)
			})
		}
	})
}

func crawl(t *testing.T, c *webtest.Client) {
	// Project pages are many families in one (each state offers other
	// forms): more of them, reached first from the work page's queues.
	const perFamily, perProject, maxPages = 3, 12, 200
	seen := map[string]bool{}
	perFam := map[string]int{}
	formsDone := map[string]bool{}
	queue := []string{"/"}
	pages, forms := 0, 0
	var steps []string // the project transitions submitted
	check := func(what string, p *webtest.Page) {
		t.Helper()
		if p.Status >= 500 {
			t.Errorf("%s: status %d at %s: %.300s", what, p.Status, p.Path(), p.Text())
		}
		if refusedAsStale(p) {
			t.Errorf("%s: refused as a concurrent change on a fresh page: %.300s", what, p.Text())
		}
		if strings.Contains(p.Body, "ZgotmplZ") {
			t.Errorf("%s: a template value was refused by html/template", what)
		}
		for _, pr := range p.Problems() {
			if pr.Field && pr.Beside == "" {
				t.Errorf("%s: %q is not shown beside its field", what, pr.Message)
			}
		}
	}
	for len(queue) > 0 && pages < maxPages {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		fam := crawlFamily(path)
		if limit := perFamily; perFam[fam] >= limit && (fam != "/projects/{}" || perFam[fam] >= perProject) {
			continue
		}
		perFam[fam]++
		pages++
		p := c.Open(path)
		check("GET "+path, p)
		if p.Status == http.StatusNotFound {
			t.Errorf("a link leads to a missing page: %s", path)
		}
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, l := range p.Links() {
			u := l.URL
			if u.Host != p.URL.Host || strings.HasPrefix(u.Path, "/static/") || strings.Contains(u.Path, "logout") {
				continue
			}
			if link := u.RequestURI(); !seen[link] {
				queue = append(queue, link)
			}
		}
		// Forms: once per family and form, each on a freshly loaded page.
		for _, form := range p.Forms() {
			key := fam + " " + form.Method + " " + crawlFamily(form.URL().Path) + " " + strings.Join(form.Buttons(), "|")
			if formsDone[key] || endsCrawl(form, c.User) {
				continue
			}
			formsDone[key] = true
			fresh := c.Open(path)
			var again *webtest.Form
			for _, g := range fresh.Forms() {
				if g.Method == form.Method && g.URL().String() == form.URL().String() && strings.Join(g.Buttons(), "|") == strings.Join(form.Buttons(), "|") {
					again = g
					break
				}
			}
			if again == nil {
				continue
			}
			forms++
			if _, a, ok := strings.Cut(form.URL().Path, "/transitions/"); ok {
				steps = append(steps, a)
			}
			res := again.NoValidate().Submit()
			check(form.Method+" "+form.URL().Path+" (form on "+path+")", res)
		}
	}
	if pages < 3 {
		t.Errorf("crawl visited only %d pages", pages)
	}
	t.Logf("%d pages in %d families, %d forms submitted (transitions: %v)", pages, len(perFam), forms, steps)
}
