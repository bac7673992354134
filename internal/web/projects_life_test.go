package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// approvalsLikeND235 are the approvals of the embedded ND235-2025 set,
// written out: the ministry approves national projects, the central agency
// accepts and settles them; the province decides local ones.
var approvalsLikeND235 = []nipp.ApprovalRule{
	{Action: "project", Level: "national", Authority: "ministry"},
	{Action: "project", Level: "local", Authority: "provincial_committee"},
	{Action: "acceptance", Level: "national", Authority: "central_agency"},
	{Action: "acceptance", Level: "local", Authority: "provincial_department"},
	{Action: "settlement", Level: "national", Authority: "central_agency"},
	{Action: "settlement", Level: "local", Authority: "provincial_department"},
}

// addRuleSet stores a rule set with MACHINERY caps (share in basis points,
// amount in VND) for both state sources in both area categories, and the
// approvals given.
func (f *fixture) addRuleSet(code, from string, shareBP int, amount int64, approvals []nipp.ApprovalRule) {
	f.t.Helper()
	rs := &nipp.RuleSet{Code: code, NameVI: code, LegalBasis: "Nghị định " + code, ValidFrom: nipp.MustDate(from), Approvals: approvals}
	for _, area := range []string{nipp.AreaOrdinary, nipp.AreaDisadvantaged} {
		for _, src := range []string{nipp.SourceNational, nipp.SourceLocal} {
			rs.Caps = append(rs.Caps, nipp.SupportCap{ActivityTypeCode: "MACHINERY", AreaCategory: area, FundingSource: src, MaxShareBP: shareBP, MaxAmount: amount})
		}
	}
	err := f.db.WriteTx(context.Background(), func(tx *store.Tx) error { return tx.CreateRuleSet(context.Background(), rs, "test") })
	if err != nil {
		f.t.Fatal(err)
	}
}

