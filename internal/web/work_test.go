package web_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/vntext"
	"nipp/internal/web/webtest"
)

// signIn opens the login page as a browser does, types the e-mail and
// password, submits the form as rendered and returns the client and the
// page it lands on.
func signIn(t *testing.T, env *webtest.Env, role nipp.Role, provinces ...string) (*webtest.Client, *webtest.Page) {
	t.Helper()
	u := env.CreateUser(role, provinces...)
	c := env.Anonymous()
	p := c.Open("/login").Form("/login").Set("email", u.Email).Set("password", webtest.Password).Submit()
	if p.Status != http.StatusOK {
		t.Fatalf("sign-in as %s: landed on %s with status %d", role, p.Path(), p.Status)
	}
	c.User = u
	return c, p
}

func sqlExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	ctx := context.Background()
	if err := db.WriteTx(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, q, args...); return err }); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func sqlInsert(t *testing.T, db *store.DB, q string, args ...any) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := db.WriteTx(ctx, func(tx *store.Tx) (err error) { id, err = tx.InsertID(ctx, q, args...); return err }); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// projectIn inserts a national project of the province in a state, pinned
// to the embedded rule set ND235-2025 (the ministry approves national
// projects, the central agency accepts and settles them; the province
// decides local ones).
func projectIn(t *testing.T, db *store.DB, province string, state nipp.ProjectState, published bool) webtest.Record {
	t.Helper()
	rec := webtest.InsertProject(t, db, province, published)
	sqlExec(t, db, `UPDATE projects SET state = $1, rule_set_id = (SELECT id FROM rule_sets WHERE code = 'ND235-2025'),
		program_id = (SELECT id FROM programs WHERE level = 'national' ORDER BY id LIMIT 1) WHERE id = $2`, string(state), rec.ID)
	return rec
}

// localProjectIn is projectIn under a local program of the province.
func localProjectIn(t *testing.T, db *store.DB, province string, state nipp.ProjectState, published bool) webtest.Record {
	t.Helper()
	rec := projectIn(t, db, province, state, published)
	prog := webtest.InsertLocalProgram(t, db, province, true)
	sqlExec(t, db, `UPDATE projects SET program_id = (SELECT id FROM programs WHERE code = $1) WHERE id = $2`, prog.Code, rec.ID)
	return rec
}

// section is the visible text of the page's element with the id.
func section(t *testing.T, p *webtest.Page, id string) string {
	t.Helper()
	s, ok := p.ElementText(id)
	if !ok {
		t.Fatalf("%s: no section %q", p.Path(), id)
	}
	return s
}

// hasLink reports whether the page links to href (as written).
func hasLink(p *webtest.Page, href string) bool {
	for _, l := range p.Links() {
		if l.Href == href {
			return true
		}
	}
	return false
}

func wantIn(t *testing.T, where, text string, want bool, what string) {
	t.Helper()
	if strings.Contains(where, text) != want {
		t.Errorf("%s: contains %q = %v, want %v", what, text, !want, want)
	}
}

// landsOn checks where sign-in took the user.
func landsOn(t *testing.T, p *webtest.Page, want string) {
	t.Helper()
	if p.Path() != want {
		t.Fatalf("landed on %q, want %q", p.Path(), want)
	}
}

