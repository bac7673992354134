package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// statementCounter counts the statements the server runs (store's query
// hook) for one request at a time.
type statementCounter struct {
	db *store.DB
	n  atomic.Int64
}

func countStatements(t *testing.T, db *store.DB) *statementCounter {
	c := &statementCounter{db: db}
	db.SetQueryHook(func(string, []any) { c.n.Add(1) })
	t.Cleanup(func() { db.SetQueryHook(nil) })
	return c
}

// get fetches path as c and returns how many statements it took.
func (sc *statementCounter) get(t *testing.T, c *webtest.Client, path string) (int64, *webtest.Response) {
	t.Helper()
	sc.n.Store(0)
	res := c.Get(path)
	if res.Status != 200 {
		t.Fatalf("GET %s: %d %.300s", path, res.Status, res.Body)
	}
	return sc.n.Load(), res
}

// Lists issue a fixed number of statements whatever the page holds: a
// page of 30 items costs no more than a page of 3 (no query per item), on
// every list an officer reads, as HTML and JSON.
func TestListsDoNotQueryPerItem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 400, Projects: 120, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		// Flag every third establishment as a likely duplicate, so the
		// duplicates review has pages to show.
		if err := db.RawExec(ctx, `UPDATE establishments SET review_duplicate = (1 = 1) WHERE id % 3 = 0`); err != nil {
			t.Fatal(err)
		}
		env := webtest.New(t, db)
		central := env.As(nipp.RoleCentral)
		provincial := env.As(nipp.RoleProvincial, "01")
		sc := countStatements(t, db)
		for _, c := range []struct {
			who  *webtest.Client
			path string // %d: the page size
		}{
			{central, "/api/v1/projects?limit=%d"},
			{central, "/projects?limit=%d"},
			{central, "/api/v1/projects?limit=%d&q=mo+hinh"},
			{provincial, "/api/v1/projects?limit=%d"},
			{provincial, "/projects?limit=%d&own=1"},
			{central, "/api/v1/establishments?limit=%d"},
			{central, "/establishments?limit=%d"},
			{central, "/establishments?limit=%d&q=co+so"},
			{central, "/establishments/duplicates?limit=%d"},
			{provincial, "/establishments?limit=%d"},
			{provincial, "/establishments?limit=%d&others=1"},
			{provincial, "/establishments/duplicates?limit=%d"},
		} {
			// Once each first: totals are kept per change stamp, so the
			// first visit of a filter counts and the next ones do not.
			sc.get(t, c.who, fmt.Sprintf(c.path, 3))
			sc.get(t, c.who, fmt.Sprintf(c.path, 30))
			small, res1 := sc.get(t, c.who, fmt.Sprintf(c.path, 3))
			large, res2 := sc.get(t, c.who, fmt.Sprintf(c.path, 30))
			if len(res2.Body) <= len(res1.Body) {
				t.Errorf("%s: the page of 30 is no longer than the page of 3: the data does not test it", c.path)
			}
			// (Fewer is fine: a page that holds every match is its own total.)
			if large > small {
				t.Errorf("%s: %d statements for 3 items, %d for 30", c.path, small, large)
			}
		}

		// A project's page and its JSON: the same statements whatever the
		// project holds (beneficiaries, budget lines, outputs, history).
		var few, many string
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			q := `SELECT p.public_id FROM projects p WHERE p.state = 'in_implementation'
				AND (SELECT COUNT(*) FROM project_beneficiaries b WHERE b.project_id = p.id) %s ORDER BY p.id LIMIT 1`
			if err := tx.QueryRow(ctx, fmt.Sprintf(q, "= 1")).Scan(&few); err != nil {
				return err
			}
			return tx.QueryRow(ctx, fmt.Sprintf(q, ">= 3")).Scan(&many)
		})
		if err != nil {
			t.Fatalf("finding projects with one and with several beneficiaries: %v", err)
		}
		for _, path := range []string{"/api/v1/projects/%s", "/projects/%s"} {
			// Once each first: rule sets are read once and kept.
			sc.get(t, central, fmt.Sprintf(path, few))
			sc.get(t, central, fmt.Sprintf(path, many))
			n1, _ := sc.get(t, central, fmt.Sprintf(path, few))
			n2, res := sc.get(t, central, fmt.Sprintf(path, many))
			if !strings.Contains(res.Body, many) {
				t.Fatalf("%s: the page does not show the project", path)
			}
			if n1 != n2 {
				t.Errorf("%s: %d statements for a project with one beneficiary, %d for one with several", path, n1, n2)
			}
		}
	})
}

