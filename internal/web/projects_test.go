package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"nipp/internal/app"
	"slices"
	"strings"
	"testing"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/tabular"
	"nipp/internal/web/webtest"
)

// projectClock fixes the database's clock: the test rule sets below are
// dated relative to it, after the embedded ones.
var projectClock = storetest.Options{Now: func() time.Time { return time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC) }}

// fixture is a test database with a rule set in force, two establishments
// in province 01 and clients of every role.
type fixture struct {
	t                    *testing.T
	env                  *webtest.Env
	db                   *store.DB
	prov, prov2, central *webtest.Client
	appraiser, auditor   *webtest.Client
	admin                *webtest.Client
}

func newFixture(t *testing.T, db *store.DB) *fixture { return newFixtureWith(t, db) }

// newFixtureWith is newFixture over an App built with opts.
func newFixtureWith(t *testing.T, db *store.DB, opts ...app.Option) *fixture {
	env := webtest.NewWith(t, db, opts...)
	f := &fixture{t: t, env: env, db: db}
	// Later than the embedded rule sets, so it is the one in force today.
	f.createRuleSet("RS-A", "Nghị định A", "2026-01-01", 5000, 300_000_000)
	for i, name := range []string{"HTX Mây tre Phú Vinh", "Cơ sở cơ khí Hòa Bình"} {
		storetest.MustExec(t, db, `INSERT INTO establishments (public_id, name, name_fold, legal_form, tax_code, province_id, orig_province_id, commune_id,
			recorded_on, created_at, updated_at) VALUES ($1, $2, $3, 'cooperative', $4,
			(SELECT id FROM admin_units WHERE level = 'province' AND code = '01' AND generation = 2025),
			(SELECT id FROM admin_units WHERE level = 'province' AND code = '01' AND generation = 2025),
			(SELECT MIN(c.id) FROM admin_units c JOIN admin_units p ON p.id = c.parent_id WHERE c.level = 'commune' AND c.generation = 2025 AND p.code = '01' AND c.unit_type = 'commune'),
			'2025-01-01', $5, $5)`, fmt.Sprintf("cs-test%05d", i), name, strings.ToLower(name), fmt.Sprintf("010000000%d", i), time.Now().UTC())
	}
	f.prov = env.As(nipp.RoleProvincial, "01")
	f.prov2 = env.As(nipp.RoleProvincial, "04")
	f.central = env.As(nipp.RoleCentral)
	f.appraiser = env.As(nipp.RoleAppraiser)
	f.auditor = env.As(nipp.RoleAuditor)
	f.admin = env.As(nipp.RoleAdmin)
	return f
}

func (f *fixture) createRuleSet(code, basis, from string, shareBP int, amount int64) {
	f.t.Helper()
	rs := &nipp.RuleSet{Code: code, NameVI: code, LegalBasis: basis, ValidFrom: nipp.MustDate(from)}
	for _, src := range []string{nipp.SourceNational, nipp.SourceLocal} {
		rs.Caps = append(rs.Caps, nipp.SupportCap{ActivityTypeCode: "MACHINERY", AreaCategory: nipp.AreaOrdinary, FundingSource: src, MaxShareBP: shareBP, MaxAmount: amount})
	}
	err := f.db.WriteTx(context.Background(), func(tx *store.Tx) error { return tx.CreateRuleSet(context.Background(), rs, "test") })
	if err != nil {
		f.t.Fatal(err)
	}
}

func proposal(national, reciprocal int64) nipp.ProjectInput {
	return nipp.ProjectInput{ProgramCode: "NIPP-2026-2030", Year: 2026, Title: "Hỗ trợ ứng dụng máy cắt laser tại HTX Mây tre Phú Vinh",
		ActivityTypeCode: "MACHINERY", ImplementingOrg: "TTKC-01", ProvinceCode: "01", AreaCategory: nipp.AreaOrdinary,
		Budget:  []nipp.BudgetLine{{Source: nipp.SourceNational, Planned: national}, {Source: nipp.SourceReciprocal, Planned: reciprocal}},
		Outputs: []nipp.ProjectOutput{{IndicatorCode: "MACHINES", Planned: 2}}}
}

