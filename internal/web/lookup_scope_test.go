package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// insertEstablishmentIn inserts an establishment with a tax code in a
// province (2025 code) and returns its public id.
func insertEstablishmentIn(t *testing.T, db *store.DB, publicID, name, taxCode, province string, published bool) {
	t.Helper()
	storetest.MustExec(t, db, `INSERT INTO establishments (public_id, name, name_fold, legal_form, tax_code, province_id, orig_province_id,
		published, recorded_on, created_at, updated_at) VALUES ($1, $2, $3, 'cooperative', $4,
		(SELECT id FROM admin_units WHERE level = 'province' AND code = $5 AND generation = 2025),
		(SELECT id FROM admin_units WHERE level = 'province' AND code = $5 AND generation = 2025), $6, '2025-01-01', $7, $7)`,
		publicID, name, strings.ToLower(name), taxCode, province, published, time.Now().UTC())
}

// refusedID matches the address a refused form is kept under.
var refusedID = regexp.MustCompile(`/refused/[A-Za-z0-9_-]+`)

// addBeneficiaryByForm opens the project page and submits its "add
// beneficiary" form with key typed in; the page that answers has what the
// user typed (key) replaced by KEY, so that two answers can be compared.
func addBeneficiaryByForm(t *testing.T, c *webtest.Client, id, key string) *webtest.Page {
	t.Helper()
	p := c.Open("/projects/"+id).Form("/projects/"+id+"/beneficiaries").Set("establishment", key).Submit()
	p.Body = strings.ReplaceAll(p.Body, `value="`+key+`"`, `value="KEY"`)
	return p
}

// Issue 16, attack 4: a provincial officer adding another province's
// unpublished establishment by tax code got a refusal naming it, and
// "not found" for an unknown code. Now both get one answer naming nothing.
func TestBeneficiaryLookupNamesNothing(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const secret = "Xưởng gốm Bí Mật"
		insertEstablishmentIn(t, db, "cs-secret79", secret, "7900000001", "79", false)
		insertEstablishmentIn(t, db, "cs-public79", "Xưởng gốm Công Khai", "7900000002", "79", true)
		p := f.create(proposal(200_000_000, 300_000_000))
		path := "/api/v1/projects/" + p.PublicID + "/beneficiaries"
		add := func(key string) *webtest.Response {
			return f.prov.SendJSON("POST", path, map[string]any{"version": p.Version, "establishment": key})
		}
		for _, pair := range [][2]string{{"7900000001", "7900000009"}, {"cs-secret79", "cs-nothing"}} {
			theirs, none := add(pair[0]), add(pair[1])
			if theirs.Status != http.StatusUnprocessableEntity || theirs.Body != none.Body || none.Status != theirs.Status {
				t.Errorf("%s: %d %s\nunknown %s: %d %s", pair[0], theirs.Status, theirs.Body, pair[1], none.Status, none.Body)
			}
			for _, leak := range []string{secret, "Bí Mật", "79", pair[0], pair[1]} {
				if strings.Contains(theirs.Body, leak) {
					t.Errorf("the answer names %q: %s", leak, theirs.Body)
				}
			}
			// The page's form gives one answer too.
			theirPage, nonePage := addBeneficiaryByForm(t, f.prov, p.PublicID, pair[0]), addBeneficiaryByForm(t, f.prov, p.PublicID, pair[1])
			// A refused form is kept under its own /refused/{id}, and keeps
			// what was typed: the id and the key differ, nothing else may.
			same := refusedID.ReplaceAllString(theirPage.Body, "/refused/ID") == refusedID.ReplaceAllString(nonePage.Body, "/refused/ID")
			if theirPage.Status != http.StatusUnprocessableEntity || !same || strings.Contains(theirPage.Body, "Bí Mật") {
				t.Errorf("form: %s: %d, %s: %d, bodies identical: %v", pair[0], theirPage.Status, pair[1], nonePage.Status, same)
			}
		}
		// A published establishment of another province is visible: the
		// refusal may name it (it is outside the project's provinces).
		if r := add("7900000002"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Công Khai") {
			t.Errorf("published, other province: %d %s", r.Status, r.Body)
		}
		// The ministry sees everything: the same key is found (and refused
		// for being outside the project's provinces, by name).
		if r := f.central.SendJSON("POST", path, map[string]any{"version": p.Version, "establishment": "7900000001"}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Bí Mật") {
			t.Errorf("central: %d %s", r.Status, r.Body)
		}
		// Removing: a key that is not a beneficiary gets one answer, whether
		// or not it exists.
		del := func(key string) *webtest.Response {
			return f.prov.SendJSON("DELETE", path+"/"+key+"?version="+strconvFormat(int64(p.Version)), nil)
		}
		theirs, none := del("cs-secret79"), del("cs-nothing")
		if theirs.Status != http.StatusUnprocessableEntity || theirs.Body != none.Body || strings.Contains(theirs.Body, "Bí Mật") {
			t.Errorf("remove: %d %s / %d %s", theirs.Status, theirs.Body, none.Status, none.Body)
		}
		// An own establishment is still added and removed by tax code.
		if r := add("0100000000"); r.Status != http.StatusOK {
			t.Fatalf("own establishment: %d %s", r.Status, r.Body)
		}
		if r := f.prov.SendJSON("DELETE", path+"/0100000000?version="+strconvFormat(int64(p.Version+1)), nil); r.Status != http.StatusOK {
			t.Errorf("remove own by tax code: %d %s", r.Status, r.Body)
		}
	})
}

