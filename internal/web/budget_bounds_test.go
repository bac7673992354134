package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// countProjects returns how many projects are stored.
func countProjects(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM projects`).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// Issue 16, attack 2: budget lines of one source whose sum wraps around
// int64 passed the support cap. Amounts are bounded (nipp.MaxAmount), a
// source has one line, sums are checked.
func TestBudgetAmountsBounded(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// The attack: three national lines adding up to 2^64 + 100,000,000,
		// which wrapped to 100M (under the cap of a wrapped 400M total).
		attack := proposal(9_000_000_000_000_000_000, 300_000_000)
		attack.Budget = append(attack.Budget, nipp.BudgetLine{Source: nipp.SourceNational, Planned: 9_000_000_000_000_000_000},
			nipp.BudgetLine{Source: nipp.SourceNational, Planned: 446_744_073_809_551_616 + 100_000_000})
		if r := f.prov.SendJSON("POST", "/api/v1/projects", attack); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("overflowing budget: status %d, want 422: %s", r.Status, r.Body)
		}
		// A second line of one source is refused, whatever the amounts.
		twice := proposal(100_000_000, 300_000_000)
		twice.Budget = append(twice.Budget, nipp.BudgetLine{Source: nipp.SourceNational, Planned: 1})
		r := f.prov.SendJSON("POST", "/api/v1/projects", twice)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "budget.national") || !strings.Contains(r.Body, "err.nipp.source_entered_twice") {
			t.Errorf("second national line: status %d: %s", r.Status, r.Body)
		}
		// The form: a repeated budget field is a second line.
		form := url.Values{"program": {"NIPP-2026-2030"}, "year": {"2026"}, "title": {"Máy cắt"}, "activity_type": {"MACHINERY"},
			"implementing_org": {"TTKC-01"}, "province": {"01"}, "area_category": {"ordinary"},
			"budget_national": {"100.000.000", "1"}, "budget_reciprocal": {"300.000.000"}, "op": {"save"}}
		if r := f.prov.PostForm("/projects", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "hai lần") {
			t.Errorf("form with two national fields: status %d", r.Status)
		}
		if n := countProjects(t, db); n != 0 {
			t.Fatalf("%d projects stored, want 0", n)
		}

		// The bound: exactly 10^15 VND is accepted, one VND more refused
		// (API and form; reciprocal capital, which has no cap).
		limit := strconv.FormatInt(nipp.MaxAmount, 10)
		above := strconv.FormatInt(nipp.MaxAmount+1, 10)
		r = f.prov.SendJSON("POST", "/api/v1/projects", proposal(100_000_000, nipp.MaxAmount+1))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "budget.reciprocal") || !strings.Contains(r.Body, "1.000.000.000.000.000") {
			t.Errorf("10^15 + 1: status %d: %s", r.Status, r.Body)
		}
		form.Set("budget_national", "100.000.000")
		form.Set("budget_reciprocal", above)
		if r := f.prov.PostForm("/projects", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "vượt giới hạn") {
			t.Errorf("form 10^15 + 1: status %d", r.Status)
		}
		if n := countProjects(t, db); n != 0 {
			t.Fatalf("%d projects stored, want 0", n)
		}
		atLimit := f.create(proposal(100_000_000, nipp.MaxAmount))
		atLimit = f.ready(atLimit)
		form.Set("budget_reciprocal", limit)
		if r := f.prov.PostForm("/projects", form); r.Status != http.StatusSeeOther {
			t.Errorf("form at 10^15: status %d", r.Status)
		}
		// The approved amount and the plan ceiling have the same bound.
		for _, a := range []string{"submit", "start_appraisal"} {
			if r := f.transition(f.admin, atLimit.PublicID, a); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a, r.Status, r.Body)
			}
		}
		p := f.get(atLimit.PublicID)
		in := f.input(p, nipp.ActApprove)
		in.Approved = map[int64]int64{}
		for _, l := range p.Budget {
			if l.Source == nipp.SourceReciprocal {
				in.Approved[l.ID] = nipp.MaxAmount + 1
			}
		}
		r = f.admin.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/transitions/approve", in)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "approved") {
			t.Errorf("approved 10^15 + 1: status %d: %s", r.Status, r.Body)
		}
		if r := f.central.SendJSON("PUT", "/api/v1/plans/2026", map[string]any{"ceiling": nipp.MaxAmount + 1}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("ceiling 10^15 + 1: status %d: %s", r.Status, r.Body)
		}
		if r := f.central.SendJSON("PUT", "/api/v1/plans/2026", map[string]any{"ceiling": nipp.MaxAmount}); r.Status != http.StatusOK {
			t.Errorf("ceiling 10^15: status %d: %s", r.Status, r.Body)
		}
	})
}

// Rows written before the bound (or by hand) must not take the plan down:
// the projects they belong to are left out of the totals and named.
func TestPlanAnswersOverBadRows(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		good := f.inState(nipp.StateSubmitted) // 200M national
		wraps := f.inState(nipp.StateSubmitted)
		exact := f.inState(nipp.StateSubmitted)
		// Extra national lines: 200M + 2 x 9e18 wraps around; the other
		// project's lines add up to exactly 2^64 (which showed as 0 ₫).
		for _, l := range []struct {
			p *nipp.Project
			v int64
		}{{wraps, 9_000_000_000_000_000_000}, {wraps, 9_000_000_000_000_000_000}, {exact, 9_223_372_036_854_775_807}, {exact, 9_223_372_036_854_775_807 - 200_000_000 + 2}} {
			storetest.MustExec(t, db, `INSERT INTO budget_lines (project_id, source, description, planned)
				SELECT id, 'national', '', $2 FROM projects WHERE public_id = $1`, l.p.PublicID, l.v)
		}
		var pl nipp.AnnualPlan
		r := f.central.Get("/api/v1/plans/2026")
		if r.Status != http.StatusOK {
			t.Fatalf("plan API: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &pl)
		if pl.Proposed != 200_000_000 || pl.Projects != 1 || len(pl.Excluded) != 2 {
			t.Errorf("plan = proposed %d, %d projects, excluded %v; want 200000000 from %s only, two excluded", pl.Proposed, pl.Projects, pl.Excluded, good.Code)
		}
		page := f.central.Get("/plans/2026")
		if page.Status != http.StatusOK || !strings.Contains(page.Body, "plan-excluded") || !strings.Contains(page.Body, wraps.Code) || !strings.Contains(page.Body, exact.Code) {
			t.Errorf("plan page: %d, excluded projects not named", page.Status)
		}
		if x := f.central.Get("/plans/2026/export.xlsx"); x.Status != http.StatusOK || !strings.HasPrefix(x.Body, "PK") {
			t.Errorf("plan export: %d", x.Status)
		}
		// A provincial officer's partial plan, the project list and pages
		// answer too, and so does the page of an establishment the bad
		// project supports.
		// (the bad project supports cs-test00000: f.inState added it)
		for _, path := range []string{"/plans/2026", "/api/v1/plans/2026", "/projects", "/projects/" + exact.PublicID, "/projects/export.xlsx",
			"/establishments/cs-test00000"} {
			if r := f.prov.Get(path); r.Status != http.StatusOK {
				t.Errorf("GET %s: %d", path, r.Status)
			}
		}
	})
}