// create proposes a project as the provincial officer and returns it.
func (f *fixture) create(in nipp.ProjectInput) *nipp.Project {
	f.t.Helper()
	r := f.prov.SendJSON("POST", "/api/v1/projects", in)
	if r.Status != http.StatusCreated {
		f.t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var p nipp.Project
	r.JSON(f.t, &p)
	return &p
}

// get reads a project as the administrator.
func (f *fixture) get(id string) *nipp.Project {
	f.t.Helper()
	r := f.admin.Get("/api/v1/projects/" + id)
	if r.Status != http.StatusOK {
		f.t.Fatalf("get %s: %d %s", id, r.Status, r.Body)
	}
	var out struct {
		Project nipp.Project `json:"project"`
	}
	r.JSON(f.t, &out)
	return &out.Project
}

// input returns a transition input that satisfies action's own rules.
func (f *fixture) input(p *nipp.Project, action string) nipp.TransitionInput {
	in := nipp.TransitionInput{Version: p.Version, Comment: "lý do " + action}
	switch action {
	case nipp.ActApprove:
		in.DecisionNo, in.DecisionDate, in.OverrideReason = "123/QĐ-BCT", nipp.MustDate("2026-03-01"), "chưa thẩm định (kiểm thử)"
	case nipp.ActAccept:
		in.ActualOutputs = map[string]int64{}
		for _, o := range p.Outputs {
			in.ActualOutputs[o.IndicatorCode] = o.Planned
		}
	}
	return in
}

func (f *fixture) transition(c *webtest.Client, id, action string) *webtest.Response {
	f.t.Helper()
	return c.SendJSON("POST", "/api/v1/projects/"+id+"/transitions/"+action, f.input(f.get(id), action))
}

// paths drive a new project into each state.
var paths = map[nipp.ProjectState][]string{
	nipp.StateDraft:            nil,
	nipp.StateSubmitted:        {"submit"},
	nipp.StateUnderAppraisal:   {"submit", "start_appraisal"},
	nipp.StateReturned:         {"submit", "return"},
	nipp.StateRejected:         {"submit", "reject"},
	nipp.StateCancelled:        {"withdraw"},
	nipp.StateApproved:         {"submit", "start_appraisal", "approve"},
	nipp.StateInImplementation: {"submit", "start_appraisal", "approve", "start"},
	nipp.StateAccepted:         {"submit", "start_appraisal", "approve", "start", "accept"},
	nipp.StateSettled:          {"submit", "start_appraisal", "approve", "start", "accept", "settle"},
}

// ready adds a beneficiary (cs-test00000) to a draft that has none, as a
// MACHINERY project needs before it is submitted.
func (f *fixture) ready(p *nipp.Project) *nipp.Project {
	f.t.Helper()
	p = f.get(p.PublicID)
	if len(p.Beneficiaries) > 0 || len(paths) == 0 {
		return p
	}
	r := f.admin.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/beneficiaries", map[string]any{"version": p.Version, "establishment": "cs-test00000", "confirm_reason": "kiểm thử"})
	if r.Status != http.StatusOK && r.Status != http.StatusCreated {
		f.t.Fatalf("adding a beneficiary: %d %s", r.Status, r.Body)
	}
	return f.get(p.PublicID)
}

// inState creates a project and drives it (as the administrator) into s.
func (f *fixture) inState(s nipp.ProjectState) *nipp.Project {
	f.t.Helper()
	p := f.ready(f.create(proposal(200_000_000, 300_000_000)))
	for _, a := range paths[s] {
		if r := f.transition(f.admin, p.PublicID, a); r.Status != http.StatusOK {
			f.t.Fatalf("driving to %s: %s: %d %s", s, a, r.Status, r.Body)
		}
	}
	p = f.get(p.PublicID)
	if p.State != s {
		f.t.Fatalf("state %s, want %s", p.State, s)
	}
	return p
}

func TestBudgetOverCapRefused(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// Total 500M: 50% is 250M, under the 300M cap.
		r := f.prov.SendJSON("POST", "/api/v1/projects", proposal(260_000_000, 240_000_000))
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", r.Status, r.Body)
		}
		for _, want := range []string{"RS-A", "Nghị định A", "50%", "250.000.000"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("message does not name %q: %s", want, r.Body)
			}
		}
		// The HTML form refuses it too, keeping what was typed.
		form := url.Values{"program": {"NIPP-2026-2030"}, "year": {"2026"}, "title": {"Máy cắt"}, "activity_type": {"MACHINERY"},
			"implementing_org": {"TTKC-01"}, "province": {"01"}, "area_category": {"ordinary"},
			"budget_national": {"260.000.000"}, "budget_reciprocal": {"240.000.000"}, "op": {"save"}}
		r = f.prov.PostForm("/projects", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "RS-A") || !strings.Contains(r.Body, "260.000.000") {
			t.Errorf("form: status %d, body lacks the rule or the typed amount", r.Status)
		}
		// The recompute button shows the allowed support without saving.
		form.Set("op", "recompute")
		r = f.prov.PostForm("/projects", form)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "250.000.000") {
			t.Errorf("recompute: status %d, allowed support not shown", r.Status)
		}
		r = f.prov.Get("/api/v1/support-preview?activity_type=MACHINERY&national=260000000&reciprocal=240000000")
		var pv struct {
			Caps []nipp.PinnedCap `json:"caps"`
			Err  string           `json:"error"`
		}
		r.JSON(t, &pv)
		if len(pv.Caps) == 0 || pv.Caps[0].Allowed != 250_000_000 || pv.Err == "" {
			t.Errorf("preview = %+v", pv)
		}
		var n int
		db.ReadTx(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM projects`).Scan(&n)
		})
		if n != 0 {
			t.Errorf("%d projects saved, want 0", n)
		}
		// Within the cap it is accepted and the cap is pinned.
		p := f.create(proposal(250_000_000, 250_000_000))
		if c := nationalCap(p.Caps); c.Allowed != 250_000_000 || c.RuleSetCode != "RS-A" || c.Requested != 250_000_000 {
			t.Errorf("caps = %+v", p.Caps)
		}
	})
}

func TestRuleVersioning(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.inState(nipp.StateApproved) // decision of 2026-03-01 under RS-A
		f.createRuleSet("RS-B", "Nghị định B", "2026-06-01", 3000, 100_000_000)
		got := f.get(p.PublicID)
		if c := nationalCap(got.Caps); got.RuleSetCode != "RS-A" || c.RuleSetCode != "RS-A" || c.MaxShareBP != 5000 || c.Allowed != 250_000_000 {
			t.Fatalf("after RS-B: rule set %s, caps %+v", got.RuleSetCode, got.Caps)
		}
		for _, a := range []string{"start", "accept", "settle"} {
			if r := f.transition(f.prov, p.PublicID, a); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a, r.Status, r.Body)
			}
		}
		if got := f.get(p.PublicID); got.RuleSetCode != "RS-A" || nationalCap(got.Caps).MaxShareBP != 5000 {
			t.Errorf("settled: rule set %s, caps %+v", got.RuleSetCode, got.Caps)
		}
		// A new proposal falls under RS-B: the same budget is now over the cap.
		r := f.prov.SendJSON("POST", "/api/v1/projects", proposal(200_000_000, 300_000_000))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "RS-B") {
			t.Errorf("new proposal under RS-B: %d %s", r.Status, r.Body)
		}
	})
}

func TestDuplicateSupport(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		first := f.create(proposal(200_000_000, 300_000_000))
		if r := f.prov.SendJSON("POST", "/api/v1/projects/"+first.PublicID+"/beneficiaries", map[string]any{"version": first.Version, "establishment": "0100000000"}); r.Status != http.StatusOK {
			t.Fatalf("first beneficiary: %d %s", r.Status, r.Body)
		}
		for _, a := range []string{"submit", "start_appraisal", "approve"} {
			if r := f.transition(f.admin, first.PublicID, a); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a, r.Status, r.Body)
			}
		}
		second := f.create(proposal(100_000_000, 300_000_000))
		// Through the page: the warning names the earlier project and asks for a reason.
		r := f.prov.PostForm("/projects/"+second.PublicID+"/beneficiaries", url.Values{"version": {fmt.Sprint(second.Version)}, "establishment": {"0100000000"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, first.Code) || !strings.Contains(r.Body, `name="confirm_reason"`) {
			t.Fatalf("page warning: status %d, body lacks %s or the confirmation field", r.Status, first.Code)
		}
		// Through the API.
		r = f.prov.SendJSON("POST", "/api/v1/projects/"+second.PublicID+"/beneficiaries", map[string]any{"version": second.Version, "establishment": "0100000000"})
		var warn struct {
			Prior []nipp.PriorSupport `json:"prior_support"`
		}
		r.JSON(t, &warn)
		if r.Status != http.StatusUnprocessableEntity || len(warn.Prior) != 1 || warn.Prior[0].Code != first.Code {
			t.Fatalf("API warning: %d %s", r.Status, r.Body)
		}
		if got := f.get(second.PublicID); len(got.Beneficiaries) != 0 {
			t.Fatalf("added without confirmation")
		}
		// Another establishment with no support is added without a question.
		r = f.prov.SendJSON("POST", "/api/v1/projects/"+second.PublicID+"/beneficiaries", map[string]any{"version": second.Version, "establishment": "0100000001"})
		if r.Status != http.StatusOK {
			t.Fatalf("unsupported establishment: %d %s", r.Status, r.Body)
		}
		v := f.get(second.PublicID).Version
		r = f.prov.PostForm("/projects/"+second.PublicID+"/beneficiaries", url.Values{"version": {fmt.Sprint(v)}, "establishment": {"0100000000"},
			"confirm_reason": {"Mở rộng sang dây chuyền khác"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("confirmed: %d %s", r.Status, r.Body)
		}
		got := f.get(second.PublicID)
		i := slices.IndexFunc(got.Beneficiaries, func(b nipp.ProjectBeneficiary) bool { return b.TaxCode == "0100000000" })
		if i < 0 || got.Beneficiaries[i].DuplicateReason != "Mở rộng sang dây chuyền khác" {
			t.Errorf("beneficiaries = %+v", got.Beneficiaries)
		}
		var n int
		db.ReadTx(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM duplicate_confirmations WHERE reason = $1`, "Mở rộng sang dây chuyền khác").Scan(&n)
		})
		if n != 1 {
			t.Errorf("confirmations stored: %d", n)
		}
		// Outside the look-back window there is no warning.
		if r := f.admin.SendJSON("PUT", "/api/v1/settings/duplicate-support-years", map[string]int{"years": 0}); r.Status != http.StatusOK {
			t.Fatalf("setting: %d %s", r.Status, r.Body)
		}
		third := f.create(func() nipp.ProjectInput { in := proposal(100_000_000, 300_000_000); in.Year = 2027; return in }())
		if r := f.prov.SendJSON("POST", "/api/v1/projects/"+third.PublicID+"/beneficiaries", map[string]any{"version": third.Version, "establishment": "0100000000"}); r.Status != http.StatusOK {
			t.Errorf("after the window: %d %s", r.Status, r.Body)
		}
	})
}

