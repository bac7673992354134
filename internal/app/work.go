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

// workStates are the states whose projects wait for each side: the
// proposer (PermProjectWrite without PermProjectDecide) and the ministry.
var (
	proposerStates = []nipp.ProjectState{nipp.StateDraft, nipp.StateReturned, nipp.StateApproved, nipp.StateInImplementation, nipp.StateAccepted}
	ministryStates = nipp.PendingStates()
)

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
	var states []nipp.ProjectState
	switch p.Role {
	case nipp.RoleProvincial:
		states, w.OwnProvinces, w.ShowImports = proposerStates, true, true
	case nipp.RoleCentral:
		states, w.ShowRounds = ministryStates, true
	case nipp.RoleAdmin:
		states, w.ShowRounds, w.ShowUsers = ministryStates, true, true
	case nipp.RoleAppraiser:
		w.ShowAssignments = true
	}
	err = a.read(ctx, func(tx *store.Tx) error {
		ruleSets := map[int64]*nipp.RuleSet{}
		for _, st := range states {
			q, err := projectQueue(ctx, tx, p, w, st, ruleSets)
			if err != nil {
				return err
			}
			w.Queues = append(w.Queues, q)
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

// projectQueue lists the projects in one state the user works on, with
// the actions the user may take on at least one of them (each under its
// own pinned rule set, as its page offers them) and their total.
func projectQueue(ctx context.Context, tx *store.Tx, p *nipp.Principal, w *WorkList, st nipp.ProjectState, ruleSets map[int64]*nipp.RuleSet) (WorkQueue, error) {
	q := WorkQueue{State: st}
	f := nipp.ProjectFilter{State: string(st), Limit: workItems}
	if w.OwnProvinces {
		f.InProvinces = append([]string{}, p.Provinces...)
	}
	var err error
	if q.Items, err = tx.FindProjects(ctx, f); err != nil {
		return q, err
	}
	for _, item := range q.Items {
		proj := *item
		if len(proj.Provinces) == 0 {
			proj.Provinces = []string{proj.ProvinceCode}
		}
		rs, ok := ruleSets[proj.RuleSetID]
		if !ok {
			if rs, err = pinnedRuleSet(ctx, tx, &proj); err != nil {
				return q, err
			}
			ruleSets[proj.RuleSetID] = rs
		}
		for _, t := range nipp.AllowedTransitions(p, &proj, rs) {
			if !slices.Contains(q.Actions, t.Action) {
				q.Actions = append(q.Actions, t.Action)
			}
		}
	}
	q.Total, err = tx.CountProjects(ctx, f)
	return q, err
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
