package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// refusedBeside checks a refused page (the answer to a form): status 422,
// every problem listed at the top is also shown beside its field, inside
// the form that was sent, and there are want problems (all at once). It
// returns the messages beside the fields by the field's error id.
func refusedBeside(t *testing.T, what string, p *webtest.Page, action string, want int) map[string]string {
	t.Helper()
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("%s: status %d, want 422: %s", what, p.Status, p.Text())
	}
	probs := p.Problems()
	if len(probs) != want {
		t.Errorf("%s: %d problems shown, want %d: %+v", what, len(probs), want, probs)
	}
	out := map[string]string{}
	for _, pr := range probs {
		if !pr.Field || pr.Beside == "" {
			t.Errorf("%s: %q is not shown beside a field", what, pr.Message)
			continue
		}
		if pr.Form != action {
			t.Errorf("%s: %q is shown in the form %q, not beside its field in %s", what, pr.Message, pr.Form, action)
		}
		out[pr.Message] = pr.Beside
	}
	return out
}

func lineOf(p *nipp.Project, source string) nipp.BudgetLine {
	for _, l := range p.Budget {
		if l.Source == source {
			return l
		}
	}
	return nipp.BudgetLine{}
}

// Issue 15: transition forms showed their problems at the top of the page,
// one per submit, and lost what was typed. Each problem now shows beside
// its field, all at once, with what was typed kept, and the form as the
// page then renders it goes through once corrected.
func TestTransitionFormsKeepWhatWasTyped(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.inState(nipp.StateUnderAppraisal)
		nat := lineOf(p, nipp.SourceNational)
		action := "/projects/" + p.PublicID + "/transitions/approve"
		approvedField := fmt.Sprintf("approved_%d", nat.ID)

		// Approve: a decision number typed, a date in the future, an amount
		// that is no number, no override reason (nothing scored): three
		// problems, each beside its field, the typed values kept.
		page := f.central.Open("/projects/"+p.PublicID).Form(action).
			Set("decision_no", "77/QĐ-BCT").Set("decision_date", "2027-01-05").Set(approvedField, "1.000.000x").Submit()
		beside := refusedBeside(t, "approve", page, action, 3)
		if len(beside) == 3 && !strings.Contains(strings.Join(mapValues(beside), " | "), "“1.000.000x”") {
			t.Errorf("the refused amount is not echoed as typed (with its separators): %v", beside)
		}
		again := page.Form(action)
		for field, typed := range map[string]string{"decision_no": "77/QĐ-BCT", "decision_date": "2027-01-05", approvedField: "1.000.000x"} {
			if got := again.Get(field); got != typed {
				t.Errorf("approve: %s shows %q after the refusal, want %q as typed", field, got, typed)
			}
		}
		for _, id := range []string{"err-decision_date", fmt.Sprintf("err-approved-%d", nat.ID), "err-override_reason"} {
			if _, ok := page.ElementText(id); !ok {
				t.Errorf("approve: no message beside the field (%s)", id)
			}
		}
		if _, ok := page.ElementText("err-decision_no"); ok {
			t.Error("approve: a problem shown beside the decision number, which was right")
		}
		// The other forms of the page keep their defaults and show nothing.
		if reject := page.Form("/projects/" + p.PublicID + "/transitions/reject"); reject.Get("comment") != "" {
			t.Errorf("the reject form took the approve form's values: %q", reject.Get("comment"))
		}
		if f.get(p.PublicID).State != nipp.StateUnderAppraisal {
			t.Fatal("a refused approval changed the state")
		}
		// The same page, reloaded (its address is kept), shows the same.
		if reload := f.central.Open(page.Address()); reload.Status != http.StatusUnprocessableEntity || reload.Form(action).Get("decision_no") != "77/QĐ-BCT" {
			t.Errorf("reloading the refused page: %d at %s", reload.Status, reload.Path())
		}
		// Refused again from the refused page: its address does not nest
		// refused pages in one another.
		twice := page.Form(action).Set("decision_date", "2027-01-06").Submit()
		if addr := twice.Address(); twice.Status != http.StatusUnprocessableEntity || strings.Count(addr, "refused") != 1 ||
			!strings.Contains(addr, "back=%2Fprojects%2F"+p.PublicID) {
			t.Errorf("refused twice: %d, address %s", twice.Status, addr)
		}
		// Corrected in the form as rendered, it goes through.
		done := again.Set("decision_date", "2026-10-30").Set(approvedField, "200.000.000").Set("override_reason", "Hội đồng chưa họp (kiểm thử)").Submit()
		okPage(t, "approve corrected", done)
		if got := f.get(p.PublicID); got.State != nipp.StateApproved || got.DecisionNo != "77/QĐ-BCT" {
			t.Fatalf("after the corrected approval: %s %q", got.State, got.DecisionNo)
		}

		// Settle: the amounts come from the ledger. Nothing was disbursed
		// (the national source reconciles at zero) and no reciprocal capital
		// was contributed: without an explanation the settlement is refused,
		// the shortfall shown beside the settle form.
		for _, a := range []string{"start", "accept"} {
			if r := f.transition(f.admin, p.PublicID, a); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a, r.Status, r.Body)
			}
		}
		action = "/projects/" + p.PublicID + "/transitions/settle"
		page = f.prov.Open("/projects/"+p.PublicID).Form(action).Set("comment", "").NoValidate().Submit()
		refusedBeside(t, "settle", page, action, 1)
		if msg, _ := page.ElementText("err-ledger-reciprocal"); !strings.Contains(msg, "300.000.000 ₫") {
			t.Errorf("settle: beside the reciprocal source: %q", msg)
		}
	})
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Issue 15: a project could be submitted with no beneficiary and no planned
// outputs. What it needs depends on its activity type (reference data): a
// machinery project needs a beneficiary establishment and planned outputs;
// vocational training has no single beneficiary but needs planned outputs.
// Submitting without them is refused with each problem beside the section
// it is about, all at once.
func TestSubmitNeedsWhatTheActivityRequires(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		in := proposal(200_000_000, 300_000_000)
		in.Outputs = nil
		p := f.create(in)
		action := "/projects/" + p.PublicID + "/transitions/submit"
		page := f.prov.Open("/projects/" + p.PublicID)
		// Before submitting, the page says what is missing.
		if !page.Contains("Trước khi gửi đề xuất, đề án còn thiếu") || !page.Contains("Chưa có cơ sở thụ hưởng") || !page.Contains("Chưa có kết quả dự kiến") {
			t.Errorf("the page does not say what the project lacks: %s", page.Text())
		}
		refused := page.Form(action).Submit()
		if refused.Status != http.StatusUnprocessableEntity {
			t.Fatalf("submitted without beneficiary or outputs: %d", refused.Status)
		}
		if f.get(p.PublicID).State != nipp.StateDraft {
			t.Fatal("a refused submission changed the state")
		}
		probs := refused.Problems()
		if len(probs) != 2 {
			t.Fatalf("%d problems, want 2 (beneficiary, outputs): %+v", len(probs), probs)
		}
		for id, want := range map[string]string{"err-beneficiaries": "cơ sở thụ hưởng", "err-outputs": "kết quả dự kiến"} {
			if msg, ok := refused.ElementText(id); !ok || !strings.Contains(msg, want) || !strings.Contains(msg, "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến") {
				t.Errorf("%s: %q (shown: %v), want the missing %s named with the activity type", id, msg, ok, want)
			}
		}
		// In English, named in English.
		if en := refused.Follow("English"); !en.Contains("No beneficiary: a “Application of advanced machinery and equipment” project needs at least one beneficiary establishment") {
			t.Errorf("English: %s", en.Text())
		}
		// With a beneficiary, only the outputs are missing.
		added := f.prov.Open("/projects/"+p.PublicID+"?lang=vi").Form("/projects/"+p.PublicID+"/beneficiaries").Set("establishment", "cs-test00000").Submit()
		okPage(t, "add a beneficiary", added)
		refused = added.Form(action).Submit()
		if probs := refused.Problems(); refused.Status != http.StatusUnprocessableEntity || len(probs) != 1 || !strings.Contains(probs[0].Beside, "kết quả dự kiến") {
			t.Fatalf("with a beneficiary, without outputs: %d %+v", refused.Status, probs)
		}
		// Planned outputs through the edit form: it goes through.
		edit := refused.FollowTo("/projects/"+p.PublicID+"/edit").Form("/projects/"+p.PublicID).
			SelectNth("output_indicator", 0, "MACHINES").SetNth("output_planned", 0, "2")
		okPage(t, "edit outputs", edit.Click("Lưu"))
		okPage(t, "submit", f.prov.Open("/projects/"+p.PublicID).Form(action).Submit())
		if f.get(p.PublicID).State != nipp.StateSubmitted {
			t.Fatal("not submitted with a beneficiary and outputs")
		}

		// Vocational training: no beneficiary needed, outputs needed.
		in = proposal(0, 50_000_000)
		in.ActivityTypeCode, in.Outputs = "VOC_TRAINING", nil
		in.Budget = []nipp.BudgetLine{{Source: nipp.SourceReciprocal, Planned: 50_000_000}}
		tr := f.create(in)
		action = "/projects/" + tr.PublicID + "/transitions/submit"
		refused = f.prov.Open("/projects/" + tr.PublicID).Form(action).Submit()
		if probs := refused.Problems(); refused.Status != http.StatusUnprocessableEntity || len(probs) != 1 || !strings.Contains(probs[0].Beside, "kết quả dự kiến") {
			t.Fatalf("training without outputs: %d %+v", refused.Status, probs)
		}
		edit = f.prov.Open("/projects/"+tr.PublicID+"/edit").Form("/projects/"+tr.PublicID).
			SelectNth("output_indicator", 0, "WORKERS_TRAINED").SetNth("output_planned", 0, "40")
		okPage(t, "edit training outputs", edit.Click("Lưu"))
		okPage(t, "submit training", f.prov.Open("/projects/"+tr.PublicID).Form(action).Submit())
		if f.get(tr.PublicID).State != nipp.StateSubmitted {
			t.Fatal("training with outputs and no beneficiary was not submitted")
		}
	})
}