func TestStaleUpdateRefused(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.create(proposal(200_000_000, 300_000_000))
		mine := proposal(200_000_000, 300_000_000)
		mine.Version, mine.Title = p.Version, "Thay đổi của người thứ nhất"
		if r := f.prov.SendJSON("PUT", "/api/v1/projects/"+p.PublicID, mine); r.Status != http.StatusOK {
			t.Fatalf("first update: %d %s", r.Status, r.Body)
		}
		theirs := proposal(200_000_000, 300_000_000)
		theirs.Version, theirs.Title = p.Version, "Thay đổi cũ"
		r := f.central.SendJSON("PUT", "/api/v1/projects/"+p.PublicID, theirs)
		if r.Status != http.StatusConflict || !strings.Contains(r.Body, p.Code) {
			t.Fatalf("stale update: %d %s", r.Status, r.Body)
		}
		// The HTML form says the same and keeps the other change.
		form := url.Values{"version": {fmt.Sprint(p.Version)}, "program": {"NIPP-2026-2030"}, "year": {"2026"}, "title": {"Thay đổi cũ"},
			"activity_type": {"MACHINERY"}, "implementing_org": {"TTKC-01"}, "province": {"01"}, "budget_national": {"1"}, "op": {"save"}}
		if r := f.prov.PostForm("/projects/"+p.PublicID, form); r.Status != http.StatusConflict {
			t.Errorf("stale form: %d", r.Status)
		}
		if got := f.get(p.PublicID); got.Title != "Thay đổi của người thứ nhất" || got.Version != p.Version+1 {
			t.Errorf("title %q version %d", got.Title, got.Version)
		}
		// A stale transition is refused too.
		in := f.input(p, "submit")
		if r := f.prov.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/transitions/submit", in); r.Status != http.StatusConflict {
			t.Errorf("stale transition: %d", r.Status)
		}
	})
}

