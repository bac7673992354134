package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
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

// htmlForm is a form as a page renders it: where it goes and the values a
// browser would send without the user typing (hidden fields, pre-filled
// inputs, checked boxes).
type htmlForm struct {
	Method, Action string
	Values         url.Values
	Body           string
}

var (
	formRe  = regexp.MustCompile(`(?s)<form([^>]*)>(.*?)</form>`)
	inputRe = regexp.MustCompile(`<input([^>]*)>`)
)

func attr(tag, name string) (string, bool) {
	m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return "", strings.Contains(tag, " "+name+" ") || strings.HasSuffix(tag, " "+name)
	}
	return html.UnescapeString(m[1]), true
}

// formsOf returns the forms of a page.
func formsOf(body string) []htmlForm {
	var out []htmlForm
	for _, m := range formRe.FindAllStringSubmatch(body, -1) {
		f := htmlForm{Values: url.Values{}, Body: m[2]}
		f.Method, _ = attr(m[1], "method")
		f.Action, _ = attr(m[1], "action")
		for _, in := range inputRe.FindAllStringSubmatch(m[2], -1) {
			name, ok := attr(in[1], "name")
			if !ok {
				continue
			}
			typ, _ := attr(in[1], "type")
			if (typ == "checkbox" || typ == "radio") && !strings.Contains(in[1], " checked") {
				continue
			}
			v, _ := attr(in[1], "value")
			f.Values.Add(name, v)
		}
		out = append(out, f)
	}
	return out
}

// formWith returns the first form whose action has the prefix and whose
// markup contains text.
func formWith(t *testing.T, body, action, text string) htmlForm {
	t.Helper()
	for _, f := range formsOf(body) {
		if strings.HasPrefix(f.Action, action) && strings.Contains(f.Body, text) {
			return f
		}
	}
	t.Fatalf("no form to %s containing %q", action, text)
	return htmlForm{}
}

// signIn opens the login page as a browser would, fills in the e-mail and
// password, submits the form with its hidden fields and returns the client
// and where the server sent it.
func signIn(t *testing.T, env *webtest.Env, role nipp.Role, provinces ...string) (*webtest.Client, string) {
	t.Helper()
	u := env.CreateUser(role, provinces...)
	c := env.Anonymous()
	f := formWith(t, c.Get("/login").Body, "/login", "password")
	f.Values.Set("email", u.Email)
	f.Values.Set("password", webtest.Password)
	r := c.PostForm(f.Action, f.Values)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: status %d", role, r.Status)
	}
	c.User = u
	return c, r.Header.Get("Location")
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

// projectIn inserts a project of the province in a state.
func projectIn(t *testing.T, db *store.DB, province string, state nipp.ProjectState, published bool) webtest.Record {
	t.Helper()
	rec := webtest.InsertProject(t, db, province, published)
	sqlExec(t, db, `UPDATE projects SET state = $1 WHERE id = $2`, string(state), rec.ID)
	return rec
}

// section returns the part of a page from the element with the id to the
// end of its section.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no section %q in the page", id)
	}
	s := body[i:]
	if j := strings.Index(s, "</section>"); j >= 0 {
		s = s[:j]
	}
	return s
}