// Issue 15: the plan ceiling showed its problem at the top and dropped the
// note typed.
func TestPlanCeilingFormKeepsWhatWasTyped(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		action := "/plans/2026"
		page := f.central.Open("/plans/2026").Form(action).Set("ceiling", "12.000.000.000 x").Set("note", "Theo công văn 12/BCT").Submit()
		beside := refusedBeside(t, "ceiling", page, action, 1)
		if msg, _ := page.ElementText("err-ceiling"); !strings.Contains(msg, "12.000.000.000 x") {
			t.Errorf("beside the ceiling: %q (all: %v)", msg, beside)
		}
		form := page.Form(action)
		if form.Get("ceiling") != "12.000.000.000 x" || form.Get("note") != "Theo công văn 12/BCT" {
			t.Errorf("after the refusal: ceiling %q, note %q", form.Get("ceiling"), form.Get("note"))
		}
		done := form.Set("ceiling", "12.000.000.000").Submit()
		okPage(t, "ceiling corrected", done)
		if !done.Contains("12.000.000.000 ₫") {
			t.Errorf("the plan does not show the ceiling: %s", done.Text())
		}
	})
}

// Issue 15: the "other provinces" select offered a provincial officer only
// their own province (the lead one: a useless control), dropped the
// provinces the ministry had put on the project when the officer saved,
// and the project page showed "Hà Nội, 79".
func TestOtherProvincesOnTheForm(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// A new project: the officer of one province has nothing to choose.
		form := f.prov.Open("/projects/new")
		if form.Form("/projects").Has("other_provinces") {
			t.Error("a one-province officer is offered other provinces")
		}
		if !form.Contains("Bộ Công Thương thêm các tỉnh khác") {
			t.Errorf("the form does not say who adds other provinces: %s", form.Text())
		}
		if got := form.Form("/projects").Get("year"); got != "2026" {
			t.Errorf("a new project's year is %q, want this year", got)
		}
		p := f.create(proposal(200_000_000, 300_000_000))
		// The ministry adds Hồ Chí Minh (79) through its form (every province).
		edit := f.central.Open("/projects/" + p.PublicID + "/edit").Form("/projects/" + p.PublicID)
		okPage(t, "ministry adds a province", edit.Select("other_provinces", "79").Click("Lưu"))
		page := f.prov.Open("/projects/" + p.PublicID)
		if !page.Contains("Tỉnh tham gia khác Hồ Chí Minh") || strings.Contains(page.Text(), "Hà Nội, 79") {
			t.Errorf("the project page names the provinces: %s", page.Text())
		}
		// The officer's form offers it, selected, and saving keeps it.
		edit = f.prov.Open("/projects/" + p.PublicID + "/edit").Form("/projects/" + p.PublicID)
		if got := edit.Get("other_provinces"); got != "79" {
			t.Errorf("the officer's form: other provinces %q, want 79 kept", got)
		}
		okPage(t, "officer saves", edit.Set("title", "Máy cắt laser (sửa)").Click("Lưu"))
		if got := f.get(p.PublicID).Provinces; len(got) != 2 || got[1] != "79" {
			t.Errorf("after the officer saved: provinces %v, want [01 79]", got)
		}
	})
}

// Issue 15 (trial): the project form dropped a mistyped amount (the field
// came back empty) and named only it; the other amount's cap came after
// correcting it.
func TestProjectFormKeepsAMistypedAmount(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.create(proposal(100_000_000, 300_000_000))
		action := "/projects/" + p.PublicID
		page := f.prov.Open("/projects/"+p.PublicID+"/edit").Form(action).
			Set("budget_national", "250.000.000").Set("budget_reciprocal", "3OO.000.000").Click("Lưu")
		beside := refusedBeside(t, "edit", page, action, 2)
		if got := page.Form(action).Get("budget_reciprocal"); got != "3OO.000.000" {
			t.Errorf("the mistyped amount shows %q after the refusal, want it as typed", got)
		}
		for id, want := range map[string]string{"err-budget-reciprocal": "3OO.000.000", "err-budget-national": "250.000.000 ₫"} {
			if msg, _ := page.ElementText(id); !strings.Contains(msg, want) {
				t.Errorf("%s: %q, want %q named (all: %v)", id, msg, want, beside)
			}
		}
	})
}
