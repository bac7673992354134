package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

var hrefOf = regexp.MustCompile(`href="([^"]*)"`)

func links(body, contains string) []string {
	var out []string
	for _, m := range hrefOf.FindAllStringSubmatch(body, -1) {
		l := strings.ReplaceAll(m[1], "&amp;", "&")
		if strings.Contains(l, contains) {
			out = append(out, l)
		}
	}
	return out
}

// The next-page and export links of a filtered list keep the filters (a
// query string written after '?' in a template would be escaped whole).
func TestListLinksKeepFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(context.Background(), db, demo.Size{Establishments: 400, Projects: 120, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		env := webtest.New(t, db)
		c := env.As(nipp.RoleCentral)

		r := c.Get("/projects?state=settled")
		if r.Status != 200 {
			t.Fatalf("projects list: %d", r.Status)
		}
		exp := links(r.Body, "/projects/export.xlsx")
		if len(exp) != 1 || !strings.Contains(exp[0], "state=settled") {
			t.Fatalf("export link %v does not carry the filter", exp)
		}
		next := links(r.Body, "after=")
		if len(next) == 1 {
			if !strings.Contains(next[0], "state=settled") {
				t.Fatalf("next link %q lost the filter", next[0])
			}
			if r2 := c.Get(next[0]); r2.Status != 200 || r2.Body == r.Body {
				t.Fatalf("next page: %d (same page again: %v)", r2.Status, r2.Body == r.Body)
			}
		}

		r = c.Get("/establishments?legal_form=cooperative")
		if r.Status != 200 {
			t.Fatalf("establishments list: %d", r.Status)
		}
		for _, kind := range []string{"export.xlsx", "export.csv"} {
			l := links(r.Body, "/establishments/"+kind)
			if len(l) != 1 || !strings.Contains(l[0], "legal_form=cooperative") {
				t.Fatalf("%s link %v does not carry the filter", kind, l)
			}
		}
		csv := c.Get(links(r.Body, "/establishments/export.csv")[0])
		if csv.Status != 200 || strings.Count(csv.Body, "\n") < 2 {
			t.Fatalf("filtered CSV export: %d, %d lines", csv.Status, strings.Count(csv.Body, "\n"))
		}
		for _, line := range strings.Split(strings.TrimSpace(csv.Body), "\n")[1:] {
			if strings.Contains(line, "Hộ kinh doanh") || strings.Contains(line, "Công ty") {
				t.Fatalf("filtered export (cooperatives) contains %q", line)
			}
		}
	})
}

// An establishment's support history names project states in the page's
// language, not by their codes.
func TestEstablishmentSupportStateNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 300, Projects: 60, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		var publicID, state string
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT e.public_id, p.state FROM establishments e
				JOIN project_beneficiaries b ON b.establishment_id = e.id JOIN projects p ON p.id = b.project_id
				ORDER BY e.id LIMIT 1`).Scan(&publicID, &state)
		})
		if err != nil {
			t.Fatal(err)
		}
		c := webtest.New(t, db).As(nipp.RoleCentral)
		for _, lang := range []string{"vi", "en"} {
			r := c.Get("/establishments/" + publicID + "?lang=" + lang)
			want := nipp.StateName(nipp.ProjectState(state), lang)
			if r.Status != 200 || !strings.Contains(r.Body, want) {
				t.Fatalf("%s page: %d, lacks the state name %q", lang, r.Status, want)
			}
			if lang == "vi" && strings.Contains(r.Body, "<td>"+state+"</td>") {
				t.Fatalf("the Vietnamese page shows the state code %q", state)
			}
		}
	})
}
