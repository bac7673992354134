package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// csvNames returns the names column of an exported CSV (header skipped).
func csvNames(t *testing.T, body string) []string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("reading the export: %v", err)
	}
	col := -1
	for i, h := range recs[0] {
		if strings.Contains(strings.ToLower(h), "tên") {
			col = i
			break
		}
	}
	if col < 0 {
		t.Fatalf("no name column in %v", recs[0])
	}
	var out []string
	for _, r := range recs[1:] {
		out = append(out, r[col])
	}
	return out
}

// TestRegistryScopeOfProvincialOfficer: by default an officer's list,
// count and export hold their own provinces' records only; with the
// option, other provinces' published records too; never other provinces'
// unpublished records.
func TestRegistryScopeOfProvincialOfficer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		own, other := webtest.OwnProvince, webtest.OtherProvince
		mine := []string{
			estNamed(t, db, own, "Cơ sở mây tre Phú Vinh", true),
			estNamed(t, db, own, "Cơ sở gỗ Vân Hà", false),
			estNamed(t, db, own, "Cơ sở lụa Vạn Phúc", false),
		}
		othersPub := []string{estNamed(t, db, other, "Cơ sở sơn mài Tương Bình Hiệp", true), estNamed(t, db, other, "Cơ sở gốm Lái Thiêu", true)}
		othersHidden := estNamed(t, db, other, "Cơ sở dệt Bảy Hiền", false)

		c, _ := signIn(t, env, nipp.RoleProvincial, own)
		f := formWith(t, c.Get("/establishments").Body, "", `name="others"`)
		list := func(v url.Values) *webtest.Response {
			t.Helper()
			r := c.Get("/establishments?" + v.Encode())
			if r.Status != http.StatusOK {
				t.Fatalf("list %v: %d %s", v, r.Status, r.Body)
			}
			return r
		}
		check := func(what, body string, total string, want []string, not []string) {
			t.Helper()
			wantIn(t, body, "Tổng số: "+total, true, what+": total")
			for _, id := range want {
				wantIn(t, body, id, true, what)
			}
			for _, id := range not {
				wantIn(t, body, id, false, what)
			}
		}
		// The form as rendered: the option unticked.
		def := list(f.Values)
		check("default list", def.Body, "3", mine, append(othersPub, othersHidden))
		wantIn(t, def.Body, "Đang hiển thị cơ sở của tỉnh bạn phụ trách.", true, "default list says so")
		// The user ticks "include other provinces' published records".
		f.Values.Set("others", "1")
		with := list(f.Values)
		check("with others", with.Body, "5", append(append([]string{}, mine...), othersPub...), []string{othersHidden})

		// The export links on each page export what the page lists.
		for _, tc := range []struct {
			page *webtest.Response
			n    int
		}{{def, 3}, {with, 5}} {
			m := hrefRe.FindAllStringSubmatch(tc.page.Body, -1)
			var href string
			for _, h := range m {
				if strings.HasPrefix(h[1], "/establishments/export.csv") {
					href = strings.ReplaceAll(h[1], "&amp;", "&")
				}
			}
			r := c.Get(href)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d", href, r.Status)
			}
			names := csvNames(t, r.Body)
			if len(names) != tc.n {
				t.Errorf("%s: %d rows %v, want %d", href, len(names), names, tc.n)
			}
			for _, n := range names {
				if n == "Cơ sở dệt Bảy Hiền" {
					t.Errorf("%s exports another province's unpublished record", href)
				}
			}
		}
		// Naming another province shows its published records only.
		r := list(url.Values{"province": {"Hồ Chí Minh"}})
		check("other province named", r.Body, "2", othersPub, append(append([]string{}, mine...), othersHidden))
		// The API obeys the same default.
		var api struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		c.Get("/api/v1/establishments").JSON(t, &api)
		if len(api.Items) != 3 {
			t.Errorf("API default: %d items, want 3", len(api.Items))
		}
	})
}

// TestRegistryProvinceFilterByName: the province filter reads a code, a
// name with or without diacritics, or a former province's name.
func TestRegistryProvinceFilterByName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		hn := estNamed(t, db, "01", "Cơ sở nón lá Chuông", true)
		tq := estNamed(t, db, "08", "Cơ sở chè Shan tuyết", true) // Tuyên Quang, which absorbed Hà Giang
		hcm := estNamed(t, db, "79", "Cơ sở gốm Lái Thiêu", true)
		c, _ := signIn(t, env, nipp.RoleCentral)
		for _, tc := range []struct {
			province string
			want     string
			not      []string
		}{
			{"01", hn, []string{tq, hcm}},
			{"Hà Nội", hn, []string{tq, hcm}},
			{"ha noi", hn, []string{tq, hcm}},
			{"HA NOI", hn, []string{tq, hcm}},
			{"Hà Giang", tq, []string{hn, hcm}}, // a former province: today's Tuyên Quang
			{"tp hcm", hcm, []string{hn, tq}},
		} {
			r := c.Get("/establishments?province=" + url.QueryEscape(tc.province))
			if r.Status != http.StatusOK {
				t.Errorf("province=%q: %d", tc.province, r.Status)
				continue
			}
			wantIn(t, r.Body, "Tổng số: 1", true, "province="+tc.province)
			wantIn(t, r.Body, tc.want, true, "province="+tc.province)
			for _, n := range tc.not {
				wantIn(t, r.Body, n, false, "province="+tc.province)
			}
		}
		r := c.Get("/establishments?province=" + url.QueryEscape("Hà Giang"))
		wantIn(t, r.Body, "Tuyên Quang", true, "the former name is explained")
		if r := c.Get("/establishments?province=" + url.QueryEscape("Atlantis")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Atlantis") {
			t.Errorf("unknown province: %d", r.Status)
		}
	})
}

