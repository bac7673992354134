package app

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Rule-set pinning (see docs/ARCHITECTURE.md): a new project pins the rule
// set in force on the day it is proposed, and its budget is checked against
// that set's caps on every save; approval re-pins the set in force on the
// decision date and checks the approved budget against it. The caps checked
// are copied onto the project (project_caps), so a rule set loaded later
// never changes a project approved under an earlier one.

// projectScope returns the list filter's scope for p.
func projectScope(p *nipp.Principal, f *nipp.ProjectFilter) {
	if f.Own && !p.AllProvinces() {
		f.InProvinces = append([]string{}, p.Provinces...)
	}
	switch {
	case p.AllProvinces():
	case p.Role == nipp.RoleAppraiser:
		f.ScopeAppraiser = p.UserID
	default:
		f.ScopeProvinces = append([]string{}, p.Provinces...)
	}
}

// visible reports whether p may read the project.
func visible(ctx context.Context, tx *store.Tx, p *nipp.Principal, proj *nipp.Project) (bool, error) {
	return visibleBy(p, proj, func() (bool, error) { return tx.IsProjectAppraiser(ctx, proj.ID, p.UserID) })
}

// visibleBy is visible with the appraiser's question (does p sit on the
// project's council?) asked by isAppraiser, only of appraisers.
func visibleBy(p *nipp.Principal, proj *nipp.Project, isAppraiser func() (bool, error)) (bool, error) {
	if p.AllProvinces() {
		return true, nil
	}
	switch p.Role {
	case nipp.RoleAppraiser:
		return isAppraiser()
	case nipp.RoleProvincial:
		return proj.Published || nipp.InScope(p, proj.Provinces), nil
	}
	return false, nil
}

func projectNotFound() error {
	return nipp.Errorf(nipp.ENOTFOUND, "err.app.project_not_found")
}

// loadProject loads a project p may read, or ENOTFOUND (never revealing a
// project p may not see).
func loadProject(ctx context.Context, tx *store.Tx, p *nipp.Principal, publicID string) (*nipp.Project, error) {
	proj, err := tx.FindProjectByPublicID(ctx, publicID)
	if err != nil {
		if nipp.ErrorCode(err) == nipp.ENOTFOUND {
			return nil, projectNotFound()
		}
		return nil, err
	}
	ok, err := visible(ctx, tx, p, proj)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, projectNotFound()
	}
	return proj, nil
}

// loadProjectForWrite loads a project p may change (within p's provinces).
func loadProjectForWrite(ctx context.Context, tx *store.Tx, p *nipp.Principal, publicID string) (*nipp.Project, error) {
	proj, err := loadProject(ctx, tx, p, publicID)
	if err != nil {
		return nil, err
	}
	if !nipp.InScope(p, proj.Provinces) {
		return nil, nipp.Forbidden()
	}
	return proj, nil
}

// Projects returns one page of the projects the principal may see and the
// cursor of the next page (0 at the end).
func (a *App) Projects(ctx context.Context, f nipp.ProjectFilter) (_ []*nipp.Project, _ int64, err error) {
	defer nipp.Wrap(&err, "app.Projects()")
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if err := a.projectProvince(&f); err != nil {
		return nil, 0, err
	}
	projectScope(p, &f)
	want := f.Limit
	f.Limit++
	var out []*nipp.Project
	err = a.read(ctx, func(tx *store.Tx) error {
		if err := actionable(ctx, tx, p, &f); err != nil {
			return err
		}
		var err error
		out, err = tx.FindProjects(ctx, f)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	out, next := cutPage(out, want, func(p *nipp.Project) int64 { return p.ID })
	return out, next, nil
}

// ProjectsStamp returns the change stamp of the projects (store's change
// stamps): a project list read after it was S shows everything committed
// by then, so a list kept with S may be shown while the stamp is still S.
func (a *App) ProjectsStamp(ctx context.Context) (int64, error) {
	var s int64
	err := a.readStatement(ctx, func(tx *store.Tx) (err error) { s, err = tx.ProjectsStamp(ctx); return err })
	return s, err
}

// CountProjects counts the projects matching f that the principal may see
// (every page). A title search's matches are counted up to SearchCountCap
// and one more: a result above SearchCountCap means "more than".
func (a *App) CountProjects(ctx context.Context, f nipp.ProjectFilter) (_ int64, err error) {
	defer nipp.Wrap(&err, "app.CountProjects()")
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return 0, err
	}
	if err := a.projectProvince(&f); err != nil {
		return 0, err
	}
	projectScope(p, &f)
	f.CountCap = SearchCountCap
	var n int64
	err = a.read(ctx, func(tx *store.Tx) error {
		if err := actionable(ctx, tx, p, &f); err != nil {
			return err
		}
		n, err = tx.CountProjects(ctx, f)
		return err
	})
	return n, err
}

// projectProvince reads the province filter as a code or a name of either
// generation (today's province).
func (a *App) projectProvince(f *nipp.ProjectFilter) error {
	if strings.TrimSpace(f.ProvinceCode) == "" {
		return nil
	}
	u, _, err := a.provinceOf(f.ProvinceCode)
	if err != nil {
		return err
	}
	f.ProvinceCode = u.Code
	return nil
}

// ExportProjects streams every project matching f that the principal may
// see to fn, in one read transaction, page by page.
func (a *App) ExportProjects(ctx context.Context, f nipp.ProjectFilter, fn func(*nipp.Project) error) (err error) {
	defer nipp.Wrap(&err, "app.ExportProjects()")
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return err
	}
	if err := a.projectProvince(&f); err != nil {
		return err
	}
	projectScope(p, &f)
	f.Limit = 500
	return a.read(ctx, func(tx *store.Tx) error {
		if err := actionable(ctx, tx, p, &f); err != nil {
			return err
		}
		for {
			page, err := tx.FindProjects(ctx, f)
			if err != nil {
				return err
			}
			for _, pr := range page {
				if err := fn(pr); err != nil {
					return err
				}
			}
			if len(page) < f.Limit {
				return nil
			}
			f.After = page[len(page)-1].ID
		}
	})
}