// maxDetailStatements bounds a project's JSON detail over an API token
// when its detail is read (none kept at its stamp), authentication
// included: the token with its account and provinces, and the project's
// detail stamp when a detail of it is kept (1), then in one snapshot the stamp again (1), the project
// with its provinces (1), its budget, outputs and caps (1), beneficiaries
// with their groups (1), history and attachments (1) and the council (1).
// A project assigned to a council adds three (its round, members and
// scores; the demo data assigns none).
const maxDetailStatements = 7

// keptDetailStatements are a project's JSON detail's statements while its
// detail is kept: the token with the project's detail stamp, one statement
// (app.AuthenticateTokenForProject; on PostgreSQL one round trip).
const keptDetailStatements = 1

// A project's JSON detail costs a bounded number of statements (it was
// thirteen: the token, the account and its provinces apart; the
// provinces, budget, outputs, caps and beneficiaries' groups each apart), whatever the project
// holds, and a project another province keeps unpublished still answers
// exactly as one that does not exist.
func TestProjectDetailStatementsBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 300, Projects: 80, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		env := webtest.New(t, db)
		token := func(c *webtest.Client) string {
			r := c.PostForm("/account/tokens", url.Values{"name": {"bench"}})
			secret := tokenRE.FindString(r.Body)
			if r.Status != http.StatusCreated || secret == "" {
				t.Fatalf("token: %d", r.Status)
			}
			return secret
		}
		central := token(env.As(nipp.RoleCentral))
		provincial := token(env.As(nipp.RoleProvincial, "01"))
		var plain, many, hidden string
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			one := func(dst *string, q string) error {
				if err := tx.QueryRow(ctx, `SELECT p.public_id FROM projects p WHERE `+q+` ORDER BY p.id LIMIT 1`).Scan(dst); err != nil {
					return fmt.Errorf("%s: %w", q, err)
				}
				return nil
			}
			if err := one(&plain, `NOT EXISTS (SELECT 1 FROM appraisal_assignments a WHERE a.project_id = p.id)`); err != nil {
				return err
			}
			if err := one(&many, `(SELECT COUNT(*) FROM project_beneficiaries b WHERE b.project_id = p.id) >= 3`); err != nil {
				return err
			}
			return one(&hidden, `p.published = (1 = 0) AND NOT EXISTS (SELECT 1 FROM project_provinces pp JOIN admin_units u ON u.id = pp.province_id
				WHERE pp.project_id = p.id AND u.code = '01') AND (SELECT u.code FROM admin_units u WHERE u.id = p.province_id) <> '01'`)
		})
		if err != nil {
			t.Fatalf("finding the projects: %v", err)
		}
		var n atomic.Int64
		db.SetQueryHook(func(string, []any) { n.Add(1) })
		t.Cleanup(func() { db.SetQueryHook(nil) })
		for _, id := range []string{plain, many} {
			path := "/api/v1/projects/" + id
			bearer(t, env, "GET", path, central) // rule sets are read once and kept
			// A change to the project: its detail is read again.
			storetest.MustExec(t, db, `UPDATE projects SET description = description || '.' WHERE public_id = $1`, id)
			n.Store(0)
			res := bearer(t, env, "GET", path, central)
			if res.Status != 200 || !strings.Contains(res.Body, id) {
				t.Fatalf("%s: %d %.200s", path, res.Status, res.Body)
			}
			if got := n.Load(); got > maxDetailStatements {
				t.Errorf("%s: %d statements, at most %d expected", path, got, maxDetailStatements)
			}
			n.Store(0)
			if again := bearer(t, env, "GET", path, central); again.Body != res.Body {
				t.Fatalf("%s: asked again, a different answer", path)
			}
			if got := n.Load(); got != keptDetailStatements {
				t.Errorf("%s kept: %d statements, %d expected", path, got, keptDetailStatements)
			}
		}
		bearer(t, env, "GET", "/api/v1/projects/"+hidden, central) // kept, by someone who may see it
		notYours := bearer(t, env, "GET", "/api/v1/projects/"+hidden, provincial)
		missing := bearer(t, env, "GET", "/api/v1/projects/da-nosuchproj", provincial)
		if notYours.Status != http.StatusNotFound || notYours.Status != missing.Status || notYours.Body != missing.Body {
			t.Errorf("another province's unpublished project: %d %s; a missing one: %d %s", notYours.Status, notYours.Body, missing.Status, missing.Body)
		}
	})
}