// Naming another province in other_provinces gave reach into it; and the
// implementing organization could be another province's.
func TestProjectProvincesWithinScope(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		in := proposal(200_000_000, 300_000_000)
		in.OtherProvinces = []string{"79"}
		r := f.prov.SendJSON("POST", "/api/v1/projects", in)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "other_provinces") {
			t.Errorf("other province 79: %d %s", r.Status, r.Body)
		}
		form := url.Values{"program": {"NIPP-2026-2030"}, "year": {"2026"}, "title": {"Máy cắt"}, "activity_type": {"MACHINERY"},
			"implementing_org": {"TTKC-01"}, "province": {"01"}, "other_provinces": {"79"}, "area_category": {"ordinary"},
			"budget_national": {"200.000.000"}, "budget_reciprocal": {"300.000.000"}, "op": {"save"}}
		if r := f.prov.PostForm("/projects", form); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("form with other province 79: %d", r.Status)
		}
		// Another province's organization cannot implement it; the
		// province's own and a central one can.
		in = proposal(200_000_000, 300_000_000)
		in.ImplementingOrg = "TTKC-79"
		if r := f.prov.SendJSON("POST", "/api/v1/projects", in); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "implementing_org") {
			t.Errorf("organization of 79: %d %s", r.Status, r.Body)
		}
		if n := countProjects(t, db); n != 0 {
			t.Fatalf("%d projects stored, want 0", n)
		}
		in.ImplementingOrg = "CUC-KC"
		f.create(in)
		// The ministry may make a project span 01 and 79; the province's
		// officer may still edit it (79 is kept), without reach into 79.
		in = proposal(200_000_000, 300_000_000)
		in.OtherProvinces = []string{"79"}
		r = f.central.SendJSON("POST", "/api/v1/projects", in)
		if r.Status != http.StatusCreated {
			t.Fatalf("central, 01 and 79: %d %s", r.Status, r.Body)
		}
		var p nipp.Project
		r.JSON(t, &p)
		in.Version, in.Title = p.Version, "Đề án liên tỉnh"
		if r := f.prov.SendJSON("PUT", "/api/v1/projects/"+p.PublicID, in); r.Status != http.StatusOK {
			t.Errorf("officer edits a project the ministry extended to 79: %d %s", r.Status, r.Body)
		}
		in.Version++
		in.OtherProvinces = []string{"79", "04"}
		if r := f.prov.SendJSON("PUT", "/api/v1/projects/"+p.PublicID, in); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("officer adds 04: %d %s", r.Status, r.Body)
		}
		insertEstablishmentIn(t, db, "cs-secret79", "Xưởng gốm Bí Mật", "7900000001", "79", false)
		r = f.prov.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/beneficiaries", map[string]any{"version": in.Version, "establishment": "7900000001"})
		if r.Status != http.StatusUnprocessableEntity || strings.Contains(r.Body, "Bí Mật") {
			t.Errorf("79's unpublished establishment through a project spanning 79: %d %s", r.Status, r.Body)
		}
	})
}

// A central officer seating council members learns nothing about which
// e-mails have accounts: "no account" and "not an appraiser" are one answer.
func TestCouncilMemberLookupNamesNothing(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// The round and its council through the forms the pages render.
		round := f.central.Open("/appraisal").Form("/appraisal").Set("name", "Đợt 1").Set("year", "2026").Set("pass_mark", "50").
			Set("criteria", "C1; Sự cần thiết; 60; 10").Submit()
		if round.Status != http.StatusOK || !strings.HasPrefix(round.URL.Path, "/appraisal/") {
			t.Fatalf("round: %d %s", round.Status, round.Path())
		}
		page := round.Form(round.URL.Path+"/councils").Set("name", "Hội đồng A").Submit()
		var members string
		for _, form := range page.Forms() {
			if strings.HasSuffix(form.URL().Path, "/members") {
				members = form.URL().Path
			}
		}
		if members == "" {
			t.Fatalf("no council form on %s (%d)", page.Path(), page.Status)
		}
		// Two answers compared: what was typed (kept in the form) and the
		// refused form's address aside, they are the same.
		add := func(email string) *webtest.Page {
			p := f.central.Open(page.URL.Path).Form(members).Set("email", email).Submit()
			p.Body = refusedID.ReplaceAllString(strings.ReplaceAll(p.Body, email, "EMAIL"), "/refused/ID")
			return p
		}
		officer, none := add(f.prov.User.Email), add("nobody@test.nipp")
		if officer.Status != http.StatusUnprocessableEntity || officer.Status != none.Status || officer.Body != none.Body {
			t.Errorf("officer: %d, unknown: %d; the answer must be the same and name no one", officer.Status, none.Status)
		}
		if r := add(f.appraiser.User.Email); r.Status != http.StatusOK || !strings.Contains(r.Text(), f.appraiser.User.Email) {
			t.Errorf("appraiser: %d", r.Status)
		}
	})
}