// ProjectView is a project with what its page shows.
type ProjectView struct {
	*nipp.Project
	Events      []nipp.ProjectEvent
	Appraisal   *nipp.ProjectAppraisal
	Attachments []nipp.Attachment
	Allowed     []nipp.TransitionRule // transitions the principal may apply now
	CanEdit     bool
	CanScore    bool // the principal sits on the project's council
}

// personalView returns what of base (a project with its history,
// attachments and appraisal with every member) the principal sees and may
// do, under the project's pinned rule set rs: an appraiser sees only their
// own scores until the project is decided. base is not changed (it may be
// kept): the view shares its parts.
func personalView(p *nipp.Principal, base *ProjectView, rs *nipp.RuleSet) *ProjectView {
	v := &ProjectView{Project: base.Project, Events: base.Events, Attachments: base.Attachments, Appraisal: base.Appraisal}
	proj := v.Project
	if v.Appraisal != nil && p.Can(nipp.PermAppraise) {
		for _, m := range v.Appraisal.Members {
			if m.UserID == p.UserID {
				v.CanScore = true
			}
		}
		// An appraiser sees only their own scores until the project is decided.
		if p.Role == nipp.RoleAppraiser {
			var own []nipp.MemberScore
			for _, m := range v.Appraisal.Members {
				if m.UserID == p.UserID {
					own = append(own, m)
				}
			}
			ap := *v.Appraisal
			ap.Members = own
			v.Appraisal = &ap
		}
	}
	v.Allowed = nipp.AllowedTransitions(p, proj, rs)
	v.CanEdit = proj.State.Editable() && p.Can(nipp.PermProjectWrite) && nipp.InScope(p, proj.Provinces)
	return v
}

// readProjectParts reads into v what a project's detail shows besides the
// project (v.Project): its history and attachments (one statement), its
// appraisal (nil before a council), and returns its pinned rule set.
func readProjectParts(ctx context.Context, tx *store.Tx, v *ProjectView) (*nipp.RuleSet, error) {
	var err error
	if v.Events, v.Attachments, err = tx.FindProjectHistoryAndAttachments(ctx, v.Project.ID); err != nil {
		return nil, err
	}
	v.Appraisal, err = tx.FindProjectAppraisal(ctx, v.Project.ID)
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		v.Appraisal, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	return pinnedRuleSet(ctx, tx, v.Project)
}

