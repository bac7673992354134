package web_test

import (
	"encoding/csv"
	"net/http"
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

		c, page := signIn(t, env, nipp.RoleProvincial, own)
		reg := page.Follow("Cơ sở CNNT")
		check := func(what string, p *webtest.Page, total string, want []string, not []string) {
			t.Helper()
			if p.Status != http.StatusOK {
				t.Fatalf("%s: %d", what, p.Status)
			}
			wantIn(t, p.Body, "Tổng số: "+total, true, what+": total")
			for _, id := range want {
				wantIn(t, p.Body, id, true, what)
			}
			for _, id := range not {
				wantIn(t, p.Body, id, false, what)
			}
		}
		check("default list", reg, "3", mine, append(othersPub, othersHidden))
		wantIn(t, reg.Text(), "Đang hiển thị cơ sở của tỉnh bạn phụ trách.", true, "default list says so")
		// The user ticks "include other provinces' published records".
		with := reg.Form("Lọc").Check("others", "1").Submit()
		check("with others", with, "5", append(append([]string{}, mine...), othersPub...), []string{othersHidden})
		// Unticking it again.
		back := with.Form("Lọc").Uncheck("others", "1").Submit()
		check("unticked", back, "3", mine, append(othersPub, othersHidden))

		// The export link of each page exports what the page lists.
		for _, tc := range []struct {
			page *webtest.Page
			n    int
		}{{reg, 3}, {with, 5}} {
			var href string
			for _, l := range tc.page.Links() {
				if l.URL.Path == "/establishments/export.csv" {
					href = l.URL.RequestURI()
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
		named := reg.Form("Lọc").Set("province", "Hồ Chí Minh").Submit()
		check("other province named", named, "2", othersPub, append(append([]string{}, mine...), othersHidden))
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
		reg := c.Open("/establishments")
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
			r := reg.Form("Lọc").Set("province", tc.province).Submit()
			if r.Status != http.StatusOK {
				t.Errorf("province=%q: %d", tc.province, r.Status)
				continue
			}
			wantIn(t, r.Text(), "Tổng số: 1", true, "province="+tc.province)
			wantIn(t, r.Body, tc.want, true, "province="+tc.province)
			for _, n := range tc.not {
				wantIn(t, r.Body, n, false, "province="+tc.province)
			}
		}
		r := reg.Form("Lọc").Set("province", "Hà Giang").Submit()
		wantIn(t, r.Text(), "Tuyên Quang", true, "the former name is explained")
		// An unknown name: the same page, the typed text kept, a near miss
		// suggested.
		bad := reg.Form("Lọc").Set("province", "Ha Noii").Submit()
		if bad.Status != http.StatusUnprocessableEntity || !bad.Contains("Ha Noii") || !bad.Contains("Hà Nội") || bad.Form("Lọc").Get("province") != "Ha Noii" {
			t.Errorf("unknown province: %d %s", bad.Status, bad.Text())
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
		page := c.Open("/projects/" + proj.PublicID)
		if page.Status != http.StatusOK {
			t.Fatalf("project page: %d", page.Status)
		}
		body := page.Form("picker").Set("find", "gom").Submit()
		wantIn(t, body.Body, ownGom, true, "own province's match")
		wantIn(t, body.Text(), "1 cơ sở khớp", true, "count of matches")
		for _, id := range []string{ownOther, pubGom, hiddenGom, farGom} {
			wantIn(t, body.Body, id, false, "default picker")
		}
		withOthers := body.Form("picker").Check("others", "1").Submit()
		wantIn(t, withOthers.Body, ownGom, true, "picker with others")
		wantIn(t, withOthers.Body, pubGom, true, "picker with others: published match of the project's other province")
		wantIn(t, withOthers.Body, hiddenGom, false, "picker with others: another province's unpublished record")
		wantIn(t, withOthers.Body, farGom, false, "picker with others: outside the project's provinces")

		// Choose the match: its form as rendered.
		candidate := func(p *webtest.Page, est string) *webtest.Form {
			t.Helper()
			for _, f := range p.Forms() {
				if f.Get("establishment") == est && f.Has("version") {
					return f
				}
			}
			t.Fatalf("no form to choose %s", est)
			return nil
		}
		after := candidate(body, ownGom).Click("Chọn làm đối tượng thụ hưởng")
		if after.Path() != "/projects/"+proj.PublicID {
			t.Fatalf("choosing: landed on %s (%d): %s", after.Path(), after.Status, after.Text())
		}
		wantIn(t, after.Form("picker").Set("find", "gom").Submit().Text(), "đã có trong đề án", true, "chosen establishment is marked")
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
		fresh := c.Open("/projects/"+proj.PublicID).Form("picker").Set("find", "gom").Check("others", "1").Submit()
		form := candidate(fresh, pubGom).Values()
		form.Set("establishment", hiddenGom)
		r := c.PostForm("/projects/"+proj.PublicID+"/beneficiaries", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Không tìm thấy cơ sở") {
			t.Errorf("adding another province's unpublished record by id: %d", r.Status)
		}
		// Typing it into the id field is refused the same way.
		typed := c.Open("/projects/"+proj.PublicID).Form("/projects/"+proj.PublicID+"/beneficiaries").Set("establishment", hiddenGom).Submit()
		if typed.Status != http.StatusUnprocessableEntity || !typed.Contains("Không tìm thấy cơ sở") {
			t.Errorf("typing another province's unpublished record's id: %d", typed.Status)
		}
		// English page.
		en := c.Open("/projects/"+proj.PublicID+"?lang=en").Form("picker").Set("find", "gom").Submit()
		wantIn(t, en.Text(), "1 establishments match", true, "English picker")
	})
}