// TestSignInLandsOnWork signs in through the login form as each role and
// checks where it lands and what its work page lists, against fixtures
// with counts written by hand.
func TestSignInLandsOnWork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		own, other := webtest.OwnProvince, webtest.OtherProvince
		// Province 01: 2 drafts, 1 returned, 1 approved (published), 1 in
		// implementation, 0 accepted, 1 submitted, and 1 local project in
		// implementation. Province 79: 1 draft, 1 approved (published),
		// 1 submitted, 1 under appraisal. All pinned to ND235-2025.
		d1, d2 := projectIn(t, db, own, nipp.StateDraft, false), projectIn(t, db, own, nipp.StateDraft, false)
		ret := projectIn(t, db, own, nipp.StateReturned, false)
		appr := projectIn(t, db, own, nipp.StateApproved, true)
		impl := projectIn(t, db, own, nipp.StateInImplementation, true)
		implLocal := localProjectIn(t, db, own, nipp.StateInImplementation, true)
		sub1 := projectIn(t, db, own, nipp.StateSubmitted, false)
		dOther := projectIn(t, db, other, nipp.StateDraft, false)
		apprOther := projectIn(t, db, other, nipp.StateApproved, true)
		sub2 := projectIn(t, db, other, nipp.StateSubmitted, false)
		under := projectIn(t, db, other, nipp.StateUnderAppraisal, false)

		t.Run("provincial", func(t *testing.T) {
			c, landed := signIn(t, env, nipp.RoleProvincial, own)
			landsOn(t, landed, "/work")
			// One import of theirs, one of someone else.
			sqlExec(t, db, `INSERT INTO import_jobs (kind, file_name, state, created_by, created_at, updated_at) VALUES ('establishments', 'co-so-ha-noi.xlsx', 'validated', $1, $2, $2)`, c.User.ID, db.Now())
			someone := env.CreateUser(nipp.RoleProvincial, other)
			sqlExec(t, db, `INSERT INTO import_jobs (kind, file_name, state, created_by, created_at, updated_at) VALUES ('establishments', 'khac.xlsx', 'done', $1, $2, $2)`, someone.ID, db.Now())

			r := c.Open("/work")
			drafts := section(t, r, "queue-draft")
			wantIn(t, drafts, "(2)", true, "drafts count")
			wantIn(t, drafts, d1.PublicID, true, "drafts")
			wantIn(t, drafts, d2.PublicID, true, "drafts")
			wantIn(t, drafts, dOther.PublicID, false, "drafts (other province)")
			wantIn(t, drafts, "gửi đề xuất", true, "drafts' action") // submit
			returned := section(t, r, "queue-returned")
			wantIn(t, returned, "(1)", true, "returned count")
			wantIn(t, returned, ret.PublicID, true, "returned")
			approved := section(t, r, "queue-approved")
			wantIn(t, approved, "(1)", true, "to start count")
			wantIn(t, approved, appr.PublicID, true, "to start")
			wantIn(t, approved, apprOther.PublicID, false, "to start (other province's published project)")
			if !hasLink(r, "/projects?state=approved&can=start&own=1") {
				t.Error("to start: no link to the list")
			}
			// The province accepts its local project; the central agency
			// accepts the national one, which the officer cannot accept.
			toAccept := section(t, r, "queue-in_implementation")
			wantIn(t, toAccept, "(1)", true, "to accept count")
			wantIn(t, toAccept, implLocal.PublicID, true, "to accept (local)")
			wantIn(t, toAccept, impl.PublicID, false, "to accept (national: the central agency's)")
			if !hasLink(r, "/projects?state=in_implementation&can=accept&own=1") {
				t.Error("to accept: no link to the list")
			}
			toAcceptList := c.Open("/projects?state=in_implementation&can=accept&own=1")
			wantIn(t, toAcceptList.Text(), "Tổng số: 1", true, "to accept list total")
			wantIn(t, toAcceptList.Text(), impl.PublicID, false, "to accept list (national)")
			// Nothing in the province waits for a decision it takes (no local
			// project submitted, none accepted): those queues are not shown.
			for _, id := range []string{"queue-submitted", "queue-under_appraisal", "queue-accepted"} {
				if _, ok := r.ElementText(id); ok {
					t.Errorf("%s on an officer's page with nothing in it", id)
				}
			}
			imports := section(t, r, "imports")
			wantIn(t, imports, "(1)", true, "imports count")
			wantIn(t, imports, "co-so-ha-noi.xlsx", true, "own import")
			wantIn(t, imports, "khac.xlsx", false, "someone else's import")

			// The queue's link lists the same projects, with the same total.
			l := r.Follow("Mở danh sách")
			if l.Path() != "/projects?state=draft&can=submit&own=1" {
				t.Errorf("first queue's link opened %s", l.Path())
			}
			wantIn(t, l.Text(), "Tổng số: 2", true, "own drafts list total")
			wantIn(t, l.Text(), dOther.PublicID, false, "own drafts list")
			ownApproved := c.Open("/projects?state=approved&own=1")
			wantIn(t, ownApproved.Text(), "Tổng số: 1", true, "own approved list total")
			wantIn(t, ownApproved.Text(), apprOther.PublicID, false, "own approved list")
			// Unticking "my provinces only" in the list's filter form
			// brings other provinces' published projects back.
			all := ownApproved.Form("/projects").Uncheck("own", "1").Submit()
			wantIn(t, all.Text(), "Tổng số: 2", true, "approved list total (with other provinces' published)")

			en := c.Open("/work?lang=en")
			wantIn(t, en.Text(), "Approved, to start", true, "English work page")
			wantIn(t, en.Text(), "Returned for revision", true, "English work page")
		})

		t.Run("central", func(t *testing.T) {
			// An open round (nothing assigned yet) and a closed one (its
			// only project decided).
			sqlInsert(t, db, `INSERT INTO appraisal_rounds (year, name, pass_mark, created_at) VALUES (2026, 'Đợt mở', 7000, $1)`, db.Now())
			closed := sqlInsert(t, db, `INSERT INTO appraisal_rounds (year, name, pass_mark, created_at) VALUES (2025, 'Đợt đã xong', 7000, $1)`, db.Now())
			council := sqlInsert(t, db, `INSERT INTO appraisal_councils (round_id, name) VALUES ($1, 'HĐ 1')`, closed)
			sqlExec(t, db, `INSERT INTO appraisal_assignments (project_id, council_id) VALUES ($1, $2)`, appr.ID, council)

			_, r := signIn(t, env, nipp.RoleCentral)
			landsOn(t, r, "/work")
			submitted := section(t, r, "queue-submitted")
			wantIn(t, submitted, "(2)", true, "submitted count")
			wantIn(t, submitted, sub1.PublicID, true, "submitted")
			wantIn(t, submitted, sub2.PublicID, true, "submitted")
			ua := section(t, r, "queue-under_appraisal")
			wantIn(t, ua, "(1)", true, "under appraisal count")
			wantIn(t, ua, under.PublicID, true, "under appraisal")
			// The central agency accepts and settles national projects:
			// their queues, without the province's local project.
			toAccept := section(t, r, "queue-in_implementation")
			wantIn(t, toAccept, "(1)", true, "to accept count")
			wantIn(t, toAccept, impl.PublicID, true, "to accept (national)")
			wantIn(t, toAccept, implLocal.PublicID, false, "to accept (local: the province's)")
			accepted := section(t, r, "queue-accepted")
			wantIn(t, accepted, "(0)", true, "to settle count")
			wantIn(t, accepted, "Không có đề án nào chờ quyết toán.", true, "to settle: empty state")
			rounds := section(t, r, "rounds")
			wantIn(t, rounds, "(1)", true, "open rounds count")
			wantIn(t, rounds, "Đợt mở", true, "open round")
			wantIn(t, rounds, "Đợt đã xong", false, "closed round")
			section(t, r, "plan")
			if !hasLink(r, "/plans/"+strconv.Itoa(env.App.PlanYear())) {
				t.Error("no link to this year's plan")
			}
			for _, id := range []string{"queue-draft", "users", "imports"} {
				if _, ok := r.ElementText(id); ok {
					t.Errorf("%s on a central officer's page", id)
				}
			}
			if p := r.Follow("Đợt mở"); p.Status != http.StatusOK {
				t.Errorf("open round's link: %d", p.Status)
			}
		})

		t.Run("appraiser", func(t *testing.T) {
			u := env.CreateUser(nipp.RoleAppraiser)
			round := sqlInsert(t, db, `INSERT INTO appraisal_rounds (year, name, pass_mark, created_at) VALUES (2026, 'Đợt chấm', 7000, $1)`, db.Now())
			crit1 := sqlInsert(t, db, `INSERT INTO appraisal_criteria (round_id, code, name, weight, max_score) VALUES ($1, 'A', 'Tính cần thiết', 1, 10)`, round)
			crit2 := sqlInsert(t, db, `INSERT INTO appraisal_criteria (round_id, code, name, weight, max_score) VALUES ($1, 'B', 'Hiệu quả', 1, 10)`, round)
			council := sqlInsert(t, db, `INSERT INTO appraisal_councils (round_id, name) VALUES ($1, 'HĐ chấm')`, round)
			sqlExec(t, db, `INSERT INTO appraisal_members (council_id, user_id) VALUES ($1, $2)`, council, u.ID)
			// Three projects on the council: one scored on both criteria,
			// one on one criterion only (still to score), one not at all.
			p1, p2, p3 := projectIn(t, db, own, nipp.StateUnderAppraisal, false), projectIn(t, db, own, nipp.StateUnderAppraisal, false), projectIn(t, db, other, nipp.StateUnderAppraisal, false)
			for _, p := range []webtest.Record{p1, p2, p3} {
				sqlExec(t, db, `INSERT INTO appraisal_assignments (project_id, council_id) VALUES ($1, $2)`, p.ID, council)
			}
			for _, s := range []struct {
				p    webtest.Record
				crit int64
			}{{p1, crit1}, {p1, crit2}, {p2, crit1}} {
				sqlExec(t, db, `INSERT INTO appraisal_scores (project_id, user_id, criterion_id, score, scored_at) VALUES ($1, $2, $3, 8, $4)`, s.p.ID, u.ID, s.crit, db.Now())
			}
			// A project of another council is not theirs.
			notMine := projectIn(t, db, own, nipp.StateUnderAppraisal, false)
			otherCouncil := sqlInsert(t, db, `INSERT INTO appraisal_councils (round_id, name) VALUES ($1, 'HĐ khác')`, round)
			sqlExec(t, db, `INSERT INTO appraisal_assignments (project_id, council_id) VALUES ($1, $2)`, notMine.ID, otherCouncil)

			c := env.Anonymous()
			r := c.Open("/login").Form("/login").Set("email", u.Email).Set("password", webtest.Password).Submit()
			landsOn(t, r, "/work")
			toScore := section(t, r, "to-score")
			wantIn(t, toScore, "(2)", true, "to score count")
			wantIn(t, toScore, p2.PublicID, true, "to score (half scored)")
			wantIn(t, toScore, p3.PublicID, true, "to score")
			wantIn(t, toScore, "đã chấm 1/2 tiêu chí", true, "progress")
			scored := section(t, r, "scored")
			wantIn(t, scored, "(1)", true, "scored count")
			wantIn(t, scored, p1.PublicID, true, "scored")
			wantIn(t, r.Text(), notMine.PublicID, false, "another council's project")
			if p := r.Follow(p2.PublicID); p.Status != http.StatusOK || !p.HasForm("/projects/"+p2.PublicID+"/scores") {
				t.Errorf("assigned project's link: %d, scoring form: %v", p.Status, p.HasForm("/projects/"+p2.PublicID+"/scores"))
			}
		})

		t.Run("auditor", func(t *testing.T) {
			_, r := signIn(t, env, nipp.RoleAuditor)
			landsOn(t, r, "/audit")
		})

		t.Run("admin", func(t *testing.T) {
			_, r := signIn(t, env, nipp.RoleAdmin)
			landsOn(t, r, "/work")
			// Accounts so far: provincial x2, central, appraiser, auditor,
			// admin (this one).
			users := section(t, r, "users")
			wantIn(t, users, "(6)", true, "accounts count")
			if !hasLink(r, "/admin/users?role=provincial") {
				t.Error("no link to the accounts of a role")
			}
			wantIn(t, section(t, r, "queue-submitted"), "(2)", true, "the central view: submitted")
			section(t, r, "rounds")
		})

		t.Run("next wins", func(t *testing.T) {
			u := env.CreateUser(nipp.RoleProvincial, own)
			c := env.Anonymous()
			// An anonymous visit to a page asks for sign-in and returns there.
			r := c.Open("/establishments?q=gom").Form("/login").Set("email", u.Email).Set("password", webtest.Password).Submit()
			landsOn(t, r, "/establishments?q=gom")
		})
	})
}