// Project returns a project the principal may see with its history,
// appraisal and attachments.
func (a *App) Project(ctx context.Context, publicID string) (_ *ProjectView, err error) {
	defer nipp.Wrap(&err, "app.Project(%q)", publicID)
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, err
	}
	v := &ProjectView{}
	err = a.read(ctx, func(tx *store.Tx) error {
		proj, err := loadProject(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		v.Project = proj
		rs, err := readProjectParts(ctx, tx, v)
		if err != nil {
			return err
		}
		v = personalView(p, v, rs)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// ProjectFormOptions returns the select lists of the project form: the
// organizations of the principal's provinces, and the national programs
// with the local programs a project may use: those of a provincial
// officer's provinces, or, for the ministry and administrators, of
// province (the project's) when given, else of every province.
func (a *App) ProjectFormOptions(ctx context.Context, province string) (_ *nipp.ProjectFormOptions, err error) {
	defer nipp.Wrap(&err, "app.ProjectFormOptions(%q)", province)
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, err
	}
	var programProvinces []string
	switch {
	case !p.AllProvinces():
		programProvinces = append([]string{}, p.Provinces...)
	case province != "":
		programProvinces = []string{province}
	}
	return a.projectOptions(ctx, p, programProvinces)
}

// ProjectFilterOptions returns the select lists of the project list's
// filters: every program (published projects of other provinces' local
// programs are visible too).
func (a *App) ProjectFilterOptions(ctx context.Context) (_ *nipp.ProjectFormOptions, err error) {
	defer nipp.Wrap(&err, "app.ProjectFilterOptions()")
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, err
	}
	return a.projectOptions(ctx, p, nil)
}

func (a *App) projectOptions(ctx context.Context, p *nipp.Principal, programProvinces []string) (*nipp.ProjectFormOptions, error) {
	var provinces []string
	if !p.AllProvinces() {
		provinces = append([]string{}, p.Provinces...)
	}
	var o *nipp.ProjectFormOptions
	err := a.read(ctx, func(tx *store.Tx) error {
		var err error
		o, err = tx.FindProjectFormOptions(ctx, provinces, programProvinces)
		return err
	})
	if err == nil && provinces != nil {
		var keep []nipp.Option
		for _, pr := range o.Provinces {
			if slices.Contains(provinces, pr.Code) {
				keep = append(keep, pr)
			}
		}
		o.Provinces = keep
	}
	return o, err
}

// projectRefs resolves a project input's references and checks the rules
// that tie them together: the year within the program's period, a local
// program of the lead province, the implementing organization's province.
func projectRefs(ctx context.Context, tx *store.Tx, in *nipp.ProjectInput) (*store.ProjectRefs, error) {
	refs, err := tx.ResolveProjectRefs(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := refs.Program.CheckProjectYear(in.Year); err != nil {
		return nil, err
	}
	if err := checkProgramProvince(in, refs); err != nil {
		return nil, err
	}
	if err := checkImplementingOrg(in, refs); err != nil {
		return nil, err
	}
	return refs, nil
}

// checkProgramProvince refuses a project funded by another province's
// local program.
func checkProgramProvince(in *nipp.ProjectInput, refs *store.ProjectRefs) error {
	if refs.Program.Level == nipp.ProgramLocal && refs.Program.ProvinceCode != in.ProvinceCode {
		return nipp.FieldError("program", "err.app.program_local_program_province_cannot", in.ProgramCode, refs.Program.ProvinceCode, in.ProvinceCode)
	}
	return nil
}

// checkWriteProvinces refuses a proposal outside p's provinces. The other
// provinces a project covers widen who sees it, so a provincial officer
// may name only provinces of their own scope there, besides those already
// on the project (kept).
func checkWriteProvinces(p *nipp.Principal, in *nipp.ProjectInput, kept []string) error {
	if !p.InProvince(in.ProvinceCode) {
		return nipp.FieldError("province", "err.app.you_can_only_propose_projects")
	}
	for _, c := range in.OtherProvinces {
		if !p.InProvince(c) && !slices.Contains(kept, c) {
			return nipp.FieldError("other_provinces", "err.app.other_province_not_yours", c)
		}
	}
	return nil
}

// checkImplementingOrg refuses an implementing organization of another
// province than the project's: it must be the project's province's own or
// a central one.
func checkImplementingOrg(in *nipp.ProjectInput, refs *store.ProjectRefs) error {
	if refs.OrgProvince != "" && refs.OrgProvince != in.ProvinceCode {
		return nipp.FieldError("implementing_org", "err.app.org_of_other_province",
			in.ImplementingOrg, refs.OrgProvince, in.ProvinceCode)
	}
	return nil
}

// errNoEstablishment is the one answer for an establishment that does not
// exist and one the principal may not see: it names nothing, not even the
// key typed, so the two cannot be told apart.
func errNoEstablishment() error {
	return nipp.FieldError("establishment", "err.app.no_establishment_in_scope")
}

// findEstablishmentFor looks an establishment up by public id or tax code
// among those p may see (national roles: all; others: their provinces'
// and published ones).
func findEstablishmentFor(ctx context.Context, tx *store.Tx, p *nipp.Principal, key string) (*store.EstablishmentRef, error) {
	est, err := tx.FindEstablishmentRef(ctx, key)
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, errNoEstablishment()
	}
	if err != nil {
		return nil, err
	}
	if !p.AllProvinces() && !est.Published && !p.InProvince(est.ProvinceCode) {
		return nil, errNoEstablishment()
	}
	return est, nil
}

// CreateProject creates a draft project under the rule set in force today,
// refusing a budget over its caps.
func (a *App) CreateProject(ctx context.Context, in nipp.ProjectInput) (_ *nipp.Project, err error) {
	defer nipp.Wrap(&err, "app.CreateProject()")
	p, err := authorize(ctx, nipp.PermProjectWrite)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := checkWriteProvinces(p, &in, nil); err != nil {
		return nil, err
	}
	var proj *nipp.Project
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		refs, err := projectRefs(ctx, tx, &in)
		if err != nil {
			return err
		}
		rs, err := tx.FindRuleSetInForce(ctx, nipp.Today(tx.Now()))
		if err != nil {
			return nipp.Errorf(nipp.EINVALID, "err.app.no_rule_set_on_support")
		}
		pr := &nipp.Project{Year: in.Year, Title: in.Title, Description: in.Description, ActivityTypeCode: in.ActivityTypeCode,
			ProvinceCode: in.ProvinceCode, AreaCategory: in.AreaCategory, State: nipp.StateDraft, RuleSetID: rs.ID,
			Budget: in.Budget, Outputs: in.Outputs}
		pins, err := nipp.CheckSupport(rs, in.ActivityTypeCode, in.AreaCategory, in.Budget, nipp.AmountPlanned)
		if err != nil {
			return err
		}
		if err := tx.CreateProject(ctx, pr, refs, p.UserID); err != nil {
			return err
		}
		if err := tx.SetProjectCaps(ctx, pr.ID, rs.ID, pins); err != nil {
			return err
		}
		if proj, err = tx.FindProjectByPublicID(ctx, pr.PublicID); err != nil {
			return err
		}
		return a.raise(ctx, tx, nipp.ProjectCreated{Project: proj})
	})
	return proj, err
}