// TestBeneficiaryPicker: on the project page an officer searches by name
// without diacritics, chooses among the matches in the project's provinces
// and within their scope, and the establishment is added. Another
// province's unpublished record never appears, nor can it be added by id.
func TestBeneficiaryPicker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		own, other := webtest.OwnProvince, webtest.OtherProvince
		// A draft in both provinces (the officer serves the first).
		proj := webtest.InsertProject(t, db, own, false)
		sqlExec(t, db, `INSERT INTO project_provinces (project_id, province_id) SELECT $1, id FROM admin_units WHERE level = 'province' AND code = $2 AND generation = 2025`, proj.ID, other)
		ownGom := estNamed(t, db, own, "Cơ sở gốm Bát Tràng", false)
		ownOther := estNamed(t, db, own, "Cơ sở mây tre Phú Vinh", false)
		pubGom := estNamed(t, db, other, "Xưởng gốm Lái Thiêu", true)
		hiddenGom := estNamed(t, db, other, "Cơ sở gốm Biên Hòa", false)
		farGom := estNamed(t, db, "08", "Hợp tác xã gốm Tuyên Quang", true) // outside the project's provinces

		c, _ := signIn(t, env, nipp.RoleProvincial, own)
		page := c.Get("/projects/" + proj.PublicID)
		if page.Status != http.StatusOK {
			t.Fatalf("project page: %d", page.Status)
		}
		search := formWith(t, page.Body, "/projects/"+proj.PublicID, `name="find"`)
		if search.Method != "get" {
			t.Fatalf("the picker's search form is %q, want get", search.Method)
		}
		find := func(v url.Values) string {
			t.Helper()
			action, _, _ := strings.Cut(search.Action, "#")
			r := c.Get(action + "?" + v.Encode())
			if r.Status != http.StatusOK {
				t.Fatalf("search %v: %d", v, r.Status)
			}
			return r.Body
		}
		search.Values.Set("find", "gom")
		body := find(search.Values)
		wantIn(t, body, ownGom, true, "own province's match")
		wantIn(t, body, "1 cơ sở khớp", true, "count of matches")
		for _, id := range []string{ownOther, pubGom, hiddenGom, farGom} {
			wantIn(t, body, id, false, "default picker")
		}
		search.Values.Set("others", "1")
		withOthers := find(search.Values)
		wantIn(t, withOthers, ownGom, true, "picker with others")
		wantIn(t, withOthers, pubGom, true, "picker with others: published match of the project's other province")
		wantIn(t, withOthers, hiddenGom, false, "picker with others: another province's unpublished record")
		wantIn(t, withOthers, farGom, false, "picker with others: outside the project's provinces")

		// Choose the match: submit its form as rendered.
		choose := formWith(t, body, "/projects/"+proj.PublicID+"/beneficiaries", ownGom)
		if r := c.PostForm(choose.Action, choose.Values); r.Status != http.StatusSeeOther {
			t.Fatalf("choosing: %d %s", r.Status, r.Body)
		}
		after := find(url.Values{"find": {"gom"}})
		wantIn(t, after, "đã có trong đề án", true, "chosen establishment is marked")
		var got struct {
			Project struct {
				Beneficiaries []struct {
					ID string `json:"establishment"`
				} `json:"beneficiaries"`
			} `json:"project"`
		}
		c.Get("/api/v1/projects/"+proj.PublicID).JSON(t, &got)
		if b := got.Project.Beneficiaries; len(b) != 1 || b[0].ID != ownGom {
			t.Fatalf("beneficiaries after choosing: %+v", b)
		}
		// Posting the hidden record's id in a candidate's form (as an
		// attacker edits the hidden field) finds nothing either.
		form := formWith(t, find(url.Values{"find": {"gom"}, "others": {"1"}}), "/projects/"+proj.PublicID+"/beneficiaries", pubGom)
		form.Values.Set("establishment", hiddenGom)
		r := c.PostForm(form.Action, form.Values)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Không tìm thấy cơ sở") {
			t.Errorf("adding another province's unpublished record by id: %d", r.Status)
		}
		// English page.
		en := c.Get("/projects/" + proj.PublicID + "?lang=en&find=gom")
		wantIn(t, en.Body, "Find an establishment by name", true, "English picker")
	})
}
