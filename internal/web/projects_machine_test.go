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

// The project state machine as the rules state it (docs/ARCHITECTURE.md,
// Projects; docs/RULESETS.md, approvals), written by hand: these tests do
// not read nipp.TransitionRules.

type handStep struct {
	from   []nipp.ProjectState
	to     nipp.ProjectState
	reason bool // a comment (reason) is required
}

var handMachine = map[string]handStep{
	"submit":          {[]nipp.ProjectState{"draft"}, "submitted", false},
	"resubmit":        {[]nipp.ProjectState{"returned"}, "submitted", false},
	"withdraw":        {[]nipp.ProjectState{"draft", "returned"}, "cancelled", true},
	"start_appraisal": {[]nipp.ProjectState{"submitted"}, "under_appraisal", false},
	"return":          {[]nipp.ProjectState{"submitted", "under_appraisal"}, "returned", true},
	"reject":          {[]nipp.ProjectState{"submitted", "under_appraisal"}, "rejected", true},
	"approve":         {[]nipp.ProjectState{"under_appraisal"}, "approved", false},
	"cancel":          {[]nipp.ProjectState{"approved", "in_implementation"}, "cancelled", true},
	"start":           {[]nipp.ProjectState{"approved"}, "in_implementation", false},
	"accept":          {[]nipp.ProjectState{"in_implementation"}, "accepted", false},
	"settle":          {[]nipp.ProjectState{"accepted"}, "settled", false},
}

var handActions = []string{"submit", "resubmit", "withdraw", "start_appraisal", "return", "reject", "approve", "cancel", "start", "accept", "settle"}

var handStates = []nipp.ProjectState{"draft", "submitted", "under_appraisal", "approved", "in_implementation", "accepted", "settled", "returned", "rejected", "cancelled"}

// Sides: who may take a step, always within the project's provinces.
const (
	proposer = "proposer" // project.write: administrators, central officers, the province's officers
	ministry = "ministry" // the ministry's side: administrators, central officers
	province = "province" // the province's side: administrators, the province's officers
)

// sideHas reports whether a role acting in its own province (own) or
// another (!own) is on the side. Central officers and administrators serve
// every province; appraisers and auditors change no state.
func sideHas(side string, role nipp.Role, own bool) bool {
	switch role {
	case nipp.RoleAdmin:
		return true
	case nipp.RoleCentral:
		return side == proposer || side == ministry
	case nipp.RoleProvincial:
		return own && (side == proposer || side == province)
	}
	return false
}

// Rule sets of these tests, by their approvals:
//   - none: the set names no authority; decisions stay with the ministry,
//     acceptance and settlement with the proposer (the role table);
//   - nd235: as the embedded ND235-2025 (approvalsLikeND235);
//   - prov: national projects accepted by the implementing unit and settled
//     by the provincial department; local projects approved by the ministry
//     (acceptance and settlement of local projects not named).
var approvalsProv = []nipp.ApprovalRule{
	{Action: "project", Level: "national", Authority: "ministry"},
	{Action: "project", Level: "local", Authority: "ministry"},
	{Action: "acceptance", Level: "national", Authority: "implementing_unit"},
	{Action: "settlement", Level: "national", Authority: "provincial_department"},
}

// handWho[rule set][level][action] is the side that takes the step.
var handWho = map[string]map[string]map[string]string{
	"none": {
		"national": {"submit": proposer, "resubmit": proposer, "withdraw": proposer, "start": proposer,
			"start_appraisal": ministry, "return": ministry, "reject": ministry, "approve": ministry, "cancel": ministry,
			"accept": proposer, "settle": proposer},
		"local": {"submit": proposer, "resubmit": proposer, "withdraw": proposer, "start": proposer,
			"start_appraisal": ministry, "return": ministry, "reject": ministry, "approve": ministry, "cancel": ministry,
			"accept": proposer, "settle": proposer},
	},
	"nd235": {
		"national": {"submit": proposer, "resubmit": proposer, "withdraw": proposer, "start": proposer,
			"start_appraisal": ministry, "return": ministry, "reject": ministry, "approve": ministry, "cancel": ministry,
			"accept": ministry, "settle": ministry},
		"local": {"submit": proposer, "resubmit": proposer, "withdraw": proposer, "start": proposer,
			"start_appraisal": province, "return": province, "reject": province, "approve": province, "cancel": province,
			"accept": province, "settle": province},
	},
	"prov": {
		"national": {"submit": proposer, "resubmit": proposer, "withdraw": proposer, "start": proposer,
			"start_appraisal": ministry, "return": ministry, "reject": ministry, "approve": ministry, "cancel": ministry,
			"accept": province, "settle": province},
		"local": {"submit": proposer, "resubmit": proposer, "withdraw": proposer, "start": proposer,
			"start_appraisal": ministry, "return": ministry, "reject": ministry, "approve": ministry, "cancel": ministry,
			"accept": proposer, "settle": proposer},
	},
}