// UpdateProject changes a draft or returned project, if in.Version is still
// its version (else ECONFLICT, keeping the other change).
func (a *App) UpdateProject(ctx context.Context, publicID string, in nipp.ProjectInput) (_ *nipp.Project, err error) {
	defer nipp.Wrap(&err, "app.UpdateProject(%q)", publicID)
	p, err := authorize(ctx, nipp.PermProjectWrite)
	if err != nil {
		return nil, err
	}
	var proj *nipp.Project
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := loadProjectForWrite(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if err := checkWriteProvinces(p, &in, before.Provinces); err != nil {
			return err
		}
		if in.Version != before.Version {
			return store.StaleProject(before.Code)
		}
		if !before.State.Editable() {
			return nipp.Errorf(nipp.EINVALID, "err.app.state_not_editable", nipp.NameOf("state", string(before.State)))
		}
		refs, err := projectRefs(ctx, tx, &in)
		if err != nil {
			return err
		}
		rs, err := tx.FindRuleSetByID(ctx, before.RuleSetID)
		if err != nil {
			return err
		}
		pins, err := nipp.CheckSupport(rs, in.ActivityTypeCode, in.AreaCategory, in.Budget, nipp.AmountPlanned)
		if err != nil {
			return err
		}
		pr := &nipp.Project{ID: before.ID, Code: before.Code, Year: in.Year, Title: in.Title, Description: in.Description,
			ActivityTypeCode: in.ActivityTypeCode, ProvinceCode: in.ProvinceCode, AreaCategory: in.AreaCategory, RuleSetID: rs.ID,
			Budget: in.Budget, Outputs: in.Outputs}
		if err := tx.UpdateProject(ctx, pr, refs, in.Version); err != nil {
			return err
		}
		if err := tx.SetProjectCaps(ctx, pr.ID, rs.ID, pins); err != nil {
			return err
		}
		if proj, err = tx.FindProjectByPublicID(ctx, publicID); err != nil {
			return err
		}
		return a.raise(ctx, tx, nipp.ProjectEdited{Before: before, After: proj})
	})
	return proj, err
}

// SupportPreview is the allowed state support for a budget being typed.
type SupportPreview struct {
	RuleSet      string           `json:"rule_set"`
	LegalBasis   string           `json:"legal_basis"`
	LegalBasisEN string           `json:"legal_basis_en,omitempty"`
	TotalCost    int64            `json:"total_cost"`
	Caps         []nipp.PinnedCap `json:"caps"`
	// Refusal is why the budget would be refused (nil when it would not);
	// the transport translates it.
	Refusal error `json:"-"`
}

// PreviewSupport computes the allowed state support of a budget under the
// project's pinned rule set (publicID given) or the set in force today.
func (a *App) PreviewSupport(ctx context.Context, publicID, activity, area string, lines []nipp.BudgetLine) (_ *SupportPreview, err error) {
	defer nipp.Wrap(&err, "app.PreviewSupport(%q, %q, %q)", publicID, activity, area)
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, err
	}
	if area == "" {
		area = nipp.AreaOrdinary
	}
	out := &SupportPreview{}
	err = a.read(ctx, func(tx *store.Tx) error {
		var rs *nipp.RuleSet
		if publicID != "" {
			proj, err := loadProject(ctx, tx, p, publicID)
			if err != nil {
				return err
			}
			if rs, err = tx.FindRuleSetByID(ctx, proj.RuleSetID); err != nil {
				return err
			}
		} else {
			var err error
			if rs, err = tx.FindRuleSetInForce(ctx, nipp.Today(tx.Now())); err != nil {
				return nipp.Errorf(nipp.EINVALID, "err.app.no_rule_set_on_support_2")
			}
		}
		out.RuleSet, out.LegalBasis, out.LegalBasisEN = rs.Code, rs.LegalBasis, rs.LegalBasisEN
		total, by, err := nipp.BudgetTotals(lines, nipp.AmountPlanned)
		if err != nil {
			out.Refusal = err
			return nil
		}
		out.TotalCost = total
		for _, src := range nipp.StateSources {
			if c, ok := rs.Cap(activity, area, src); ok {
				out.Caps = append(out.Caps, nipp.PinnedCap{RuleSetCode: rs.Code, LegalBasis: rs.LegalBasis, LegalBasisEN: rs.LegalBasisEN, FundingSource: src,
					MaxShareBP: c.MaxShareBP, MaxAmount: c.MaxAmount, TotalCost: out.TotalCost, Allowed: c.Allowed(out.TotalCost), Requested: by[src]})
			}
		}
		if _, err := nipp.CheckSupport(rs, activity, area, lines, nipp.AmountPlanned); err != nil {
			out.Refusal = err
		}
		return nil
	})
	return out, err
}