// shownActions lists the transitions whose forms a project page renders.
func shownActions(p *webtest.Page) []string {
	out := []string{}
	for _, f := range p.Forms() {
		if _, a, ok := strings.Cut(f.URL().Path, "/transitions/"); ok {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// refusedAsStale reports whether a page carries the concurrent-change
// refusal (in either language).
func refusedAsStale(p *webtest.Page) bool {
	t := p.Text()
	return strings.Contains(t, "người khác thay đổi") || strings.Contains(t, "changed by someone else")
}

// ok fails the test unless the page is a 200 without an error message.
func okPage(t *testing.T, what string, p *webtest.Page) {
	t.Helper()
	if p.Status != http.StatusOK || refusedAsStale(p) {
		t.Fatalf("%s: status %d at %s: %s", what, p.Status, p.Path(), p.Text())
	}
	if strings.Contains(p.Body, `class="error" role="alert"`) {
		t.Fatalf("%s: refused: %s", what, p.Text())
	}
}

// TestProjectLifeThroughPages walks a national project from proposal to
// settlement through the pages, each step by the role the rules give it,
// every action by submitting the form the page renders. At every step each
// role's page shows exactly the actions written below from the rules
// (approvalsLikeND235; the proposer's steps need project.write in scope).
func TestProjectLifeThroughPages(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.addRuleSet("RS-LIFE", "2026-06-01", 5000, 300_000_000, approvalsLikeND235)
		roles := map[string]*webtest.Client{"provincial": f.prov, "central": f.central, "admin": f.admin, "appraiser": f.appraiser, "auditor": f.auditor}
		none := []string{}
		expect := map[nipp.ProjectState]map[string][]string{
			nipp.StateDraft:            {"provincial": {"submit", "withdraw"}, "central": {"submit", "withdraw"}, "admin": {"submit", "withdraw"}},
			nipp.StateSubmitted:        {"provincial": none, "central": {"reject", "return", "start_appraisal"}, "admin": {"reject", "return", "start_appraisal"}},
			nipp.StateUnderAppraisal:   {"provincial": none, "central": {"approve", "reject", "return"}, "admin": {"approve", "reject", "return"}},
			nipp.StateApproved:         {"provincial": {"start"}, "central": {"cancel", "start"}, "admin": {"cancel", "start"}},
			nipp.StateInImplementation: {"provincial": none, "central": {"accept", "cancel"}, "admin": {"accept", "cancel"}},
			nipp.StateAccepted:         {"provincial": none, "central": {"settle"}, "admin": {"settle"}},
			nipp.StateSettled:          {"provincial": none, "central": none, "admin": none},
		}
		var id string
		check := func(state nipp.ProjectState) {
			t.Helper()
			if got := f.get(id).State; got != state {
				t.Fatalf("state %s, want %s", got, state)
			}
			for name, c := range roles {
				want := expect[state][name]
				if want == nil {
					want = none
				}
				p := c.Open("/projects/" + id)
				if c == f.appraiser {
					if p.Status != http.StatusNotFound {
						t.Errorf("%s: the appraiser (no council) reads the project: %d", state, p.Status)
					}
					continue
				}
				okPage(t, string(state)+" as "+name, p)
				if got := shownActions(p); !slices.Equal(got, want) {
					t.Errorf("%s as %s: actions shown %v, want %v", state, name, got, want)
				}
				// The API offers the same actions (one function decides).
				var api struct {
					Allowed []string `json:"allowed_actions"`
				}
				c.Get("/api/v1/projects/"+id).JSON(t, &api)
				slices.Sort(api.Allowed)
				if !slices.Equal(api.Allowed, want) {
					t.Errorf("%s as %s: API allows %v, want %v", state, name, api.Allowed, want)
				}
			}
			// Another province's officer: not visible before approval
			// (which publishes), then visible without any action.
			p := f.prov2.Open("/projects/" + id)
			if state.Decided() {
				okPage(t, string(state)+" as other province", p)
				if got := shownActions(p); len(got) != 0 {
					t.Errorf("%s as other province: actions %v", state, got)
				}
			} else if p.Status != http.StatusNotFound {
				t.Errorf("%s: other province reads the project: %d", state, p.Status)
			}
		}
		act := func(c *webtest.Client, action string, fill func(*webtest.Form)) *webtest.Page {
			t.Helper()
			page := c.Open("/projects/" + id)
			form := page.Form("/projects/" + id + "/transitions/" + action)
			if fill != nil {
				fill(form)
			}
			p := form.Submit()
			okPage(t, action, p)
			if p.URL.Path != "/projects/"+id {
				t.Fatalf("%s ended at %s", action, p.Path())
			}
			return p
		}

		// The provincial officer proposes: the new-project form.
		form := f.prov.Open("/projects/new").Form("/projects")
		form.Select("program", "NIPP-2026-2030").Set("year", "2026").Set("title", "Hỗ trợ máy cắt laser cho HTX Mây tre Phú Vinh").
			Select("activity_type", "MACHINERY")
		p := form.Click("Lưu")
		if p.Status != http.StatusOK || !strings.HasPrefix(p.URL.Path, "/projects/") {
			t.Fatalf("propose: %d at %s: %s", p.Status, p.Path(), p.Text())
		}
		okPage(t, "propose", p)
		id = strings.TrimPrefix(p.URL.Path, "/projects/")
		check(nipp.StateDraft)

		// ... fills budget and outputs on the edit page ...
		form = f.prov.Open("/projects/" + id).FollowTo("/projects/" + id + "/edit").Form("/projects/" + id)
		form.Set("budget_national", "200.000.000").Set("budget_reciprocal", "300000000").
			SelectNth("output_indicator", 0, "MACHINES").SetNth("output_planned", 0, "2")
		p = form.Click("Lưu")
		okPage(t, "edit", p)
		if pr := f.get(id); len(pr.Budget) != 2 || len(pr.Outputs) != 1 {
			t.Fatalf("after edit: budget %+v, outputs %+v", pr.Budget, pr.Outputs)
		}

		// ... adds a beneficiary by its code ...
		p = f.prov.Open("/projects/"+id).Form("/projects/"+id+"/beneficiaries").Set("establishment", "cs-test00000").Submit()
		okPage(t, "add beneficiary", p)
		if !p.Contains("HTX Mây tre Phú Vinh") {
			t.Fatalf("beneficiary not listed: %s", p.Text())
		}

		// Removing a beneficiary is styled apart and needs the box ticked
		// (no script): the server refuses it unticked too.
		p = f.prov.Open("/projects/"+id).Form("/projects/"+id+"/beneficiaries").Set("establishment", "cs-test00001").Submit()
		okPage(t, "add a second beneficiary", p)
		rm := p.Form("/projects/" + id + "/beneficiaries/cs-test00001/delete")
		if !rm.Required("confirm") || !strings.Contains(rm.ButtonClass("Bỏ"), "danger") {
			t.Errorf("removal: confirm required %v, button class %q", rm.Required("confirm"), rm.ButtonClass("Bỏ"))
		}
		if p := rm.NoValidate().Submit(); p.Status != http.StatusUnprocessableEntity || len(f.get(id).Beneficiaries) != 2 {
			t.Fatalf("unconfirmed removal: %d, beneficiaries %d", p.Status, len(f.get(id).Beneficiaries))
		}
		p = f.prov.Open("/projects/"+id).Form("/projects/"+id+"/beneficiaries/cs-test00001/delete").Check("confirm", "1").Submit()
		okPage(t, "remove a beneficiary", p)
		if got := f.get(id).Beneficiaries; len(got) != 1 || got[0].PublicID != "cs-test00000" {
			t.Fatalf("after removal: %+v", got)
		}
		// Withdrawing is styled apart and needs a reason.
		wd := p.Form("/projects/" + id + "/transitions/withdraw")
		if !strings.Contains(wd.Class(), "danger") || !wd.Required("comment") || !strings.Contains(wd.ButtonClass("Rút đề xuất"), "danger") {
			t.Errorf("withdraw form: class %q, reason required %v", wd.Class(), wd.Required("comment"))
		}
		if strings.Contains(p.Form("/projects/"+id+"/transitions/submit").Class(), "danger") {
			t.Error("submit is styled as destructive")
		}

		// ... and submits.
		act(f.prov, nipp.ActSubmit, nil)
		check(nipp.StateSubmitted)

		// The central officer (the ministry) starts appraisal and approves.
		act(f.central, nipp.ActStartAppraisal, nil)
		check(nipp.StateUnderAppraisal)
		act(f.central, nipp.ActApprove, func(fm *webtest.Form) {
			fm.Set("decision_no", "1234/QĐ-BCT").Set("decision_date", "2026-11-01").Set("override_reason", "Hội đồng chưa chấm điểm (kiểm thử)")
		})
		check(nipp.StateApproved)
		pr := f.get(id)
		if pr.DecisionNo != "1234/QĐ-BCT" || pr.RuleSetCode != "RS-LIFE" || pr.Budget[0].Approved == nil || *pr.Budget[0].Approved != 200_000_000 {
			t.Fatalf("after approval: %+v", pr)
		}

		// The implementing side starts; the central agency accepts and settles.
		act(f.prov, nipp.ActStart, nil)
		check(nipp.StateInImplementation)
		// Acceptance outputs are labelled as acceptance, not settlement.
		acc := f.central.Open("/projects/" + id)
		if !acc.Contains("Nghiệm thu — Máy móc") || acc.Contains("Quyết toán — Máy móc") || !acc.Contains("Kết quả dự kiến") {
			t.Errorf("acceptance form labels: %s", acc.Text())
		}
		act(f.central, nipp.ActAccept, func(fm *webtest.Form) { fm.Set("actual_output_MACHINES", "2") })
		check(nipp.StateAccepted)
		// Nothing was paid or contributed: the reciprocal capital promised
		// is short and the settlement explains it (the ledger's own test
		// walks the money).
		act(f.central, nipp.ActSettle, func(fm *webtest.Form) { fm.Set("comment", "Cơ sở chưa góp vốn đối ứng") })
		check(nipp.StateSettled)
		// A settled project's outputs are the actual ones.
		done := f.prov.Open("/projects/" + id)
		if !done.Contains("Kết quả thực tế") || done.Contains("Kết quả dự kiến") {
			t.Errorf("settled project's outputs heading: %s", done.Text())
		}
		if en := f.prov.Open("/projects/" + id + "?lang=en"); !en.Contains("Actual outputs") || !en.Contains("Accepted") {
			t.Errorf("English page: %s", en.Text())
		}
		pr = f.get(id)
		for _, l := range pr.Budget { // settled at what the (empty) ledger holds
			if l.Actual == nil || *l.Actual != 0 {
				t.Errorf("settled line %s: actual %v, want 0", l.Source, l.Actual)
			}
		}
		if pr.Outputs[0].Actual == nil || *pr.Outputs[0].Actual != 2 {
			t.Errorf("actual output %v", pr.Outputs[0].Actual)
		}
		// Every step is on the timeline, by the one who took it.
		events := map[string]string{}
		r := f.admin.Get("/api/v1/projects/" + id)
		var out struct {
			Events []nipp.ProjectEvent `json:"history"`
		}
		r.JSON(t, &out)
		for _, e := range out.Events {
			events[e.Action] = e.Actor
		}
		wantBy := map[string]*webtest.Client{nipp.ActSubmit: f.prov, nipp.ActStartAppraisal: f.central, nipp.ActApprove: f.central,
			nipp.ActStart: f.prov, nipp.ActAccept: f.central, nipp.ActSettle: f.central}
		for a, c := range wantBy {
			if events[a] != c.User.Email {
				t.Errorf("%s recorded by %q, want %s", a, events[a], c.User.Email)
			}
		}
	})
}
