package web

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// parseAmount reads an amount of VND as officers type it and as forms show
// it (grouped in the page's language): 1.000.000, 1,000,000, 1 000 000,
// 1000000, 1.000.000 ₫ or VND 1,000,000. Empty is 0.
func parseAmount(field, typed string) (int64, error) {
	s := strings.NewReplacer(".", "", ",", "", " ", "", "\u00a0", "", "\u202f", "", "₫", "", "đ", "", "VND", "").Replace(strings.TrimSpace(typed))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, nipp.FieldError(field, "err.web.invalid_amount", strings.TrimSpace(typed)) // as typed, separators and all
	}
	return n, nil
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// projectFilterFrom reads a list's filters from the query string.
func projectFilterFrom(q url.Values) nipp.ProjectFilter {
	f := nipp.ProjectFilter{
		ProgramCode: q.Get("program"),
		Year:        atoiDefault(q.Get("year"), 0),

		ProvinceCode: q.Get("province"),
		Home:         q.Get("home"),
		Then:         q.Get("then"),
		ActivityType: q.Get("activity_type"),
		State:        q.Get("state"),
		Query:        q.Get("q"),
		Own:          q.Get("own") == "1",
		Can:          q.Get("can"),
		Limit:        atoiDefault(q.Get("limit"), 50),
	}
	if a, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil {
		f.After = a
	}
	// A period of plan years, "2023-2025" (a dashboard's figure).
	if from, to, ok := strings.Cut(q.Get("years"), "-"); ok {
		f.YearFrom, f.YearTo = atoiDefault(from, 0), atoiDefault(to, 0)
	}
	return f
}

type projectListView struct {
	Page
	Filter   nipp.ProjectFilter
	Items    []*nipp.Project
	Next     string // URL of the next page
	Export   string // URL of the filtered list's export
	Opts     *nipp.ProjectFormOptions
	States   []nipp.ProjectState
	CanWrite bool
	Total    int64 // projects matching the filters, every page
	// TotalMore: more than Total match (a title search's count stops at
	// app.SearchCountCap).
	TotalMore bool
}

func (v *projectListView) StateName(s nipp.ProjectState) string { return nipp.StateName(s, v.L.Lang) }

// ThenCode is the province code of the filter's province at the time.
func (v *projectListView) ThenCode() string {
	_, code, _ := strings.Cut(v.Filter.Then, "/")
	return code
}

// HomeName names the filter's province of today (its code when unknown).
func (v *projectListView) HomeName() string {
	for _, o := range v.Opts.Provinces {
		if o.Code == v.Filter.Home {
			return v.L.Pick(o.Name, o.NameEN)
		}
	}
	return v.Filter.Home
}

// StateGroups are the state groups the filter offers (nipp.StateGroup).
func (v *projectListView) StateGroups() []string { return nipp.StateGroups() }

// StateSupport is the state support (national + local) of a budget. A
// budget whose amounts are out of range (only rows written before amounts
// were bounded) shows as math.MaxInt64, never as a wrapped-around sum.
func StateSupport(lines []nipp.BudgetLine) int64 {
	_, by, err := nipp.BudgetTotals(lines, nipp.AmountPlanned)
	if err != nil {
		return math.MaxInt64
	}
	s, _ := nipp.AddVND(by[nipp.SourceNational], by[nipp.SourceLocal]) // each part is at most nipp.MaxAmount
	return s
}

// TotalCost is a budget's total (math.MaxInt64 when out of range, as
// StateSupport).
func TotalCost(lines []nipp.BudgetLine) int64 {
	t, _, err := nipp.BudgetTotals(lines, nipp.AmountPlanned)
	if err != nil {
		return math.MaxInt64
	}
	return t
}