// Transition applies a state-machine action to a project: it checks the
// machine, the principal's permission and province scope, the version, and
// the action's own rules; records the event in the history; audits.
func (a *App) Transition(ctx context.Context, publicID, action string, in nipp.TransitionInput) (_ *nipp.Project, err error) {
	defer nipp.Wrap(&err, "app.Transition(%q, %q)", publicID, action)
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, err
	}
	in.Comment = strings.TrimSpace(in.Comment)
	in.OverrideReason = strings.TrimSpace(in.OverrideReason)
	if err := in.CheckText(); err != nil {
		return nil, err
	}
	var proj *nipp.Project
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := loadProject(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		rule, err := checkTransition(ctx, tx, p, before, action, &in)
		if err != nil {
			return err
		}
		change := store.ProjectStateChange{To: rule.To, DecisionNo: before.DecisionNo, DecisionDate: before.DecisionDate,
			Published: before.Published, RuleSetID: before.RuleSetID, OverrideReason: before.PassOverrideReason}
		if err := a.applyAction(ctx, tx, before, rule, &in, &change); err != nil {
			return besideUnreadable(err, in.Unreadable)
		}
		if err := tx.SetProjectState(ctx, before, in.Version, change); err != nil {
			return err
		}
		ev := &nipp.ProjectEvent{Action: action, FromState: before.State, ToState: rule.To, Comment: in.Comment, Actor: p.Email}
		if err := tx.AddProjectEvent(ctx, before.ID, ev, p.UserID); err != nil {
			return err
		}
		if proj, err = tx.FindProjectByPublicID(ctx, publicID); err != nil {
			return err
		}
		return a.raise(ctx, tx, nipp.ProjectTransitioned{Action: action, Before: before, After: proj, Comment: ev.Comment})
	})
	return proj, err
}

// checkTransition returns the rule of action on the project as loaded,
// after checking that p may take it (scope, the state machine, the pinned
// rule set's authorities), that the project was not changed meanwhile and
// that a reason is given where one is needed.
func checkTransition(ctx context.Context, tx *store.Tx, p *nipp.Principal, before *nipp.Project, action string, in *nipp.TransitionInput) (nipp.TransitionRule, error) {
	// Only those who may change the project learn what the machine allows.
	if !nipp.InScope(p, before.Provinces) || !(p.Can(nipp.PermProjectWrite) || p.Can(nipp.PermProjectDecide)) {
		return nipp.TransitionRule{}, nipp.Forbidden()
	}
	rule, err := nipp.TransitionFor(action, before.State)
	if err != nil {
		return rule, err
	}
	rs, err := pinnedRuleSet(ctx, tx, before)
	if err != nil {
		return rule, err
	}
	if !nipp.MayTransition(p, rule, before, rs) {
		return rule, nipp.Forbidden()
	}
	if in.Version != before.Version {
		return rule, store.StaleProject(before.Code)
	}
	return rule, nil
}

// applyAction checks and records what an action brings besides the new
// state: a reason where one is needed, what the activity type requires to
// submit, the approval's decision and amounts, the accepted outputs, the
// settled amounts. It reports every problem of the form at once (with
// those the form reader met, in.Unreadable) and then writes nothing.
func (a *App) applyAction(ctx context.Context, tx *store.Tx, before *nipp.Project, rule nipp.TransitionRule, in *nipp.TransitionInput, change *store.ProjectStateChange) error {
	problems := []error{in.Unreadable}
	if rule.NeedsReason && in.Comment == "" {
		problems = append(problems, nipp.FieldError("comment", "err.app.enter_reason"))
	}
	ok := func() bool { return nipp.JoinErrors(problems...) == nil }
	switch rule.Action {
	case nipp.ActSubmit, nipp.ActResubmit:
		// A budget, and what the activity type requires (a beneficiary,
		// planned outputs), so that acceptance has outputs to record.
		problems = append(problems, before.CheckSubmission())
	case nipp.ActApprove:
		problems = append(problems, a.approve(ctx, tx, before, in, change, !ok()))
	case nipp.ActAccept:
		problems = append(problems, nipp.CheckActualOutputs(before.Outputs, in.ActualOutputs))
		if ok() {
			return tx.SetActualOutputs(ctx, before.ID, in.ActualOutputs)
		}
	case nipp.ActSettle:
		// The settled amounts come from the ledger: every source must
		// reconcile, a reciprocal shortfall explained in the comment.
		if ok() {
			return settleFromLedger(ctx, tx, before, in.Comment != "")
		}
	}
	return nipp.JoinErrors(problems...)
}