// TestNavigationPerRole: each role's main navigation holds exactly the
// pages it may use (lists written by hand from the roles), and every link
// answers 200 for it.
func TestNavigationPerRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		public := []string{"/", "/programs", "/rule-sets", "/organizations"}
		reader := []string{"/", "/work", "/establishments", "/establishments/duplicates", "/projects", "/plans", "/progress", "/programs", "/rule-sets", "/organizations"}
		want := map[nipp.Role][]string{
			nipp.RolePublic:     public,
			nipp.RoleAdmin:      {"/", "/work", "/establishments", "/establishments/duplicates", "/imports/establishments", "/projects", "/appraisal", "/plans", "/ledger", "/progress", "/programs", "/rule-sets", "/organizations", "/audit", "/admin/users"},
			nipp.RoleCentral:    {"/", "/work", "/establishments", "/establishments/duplicates", "/imports/establishments", "/projects", "/appraisal", "/plans", "/ledger", "/progress", "/programs", "/rule-sets", "/organizations"},
			nipp.RoleProvincial: {"/", "/work", "/establishments", "/establishments/duplicates", "/imports/establishments", "/projects", "/plans", "/ledger", "/progress", "/programs", "/rule-sets", "/organizations"},
			nipp.RoleAppraiser:  reader,
			nipp.RoleAuditor:    {"/", "/work", "/establishments", "/establishments/duplicates", "/projects", "/plans", "/ledger", "/progress", "/programs", "/rule-sets", "/organizations", "/audit"},
		}
		for _, role := range append([]nipp.Role{nipp.RolePublic}, nipp.Roles()...) {
			t.Run(string(role)+"_", func(t *testing.T) {
				c := env.Anonymous()
				var page *webtest.Page
				switch role {
				case nipp.RolePublic:
					page = c.Open("/")
				case nipp.RoleProvincial:
					c, page = signIn(t, env, role, webtest.OwnProvince)
				default:
					c, page = signIn(t, env, role)
				}
				m := navRe.FindStringSubmatch(page.Body)
				if m == nil {
					t.Fatal("no main navigation")
				}
				var got []string
				for _, h := range hrefRe.FindAllStringSubmatch(m[1], -1) {
					got = append(got, h[1])
				}
				if !slices.Equal(got, want[role]) {
					t.Errorf("navigation\n got %v\nwant %v", got, want[role])
				}
				if hasLink(page, "/account") != (role != nipp.RolePublic) {
					t.Errorf("account link shown: %v", !hasLink(page, "/account"))
				}
				if role != nipp.RolePublic {
					got = append(got, "/account")
				}
				for _, href := range got {
					if r := c.Open(href); r.Status != http.StatusOK {
						t.Errorf("%s: %d", href, r.Status)
					}
				}
			})
		}
	})
}

var navRe = regexp.MustCompile(`(?s)<nav aria-label="main">(.*?)</nav>`)
var hrefRe = regexp.MustCompile(`href="([^"]*)"`)

// estNamed inserts an establishment with a name in a province (2025 code).
func estNamed(t *testing.T, db *store.DB, province, name string, published bool) string {
	t.Helper()
	ctx := context.Background()
	id := "E" + strconv.FormatInt(int64(len(name))*1000003+int64(len(province)), 36) + strings.ReplaceAll(vntext.Fold(name), " ", "")
	if len(id) > 30 {
		id = id[:30]
	}
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		pid, err := tx.ProvinceID(ctx, province, store.Gen2025)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO establishments (public_id, name, name_fold, legal_form, province_id, orig_province_id, published, recorded_on, version, created_at, updated_at)
			VALUES ($1, $2, $3, 'household', $4, $4, $5, $6, 1, $7, $7)`, id, name, vntext.Fold(name), pid, published, tx.Now().Format("2006-01-02"), tx.Now())
		return err
	})
	if err != nil {
		t.Fatalf("inserting %s: %v", name, err)
	}
	return id
}
