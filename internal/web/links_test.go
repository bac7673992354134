package web_test

import (
	"context"
	"html"
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

// A project page names its program, activity type, implementing
// organisation and indicators in the page's language.
func TestProjectPageLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 200, Projects: 30, Seed: 11}); err != nil {
			t.Fatal(err)
		}
		var publicID, actVI, actEN, progEN, indEN string
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT p.public_id, a.name_vi, a.name_en, g.name_en, i.name_en FROM projects p
				JOIN activity_types a ON a.code = p.activity_type_code JOIN programs g ON g.id = p.program_id
				JOIN project_outputs o ON o.project_id = p.id JOIN indicators i ON i.code = o.indicator_code
				ORDER BY p.id LIMIT 1`).Scan(&publicID, &actVI, &actEN, &progEN, &indEN)
		})
		if err != nil {
			t.Fatal(err)
		}
		c := webtest.New(t, db).As(nipp.RoleCentral)
		en := c.Get("/projects/" + publicID + "?lang=en")
		for _, want := range []string{actEN, progEN, indEN} {
			if !strings.Contains(en.Body, html.EscapeString(want)) {
				t.Errorf("English project page lacks %q", want)
			}
		}
		if strings.Contains(en.Body, ">"+actVI+"<") {
			t.Errorf("English project page shows the Vietnamese activity name %q", actVI)
		}
		if vi := c.Get("/projects/" + publicID + "?lang=vi"); !strings.Contains(vi.Body, actVI) {
			t.Errorf("Vietnamese project page lacks %q", actVI)
		}
	})
}