func TestAppraisal(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.inState(nipp.StateUnderAppraisal)
		other := f.inState(nipp.StateSubmitted)
		a1, a2, a3, outsider := f.appraiser, f.env.As(nipp.RoleAppraiser), f.env.As(nipp.RoleAppraiser), f.env.As(nipp.RoleAppraiser)
		r := f.central.PostForm("/appraisal", url.Values{"name": {"Thẩm định kế hoạch 2026"}, "year": {"2026"}, "pass_mark": {"70"},
			"criteria": {"C1; Sự cần thiết; 60; 10\nC2; Tính khả thi; 40; 10"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("round: %d %s", r.Status, r.Body)
		}
		round := r.Header.Get("Location")
		if r := f.central.PostForm(round+"/councils", url.Values{"name": {"Hội đồng 1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("council: %d %s", r.Status, r.Body)
		}
		var councilID int64
		db.ReadTx(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT id FROM appraisal_councils`).Scan(&councilID)
		})
		roundID := strings.TrimPrefix(round, "/appraisal/")
		for _, c := range []*webtest.Client{a1, a2, a3} {
			if r := f.central.PostForm(fmt.Sprintf("/appraisal/councils/%d/members", councilID), url.Values{"round": {roundID}, "email": {c.User.Email}}); r.Status != http.StatusSeeOther {
				t.Fatalf("member: %d %s", r.Status, r.Body)
			}
		}
		if r := f.central.PostForm(fmt.Sprintf("/appraisal/councils/%d/projects", councilID), url.Values{"round": {roundID}, "project": {p.Code}}); r.Status != http.StatusSeeOther {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		// Appraisers see only the projects of their council.
		if r := outsider.Get("/projects/" + p.PublicID); r.Status != http.StatusNotFound {
			t.Errorf("outsider sees the project: %d", r.Status)
		}
		if r := a1.Get("/projects/" + other.PublicID); r.Status != http.StatusNotFound {
			t.Errorf("member sees an unassigned project: %d", r.Status)
		}
		var list struct {
			Items []nipp.Project `json:"items"`
		}
		a1.Get("/api/v1/projects").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].PublicID != p.PublicID {
			t.Errorf("appraiser's list: %+v", list.Items)
		}
		var view struct {
			Appraisal nipp.ProjectAppraisal `json:"appraisal"`
		}
		f.central.Get("/api/v1/projects/"+p.PublicID).JSON(t, &view)
		c1, c2 := view.Appraisal.Round.Criteria[0].ID, view.Appraisal.Round.Criteria[1].ID
		score := func(c *webtest.Client, s1, s2 int) {
			t.Helper()
			r := c.PostForm("/projects/"+p.PublicID+"/scores", url.Values{fmt.Sprintf("score_%d", c1): {fmt.Sprint(s1)}, fmt.Sprintf("score_%d", c2): {fmt.Sprint(s2)}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("score: %d %s", r.Status, r.Body)
			}
		}
		score(a1, 10, 10) // 100
		score(a2, 2, 2)   // 20
		score(a3, 10, 10) // 100, then a conflict is declared: excluded
		if r := a3.PostForm("/projects/"+p.PublicID+"/conflict", url.Values{"reason": {"Người thân làm việc tại cơ sở"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("conflict: %d %s", r.Status, r.Body)
		}
		if r := outsider.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/scores", map[string]any{"scores": map[int64]int{c1: 10, c2: 10}}); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("outsider scored: %d", r.Status)
		}
		f.central.Get("/api/v1/projects/"+p.PublicID).JSON(t, &view)
		ag := view.Appraisal.Aggregate
		if ag.Score != 6000 || ag.Counted != 2 || ag.Excluded != 1 || ag.Passed {
			t.Fatalf("aggregate = %+v, want 60.00 from 2 members, 1 excluded, not passed", ag)
		}
		in := f.input(f.get(p.PublicID), "approve")
		in.OverrideReason = ""
		r = f.central.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/transitions/approve", in)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "60.00") {
			t.Fatalf("approve below the pass mark: %d %s", r.Status, r.Body)
		}
		in.OverrideReason = "Đề án trọng điểm của vùng"
		if r := f.central.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/transitions/approve", in); r.Status != http.StatusOK {
			t.Fatalf("approve with override: %d %s", r.Status, r.Body)
		}
		got := f.get(p.PublicID)
		if got.State != nipp.StateApproved || got.PassOverrideReason != "Đề án trọng điểm của vùng" {
			t.Errorf("state %s, override %q", got.State, got.PassOverrideReason)
		}
		var n int
		db.ReadTx(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action = 'transition' AND after_json LIKE $2`,
				p.PublicID, "%Đề án trọng điểm của vùng%").Scan(&n)
		})
		if n != 1 {
			t.Errorf("override audited %d times", n)
		}
	})
}