func (s *Server) projectList(w http.ResponseWriter, r *http.Request) {
	f := projectFilterFrom(r.URL.Query())
	items, next, err := s.app.Projects(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	opts, err := s.app.ProjectFilterOptions(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	total, err := s.app.CountProjects(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &projectListView{Page: s.page(r, "project.list"), Filter: f, Items: items, Opts: opts, States: nipp.ProjectStates(),
		CanWrite: nipp.PrincipalFrom(r.Context()).Can(nipp.PermProjectWrite), Total: total}
	if total > app.SearchCountCap {
		v.Total, v.TotalMore = app.SearchCountCap, true
	}
	q := r.URL.Query()
	q.Del("after")
	// Whole URLs: html/template escapes '=' and '&' in text placed after
	// a '?' in an attribute, which would drop the filters.
	v.Export = "/projects/export.xlsx?" + q.Encode()
	if next > 0 {
		q.Set("after", strconv.FormatInt(next, 10))
		v.Next = "/projects?" + q.Encode()
	}
	s.render(w, r, http.StatusOK, "projects_list", v)
}

// projectExport streams the filtered list as .xlsx.
func (s *Server) projectExport(w http.ResponseWriter, r *http.Request) {
	f := projectFilterFrom(r.URL.Query())
	f.After = 0
	l := L{lang(r)}
	// Check access before the headers go out.
	if _, _, err := s.app.Projects(r.Context(), nipp.ProjectFilter{Limit: 1}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="projects.xlsx"`)
	xw, err := tabular.NewXLSXWriter(w, l.T("project.list"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	header := []any{l.T("project.code"), l.T("project.title"), l.T("project.program"), l.T("project.year"), l.T("project.province"),
		l.T("project.activity_type"), l.T("project.org"), l.T("project.area"), l.T("project.state"), l.T("project.total_cost"),
		l.T("project.state_support"), l.T("project.decision_no"), l.T("project.decision_date"), l.T("project.priority_groups"), l.T("project.member_groups")}
	if err := xw.Write(header); err != nil {
		s.log.Error("export", "err", err)
		return
	}
	err = s.app.ExportProjects(r.Context(), f, func(p *nipp.Project) error {
		var date any
		if !p.DecisionDate.IsZero() {
			date = p.DecisionDate.Time()
		}
		return xw.Write([]any{p.Code, p.Title, p.ProgramCode, p.Year, p.ProvinceName, p.ActivityName, p.ImplementingName,
			p.AreaCategory, nipp.StateName(p.State, l.Lang), TotalCost(p.Budget), StateSupport(p.Budget), p.DecisionNo, date,
			groupCell(l, p.Groups, true), groupCell(l, p.Groups, false)})
	})
	if err != nil {
		s.log.Error("export failed", "request_id", requestID(r.Context()), "err", err)
		return
	}
	if err := xw.Close(); err != nil {
		s.log.Error("export close", "err", err)
	}
}

// groupCell is an export column of priority groups: each group with how
// many of the project's beneficiaries are in it (prioritised: only under
// the project's rule set), e.g. "Do phụ nữ làm chủ: 2; Nghệ nhân: 1".
func groupCell(l L, counts []nipp.GroupCount, prioritised bool) string {
	var parts []string
	for _, c := range counts {
		n := c.Members
		if prioritised {
			n = c.Prioritised
		}
		if n > 0 {
			parts = append(parts, l.T("vocab."+c.Group)+": "+strconv.Itoa(n))
		}
	}
	return strings.Join(parts, "; ")
}

// projectFormView is the proposal form.
type projectFormView struct {
	Page
	Project  *nipp.Project // nil for a new project
	In       nipp.ProjectInput
	Amounts  map[string]int64
	Descs    map[string]string
	Outputs  []nipp.ProjectOutput // rows, padded with empty ones
	Opts     *nipp.ProjectFormOptions
	Sources  []string
	Preview  *app.SupportPreview
	Action   string
	OtherSel map[string]bool
	// OtherChoices are the provinces the user may add beside the lead one:
	// every province for the ministry; for a provincial officer those of
	// their scope and those already on the project (the ministry's
	// additions, kept). Empty: the form says who adds other provinces.
	OtherChoices []nipp.Option
	// ActivityGroups are the activity types by group (a project names a
	// kind; groups are headings of the select).
	ActivityGroups []activityGroup
}

type activityGroup struct {
	Name  string
	Kinds []nipp.Option
}

// groupActivities puts activity types under their groups (in the order
// listed: each group before its kinds).
func groupActivities(l L, types []nipp.Option) []activityGroup {
	var out []activityGroup
	for _, a := range types {
		if a.Group == "" {
			out = append(out, activityGroup{Name: l.Pick(a.Name, a.NameEN)})
		} else if n := len(out); n > 0 {
			out[n-1].Kinds = append(out[n-1].Kinds, a)
		}
	}
	return out
}

// ActivityGroups are the list filter's activity types under their groups.
func (v *projectListView) ActivityGroups() []activityGroup {
	return groupActivities(v.L, v.Opts.ActivityTypes)
}

func (v *projectFormView) SourceName(src string) string { return v.L.T("source." + src) }

// AmountValue is a budget line's amount as the form shows it: as typed
// when the form was refused (a mistyped amount stays to be corrected),
// else grouped in the page's language.
func (v *projectFormView) AmountValue(src string) string {
	if sent := v.SentTo(v.Action); sent.On {
		return sent.Or("budget_"+src, "")
	}
	if a := v.Amounts[src]; a != 0 {
		return v.L.Num(a)
	}
	return ""
}

// renderProjectForm shows the proposal form; formErr, when set, is why the
// submitted form was refused (every problem beside its field).
func (s *Server) renderProjectForm(w http.ResponseWriter, r *http.Request, status int, proj *nipp.Project, in nipp.ProjectInput, formErr error) {
	opts, err := s.app.ProjectFormOptions(r.Context(), in.ProvinceCode)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &projectFormView{Page: s.page(r, "project.new"), Project: proj, In: in, Opts: opts, Sources: nipp.FundingSources(),
		Amounts: map[string]int64{}, Descs: map[string]string{}, Action: "/projects", OtherSel: map[string]bool{}}
	if proj != nil {
		v.PageTitle = v.L.T("project.edit") + " " + proj.Code
		v.Action = "/projects/" + proj.PublicID
	}
	for _, l := range in.Budget {
		v.Amounts[l.Source] += l.Planned
		v.Descs[l.Source] = l.Description
	}
	for _, c := range in.OtherProvinces {
		v.OtherSel[c] = true
	}
	kept := map[string]bool{}
	if proj != nil {
		for _, c := range proj.Provinces[1:] {
			kept[c] = true
		}
	}
	all, err := s.app.Provinces(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scope := nipp.PrincipalFrom(r.Context())
	for _, pr := range all {
		if pr.Code != in.ProvinceCode && (scope.AllProvinces() || scope.InProvince(pr.Code) || kept[pr.Code]) {
			v.OtherChoices = append(v.OtherChoices, nipp.Option{Code: pr.Code, Name: pr.Name})
		}
	}
	v.ActivityGroups = groupActivities(v.L, opts.ActivityTypes)
	v.Outputs = append(v.Outputs, in.Outputs...)
	for len(v.Outputs) < len(in.Outputs)+3 {
		v.Outputs = append(v.Outputs, nipp.ProjectOutput{})
	}
	pid := ""
	if proj != nil {
		pid = proj.PublicID
	}
	if in.ActivityTypeCode != "" {
		// A budget the rules refuse has no preview; the form shows why on
		// saving. Anything else is logged and the form shown without it.
		var err error
		if v.Preview, err = s.app.PreviewSupport(r.Context(), pid, in.ActivityTypeCode, in.AreaCategory, in.Budget); nipp.ErrorCode(err) == nipp.EINTERNAL {
			s.log.Error("support preview", "err", err, "request_id", requestID(r.Context()))
		}
	}
	// Every problem at once: an amount that is no number stops the save
	// before the caps are checked, so the preview's refusal of the other
	// amounts joins it.
	if formErr != nil && v.Preview != nil && v.Preview.Refusal != nil {
		shown := map[string]bool{}
		for _, p := range nipp.ErrorProblems(formErr) {
			shown[p.Field] = true
		}
		more := []error{formErr}
		for _, p := range nipp.ErrorProblems(v.Preview.Refusal) {
			if !shown[p.Field] {
				more = append(more, nipp.FieldError(p.Field, p.Msg.Key, p.Msg.Args...))
			}
		}
		formErr = nipp.JoinErrors(more...)
	}
	v.Refuse(formErr)
	s.render(w, r, status, "projects_form", v)
}

// projectInputFrom reads the proposal form.
func projectInputFrom(r *http.Request) (nipp.ProjectInput, error) {
	r.ParseForm()
	f := r.PostForm
	in := nipp.ProjectInput{
		ProgramCode: f.Get("program"), Year: atoiDefault(f.Get("year"), 0), Title: f.Get("title"), Description: f.Get("description"),
		ActivityTypeCode: f.Get("activity_type"), ImplementingOrg: f.Get("implementing_org"), ProvinceCode: f.Get("province"),
		OtherProvinces: f["other_provinces"], AreaCategory: f.Get("area_category"), Version: atoiDefault(f.Get("version"), 0),
	}
	var errs []*nipp.Error
	for _, src := range nipp.FundingSources() {
		// Each source is one field; a repeated field is a second line of
		// the same source, which Validate refuses.
		vals := f["budget_"+src]
		if len(vals) == 0 {
			vals = []string{""}
		}
		for _, v := range vals {
			a, err := parseAmount("budget."+src, v)
			if ne := (*nipp.Error)(nil); errors.As(err, &ne) {
				errs = append(errs, ne)
			}
			in.Budget = append(in.Budget, nipp.BudgetLine{Source: src, Planned: a, Description: strings.TrimSpace(f.Get("budget_" + src + "_desc"))})
		}
	}
	codes, planned := f["output_indicator"], f["output_planned"]
	for i, c := range codes {
		if c == "" || i >= len(planned) {
			continue
		}
		n, err := parseAmount("outputs", planned[i])
		if ne := (*nipp.Error)(nil); errors.As(err, &ne) {
			errs = append(errs, ne)
		}
		in.Outputs = append(in.Outputs, nipp.ProjectOutput{IndicatorCode: c, Planned: n})
	}
	if len(errs) > 0 {
		// Every problem at once: the numbers that do not parse and the
		// form's own rules.
		check := in
		if err := check.Validate(); err != nil {
			var ne *nipp.Error
			if errors.As(err, &ne) {
				errs = append(errs, ne)
			}
		}
		return in, nipp.Join(errs...)
	}
	return in, nil
}

func inputOf(p *nipp.Project) nipp.ProjectInput {
	return nipp.ProjectInput{ProgramCode: p.ProgramCode, Year: p.Year, Title: p.Title, Description: p.Description,
		ActivityTypeCode: p.ActivityTypeCode, ImplementingOrg: p.ImplementingOrg, ProvinceCode: p.ProvinceCode,
		OtherProvinces: p.Provinces[1:], AreaCategory: p.AreaCategory, Budget: p.Budget, Outputs: p.Outputs, Version: p.Version}
}

func (s *Server) projectNew(w http.ResponseWriter, r *http.Request) {
	// A new project starts in this year (Vietnam's), the user's province.
	in := nipp.ProjectInput{AreaCategory: nipp.AreaOrdinary, Year: s.app.PlanYear()}
	if p := nipp.PrincipalFrom(r.Context()); len(p.Provinces) > 0 {
		in.ProvinceCode = p.Provinces[0]
	}
	s.renderProjectForm(w, r, http.StatusOK, nil, in, nil)
}

func (s *Server) projectCreate(w http.ResponseWriter, r *http.Request) {
	in, err := projectInputFrom(r)
	if err == nil && r.PostForm.Get("op") == "recompute" {
		s.renderProjectForm(w, r, http.StatusOK, nil, in, nil)
		return
	}
	var p *nipp.Project
	if err == nil {
		p, err = s.app.CreateProject(r.Context(), in)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, _ string) { s.renderProjectForm(w, r, status, nil, in, err) })
		return
	}
	http.Redirect(w, r, "/projects/"+p.PublicID, http.StatusSeeOther)
}

// formFail re-renders a form refused for an input or conflict error, with
// err's problems on one line (forms that show each problem beside its
// field take err itself), and reports other errors as usual.
func (s *Server) formFail(w http.ResponseWriter, r *http.Request, err error, rerender func(status int, msg string)) {
	switch code := nipp.ErrorCode(err); code {
	case nipp.EINVALID, nipp.ECONFLICT:
		rerender(statusOf(code), msgOf(r, err))
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) projectEdit(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p := nipp.PrincipalFrom(r.Context()); !nipp.InScope(p, v.Provinces) {
		s.fail(w, r, nipp.Forbidden())
		return
	}
	s.renderProjectForm(w, r, http.StatusOK, v.Project, inputOf(v.Project), nil)
}

func (s *Server) projectUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	cur, err := s.app.Project(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := projectInputFrom(r)
	if err == nil && r.PostForm.Get("op") == "recompute" {
		s.renderProjectForm(w, r, http.StatusOK, cur.Project, in, nil)
		return
	}
	if err == nil {
		_, err = s.app.UpdateProject(r.Context(), id, in)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, _ string) { s.renderProjectForm(w, r, status, cur.Project, in, err) })
		return
	}
	http.Redirect(w, r, "/projects/"+id, http.StatusSeeOther)
}

// projectView is the project page.
type projectView struct {
	Page
	*app.ProjectView
	Prior     []nipp.PriorSupport // duplicate-support warning
	PriorEst  string
	PriorNote string
	Kinds     []string
	CanUpload bool
	// The beneficiary picker: the name searched, whether other provinces'
	// published records were asked for (Scoped: the user may ask), and the
	// matches.
	Find       string
	FindOthers bool
	Scoped     bool
	Candidates *app.EstablishmentPage
	// CanLedger: the user reads the project's co-financing ledger.
	CanLedger bool
}

// IsBeneficiary reports whether an establishment is already a beneficiary.
func (v *projectView) IsBeneficiary(publicID string) bool {
	for _, b := range v.Beneficiaries {
		if b.PublicID == publicID {
			return true
		}
	}
	return false
}

func (v *projectView) StateName(s nipp.ProjectState) string { return nipp.StateName(s, v.L.Lang) }
func (v *projectView) ActionName(a string) string           { return nipp.ActionName(a, v.L.Lang) }
func (v *projectView) SourceName(src string) string         { return v.L.T("source." + src) }
func (v *projectView) Points(n int64) string                { return fmt.Sprintf("%d,%02d", n/100, n%100) }

// Share formats basis points as a percentage in the page's language: 50%,
// 12,5% (vi), 12.5% (en).
func (v *projectView) Share(bp int) string {
	s := strconv.Itoa(bp / 100)
	if f := bp % 100; f != 0 {
		dec := strings.TrimRight(fmt.Sprintf("%02d", f), "0")
		if v.L.Lang == "en" {
			s += "." + dec
		} else {
			s += "," + dec
		}
	}
	return s + "%"
}

// CapLine is a pinned cap as one sentence: the source, its share and
// amount caps, the rule set and legal basis, what is allowed and asked.
func (v *projectView) CapLine(c nipp.PinnedCap) string {
	amount := ""
	if c.MaxAmount > 0 {
		amount = v.L.Tf("project.cap_amount", v.L.VND(c.MaxAmount))
	}
	return v.L.Tf("project.cap_line", v.SourceName(c.FundingSource), v.Share(c.MaxShareBP), amount, c.RuleSetCode,
		v.L.Pick(c.LegalBasis, c.LegalBasisEN), v.L.VND(c.Allowed), v.L.VND(c.Requested))
}

// Steps are the transitions the user may take, the step forward first,
// then a return for revision, then those that end the project (withdraw,
// reject, cancel).
func (v *projectView) Steps() []nipp.TransitionRule {
	rank := func(t nipp.TransitionRule) int {
		switch {
		case v.Destructive(t.Action):
			return 2
		case t.Action == nipp.ActReturn:
			return 1
		}
		return 0
	}
	out := slices.Clone(v.Allowed)
	slices.SortStableFunc(out, func(a, b nipp.TransitionRule) int { return rank(a) - rank(b) })
	return out
}
func (v *projectView) GroupName(g string) string { return v.L.T("vocab." + g) }

// Destructive reports whether an action ends the project (withdraw,
// reject, cancel): the page styles it apart (danger) and it needs a reason.
func (v *projectView) Destructive(a string) bool {
	return a == nipp.ActWithdraw || a == nipp.ActReject || a == nipp.ActCancel
}

// OutputsAccepted reports whether the outputs carry accepted figures
// (accepted or settled projects): they are then headed "actual".
func (v *projectView) OutputsAccepted() bool {
	return v.State == nipp.StateAccepted || v.State == nipp.StateSettled
}

// PriorityBeneficiaries are the beneficiaries in a group the project's
// rule set prioritises (what the appraisal council weighs).
func (v *projectView) PriorityBeneficiaries() []nipp.ProjectBeneficiary {
	var out []nipp.ProjectBeneficiary
	for _, b := range v.Beneficiaries {
		if len(b.PriorityGroups) > 0 {
			out = append(out, b)
		}
	}
	return out
}

// SubmitSent is the refused submit (or resubmit) form, if that is the form
// that was sent: its problems (budget, beneficiaries, outputs) show beside
// the sections they are about.
func (v *projectView) SubmitSent() Sent {
	for _, a := range []string{nipp.ActSubmit, nipp.ActResubmit} {
		if s := v.SentTo("/projects/" + v.PublicID + "/transitions/" + a); s.On {
			return s
		}
	}
	return Sent{}
}

// Missing lists, before the user submits, what the project still lacks to
// be submitted (budget, and what its activity type requires); nothing when
// the user may not submit it or a refused submit already shows them.
func (v *projectView) Missing() []string {
	may := false
	for _, t := range v.Allowed {
		may = may || t.Action == nipp.ActSubmit || t.Action == nipp.ActResubmit
	}
	if !may || v.SubmitSent().On {
		return nil
	}
	var out []string
	for _, p := range nipp.ErrorProblems(v.Project.CheckSubmission()) {
		out = append(out, v.L.Msg(p.Msg))
	}
	return out
}

// EventDetail is what the timeline adds to an event besides its comment:
// an approval's decision and, when it was approved below the pass mark,
// the reason (the project's own fields, shown in the page's language).
func (v *projectView) EventDetail(e nipp.ProjectEvent) string {
	if e.Action != nipp.ActApprove || v.DecisionNo == "" || strings.HasPrefix(e.Comment, "QĐ ") {
		return "" // events recorded before carry the decision in their comment
	}
	s := v.L.Tf("project.decision_of", v.DecisionNo, v.L.Date(v.DecisionDate))
	if v.PassOverrideReason != "" {
		s += "; " + v.L.T("project.override_short") + ": " + v.PassOverrideReason
	}
	return s
}

func (v *projectView) Deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func (s *Server) renderProject(w http.ResponseWriter, r *http.Request, status int, id string, fill func(*projectView)) {
	pv, err := s.app.Project(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &projectView{Page: s.page(r, "project.list"), ProjectView: pv, Kinds: nipp.AttachmentKinds()}
	v.PageTitle = pv.Code + " · " + pv.Title
	p := nipp.PrincipalFrom(r.Context())
	v.CanUpload = p.Can(nipp.PermProjectWrite) && nipp.InScope(p, pv.Provinces)
	v.Scoped = !p.AllProvinces() && len(p.Provinces) > 0
	v.CanLedger = p.Can(nipp.PermLedgerRead) && nipp.InScope(p, pv.Provinces)
	if q := r.URL.Query(); pv.CanEdit && r.Method == http.MethodGet && strings.TrimSpace(q.Get("find")) != "" {
		v.Find, v.FindOthers = q.Get("find"), q.Get("others") == "1"
		if v.Candidates, err = s.app.BeneficiaryCandidates(r.Context(), id, v.Find, v.FindOthers); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if fill != nil {
		fill(v)
	}
	s.render(w, r, status, "projects_show", v)
}

func (s *Server) projectShow(w http.ResponseWriter, r *http.Request) {
	s.renderProject(w, r, http.StatusOK, r.PathValue("id"), nil)
}

// failOnProject re-renders the project page refused for an input or
// conflict error: the form that was sent shows each problem beside its
// field and keeps what was typed (Page.SentTo).
func (s *Server) failOnProject(w http.ResponseWriter, r *http.Request, id string, err error) {
	s.formFail(w, r, err, func(status int, _ string) {
		s.renderProject(w, r, status, id, func(v *projectView) { v.Refuse(err) })
	})
}

// transitionInputFrom reads a transition form. What cannot be read (an
// amount that is no number, a date that is no date) goes to in.Unreadable
// under the field the form shows it beside, so the use case reports it with
// every other problem of the form.
func transitionInputFrom(r *http.Request) nipp.TransitionInput {
	r.ParseForm()
	f := r.PostForm
	in := nipp.TransitionInput{Version: atoiDefault(f.Get("version"), 0), Comment: f.Get("comment"), DecisionNo: f.Get("decision_no"),
		OverrideReason: f.Get("override_reason"), Approved: map[int64]int64{}, ActualOutputs: map[string]int64{}}
	var bad []error
	if d := f.Get("decision_date"); d != "" {
		date, err := formDate("decision_date", d)
		bad = append(bad, err)
		in.DecisionDate = date
	}
	for k, vs := range f {
		if len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		if code, ok := strings.CutPrefix(k, "actual_output_"); ok {
			n, err := parseAmount("actual_outputs."+code, vs[0])
			if err != nil {
				bad = append(bad, err)
				continue
			}
			in.ActualOutputs[code] = n
			continue
		}
		var dst map[int64]int64
		var key, field string
		switch {
		case strings.HasPrefix(k, "approved_"):
			dst, key, field = in.Approved, strings.TrimPrefix(k, "approved_"), "approved."
		default:
			continue
		}
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			continue
		}
		n, err := parseAmount(field+key, vs[0])
		if err != nil {
			bad = append(bad, err)
			continue
		}
		dst[id] = n
	}
	in.Unreadable = nipp.JoinErrors(bad...)
	return in
}

func (s *Server) projectTransition(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_, err := s.app.Transition(r.Context(), id, r.PathValue("action"), transitionInputFrom(r))
	if err != nil {
		s.failOnProject(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/projects/"+id, http.StatusSeeOther)
}

func (s *Server) projectAddBeneficiary(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.ParseForm()
	in := app.AddBeneficiaryInput{Version: atoiDefault(r.PostForm.Get("version"), 0), Establishment: r.PostForm.Get("establishment"),
		Note: r.PostForm.Get("note"), ConfirmReason: r.PostForm.Get("confirm_reason")}
	_, prior, err := s.app.AddBeneficiary(r.Context(), id, in)
	if err != nil {
		s.formFail(w, r, err, func(status int, _ string) {
			s.renderProject(w, r, status, id, func(v *projectView) {
				v.Refuse(err)
				v.Prior, v.PriorEst, v.PriorNote = prior, in.Establishment, in.Note
			})
		})
		return
	}
	http.Redirect(w, r, "/projects/"+id, http.StatusSeeOther)
}

func (s *Server) projectRemoveBeneficiary(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.ParseForm()
	var err error
	if r.PostForm.Get("confirm") != "1" {
		// Removal needs the box ticked; those who may not edit the project
		// learn nothing more than they would otherwise.
		var v *app.ProjectView
		if v, err = s.app.Project(r.Context(), id); err == nil && !v.CanEdit {
			err = nipp.Forbidden()
		}
		if err == nil {
			err = nipp.FieldError("confirm", "err.web.confirm_remove_beneficiary")
		}
	} else {
		_, err = s.app.RemoveBeneficiary(r.Context(), id, r.PathValue("est"), atoiDefault(r.PostForm.Get("version"), 0))
	}
	if err != nil {
		s.failOnProject(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/projects/"+id, http.StatusSeeOther)
}

func (s *Server) projectUpload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// The body is bounded by the route (bodyLimits); guard parsed the form
	// and removes its temporary files.
	var name string
	var content io.Reader = strings.NewReader("")
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		name, content = hdr.Filename, f
	}
	if _, err := s.app.AddAttachment(r.Context(), id, r.FormValue("kind"), name, content); err != nil {
		s.failOnProject(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/projects/"+id, http.StatusSeeOther)
}

func (s *Server) projectDownload(w http.ResponseWriter, r *http.Request) {
	aid, err := strconv.ParseInt(r.PathValue("att"), 10, 64)
	if err != nil {
		s.fail(w, r, nipp.Errorf(nipp.ENOTFOUND, "err.app.file_not_found"))
		return
	}
	att, f, err := s.app.OpenAttachment(r.Context(), r.PathValue("id"), aid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", att.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(att.Filename))
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", att.UploadedAt, f)
}

func (s *Server) projectScore(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.ParseForm()
	scores := map[int64]int{}
	for k, vs := range r.PostForm {
		if c, ok := strings.CutPrefix(k, "score_"); ok && len(vs) > 0 {
			cid, err1 := strconv.ParseInt(c, 10, 64)
			n, err2 := strconv.Atoi(strings.TrimSpace(vs[0]))
			if err1 != nil || err2 != nil {
				s.failOnProject(w, r, id, nipp.FieldError("score", "err.web.scores_whole_numbers"))
				return
			}
			scores[cid] = n
		}
	}
	if err := s.app.ScoreProject(r.Context(), id, scores); err != nil {
		s.failOnProject(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/projects/"+id, http.StatusSeeOther)
}

func (s *Server) projectConflict(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.ParseForm()
	if err := s.app.DeclareConflict(r.Context(), id, r.PostForm.Get("reason")); err != nil {
		s.failOnProject(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/projects/"+id, http.StatusSeeOther)
}

// ActionName names an action in the page's language (the filter "only
// projects I may ...").
func (v *projectListView) ActionName(a string) string { return nipp.ActionName(a, v.L.Lang) }
