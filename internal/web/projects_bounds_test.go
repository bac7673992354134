package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// The rules that guard money, at their boundary, as the rules state them
// (RS-A of the fixture: MACHINERY, ordinary area, national and local funds:
// at most 50% of the total cost of all lines and at most 300,000,000 VND).

func TestSupportCapBoundaries(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		local := webtest.InsertLocalProgram(t, db, "01", true)
		cases := []struct {
			name       string
			state, own int64 // state support, the beneficiaries' own capital
			ok         bool
		}{
			// share: 50% of 500,000,000 is 250,000,000
			{"share exactly at the cap", 250_000_000, 250_000_000, true},
			{"share one VND above", 250_000_001, 250_000_000, false},
			// amount: 50% of 700,000,000 would be 350,000,000; the cap is 300,000,000
			{"amount exactly at the cap", 300_000_000, 400_000_000, true},
			{"amount one VND above", 300_000_001, 400_000_000, false},
		}
		for _, src := range []string{nipp.SourceNational, nipp.SourceLocal} {
			for _, c := range cases {
				in := proposal(c.state, c.own)
				in.Budget[0].Source = src
				if src == nipp.SourceLocal {
					in.ProgramCode = local.Code
				}
				r := f.prov.SendJSON("POST", "/api/v1/projects", in)
				if c.ok && r.Status != http.StatusCreated {
					t.Errorf("%s, %s: status %d, want 201: %s", src, c.name, r.Status, r.Body)
				}
				if !c.ok && (r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "RS-A")) {
					t.Errorf("%s, %s: status %d, want 422 naming RS-A: %s", src, c.name, r.Status, r.Body)
				}
			}
		}
	})
}

// approvalFixture proposes 200,000,000 national + 300,000,000 own capital
// and drives it to under appraisal; the approver then types the approved
// national amount on the page. Approved 300,000,000 makes the total
// 600,000,000: 50% of it and the amount cap are both exactly 300,000,000.
func TestApprovalAndSettlementBoundaries(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.inState(nipp.StateUnderAppraisal)
		var nat nipp.BudgetLine
		for _, l := range p.Budget {
			if l.Source == nipp.SourceNational {
				nat = l
			}
		}
		approve := func(amount string) *webtest.Page {
			t.Helper()
			form := f.central.Open("/projects/" + p.PublicID).Form("/projects/" + p.PublicID + "/transitions/approve")
			form.Set("decision_no", "77/QĐ-BCT").Set("decision_date", "2026-10-30").Set("override_reason", "kiểm thử").
				Set(fmt.Sprintf("approved_%d", nat.ID), amount)
			return form.Submit()
		}
		if pg := approve("300.000.001"); pg.Status != http.StatusUnprocessableEntity || !pg.Contains("RS-A") {
			t.Fatalf("approved one VND above the cap: %d %s", pg.Status, pg.Text())
		}
		if got := f.get(p.PublicID); got.State != nipp.StateUnderAppraisal {
			t.Fatalf("refused approval changed the state to %s", got.State)
		}
		if pg := approve("300.000.000"); pg.Status != http.StatusOK || f.get(p.PublicID).State != nipp.StateApproved {
			t.Fatalf("approved exactly at the cap: %d %s", pg.Status, pg.Text())
		}
		for _, a := range []string{"start", "accept"} {
			if r := f.transition(f.admin, p.PublicID, a); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a, r.Status, r.Body)
			}
		}
		// Settlement reads the ledger: the form types no amounts; with no
		// reciprocal capital recorded against the 300.000.000 promised, it
		// needs an explanation, and then settles every line at what the
		// ledger holds (nothing spent, nothing contributed).
		form := f.prov.Open("/projects/" + p.PublicID).Form("/projects/" + p.PublicID + "/transitions/settle")
		if got := form.Get(fmt.Sprintf("actual_%d", nat.ID)); got != "" {
			t.Errorf("the settlement form still asks for amounts: %q", got)
		}
		if pg := form.Submit(); pg.Status != http.StatusUnprocessableEntity || !pg.Contains("thiếu 300.000.000 ₫") {
			t.Fatalf("settled without reciprocal capital and no explanation: %d %s", pg.Status, pg.Text())
		}
		if got := f.get(p.PublicID); got.State != nipp.StateAccepted {
			t.Fatalf("refused settlement changed the state to %s", got.State)
		}
		form = f.prov.Open("/projects/" + p.PublicID).Form("/projects/" + p.PublicID + "/transitions/settle")
		if pg := form.Set("comment", "Cơ sở chưa góp vốn do thiên tai").Submit(); pg.Status != http.StatusOK || f.get(p.PublicID).State != nipp.StateSettled {
			t.Fatalf("settled with the explanation: %d %s", pg.Status, pg.Text())
		}
		for _, l := range f.get(p.PublicID).Budget {
			if l.Actual == nil || *l.Actual != 0 {
				t.Errorf("%s settled at %v, want 0 from the empty ledger", l.Source, l.Actual)
			}
		}
	})
}