func wantIn(t *testing.T, where, text string, want bool, what string) {
	t.Helper()
	if strings.Contains(where, text) != want {
		t.Errorf("%s: contains %q = %v, want %v", what, text, !want, want)
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
		// implementation, 0 accepted, 1 submitted. Province 79: 1 draft,
		// 1 approved (published), 1 submitted, 1 under appraisal.
		d1, d2 := projectIn(t, db, own, nipp.StateDraft, false), projectIn(t, db, own, nipp.StateDraft, false)
		ret := projectIn(t, db, own, nipp.StateReturned, false)
		appr := projectIn(t, db, own, nipp.StateApproved, true)
		impl := projectIn(t, db, own, nipp.StateInImplementation, true)
		sub1 := projectIn(t, db, own, nipp.StateSubmitted, false)
		dOther := projectIn(t, db, other, nipp.StateDraft, false)
		apprOther := projectIn(t, db, other, nipp.StateApproved, true)
		sub2 := projectIn(t, db, other, nipp.StateSubmitted, false)
		under := projectIn(t, db, other, nipp.StateUnderAppraisal, false)

		t.Run("provincial", func(t *testing.T) {
			c, to := signIn(t, env, nipp.RoleProvincial, own)
			if to != "/work" {
				t.Fatalf("provincial officer landed on %q, want /work", to)
			}
			// One import of theirs, one of someone else.
			sqlExec(t, db, `INSERT INTO import_jobs (kind, file_name, state, created_by, created_at, updated_at) VALUES ('establishments', 'co-so-ha-noi.xlsx', 'validated', $1, $2, $2)`, c.User.ID, db.Now())
			someone := env.CreateUser(nipp.RoleProvincial, other)
			sqlExec(t, db, `INSERT INTO import_jobs (kind, file_name, state, created_by, created_at, updated_at) VALUES ('establishments', 'khac.xlsx', 'done', $1, $2, $2)`, someone.ID, db.Now())

			r := c.Get(to)
			if r.Status != http.StatusOK {
				t.Fatalf("GET /work: %d", r.Status)
			}
			drafts := section(t, r.Body, "queue-draft")
			wantIn(t, drafts, "(2)", true, "drafts count")
			wantIn(t, drafts, d1.PublicID, true, "drafts")
			wantIn(t, drafts, d2.PublicID, true, "drafts")
			wantIn(t, drafts, dOther.PublicID, false, "drafts (other province)")
			wantIn(t, drafts, "gửi đề xuất", true, "drafts' action") // submit
			returned := section(t, r.Body, "queue-returned")
			wantIn(t, returned, "(1)", true, "returned count")
			wantIn(t, returned, ret.PublicID, true, "returned")
			approved := section(t, r.Body, "queue-approved")
			wantIn(t, approved, "(1)", true, "to start count")
			wantIn(t, approved, appr.PublicID, true, "to start")
			wantIn(t, approved, apprOther.PublicID, false, "to start (other province's published project)")
			wantIn(t, approved, `href="/projects?state=approved&amp;own=1"`, true, "to start: link to the list")
			wantIn(t, section(t, r.Body, "queue-in_implementation"), impl.PublicID, true, "to accept")
			accepted := section(t, r.Body, "queue-accepted")
			wantIn(t, accepted, "(0)", true, "to settle count")
			wantIn(t, accepted, "Không có đề án nào chờ quyết toán.", true, "to settle: empty state")
			wantIn(t, r.Body, `id="queue-submitted"`, false, "the ministry's queue on an officer's page")
			imports := section(t, r.Body, "imports")
			wantIn(t, imports, "(1)", true, "imports count")
			wantIn(t, imports, "co-so-ha-noi.xlsx", true, "own import")
			wantIn(t, imports, "khac.xlsx", false, "someone else's import")

			// The queue's link lists the same projects, with the same total.
			l := c.Get("/projects?state=approved&own=1")
			wantIn(t, l.Body, "Tổng số: 1", true, "own approved list total")
			wantIn(t, l.Body, apprOther.PublicID, false, "own approved list")
			all := c.Get("/projects?state=approved")
			wantIn(t, all.Body, "Tổng số: 2", true, "approved list total (with other provinces' published)")

			en := c.Get("/work?lang=en")
			wantIn(t, en.Body, "Approved, to start", true, "English work page")
			wantIn(t, en.Body, "No project waits for settlement.", true, "English empty state")
		})

		t.Run("central", func(t *testing.T) {
			// An open round (nothing assigned yet) and a closed one (its
			// only project decided).
			openRound := sqlInsert(t, db, `INSERT INTO appraisal_rounds (year, name, pass_mark, created_at) VALUES (2026, 'Đợt mở', 7000, $1)`, db.Now())
			closed := sqlInsert(t, db, `INSERT INTO appraisal_rounds (year, name, pass_mark, created_at) VALUES (2025, 'Đợt đã xong', 7000, $1)`, db.Now())
			council := sqlInsert(t, db, `INSERT INTO appraisal_councils (round_id, name) VALUES ($1, 'HĐ 1')`, closed)
			sqlExec(t, db, `INSERT INTO appraisal_assignments (project_id, council_id) VALUES ($1, $2)`, appr.ID, council)

			c, to := signIn(t, env, nipp.RoleCentral)
			if to != "/work" {
				t.Fatalf("central officer landed on %q, want /work", to)
			}
			r := c.Get(to)
			submitted := section(t, r.Body, "queue-submitted")
			wantIn(t, submitted, "(2)", true, "submitted count")
			wantIn(t, submitted, sub1.PublicID, true, "submitted")
			wantIn(t, submitted, sub2.PublicID, true, "submitted")
			ua := section(t, r.Body, "queue-under_appraisal")
			wantIn(t, ua, "(1)", true, "under appraisal count")
			wantIn(t, ua, under.PublicID, true, "under appraisal")
			rounds := section(t, r.Body, "rounds")
			wantIn(t, rounds, "(1)", true, "open rounds count")
			wantIn(t, rounds, "/appraisal/"+strconv.FormatInt(openRound, 10), true, "open round")
			wantIn(t, rounds, "Đợt đã xong", false, "closed round")
			plan := section(t, r.Body, "plan")
			wantIn(t, plan, `href="/plans/`+strconv.Itoa(env.App.PlanYear())+`"`, true, "this year's plan")
			wantIn(t, r.Body, `id="queue-draft"`, false, "drafts on the ministry's page")
			wantIn(t, r.Body, `id="users"`, false, "users on a central officer's page")
		})

		t.Run("appraiser", func(t *testing.T) {
			c, to := signIn(t, env, nipp.RoleAppraiser)
			if to != "/work" {
				t.Fatalf("appraiser landed on %q, want /work", to)
			}
			round := sqlInsert(t, db, `INSERT INTO appraisal_rounds (year, name, pass_mark, created_at) VALUES (2026, 'Đợt chấm', 7000, $1)`, db.Now())
			crit1 := sqlInsert(t, db, `INSERT INTO appraisal_criteria (round_id, code, name, weight, max_score) VALUES ($1, 'A', 'Tính cần thiết', 1, 10)`, round)
			crit2 := sqlInsert(t, db, `INSERT INTO appraisal_criteria (round_id, code, name, weight, max_score) VALUES ($1, 'B', 'Hiệu quả', 1, 10)`, round)
			council := sqlInsert(t, db, `INSERT INTO appraisal_councils (round_id, name) VALUES ($1, 'HĐ chấm')`, round)
			sqlExec(t, db, `INSERT INTO appraisal_members (council_id, user_id) VALUES ($1, $2)`, council, c.User.ID)
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
				sqlExec(t, db, `INSERT INTO appraisal_scores (project_id, user_id, criterion_id, score, scored_at) VALUES ($1, $2, $3, 8, $4)`, s.p.ID, c.User.ID, s.crit, db.Now())
			}
			// A project of another council is not theirs.
			notMine := projectIn(t, db, own, nipp.StateUnderAppraisal, false)
			other := sqlInsert(t, db, `INSERT INTO appraisal_councils (round_id, name) VALUES ($1, 'HĐ khác')`, round)
			sqlExec(t, db, `INSERT INTO appraisal_assignments (project_id, council_id) VALUES ($1, $2)`, notMine.ID, other)

			r := c.Get(to)
			toScore := section(t, r.Body, "to-score")
			wantIn(t, toScore, "(2)", true, "to score count")
			wantIn(t, toScore, p2.PublicID, true, "to score (half scored)")
			wantIn(t, toScore, p3.PublicID, true, "to score")
			wantIn(t, toScore, "đã chấm 1/2 tiêu chí", true, "progress")
			scored := section(t, r.Body, "scored")
			wantIn(t, scored, "(1)", true, "scored count")
			wantIn(t, scored, p1.PublicID, true, "scored")
			wantIn(t, r.Body, notMine.PublicID, false, "another council's project")
			if got := c.Get("/projects/" + p2.PublicID); got.Status != http.StatusOK {
				t.Errorf("assigned project's link: %d", got.Status)
			}
		})

		t.Run("auditor", func(t *testing.T) {
			c, to := signIn(t, env, nipp.RoleAuditor)
			if to != "/audit" {
				t.Fatalf("auditor landed on %q, want /audit", to)
			}
			if r := c.Get(to); r.Status != http.StatusOK {
				t.Fatalf("GET /audit: %d", r.Status)
			}
		})

		t.Run("admin", func(t *testing.T) {
			c, to := signIn(t, env, nipp.RoleAdmin)
			if to != "/work" {
				t.Fatalf("administrator landed on %q, want /work", to)
			}
			r := c.Get(to)
			// Accounts so far: provincial x2, central, appraiser, auditor,
			// admin (this one).
			users := section(t, r.Body, "users")
			wantIn(t, users, "(6)", true, "accounts count")
			wantIn(t, users, `href="/admin/users?role=provincial"`, true, "accounts by role")
			wantIn(t, section(t, r.Body, "queue-submitted"), "(2)", true, "the central view: submitted")
			wantIn(t, r.Body, `id="rounds"`, true, "the central view: rounds")
		})

		t.Run("next wins", func(t *testing.T) {
			u := env.CreateUser(nipp.RoleProvincial, own)
			c := env.Anonymous()
			f := formWith(t, c.Get("/login?next=/establishments").Body, "/login", "password")
			f.Values.Set("email", u.Email)
			f.Values.Set("password", webtest.Password)
			if r := c.PostForm(f.Action, f.Values); r.Header.Get("Location") != "/establishments" {
				t.Errorf("with next=/establishments: landed on %q", r.Header.Get("Location"))
			}
		})
	})
}

