package app

import (
	"context"
	"slices"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// WorkQueue is one list of a user's work page: the projects in a state the
// user acts on, counted, with the newest few.
type WorkQueue struct {
	State   nipp.ProjectState
	Action  string   // the step its projects wait for
	Actions []string // what the user may do to at least one of the projects shown
	Total   int64
	Items   []*nipp.Project
}

// More reports whether the queue holds more projects than it shows.
func (q WorkQueue) More() bool { return q.Total > int64(len(q.Items)) }

// WorkList is what a signed-in user has to do, by role: a provincial
// officer's proposals at each step they act on and their imports; the
// ministry's proposals to appraise and decide, its open appraisal rounds and
// this year's plan; an appraiser's assigned projects; an administrator's
// accounts besides the ministry's view.
type WorkList struct {
	// Queues hold projects by state. OwnProvinces: only the user's
	// provinces' projects (links to the full list add own=1).
	Queues       []WorkQueue
	OwnProvinces bool

	ShowImports   bool
	Imports       []*nipp.ImportJob // newest first
	ImportsTotal  int64
	ImportsActive int64 // waiting for the user or the worker

	ShowRounds  bool
	Rounds      []nipp.OpenRound
	RoundsTotal int64

	PlanYear int
	Plan     *nipp.AnnualPlan // nil unless the role compiles the plan

	ShowAssignments bool
	ToScore, Scored []nipp.Assignment

	ShowUsers  bool
	Users      []nipp.RoleCount
	UsersTotal int
}

// workItems is how many records each list of the work page shows.
const workItems = 5

// workQueues are the queues of the work page, in the order of a project's
// life: each the projects in a state that wait for one step. The
// proposer's steps (submit, resubmit, start) are queued for provincial
// officers, in their provinces; a decision (start appraisal, approve,
// accept, settle) for whoever the project's pinned rule set gives it to
// (nipp.MayTransition): a national project's acceptance and settlement wait
// for the central agency, a local one's for its province.
var workQueues = []struct {
	State    nipp.ProjectState
	Action   string
	Proposer bool
}{
	{nipp.StateDraft, nipp.ActSubmit, true},
	{nipp.StateReturned, nipp.ActResubmit, true},
	{nipp.StateSubmitted, nipp.ActStartAppraisal, false},
	{nipp.StateUnderAppraisal, nipp.ActApprove, false},
	{nipp.StateApproved, nipp.ActStart, true},
	{nipp.StateInImplementation, nipp.ActAccept, false},
	{nipp.StateAccepted, nipp.ActSettle, false},
}

// PlanYear is the current year in Vietnam (the year of the plan the
// ministry works on), by the store's clock.
func (a *App) PlanYear() int {
	return a.db.Now().In(time.FixedZone("ICT", 7*3600)).Year()
}

// Work returns the signed-in user's work list.
func (a *App) Work(ctx context.Context) (_ *WorkList, err error) {
	defer nipp.Wrap(&err, "app.Work()")
	p, err := authorize(ctx, nipp.PermSignedIn)
	if err != nil {
		return nil, err
	}
	w := &WorkList{PlanYear: a.PlanYear()}
	queues := false
	switch p.Role {
	case nipp.RoleProvincial:
		queues, w.OwnProvinces, w.ShowImports = true, true, true
	case nipp.RoleCentral:
		queues, w.ShowRounds = true, true
	case nipp.RoleAdmin:
		queues, w.ShowRounds, w.ShowUsers = true, true, true
	case nipp.RoleAppraiser:
		w.ShowAssignments = true
	}
	err = a.read(ctx, func(tx *store.Tx) error {
		ruleSets := map[int64]*nipp.RuleSet{}
		for _, wq := range workQueues {
			if !queues || wq.Proposer && p.Role != nipp.RoleProvincial {
				continue
			}
			q, shown, err := projectQueue(ctx, tx, p, w, wq.State, wq.Action, wq.Proposer, ruleSets)
			if err != nil {
				return err
			}
			if shown {
				w.Queues = append(w.Queues, q)
			}
		}
		for _, part := range []struct {
			show bool
			fill func(context.Context, *store.Tx, *nipp.Principal, *WorkList) error
		}{
			{w.ShowImports, workImports},
			{w.ShowRounds, workRounds},
			{w.ShowAssignments, workAssignments},
			{w.ShowUsers, workUsers},
		} {
			if !part.show {
				continue
			}
			if err := part.fill(ctx, tx, p, w); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// projectQueue lists the projects in one state that wait for the user to
// take action on them (nipp.MayTransition under each project's pinned rule
// set), with the actions the user may take on at least one of them (as
// their pages offer them) and their total. shown is false for a queue
// the user takes no part in, and for a provincial officer's decisions
// (their province's local projects) while nothing waits; their own steps
// and the ministry's decisions show always, with an empty state.
func projectQueue(ctx context.Context, tx *store.Tx, p *nipp.Principal, w *WorkList, st nipp.ProjectState, action string, proposer bool,
	ruleSets map[int64]*nipp.RuleSet) (q WorkQueue, shown bool, err error) {
	q = WorkQueue{State: st, Action: action}
	f := nipp.ProjectFilter{State: string(st), Can: action, Limit: workItems}
	if w.OwnProvinces {
		f.InProvinces = append([]string{}, p.Provinces...)
	}
	if err := actionable(ctx, tx, p, &f); err != nil {
		return q, false, err
	}
	if len(f.Pinned) == 0 {
		return q, false, nil // no project in this state waits for this user
	}
	// The total first (kept per change stamp, store.CountProjects): an
	// empty queue needs no list, which would read the province's projects
	// in the state only to find none the user may act on.
	if q.Total, err = tx.CountProjects(ctx, f); err != nil {
		return q, false, err
	}
	if q.Total == 0 {
		return q, proposer || p.Role != nipp.RoleProvincial, nil
	}
	if q.Items, err = tx.FindProjects(ctx, f); err != nil {
		return q, false, err
	}
	for _, item := range q.Items {
		proj := *item
		if len(proj.Provinces) == 0 {
			proj.Provinces = []string{proj.ProvinceCode}
		}
		rs, ok := ruleSets[proj.RuleSetID]
		if !ok {
			if rs, err = pinnedRuleSet(ctx, tx, &proj); err != nil {
				return q, false, err
			}
			ruleSets[proj.RuleSetID] = rs
		}
		for _, t := range nipp.AllowedTransitions(p, &proj, rs) {
			if !slices.Contains(q.Actions, t.Action) {
				q.Actions = append(q.Actions, t.Action)
			}
		}
	}
	return q, true, nil
}

// workImports fills a proposer's latest imports and their counts.
func workImports(ctx context.Context, tx *store.Tx, p *nipp.Principal, w *WorkList) (err error) {
	if w.Imports, err = tx.FindImportJobs(ctx, userRef(p), nil, workItems); err != nil {
		return err
	}
	if w.ImportsTotal, err = tx.CountImportJobs(ctx, userRef(p), nil); err != nil {
		return err
	}
	w.ImportsActive, err = tx.CountImportJobs(ctx, userRef(p), []string{nipp.ImportMapping, nipp.ImportValidating,
		nipp.ImportValidated, nipp.ImportApplying})
	return err
}

// workRounds fills the ministry's open appraisal rounds and this year's plan.
func workRounds(ctx context.Context, tx *store.Tx, _ *nipp.Principal, w *WorkList) (err error) {
	if w.Rounds, w.RoundsTotal, err = tx.FindOpenRounds(ctx, workItems); err != nil {
		return err
	}
	w.Plan, err = tx.FindAnnualPlan(ctx, w.PlanYear, nil)
	return err
}

// workAssignments fills an appraiser's projects, to score and scored.
func workAssignments(ctx context.Context, tx *store.Tx, p *nipp.Principal, w *WorkList) error {
	all, err := tx.FindAssignments(ctx, p.UserID)
	if err != nil {
		return err
	}
	for _, as := range all {
		if as.Done() {
			w.Scored = append(w.Scored, as)
		} else {
			w.ToScore = append(w.ToScore, as)
		}
	}
	return nil
}

// workUsers fills an administrator's accounts per role.
func workUsers(ctx context.Context, tx *store.Tx, _ *nipp.Principal, w *WorkList) (err error) {
	if w.Users, err = tx.CountUsersByRole(ctx); err != nil {
		return err
	}
	for _, c := range w.Users {
		w.UsersTotal += c.Total
	}
	return nil
}

// actionable narrows a filter that asks for the projects p may take an
// action on (f.Can) to the state the action starts from and to the rule
// sets and levels under which nipp.MayTransition lets p take it: who
// decides follows each project's pinned rule set (a national project is
// accepted by the central agency, a local one by its province). Province
// scope is the filter's own (InProvinces, ScopeProvinces).
func actionable(ctx context.Context, tx *store.Tx, p *nipp.Principal, f *nipp.ProjectFilter) error {
	if f.Can == "" {
		return nil
	}
	var rule nipp.TransitionRule
	found := false
	for _, t := range nipp.TransitionRules() {
		if t.Action != f.Can {
			continue
		}
		switch {
		case f.State == "" && len(t.From) == 1:
			f.State = string(t.From[0])
			rule, found = t, true
		case slices.Contains(t.From, nipp.ProjectState(f.State)):
			rule, found = t, true
		}
	}
	f.Pinned = []nipp.PinnedLevel{}
	if !found {
		return nil // an action that does not start from the state asked: nothing
	}
	ids, err := tx.RuleSetIDs(ctx)
	if err != nil {
		return err
	}
	ruleSets := []*nipp.RuleSet{nil} // projects with no rule set pinned
	for _, id := range ids {
		rs, err := tx.FindRuleSetByID(ctx, id)
		if err != nil {
			return err
		}
		ruleSets = append(ruleSets, rs)
	}
	// A project in p's scope (scope itself is the filter's).
	provinces := p.Provinces
	if p.AllProvinces() || len(provinces) == 0 {
		provinces = []string{""}
	}
	for _, rs := range ruleSets {
		for _, local := range []bool{false, true} {
			proj := &nipp.Project{Provinces: provinces, State: nipp.ProjectState(f.State)}
			if local {
				proj.ProgramLevel = nipp.ProgramLocal
			}
			if nipp.MayTransition(p, rule, proj, rs) {
				pl := nipp.PinnedLevel{Local: local}
				if rs != nil {
					pl.RuleSetID = rs.ID
				}
				f.Pinned = append(f.Pinned, pl)
			}
		}
	}
	return nil
}