// upload posts a multipart file as c.
func uploadAttachment(t *testing.T, env *webtest.Env, c *webtest.Client, id, name string, content []byte) *webtest.Response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("kind", "proposal")
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", env.HTTP.URL+"/projects/"+id+"/attachments", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

func TestAttachments(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.create(proposal(200_000_000, 300_000_000))
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
		for _, c := range []struct {
			name    string
			content []byte
		}{{"de-xuat.pdf", png}, {"virus.exe", pdf}, {"anh.png", pdf}} {
			if r := uploadAttachment(t, f.env, f.prov, p.PublicID, c.name, c.content); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", c.name, r.Status)
			}
		}
		if r := uploadAttachment(t, f.env, f.prov2, p.PublicID, "x.pdf", pdf); r.Status != http.StatusNotFound {
			t.Errorf("other province uploads: %d", r.Status)
		}
		if r := uploadAttachment(t, f.env, f.prov, p.PublicID, "Tờ trình đề xuất.pdf", pdf); r.Status != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		var view struct {
			Attachments []nipp.Attachment `json:"attachments"`
		}
		f.prov.Get("/api/v1/projects/"+p.PublicID).JSON(t, &view)
		if len(view.Attachments) != 1 {
			t.Fatalf("attachments = %+v", view.Attachments)
		}
		path := fmt.Sprintf("/projects/%s/attachments/%d", p.PublicID, view.Attachments[0].ID)
		for _, c := range []struct {
			who  string
			c    *webtest.Client
			want int
		}{
			{"own province", f.prov, http.StatusOK},
			{"auditor", f.auditor, http.StatusOK},
			{"central", f.central, http.StatusOK},
			{"other province", f.prov2, http.StatusNotFound},
			{"appraiser not assigned", f.appraiser, http.StatusNotFound},
			{"public", f.env.Anonymous(), http.StatusSeeOther},
		} {
			r := c.c.Get(path)
			if r.Status != c.want {
				t.Errorf("%s: status %d, want %d", c.who, r.Status, c.want)
				continue
			}
			if r.Status == http.StatusOK {
				if r.Body != string(pdf) || r.Header.Get("X-Content-Type-Options") != "nosniff" ||
					!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") || r.Header.Get("Content-Type") != "application/pdf" {
					t.Errorf("%s: headers %v", c.who, r.Header)
				}
			}
		}
	})
}