var navRe = regexp.MustCompile(`(?s)<nav aria-label="main">(.*?)</nav>`)
var hrefRe = regexp.MustCompile(`href="([^"]*)"`)

// TestNavigationPerRole: each role's main navigation holds exactly the
// pages it may use (lists written by hand from the roles), and every link
// answers 200 for it.
func TestNavigationPerRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		public := []string{"/", "/programs", "/rule-sets", "/organizations"}
		reader := []string{"/", "/work", "/establishments", "/establishments/duplicates", "/projects", "/plans", "/programs", "/rule-sets", "/organizations"}
		want := map[nipp.Role][]string{
			nipp.RolePublic:     public,
			nipp.RoleAdmin:      {"/", "/work", "/establishments", "/establishments/duplicates", "/imports/establishments", "/projects", "/appraisal", "/plans", "/programs", "/rule-sets", "/organizations", "/audit", "/admin/users"},
			nipp.RoleCentral:    {"/", "/work", "/establishments", "/establishments/duplicates", "/imports/establishments", "/projects", "/appraisal", "/plans", "/programs", "/rule-sets", "/organizations"},
			nipp.RoleProvincial: {"/", "/work", "/establishments", "/establishments/duplicates", "/imports/establishments", "/projects", "/plans", "/programs", "/rule-sets", "/organizations"},
			nipp.RoleAppraiser:  reader,
			nipp.RoleAuditor:    append(slices.Clone(reader), "/audit"),
		}
		for _, role := range append([]nipp.Role{nipp.RolePublic}, nipp.Roles()...) {
			t.Run(string(role)+"_", func(t *testing.T) {
				c, page := env.Anonymous(), "/"
				switch role {
				case nipp.RolePublic:
				case nipp.RoleProvincial:
					c, page = signIn(t, env, role, webtest.OwnProvince)
				default:
					c, page = signIn(t, env, role)
				}
				body := c.Get(page).Body
				m := navRe.FindStringSubmatch(body)
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
				wantIn(t, body, `href="/account"`, role != nipp.RolePublic, "account link")
				for _, href := range append(got, "/account") {
					if href == "/account" && role == nipp.RolePublic {
						continue
					}
					r := c.Get(href)
					for i := 0; i < 3 && r.Status == http.StatusSeeOther; i++ {
						r = c.Get(r.Header.Get("Location"))
					}
					if r.Status != http.StatusOK {
						t.Errorf("%s: %d", href, r.Status)
					}
				}
			})
		}
	})
}

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
