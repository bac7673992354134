package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// A project's JSON detail is kept per stamp (app.KeptProject,
// migration 0020): after every kind of change to what it shows, made
// through the app (the budget, outputs, provinces, a beneficiary and its
// name, the history and state, caps, an attachment, the council, scores, a
// conflict, publication, a shared name), the next answer of the node that
// kept it is exactly what a node that never saw the project answers
// (another server over the same database, which reads it fresh), for each
// role, and differs from the answer before the change. An appraiser sees
// only their own scores, and another province's officer gets "not found"
// as for a missing project, whoever asked first.
func TestProjectDetailFollowsChanges(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		env := f.env
		f.addRuleSet("RS-LIFE", "2026-06-01", 5000, 300_000_000, approvalsLikeND235)
		tokenOf := func(c *webtest.Client) string {
			t.Helper()
			r := c.PostForm("/account/tokens", url.Values{"name": {"detail"}})
			secret := tokenRE.FindString(r.Body)
			if r.Status != http.StatusCreated || secret == "" {
				t.Fatalf("token: %d", r.Status)
			}
			return secret
		}
		appraiser2 := env.As(nipp.RoleAppraiser)
		tokens := map[string]string{"central": tokenOf(f.central), "provincial": tokenOf(f.prov), "admin": tokenOf(f.admin),
			"appraiser": tokenOf(f.appraiser), "appraiser2": tokenOf(appraiser2), "other province": tokenOf(f.prov2)}
		readers := []string{"central", "admin", "provincial", "appraiser", "appraiser2", "other province"}
		clients := map[string]*webtest.Client{"central": f.central, "provincial": f.prov, "admin": f.admin,
			"appraiser": f.appraiser, "appraiser2": appraiser2, "other province": f.prov2}
		asUser := func(c *webtest.Client) context.Context {
			return nipp.WithPrincipal(ctx, c.User.Principal())
		}

		p := f.create(proposal(200_000_000, 300_000_000))
		id := p.PublicID
		path := "/api/v1/projects/" + id
		// detail returns what each reader is answered by the node that
		// keeps details (asked twice), checking it against the answer of a
		// node that has kept nothing.
		detail := func(step string) map[string]string {
			t.Helper()
			out := map[string]string{}
			for _, who := range readers {
				fresh := webtest.New(t, db) // its own kept details: none
				kept := bearer(t, env, "GET", path, tokens[who])
				again := bearer(t, env, "GET", path, tokens[who])
				want := bearer(t, fresh, "GET", path, tokens[who])
				if kept.Status != want.Status || kept.Body != want.Body || again.Body != kept.Body {
					t.Fatalf("%s, as %s: kept answer %d %s\n\nfresh answer %d %s", step, who, kept.Status, kept.Body, want.Status, want.Body)
				}
				out[who] = strconv.Itoa(kept.Status) + kept.Body
				// The use case behind it against the one the pages use,
				// which reads the project anew each time.
				pctx := asUser(clients[who])
				kv, kerr := env.App.KeptProject(pctx, id)
				v, err := env.App.Project(pctx, id)
				if (err == nil) != (kerr == nil) || (err != nil && err.Error() != strings.Replace(kerr.Error(), "KeptProject", "Project", 1)) {
					t.Fatalf("%s, as %s: KeptProject %v, Project %v", step, who, kerr, err)
				}
				if err == nil {
					if !sameJSON(kv.Allowed, v.Allowed) || !sameJSON(kv.Appraisal, v.Appraisal) || kv.CanEdit != v.CanEdit || kv.CanScore != v.CanScore {
						t.Fatalf("%s, as %s: KeptProject's own part %+v, Project's %+v", step, who, kv, v)
					}
					actions := []string{}
					for _, a := range v.Allowed {
						actions = append(actions, a.Action)
					}
					want := map[string]any{"project": v.Project, "history": v.Events, "attachments": v.Attachments, "allowed_actions": actions}
					if v.Appraisal != nil {
						want["appraisal"] = v.Appraisal
					}
					if !sameJSON(json.RawMessage(kept.Body), want) {
						t.Fatalf("%s, as %s: answer %s\n\nProject %+v", step, who, kept.Body, want)
					}
				}
			}
			return out
		}
		before := detail("created")
		if !strings.HasPrefix(before["other province"], "404") || !strings.HasPrefix(before["appraiser"], "404") {
			t.Fatalf("another province's officer or an appraiser reads a draft: %v", before)
		}
		if missing := bearer(t, env, "GET", "/api/v1/projects/da-nosuchproj", tokens["other province"]); "404"+missing.Body != before["other province"] {
			t.Fatalf("not yours %q, missing %q", before["other province"], missing.Body)
		}
		step := func(what string, change func(), changed ...string) {
			t.Helper()
			change()
			after := detail(what)
			for _, who := range changed {
				if after[who] == before[who] {
					t.Errorf("%s: the answer to %s did not change", what, who)
				}
			}
			before = after
		}
		put := func(mod func(in *nipp.ProjectInput)) {
			t.Helper()
			cur := f.get(id)
			in := proposal(200_000_000, 300_000_000)
			in.Version = cur.Version
			in.Budget = nil
			for _, l := range cur.Budget {
				in.Budget = append(in.Budget, nipp.BudgetLine{Source: l.Source, Planned: l.Planned, Description: l.Description})
			}
			in.Outputs = nil
			for _, o := range cur.Outputs {
				in.Outputs = append(in.Outputs, nipp.ProjectOutput{IndicatorCode: o.IndicatorCode, Planned: o.Planned})
			}
			in.OtherProvinces = cur.Provinces[1:]
			mod(&in)
			if r := f.admin.SendJSON("PUT", path, in); r.Status != http.StatusOK {
				t.Fatalf("update: %d %s", r.Status, r.Body)
			}
		}
		mustOK := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		transition := func(action string) {
			t.Helper()
			if r := f.transition(f.admin, id, action); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", action, r.Status, r.Body)
			}
		}

		step("a budget line", func() { put(func(in *nipp.ProjectInput) { in.Budget[0].Planned = 180_000_000 }) }, "central", "provincial")
		step("an output", func() { put(func(in *nipp.ProjectInput) { in.Outputs[0].Planned = 3 }) }, "central", "provincial")
		step("another province", func() { put(func(in *nipp.ProjectInput) { in.OtherProvinces = []string{"79"} }) }, "central", "provincial")
		step("a beneficiary", func() { f.ready(f.get(id)) }, "central", "provincial")
		step("a second beneficiary", func() {
			r := f.admin.SendJSON("POST", path+"/beneficiaries", map[string]any{"version": f.get(id).Version, "establishment": "cs-test00001", "confirm_reason": "kiểm thử"})
			if r.Status != http.StatusOK {
				t.Fatalf("adding a beneficiary: %d %s", r.Status, r.Body)
			}
		}, "central", "provincial")
		step("a beneficiary removed", func() {
			r := f.admin.SendJSON("DELETE", path+"/beneficiaries/cs-test00001?version="+strconv.Itoa(f.get(id).Version), nil)
			if r.Status != http.StatusOK {
				t.Fatalf("removing a beneficiary: %d %s", r.Status, r.Body)
			}
		}, "central", "provincial")
		step("the beneficiary's name", func() {
			storetest.MustExec(t, db, `UPDATE establishments SET name = 'HTX Mây tre Phú Vinh (đổi tên)' WHERE public_id = 'cs-test00000'`)
		}, "central", "provincial")
		step("an attachment", func() {
			_, err := env.App.AddAttachment(asUser(f.prov), id, "proposal", "de-an.pdf", strings.NewReader("%PDF-1.4\n% kiểm thử\n"))
			mustOK(err)
		}, "central", "provincial")
		step("submitted (history, state)", func() { transition("submit") }, "central", "provincial")
		step("under appraisal", func() { transition("start_appraisal") }, "central", "provincial")
		var criteria []nipp.Criterion
		var council int64
		step("assigned to a council", func() {
			admin := asUser(f.admin)
			r, err := env.App.CreateAppraisalRound(admin, nipp.AppraisalRound{Year: 2026, Name: "Đợt 1", PassMark: 5000,
				Criteria: []nipp.Criterion{{Code: "C1", Name: "Tính khả thi", Weight: 1, MaxScore: 100}}})
			mustOK(err)
			council, err = env.App.CreateCouncil(admin, r.ID, "Hội đồng A")
			mustOK(err)
			mustOK(env.App.AddCouncilMember(admin, council, f.appraiser.User.Email))
			mustOK(env.App.AddCouncilMember(admin, council, appraiser2.User.Email))
			mustOK(env.App.AssignToCouncil(admin, council, id))
			rr, err := env.App.AppraisalRound(admin, r.ID)
			mustOK(err)
			criteria = rr.Criteria
		}, "central", "appraiser", "appraiser2")
		step("a score", func() {
			mustOK(env.App.ScoreProject(asUser(f.appraiser), id, map[int64]int{criteria[0].ID: 80}))
		}, "central", "appraiser")
		if strings.Contains(before["appraiser2"], `"weighted"`) && strings.Count(before["appraiser2"], `"member"`) != 1 {
			t.Errorf("the second appraiser sees other members' scores: %s", before["appraiser2"])
		}
		step("a score changed", func() {
			mustOK(env.App.ScoreProject(asUser(f.appraiser), id, map[int64]int{criteria[0].ID: 60}))
		}, "central", "appraiser")
		step("a conflict", func() { mustOK(env.App.DeclareConflict(asUser(appraiser2), id, "người nhà")) }, "central", "appraiser2")
		step("a council member's e-mail", func() {
			storetest.MustExec(t, db, `UPDATE users SET email = 'tham-dinh-moi@test.nipp' WHERE id = $1`, appraiser2.User.ID)
		}, "central")
		step("approved (caps, decision, published)", func() { transition("approve") }, "central", "provincial", "other province")
		step("an organization's name", func() {
			storetest.MustExec(t, db, `UPDATE organizations SET name_vi = name_vi || ' (mới)' WHERE code = 'TTKC-01'`)
		}, "central", "provincial")
		step("started", func() { transition("start") }, "central", "provincial")
		step("accepted (actual outputs)", func() { transition("accept") }, "central", "provincial")
	})
}

// sameJSON reports whether a and b encode to the same JSON, taking null for
// an empty list or object (the API sends every list, even empty).
func sameJSON(a, b any) bool {
	decode := func(v any) any {
		j, err := json.Marshal(v)
		if err != nil {
			return err.Error()
		}
		var out any
		json.Unmarshal(j, &out)
		return out
	}
	var norm func(v any) any
	norm = func(v any) any {
		switch v := v.(type) {
		case []any:
			if len(v) == 0 {
				return nil
			}
			for i := range v {
				v[i] = norm(v[i])
			}
		case map[string]any:
			if len(v) == 0 {
				return nil
			}
			for k := range v {
				v[k] = norm(v[k])
			}
		}
		return v
	}
	return reflect.DeepEqual(norm(decode(a)), norm(decode(b)))
}