// besideUnreadable drops the problems of fields the reader could not read
// (an amount that is no number is not also "missing"), keeping the
// reader's own.
func besideUnreadable(err, unreadable error) error {
	if unreadable == nil || nipp.ErrorCode(err) != nipp.EINVALID {
		return err
	}
	own := nipp.ErrorProblems(unreadable)
	bad := map[string]bool{}
	var keep []*nipp.Error
	for _, p := range own {
		bad[p.Field] = true
		keep = append(keep, nipp.FieldError(p.Field, p.Msg.Key, p.Msg.Args...))
	}
	// err lists the reader's problems first (they were joined first).
	for _, p := range nipp.ErrorProblems(err)[len(own):] {
		if p.Field == "" || !bad[p.Field] {
			keep = append(keep, nipp.FieldError(p.Field, p.Msg.Key, p.Msg.Args...))
		}
	}
	return nipp.Join(keep...)
}

// pinnedRuleSet returns the rule set pinned to a project (nil when it has
// none): its approvals say who takes the project's decisions.
func pinnedRuleSet(ctx context.Context, tx *store.Tx, proj *nipp.Project) (*nipp.RuleSet, error) {
	if proj.RuleSetID == 0 {
		return nil, nil
	}
	return tx.FindRuleSetByID(ctx, proj.RuleSetID)
}

// approve checks and records an approval: the decision, the approved
// budget under the rule set in force on the decision date (re-pinned), and
// the appraisal pass mark or an explicit override. It reports every problem
// of the form at once; others (an earlier problem of the form) means it
// checks only and writes nothing.
func (a *App) approve(ctx context.Context, tx *store.Tx, proj *nipp.Project, in *nipp.TransitionInput, change *store.ProjectStateChange, others bool) error {
	var errs []error
	in.DecisionNo = strings.TrimSpace(in.DecisionNo)
	if in.DecisionNo == "" {
		errs = append(errs, nipp.FieldError("decision_no", "err.app.enter_decision_number"))
	}
	dateOK := false
	switch {
	case in.DecisionDate.IsZero():
		errs = append(errs, nipp.FieldError("decision_date", "err.app.enter_decision_date"))
	case in.DecisionDate.After(nipp.Today(tx.Now())):
		errs = append(errs, nipp.FieldError("decision_date", "err.app.decision_date_cannot_future"))
	default:
		dateOK = true
	}
	ag, err := tx.FindProjectAppraisal(ctx, proj.ID)
	if err != nil && nipp.ErrorCode(err) != nipp.ENOTFOUND {
		return err
	}
	passed := err == nil && ag.Aggregate.Passed
	if !passed && in.OverrideReason == "" {
		if err == nil && ag.Aggregate.Scored {
			errs = append(errs, nipp.FieldError("override_reason", "err.app.below_pass_mark", points(ag.Aggregate.Score), points(ag.Aggregate.PassMark)))
		} else {
			errs = append(errs, nipp.FieldError("override_reason", "err.app.no_appraisal_result"))
		}
	}
	if !passed {
		change.OverrideReason = in.OverrideReason
	}
	approved := map[int64]int64{}
	lines := slices.Clone(proj.Budget)
	lineField := map[string]string{} // "budget.<source>" -> the line's form field
	amountsOK := true
	for i := range lines {
		field := "approved." + strconv.FormatInt(lines[i].ID, 10)
		lineField["budget."+lines[i].Source] = field
		v := lines[i].Planned
		if x, ok := in.Approved[lines[i].ID]; ok {
			v = x
		}
		if err := nipp.CheckAmount(field, v); err != nil {
			errs, amountsOK = append(errs, err), false
			continue
		}
		lines[i].Approved = &v
		approved[lines[i].ID] = v
	}
	for id := range in.Approved {
		if !slices.ContainsFunc(proj.Budget, func(l nipp.BudgetLine) bool { return l.ID == id }) {
			errs, amountsOK = append(errs, nipp.FieldError("approved", "err.app.budget_line_not_project_s", id)), false
		}
	}
	// The approved amounts against the rule set in force on the decision date.
	var rs *nipp.RuleSet
	var pins []nipp.PinnedCap
	if dateOK {
		if rs, err = tx.FindRuleSetInForce(ctx, in.DecisionDate); err != nil {
			errs = append(errs, nipp.FieldError("decision_date", "err.app.no_rule_set_on", in.DecisionDate))
		} else if amountsOK {
			pins, err = nipp.CheckSupport(rs, proj.ActivityTypeCode, proj.AreaCategory, lines, nipp.AmountApproved)
			errs = append(errs, nipp.Refield(err, func(f string) string {
				if lf, ok := lineField[f]; ok {
					return lf
				}
				return f
			}))
		}
	}
	if err := nipp.JoinErrors(errs...); err != nil || others {
		return err
	}
	if err := tx.SetBudgetAmounts(ctx, proj.ID, nipp.AmountApproved, approved); err != nil {
		return err
	}
	if err := tx.SetProjectCaps(ctx, proj.ID, rs.ID, pins); err != nil {
		return err
	}
	// The re-pinned set decides which of the beneficiaries' recorded groups
	// are prioritised (the groups themselves are the facts recorded when
	// each was added).
	for _, b := range proj.Beneficiaries {
		if err := tx.SetBeneficiaryPriorityGroups(ctx, proj.ID, b.EstablishmentID, rs.Prioritised(b.Groups)); err != nil {
			return err
		}
	}
	change.DecisionNo, change.DecisionDate, change.RuleSetID, change.Published = in.DecisionNo, in.DecisionDate, rs.ID, true
	return nil
}