func TestProjectListAndPlan(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.inState(nipp.StateApproved)
		b := f.create(proposal(100_000_000, 300_000_000))
		// Other provinces do not see the draft, but see the approved (published) project.
		var list struct {
			Items []nipp.Project `json:"items"`
			Next  string         `json:"next"`
		}
		f.prov2.Get("/api/v1/projects").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].PublicID != a.PublicID {
			t.Errorf("other province sees %d projects", len(list.Items))
		}
		if r := f.prov2.Get("/projects/" + b.PublicID); r.Status != http.StatusNotFound {
			t.Errorf("other province opens the draft: %d", r.Status)
		}
		// Keyset pages and filters.
		f.prov.Get("/api/v1/projects?limit=1").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].PublicID != b.PublicID || list.Next == "" {
			t.Fatalf("page 1: %+v next %q", list.Items, list.Next)
		}
		f.prov.Get("/api/v1/projects?limit=1&after="+list.Next).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].PublicID != a.PublicID {
			t.Errorf("page 2: %+v", list.Items)
		}
		f.prov.Get("/api/v1/projects?state=approved&q=may+cat+laser").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].PublicID != a.PublicID {
			t.Errorf("filtered: %+v", list.Items)
		}
		if r := f.prov.Get("/projects?year=2026"); r.Status != http.StatusOK || !strings.Contains(r.Body, b.Code) {
			t.Errorf("list page: %d", r.Status)
		}
		if r := f.prov.Get("/projects/export.xlsx?state=approved"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("export: %d", r.Status)
		}
		// The plan: 200M approved against a 150M ceiling is flagged.
		if r := f.prov.PostForm("/plans/2026", url.Values{"ceiling": {"150000000"}}); r.Status != http.StatusForbidden {
			t.Errorf("provincial sets the ceiling: %d", r.Status)
		}
		if r := f.central.PostForm("/plans/2026", url.Values{"ceiling": {"150.000.000"}, "version": {"0"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("ceiling: %d %s", r.Status, r.Body)
		}
		var pl nipp.AnnualPlan
		f.central.Get("/api/v1/plans/2026").JSON(t, &pl)
		if pl.Ceiling != 150_000_000 || pl.Approved != 200_000_000 || !pl.OverCeiling || len(pl.ByProvince) != 1 || len(pl.ByActivity) != 1 {
			t.Errorf("plan = %+v", pl)
		}
		if r := f.central.Get("/plans/2026"); r.Status != http.StatusOK || !strings.Contains(r.Body, "over-ceiling") {
			t.Errorf("plan page: %d", r.Status)
		}
		// The plan in Excel: the same figures, by province and by activity, with totals.
		x := f.central.Get("/plans/2026/export.xlsx")
		if x.Status != http.StatusOK || !strings.HasPrefix(x.Body, "PK") {
			t.Fatalf("plan export: %d", x.Status)
		}
		rd, err := tabular.Open(strings.NewReader(x.Body), int64(len(x.Body)), tabular.XLSX)
		if err != nil {
			t.Fatal(err)
		}
		var totals, ceiling []string
		for {
			_, cells, err := rd.Next()
			if err != nil {
				break
			}
			if tabular.Cell(cells, 2) == "Tổng cộng" {
				totals = append(totals, tabular.Cell(cells, 5))
			}
			if tabular.Cell(cells, 0) == "Trần ngân sách quốc gia" {
				ceiling = cells
			}
		}
		if len(totals) != 2 || totals[0] != "200000000" || totals[1] != "200000000" || tabular.Cell(ceiling, 4) != "150000000" {
			t.Errorf("plan export totals %v, ceiling %v; want approved 200000000 in both sections and the 150000000 ceiling", totals, ceiling)
		}
	})
}

func nationalCap(caps []nipp.PinnedCap) nipp.PinnedCap {
	for _, c := range caps {
		if c.FundingSource == nipp.SourceNational {
			return c
		}
	}
	return nipp.PinnedCap{}
}

// Officers proposing at the same moment each get a project with its own code.
func TestConcurrentProposalsGetDistinctCodes(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const n = 6
		type result struct {
			status int
			code   string
			body   string
		}
		results := make(chan result, n)
		for range n {
			go func() {
				r := f.prov.SendJSON("POST", "/api/v1/projects", proposal(100_000_000, 200_000_000))
				var p nipp.Project
				json.Unmarshal([]byte(r.Body), &p)
				results <- result{r.Status, p.Code, r.Body}
			}()
		}
		seen := map[string]bool{}
		for range n {
			res := <-results
			if res.status != http.StatusCreated {
				t.Fatalf("concurrent proposal: %d %s", res.status, res.body)
			}
			if seen[res.code] {
				t.Fatalf("code %s given twice", res.code)
			}
			seen[res.code] = true
		}
	})
}