// TestPassMarkBoundary: a score exactly at the pass mark passes (approval
// needs no reason); one hundredth of a point below does not.
func TestPassMarkBoundary(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		at, below := f.inState(nipp.StateUnderAppraisal), f.inState(nipp.StateUnderAppraisal)
		r := f.central.PostForm("/appraisal", url.Values{"name": {"Đợt kiểm thử"}, "year": {"2026"}, "pass_mark": {"70"},
			"criteria": {"C1; Chất lượng; 1; 10000"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("round: %d %s", r.Status, r.Body)
		}
		round := r.Header.Get("Location")
		roundID := strings.TrimPrefix(round, "/appraisal/")
		if r := f.central.PostForm(round+"/councils", url.Values{"name": {"Hội đồng"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("council: %d %s", r.Status, r.Body)
		}
		var councilID int64
		db.ReadTx(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT id FROM appraisal_councils`).Scan(&councilID)
		})
		if r := f.central.PostForm(fmt.Sprintf("/appraisal/councils/%d/members", councilID), url.Values{"round": {roundID}, "email": {f.appraiser.User.Email}}); r.Status != http.StatusSeeOther {
			t.Fatalf("member: %d %s", r.Status, r.Body)
		}
		for _, p := range []*nipp.Project{at, below} {
			if r := f.central.PostForm(fmt.Sprintf("/appraisal/councils/%d/projects", councilID), url.Values{"round": {roundID}, "project": {p.Code}}); r.Status != http.StatusSeeOther {
				t.Fatalf("assign: %d %s", r.Status, r.Body)
			}
		}
		score := func(p *nipp.Project, s string) {
			t.Helper()
			form := f.appraiser.Open("/projects/" + p.PublicID).Form("/projects/" + p.PublicID + "/scores")
			var field string
			for k := range form.Values() {
				if strings.HasPrefix(k, "score_") {
					field = k
				}
			}
			if pg := form.Set(field, s).Submit(); pg.Status != http.StatusOK {
				t.Fatalf("score: %d %s", pg.Status, pg.Text())
			}
		}
		score(at, "7000")    // 70.00
		score(below, "6999") // 69.99
		approve := func(p *nipp.Project) *webtest.Page {
			t.Helper()
			return f.central.Open("/projects/"+p.PublicID).Form("/projects/"+p.PublicID+"/transitions/approve").
				Set("decision_no", "88/QĐ-BCT").Set("decision_date", "2026-10-30").Submit()
		}
		if pg := approve(below); pg.Status != http.StatusUnprocessableEntity || !pg.Contains("69.99") {
			t.Errorf("69.99 against a pass mark of 70 approved without a reason: %d %s", pg.Status, pg.Text())
		}
		if pg := approve(at); pg.Status != http.StatusOK || f.get(at.PublicID).State != nipp.StateApproved {
			t.Errorf("70.00 against a pass mark of 70 refused: %d %s", pg.Status, pg.Text())
		}
	})
}

// TestDuplicateSupportYearsBoundary: with a look-back of N = 3 years, an
// approved project of year Y warns a new project of year Y+3 (Y = year − N)
// but not one of year Y+4 (one year older than the window).
func TestDuplicateSupportYearsBoundary(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if r := f.admin.SendJSON("PUT", "/api/v1/settings/duplicate-support-years", map[string]int{"years": 3}); r.Status != http.StatusOK {
			t.Fatalf("setting: %d %s", r.Status, r.Body)
		}
		first := f.create(proposal(200_000_000, 300_000_000)) // year 2026
		if r := f.prov.SendJSON("POST", "/api/v1/projects/"+first.PublicID+"/beneficiaries", map[string]any{"version": first.Version, "establishment": "0100000000"}); r.Status != http.StatusOK {
			t.Fatalf("first beneficiary: %d %s", r.Status, r.Body)
		}
		for _, a := range []string{"submit", "start_appraisal", "approve"} {
			if r := f.transition(f.admin, first.PublicID, a); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a, r.Status, r.Body)
			}
		}
		for _, c := range []struct {
			year int
			warn bool
		}{{2029, true}, {2030, false}} {
			in := proposal(100_000_000, 300_000_000)
			in.Year = c.year
			p := f.create(in)
			pg := f.prov.Open("/projects/"+p.PublicID).Form("/projects/"+p.PublicID+"/beneficiaries").Set("establishment", "0100000000").Submit()
			warned := pg.Status == http.StatusUnprocessableEntity && pg.Contains(first.Code) && asksReason(pg)
			if warned != c.warn {
				t.Errorf("year %d after an approved project of 2026 (look-back 3): warned %v, want %v: %d %s", c.year, warned, c.warn, pg.Status, pg.Text())
			}
			if !c.warn && pg.Status != http.StatusOK {
				t.Errorf("year %d: %d %s", c.year, pg.Status, pg.Text())
			}
		}
	})
}

// asksReason reports whether the page asks to confirm a duplicate support
// with a reason.
func asksReason(p *webtest.Page) bool {
	for _, f := range p.Forms() {
		if f.Has("confirm_reason") && f.Required("confirm_reason") {
			return true
		}
	}
	return false
}