// points formats hundredths of a point: 7050 -> "70.50".
func points(v int64) string {
	s := strconv.FormatInt(v/100, 10) + "."
	f := v % 100
	if f < 10 {
		s += "0"
	}
	return s + strconv.FormatInt(f, 10)
}

// AddBeneficiaryInput adds an establishment to a project.
type AddBeneficiaryInput struct {
	Version       int    `json:"version"`
	Establishment string `json:"establishment"` // public id or tax code
	Note          string `json:"note"`
	// ConfirmReason confirms supporting an establishment that already
	// received support of the same kind recently.
	ConfirmReason string `json:"confirm_reason"`
}

// AddBeneficiary adds an establishment as a beneficiary of an editable
// project. When the establishment received support of the same activity
// type within the configured number of years, under any program, it
// returns those projects and an EINVALID error unless ConfirmReason is
// given; the confirmation is stored.
func (a *App) AddBeneficiary(ctx context.Context, publicID string, in AddBeneficiaryInput) (_ *nipp.Project, _ []nipp.PriorSupport, err error) {
	defer nipp.Wrap(&err, "app.AddBeneficiary(%q)", publicID)
	p, err := authorize(ctx, nipp.PermProjectWrite)
	if err != nil {
		return nil, nil, err
	}
	in.ConfirmReason = strings.TrimSpace(in.ConfirmReason)
	if err := nipp.CheckTexts(nipp.TextField{Name: "establishment", Value: in.Establishment, Max: nipp.MaxCodeLen},
		nipp.TextField{Name: "note", Value: in.Note, Max: nipp.MaxNoteLen, MultiLine: true},
		nipp.TextField{Name: "confirm_reason", Value: in.ConfirmReason, Max: nipp.MaxNoteLen, MultiLine: true}); err != nil {
		return nil, nil, err
	}
	var proj *nipp.Project
	var prior []nipp.PriorSupport
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := loadProjectForWrite(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		if in.Version != before.Version {
			return store.StaleProject(before.Code)
		}
		if !before.State.Editable() {
			return nipp.Errorf(nipp.EINVALID, "err.app.state_not_editable", nipp.NameOf("state", string(before.State)))
		}
		if strings.TrimSpace(in.Establishment) == "" {
			return nipp.FieldError("establishment", "err.app.enter_establishment_s_id_tax")
		}
		est, err := findEstablishmentFor(ctx, tx, p, in.Establishment)
		if err != nil {
			return err
		}
		if !slices.Contains(before.Provinces, est.ProvinceCode) {
			return nipp.FieldError("establishment", "err.app.province_outside_project_s_provinces", est.Name, est.ProvinceCode)
		}
		// Eligibility under the project's pinned rule set (issue 11's check):
		// the establishment's priority groups are recorded with it, and
		// which of them the rule set prioritises.
		elig := nipp.EligibilityResult{Groups: est.Beneficiary.PriorityGroups()}
		if before.RuleSetID > 0 {
			if elig, err = eligibilityIn(ctx, tx, before.RuleSetID, est.ID); err != nil {
				return err
			}
		}
		years, err := duplicateYears(ctx, tx)
		if err != nil {
			return err
		}
		prior, err = tx.FindPriorSupport(ctx, est.ID, before.ActivityTypeCode, before.Year-years, before.ID)
		if err != nil {
			return err
		}
		if len(prior) > 0 && in.ConfirmReason == "" {
			codes := make([]string, len(prior))
			for i, s := range prior {
				codes[i] = s.Code + " (" + strconv.Itoa(s.Year) + ")"
			}
			return nipp.FieldError("confirm_reason", "err.app.already_received_support_same_kind", est.Name, years, strings.Join(codes, ", "))
		}
		reason := ""
		if len(prior) > 0 {
			reason = in.ConfirmReason
			for _, s := range prior {
				if err := tx.AddDuplicateConfirmation(ctx, before.ID, est.ID, s.ProjectID, reason, p.UserID); err != nil {
					return err
				}
			}
		}
		if err := tx.AddProjectBeneficiary(ctx, store.NewBeneficiary{ProjectID: before.ID, EstablishmentID: est.ID,
			Note: strings.TrimSpace(in.Note), DuplicateReason: reason, Groups: elig.Groups, PriorityGroups: elig.PriorityGroups}); err != nil {
			return err
		}
		if err := tx.TouchProject(ctx, before.ID, before.Code, in.Version); err != nil {
			return err
		}
		if proj, err = tx.FindProjectByPublicID(ctx, publicID); err != nil {
			return err
		}
		ev := nipp.BeneficiaryAdded{Project: proj, Establishment: est.PublicID, Name: est.Name, Groups: elig.Groups, PriorityGroups: elig.PriorityGroups}
		if reason != "" {
			ev.DuplicateReason, ev.PriorProjects = reason, prior
		}
		return a.raise(ctx, tx, ev)
	})
	if err != nil {
		if len(prior) > 0 && nipp.ErrorCode(err) == nipp.EINVALID {
			return nil, prior, err
		}
		return nil, nil, err
	}
	return proj, prior, nil
}