var handRuleSets = map[string][]nipp.ApprovalRule{"none": nil, "nd235": approvalsLikeND235, "prov": approvalsProv}

// handAllowed lists, sorted, the actions a role may take on a project in
// state s of the level under the rule set.
func handAllowed(rs, level string, s nipp.ProjectState, role nipp.Role, own bool) []string {
	out := []string{}
	for _, a := range handActions {
		if slices.Contains(handMachine[a].from, s) && sideHas(handWho[rs][level][a], role, own) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// TestTransitionsByHand checks every role x state x action x own/other
// province x rule set x level against the table above, through the one
// function the page and the use case share.
func TestTransitionsByHand(t *testing.T) {
	roles := []nipp.Role{nipp.RoleAdmin, nipp.RoleCentral, nipp.RoleProvincial, nipp.RoleAppraiser, nipp.RoleAuditor}
	for _, a := range handActions {
		for _, s := range handStates {
			rule, err := nipp.TransitionFor(a, s)
			step := handMachine[a]
			if slices.Contains(step.from, s) != (err == nil) {
				t.Errorf("%s from %s: machine error %v, the rules say possible=%v", a, s, err, slices.Contains(step.from, s))
			}
			if err == nil && (rule.To != step.to || rule.NeedsReason != step.reason) {
				t.Errorf("%s from %s: to %s (reason %v), the rules say %s (reason %v)", a, s, rule.To, rule.NeedsReason, step.to, step.reason)
			}
		}
	}
	n := 0
	for rsName, approvals := range handRuleSets {
		var rs *nipp.RuleSet
		if approvals != nil {
			rs = &nipp.RuleSet{Code: rsName, Approvals: approvals}
		}
		for _, level := range []string{"national", "local"} {
			for _, s := range handStates {
				proj := &nipp.Project{State: s, Provinces: []string{"01", "02"}, ProgramLevel: level}
				for _, role := range roles {
					for _, own := range []bool{true, false} {
						prov := "01"
						if !own {
							prov = "04"
						}
						p := &nipp.Principal{UserID: 7, Role: role, Provinces: []string{prov}}
						var got []string
						for _, r := range nipp.AllowedTransitions(p, proj, rs) {
							got = append(got, r.Action)
						}
						slices.Sort(got)
						want := handAllowed(rsName, level, s, role, own)
						if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
							t.Errorf("rule set %s, %s project, %s, %s (own province %v): allowed %v, want %v", rsName, level, s, role, own, got, want)
						}
						for _, a := range handActions {
							rule, err := nipp.TransitionFor(a, s)
							if err != nil {
								continue
							}
							n++
							if nipp.MayTransition(p, rule, proj, rs) != slices.Contains(want, a) {
								t.Errorf("rule set %s, %s project, %s, %s (own %v): MayTransition(%s) disagrees", rsName, level, s, role, own, a)
							}
						}
					}
				}
			}
		}
	}
	// The public may do nothing.
	for _, s := range handStates {
		if got := nipp.AllowedTransitions(&nipp.Principal{}, &nipp.Project{State: s, Provinces: []string{"01"}}, nil); len(got) != 0 {
			t.Errorf("the public may %v from %s", got, s)
		}
	}
	if n == 0 {
		t.Fatal("nothing checked")
	}
}

// TestProjectStateMachine drives projects into every state under each rule
// set and level and checks, through HTTP, that every role's page shows the
// actions of the hand table, that every other action is refused without a
// change, and that each allowed step succeeds (recorded on the timeline
// and in the audit trail).
func TestProjectStateMachine(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// Dated before RS-A, so RS-A stays in force; projects are pinned to
		// these sets by hand below.
		f.addRuleSet("RS-ND235", "2020-01-01", 5000, 300_000_000, approvalsLikeND235)
		f.addRuleSet("RS-PROV", "2020-01-02", 5000, 300_000_000, approvalsProv)
		setCode := map[string]string{"none": "RS-A", "nd235": "RS-ND235", "prov": "RS-PROV"}
		local := webtest.InsertLocalProgram(t, db, "01", true)
		type client struct {
			c   *webtest.Client
			own bool
		}
		clients := []client{{f.admin, true}, {f.central, true}, {f.prov, true}, {f.prov2, false}, {f.appraiser, true}, {f.auditor, true}}

		for _, rsName := range []string{"none", "nd235", "prov"} {
			for _, level := range []string{"national", "local"} {
				in := proposal(200_000_000, 300_000_000)
				if level == "local" {
					in.ProgramCode = local.Code
					in.Budget[0].Source = nipp.SourceLocal
				}
				// fresh drives a new project into s (as the administrator) and
				// pins the rule set under test.
				fresh := func(t *testing.T, s nipp.ProjectState) *nipp.Project {
					t.Helper()
					f.t = t
					p := f.ready(f.create(in))
					for _, a := range paths[s] {
						if r := f.transition(f.admin, p.PublicID, a); r.Status != http.StatusOK {
							t.Fatalf("driving to %s: %s: %d %s", s, a, r.Status, r.Body)
						}
					}
					storetest.MustExec(t, db, `UPDATE projects SET rule_set_id = (SELECT id FROM rule_sets WHERE code = $1) WHERE public_id = $2`, setCode[rsName], p.PublicID)
					return f.get(p.PublicID)
				}
				for _, s := range handStates {
					t.Run(rsName+"/"+level+"/"+string(s), func(t *testing.T) {
						p := fresh(t, s)
						for _, cl := range clients {
							want := handAllowed(rsName, level, s, cl.c.User.Role, cl.own)
							page := cl.c.Open("/projects/" + p.PublicID)
							if page.Status == http.StatusNotFound {
								if len(want) > 0 {
									t.Errorf("%s (own %v) cannot see the project but may %v", cl.c.User.Role, cl.own, want)
								}
							} else if got := shownActions(page); page.Status != http.StatusOK || !slices.Equal(got, want) {
								t.Errorf("%s (own %v): page %d shows %v, want %v", cl.c.User.Role, cl.own, page.Status, got, want)
							}
							for _, a := range handActions {
								if !slices.Contains(handMachine[a].from, s) || slices.Contains(want, a) {
									continue
								}
								if r := f.transition(cl.c, p.PublicID, a); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
									t.Errorf("%s by %s (own %v): status %d, want 403 or 404: %s", a, cl.c.User.Role, cl.own, r.Status, r.Body)
								}
							}
							if r := f.get(p.PublicID); r.State != s || r.Version != p.Version {
								t.Fatalf("refused steps changed the project: %s v%d", r.State, r.Version)
							}
						}
						// A step the machine does not have is refused, whoever asks.
						for _, a := range handActions {
							if !slices.Contains(handMachine[a].from, s) {
								if r := f.transition(f.admin, p.PublicID, a); r.Status != http.StatusUnprocessableEntity {
									t.Errorf("%s from %s: status %d, want 422: %s", a, s, r.Status, r.Body)
								}
							}
						}
						// Each possible step, by the least-privileged role allowed.
						first := true
						for _, a := range handActions {
							step := handMachine[a]
							if !slices.Contains(step.from, s) {
								continue
							}
							var by *webtest.Client
							for _, cl := range []client{{f.prov, true}, {f.central, true}, {f.admin, true}} {
								if by == nil && slices.Contains(handAllowed(rsName, level, s, cl.c.User.Role, true), a) {
									by = cl.c
								}
							}
							target := p
							if !first {
								target = fresh(t, s)
							}
							first = false
							if step.reason {
								in := f.input(f.get(target.PublicID), a)
								in.Comment = " "
								if r := by.SendJSON("POST", "/api/v1/projects/"+target.PublicID+"/transitions/"+a, in); r.Status != http.StatusUnprocessableEntity {
									t.Errorf("%s without a reason: status %d, want 422", a, r.Status)
								}
							}
							if r := f.transition(by, target.PublicID, a); r.Status != http.StatusOK {
								t.Fatalf("%s by %s: status %d: %s", a, by.User.Role, r.Status, r.Body)
							}
							if got := f.get(target.PublicID).State; got != step.to {
								t.Errorf("after %s: state %s, want %s", a, got, step.to)
							}
							var hist struct {
								History []nipp.ProjectEvent `json:"history"`
							}
							f.admin.Get("/api/v1/projects/"+target.PublicID).JSON(t, &hist)
							last := hist.History[len(hist.History)-1]
							if last.Action != a || last.Actor != by.User.Email || last.ToState != step.to || !strings.Contains(last.Comment, "lý do "+a) {
								t.Errorf("last event %+v", last)
							}
							var n int
							db.ReadTx(context.Background(), func(tx *store.Tx) error {
								return tx.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE entity = 'project' AND entity_id = $1 AND action = 'transition' AND actor = $2`,
									target.PublicID, by.User.Email).Scan(&n)
							})
							if n != 1 {
								t.Errorf("audit entries for %s by %s: %d, want 1", a, by.User.Email, n)
							}
						}
					})
				}
			}
		}
	})
}
