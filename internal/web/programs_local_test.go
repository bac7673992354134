package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

func localProgramForm(province, code string) url.Values {
	return url.Values{"province": {province}, "code": {code}, "name_vi": {"Chương trình khuyến công thành phố Hà Nội giai đoạn 2026-2030"},
		"name_en": {"Hanoi industry promotion program 2026-2030"}, "start_year": {"2026"}, "end_year": {"2030"},
		"decision_no": {"125/QĐ-UBND"}, "decision_date": {"15/01/2026"}, "approved_by": {"UBND thành phố Hà Nội"}, "approved_by_en": {"Hanoi People's Committee"}}
}

// Local programs: a provincial officer creates one for their province and
// not for another, revises only their own province's, and a revision keeps
// the old figures.
func TestLocalPrograms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		prov := env.As(nipp.RoleProvincial, "01")
		central := env.As(nipp.RoleCentral)
		programs := func(code string) int {
			return count(t, db, `SELECT COUNT(*) FROM programs WHERE code = '`+code+`'`)
		}
		revisions := func(code string) int {
			return count(t, db, `SELECT COUNT(*) FROM target_revisions r JOIN programs p ON p.id = r.program_id WHERE p.code = '`+code+`'`)
		}

		// The form offers the officer's own province only.
		r := prov.Get("/programs/new")
		if r.Status != 200 || !strings.Contains(r.Body, `<option value="01" selected>`) || strings.Contains(r.Body, `value="79"`) {
			t.Fatalf("new local program form: %d %s", r.Status, r.Body)
		}
		// Own province: created, level local, province 01.
		r = prov.PostForm("/programs", localProgramForm("01", "kcdp-01-2026-2030"))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/programs/KCDP-01-2026-2030" {
			t.Fatalf("create own: %d %s", r.Status, r.Body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM programs p JOIN admin_units u ON u.id = p.province_id WHERE p.code = 'KCDP-01-2026-2030' AND p.level = 'local' AND u.code = '01' AND p.version = 1`); n != 1 {
			t.Fatal("local program not stored as local of province 01")
		}
		// Another province: refused, nothing stored (form and API alike).
		if r := prov.PostForm("/programs", localProgramForm("79", "KCDP-79-2026-2030")); r.Status != http.StatusForbidden {
			t.Fatalf("create for another province: %d", r.Status)
		}
		body := map[string]any{"province": "79", "code": "KCDP-79-2026-2030", "name_vi": "Chương trình khuyến công TP. Hồ Chí Minh", "start_year": 2026, "end_year": 2030,
			"decision_no": "9/QĐ-UBND", "decision_date": "2026-02-01", "approved_by": "UBND Thành phố Hồ Chí Minh"}
		if r := prov.SendJSON("POST", "/api/v1/programs", body); r.Status != http.StatusForbidden {
			t.Fatalf("API create for another province: %d %s", r.Status, r.Body)
		}
		if programs("KCDP-79-2026-2030") != 0 {
			t.Fatal("a refused program was stored")
		}
		// Invalid input comes back with the field named; a taken code is a conflict.
		bad := localProgramForm("01", "KCDP-01-X")
		bad.Set("end_year", "2020")
		if r := prov.PostForm("/programs", bad); r.Status != 422 || !strings.Contains(r.Body, "Năm kết thúc phải từ năm bắt đầu") {
			t.Fatalf("end before start: %d %s", r.Status, r.Body)
		}
		if r := prov.PostForm("/programs", localProgramForm("01", "KCDP-01-2026-2030")); r.Status != http.StatusConflict || !strings.Contains(r.Body, "Mã chương trình KCDP-01-2026-2030 đã có") {
			t.Fatalf("code taken: %d", r.Status)
		}
		// The ministry creates one for any province (JSON API).
		if r := central.SendJSON("POST", "/api/v1/programs", body); r.Status != http.StatusCreated {
			t.Fatalf("central create: %d %s", r.Status, r.Body)
		}

		// The provincial officer cannot revise or edit another province's program.
		for _, r := range []*webtest.Response{
			prov.Get("/programs/KCDP-79-2026-2030/revisions/new"),
			prov.PostForm("/programs/KCDP-79-2026-2030/revisions", url.Values{"decision_no": {"1/QĐ"}, "decision_date": {"01/03/2026"}, "value_MACHINES": {"5"}}),
			prov.SendJSON("POST", "/api/v1/programs/KCDP-79-2026-2030/revisions", map[string]any{"decision_no": "1/QĐ", "decision_date": "2026-03-01", "targets": []map[string]any{{"indicator": "MACHINES", "value": 5}}}),
			postFile(t, env, prov, "/programs/KCDP-79-2026-2030/targets/import", "file", "t.csv", []byte("Chỉ tiêu,Giá trị\nMACHINES,5\n"), url.Values{"decision_no": {"1/QĐ"}, "decision_date": {"01/03/2026"}}),
			prov.Get("/programs/KCDP-79-2026-2030/edit"),
			prov.PostForm("/programs/KCDP-79-2026-2030", url.Values{"version": {"1"}, "name_vi": {"Đổi tên"}}),
			prov.SendJSON("PUT", "/api/v1/programs/KCDP-79-2026-2030", map[string]any{"version": 1, "name_vi": "Đổi tên"}),
			prov.PostForm("/programs/NIPP-2026-2030", url.Values{"version": {"1"}}),
		} {
			if r.Status != http.StatusForbidden {
				t.Errorf("provincial change to another province's program: %d %.200s", r.Status, r.Body)
			}
		}
		if revisions("KCDP-79-2026-2030") != 0 || count(t, db, `SELECT version FROM programs WHERE code = 'KCDP-79-2026-2030'`) != 1 {
			t.Fatal("another province's program changed")
		}

		// Own program: no invented targets; revisions through the same form.
		r = env.Anonymous().Get("/programs/KCDP-01-2026-2030")
		if r.Status != 200 || !strings.Contains(r.Body, "chưa có mục tiêu") || !strings.Contains(r.Body, "UBND thành phố Hà Nội") {
			t.Fatalf("local program page: %d %s", r.Status, r.Body)
		}
		if r := prov.Get("/programs/KCDP-01-2026-2030"); !strings.Contains(r.Body, `href="/programs/KCDP-01-2026-2030/revisions/new"`) {
			t.Fatal("own program page offers no revision")
		}
		rev := url.Values{"decision_no": {"200/QĐ-UBND"}, "decision_date": {"01/03/2026"}, "value_MACHINES": {"40"}, "value_TRADEMARKS": {"12"}}
		if r := prov.PostForm("/programs/KCDP-01-2026-2030/revisions", rev); r.Status != http.StatusSeeOther {
			t.Fatalf("revision 1: %d %s", r.Status, r.Body)
		}
		r = prov.Get("/programs/KCDP-01-2026-2030/revisions/new")
		if !strings.Contains(r.Body, `name="value_MACHINES" value="40"`) {
			t.Fatalf("revision form not pre-filled: %s", r.Body)
		}
		rev.Set("decision_no", "310/QĐ-UBND")
		rev.Set("value_MACHINES", "55")
		if r := prov.PostForm("/programs/KCDP-01-2026-2030/revisions", rev); r.Status != http.StatusSeeOther {
			t.Fatalf("revision 2: %d %s", r.Status, r.Body)
		}
		machines := func(revision string) int {
			return count(t, db, `SELECT t.value FROM targets t JOIN target_revisions r ON r.id = t.revision_id JOIN programs p ON p.id = r.program_id
				WHERE p.code = 'KCDP-01-2026-2030' AND r.revision = `+revision+` AND t.indicator_code = 'MACHINES'`)
		}
		if machines("1") != 40 || machines("2") != 55 {
			t.Fatalf("revision 1 MACHINES = %d, revision 2 = %d", machines("1"), machines("2"))
		}
		r = env.Anonymous().Get("/programs/KCDP-01-2026-2030?lang=en")
		if !strings.Contains(r.Body, "revision 2 under 310/QĐ-UBND") || !strings.Contains(r.Body, "MACHINES: 40 → 55") || !strings.Contains(r.Body, prov.User.Email) {
			t.Fatalf("local program page after two revisions: %s", r.Body)
		}
		// A local program holds its own province's targets only.
		other := map[string]any{"decision_no": "1/QĐ", "decision_date": "2026-04-01", "targets": []map[string]any{{"indicator": "MACHINES", "province": "79", "value": 5}}}
		if r := prov.SendJSON("POST", "/api/v1/programs/KCDP-01-2026-2030/revisions", other); r.Status != 422 {
			t.Fatalf("target of another province: %d %s", r.Status, r.Body)
		}
		// ... and the national programs stay the ministry's.
		if r := prov.PostForm("/programs/NIPP-2026-2030/revisions", rev); r.Status != http.StatusForbidden {
			t.Fatalf("provincial revision of a national program: %d", r.Status)
		}

		// Editing is version-checked: a stale form is refused and the other change kept.
		r = prov.Get("/programs/KCDP-01-2026-2030/edit")
		if r.Status != 200 || !strings.Contains(r.Body, `name="version" value="1"`) || !strings.Contains(r.Body, `value="2026-01-15"`) {
			t.Fatalf("edit form: %d %s", r.Status, r.Body)
		}
		// The ministry's officer opens the same form meanwhile.
		if r := central.Get("/programs/KCDP-01-2026-2030/edit"); r.Status != 200 || !strings.Contains(r.Body, `name="version" value="1"`) {
			t.Fatalf("central edit form: %d", r.Status)
		}
		edit := localProgramForm("01", "")
		edit.Set("version", "1")
		edit.Set("note", "Kinh phí địa phương 50 tỷ đồng")
		if r := prov.PostForm("/programs/KCDP-01-2026-2030", edit); r.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		edit.Set("note", "stale")
		edit.Del("csrf_token") // PostForm filled in the provincial officer's
		if r := central.PostForm("/programs/KCDP-01-2026-2030", edit); r.Status != http.StatusConflict || !strings.Contains(r.Body, `name="version" value="2"`) {
			t.Fatalf("stale edit: %d %s", r.Status, r.Body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM programs WHERE code = 'KCDP-01-2026-2030' AND note = 'Kinh phí địa phương 50 tỷ đồng' AND version = 2`); n != 1 {
			t.Fatal("the first edit was not kept")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'program' AND entity_id = 'KCDP-01-2026-2030'`); n != 2 {
			t.Fatalf("audit entries for the program: %d, want create and update", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'target_revision' AND entity_id LIKE 'KCDP-01-2026-2030/%'`); n != 2 {
			t.Fatalf("audit entries for the revisions: %d", n)
		}

		// Lists: national first, then local ones, filtered by province.
		r = env.Anonymous().Get("/programs?province=01")
		n, l := strings.Index(r.Body, "NIPP-2026-2030"), strings.Index(r.Body, "KCDP-01-2026-2030")
		if r.Status != 200 || n < 0 || l < n || strings.Contains(r.Body, "KCDP-79-2026-2030") {
			t.Fatalf("programs of province 01: %d %s", r.Status, r.Body)
		}
		if r := env.Anonymous().Get("/programs?province=79"); strings.Contains(r.Body, "KCDP-01-2026-2030") || !strings.Contains(r.Body, "KCDP-79-2026-2030") {
			t.Fatalf("programs of province 79: %s", r.Body)
		}
		var list struct{ Items []nipp.Program }
		env.Anonymous().Get("/api/v1/programs?level=local&province=01").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Code != "KCDP-01-2026-2030" || list.Items[0].ProvinceCode != "01" || list.Items[0].Targets == nil || list.Items[0].Targets.Revision != 2 {
			t.Fatalf("API local programs of 01: %+v", list.Items)
		}
		// The home page shows them, in the page's language.
		r = env.Anonymous().Get("/?lang=vi")
		if !strings.Contains(r.Body, "Chương trình khuyến công thành phố Hà Nội giai đoạn 2026-2030") || !strings.Contains(r.Body, "Thủ tướng Chính phủ") || strings.Contains(r.Body, "Prime Minister") {
			t.Fatalf("home page (vi): %s", r.Body)
		}
		if r := env.Anonymous().Get("/?lang=en"); !strings.Contains(r.Body, "Prime Minister") || !strings.Contains(r.Body, "Hanoi People&#39;s Committee") {
			t.Fatalf("home page (en): %s", r.Body)
		}
	})
}