// RemoveBeneficiary removes an establishment from an editable project.
func (a *App) RemoveBeneficiary(ctx context.Context, publicID, establishment string, version int) (_ *nipp.Project, err error) {
	defer nipp.Wrap(&err, "app.RemoveBeneficiary(%q, %q, %v)", publicID, establishment, version)
	p, err := authorize(ctx, nipp.PermProjectWrite)
	if err != nil {
		return nil, err
	}
	var proj *nipp.Project
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := loadProjectForWrite(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		if version != before.Version {
			return store.StaleProject(before.Code)
		}
		if !before.State.Editable() {
			return nipp.Errorf(nipp.EINVALID, "err.app.state_not_editable", nipp.NameOf("state", string(before.State)))
		}
		// Looked up among the project's beneficiaries only: any other key,
		// existing or not, gets the same answer.
		var est *nipp.ProjectBeneficiary
		key := strings.TrimSpace(establishment)
		for i, b := range before.Beneficiaries {
			if key != "" && (b.PublicID == key || b.TaxCode == key) {
				est = &before.Beneficiaries[i]
				break
			}
		}
		if est == nil {
			return nipp.FieldError("establishment", "err.app.not_project_beneficiary")
		}
		if err := tx.RemoveProjectBeneficiary(ctx, before.ID, est.EstablishmentID); err != nil {
			return err
		}
		if err := tx.TouchProject(ctx, before.ID, before.Code, version); err != nil {
			return err
		}
		if proj, err = tx.FindProjectByPublicID(ctx, publicID); err != nil {
			return err
		}
		return a.raise(ctx, tx, nipp.BeneficiaryRemoved{Project: proj, Establishment: est.PublicID, Name: est.Name})
	})
	return proj, err
}

const settingDuplicateYears = "projects.duplicate_support_years"

func duplicateYears(ctx context.Context, tx *store.Tx) (int, error) {
	v, err := tx.Setting(ctx, settingDuplicateYears, strconv.Itoa(nipp.DuplicateSupportYears))
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return nipp.DuplicateSupportYears, nil
	}
	return n, nil
}

// SetDuplicateSupportYears sets how many years back the duplicate-support
// check looks.
func (a *App) SetDuplicateSupportYears(ctx context.Context, years int) (err error) {
	defer nipp.Wrap(&err, "app.SetDuplicateSupportYears(%v)", years)
	if _, err := authorize(ctx, nipp.PermReferenceEdit); err != nil {
		return err
	}
	if years < 0 || years > 20 {
		return nipp.FieldError("years", "err.app.between_0_20_years")
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		old, err := duplicateYears(ctx, tx)
		if err != nil {
			return err
		}
		if err := tx.SetSetting(ctx, settingDuplicateYears, strconv.Itoa(years)); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionUpdate, "setting", settingDuplicateYears, old, years)
	})
}

// DuplicateSupportYears returns the duplicate-support look-back setting.
func (a *App) DuplicateSupportYears(ctx context.Context) (_ int, err error) {
	defer nipp.Wrap(&err, "app.DuplicateSupportYears()")
	if _, err := authorize(ctx, nipp.PermProjectRead); err != nil {
		return 0, err
	}
	var n int
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		n, err = duplicateYears(ctx, tx)
		return err
	})
	return n, err
}
