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

// A target revision keeps the old figures; the program page shows the
// revision in force and the history.
func TestProgramTargetRevisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		anon := env.Anonymous()
		r := anon.Get("/programs/NIPP-2021-2025")
		if r.Status != 200 || !strings.Contains(r.Body, "lần điều chỉnh 1 theo 1881/QĐ-TTg") || !strings.Contains(r.Body, "1.600") {
			t.Fatalf("program page: %d %s", r.Status, r.Body)
		}
		if r := anon.Get("/programs/NOPE"); r.Status != 404 {
			t.Fatalf("unknown program: %d", r.Status)
		}
		if r := anon.Get("/programs/NIPP-2021-2025/revisions/new"); r.Status != http.StatusSeeOther {
			t.Fatalf("anonymous revision form: %d", r.Status)
		}
		prov := env.As(nipp.RoleProvincial, "01")
		if r := prov.PostForm("/programs/NIPP-2021-2025/revisions", url.Values{"decision_no": {"1/QĐ"}, "decision_date": {"01/01/2024"}, "value_MACHINES": {"1"}}); r.Status != 403 {
			t.Fatalf("provincial revision: %d", r.Status)
		}

		central := env.As(nipp.RoleCentral)
		r = central.Get("/programs/NIPP-2021-2025/revisions/new")
		if r.Status != 200 || !strings.Contains(r.Body, `name="value_MACHINES" value="1.600"`) {
			t.Fatalf("revision form not pre-filled: %d %s", r.Status, r.Body)
		}
		form := url.Values{"decision_date": {"15/03/2023"}, "note": {"điều chỉnh giữa kỳ"}}
		for _, row := range strings.Split(r.Body, `name="value_`)[1:] {
			code := row[:strings.Index(row, `"`)]
			form.Set("value_"+code, between(row, `value="`, `"`))
		}
		form.Set("value_MACHINES", "1.800")
		// No decision number: refused, nothing stored.
		if r := central.PostForm("/programs/NIPP-2021-2025/revisions", form); r.Status != 422 || !strings.Contains(r.Body, "Cần số quyết định") {
			t.Fatalf("without decision: %d %s", r.Status, r.Body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM target_revisions r JOIN programs p ON p.id = r.program_id WHERE p.code = 'NIPP-2021-2025'`); n != 1 {
			t.Fatalf("revisions after a refused form: %d", n)
		}
		form.Set("decision_no", "99/QĐ-BCT")
		r = central.PostForm("/programs/NIPP-2021-2025/revisions", form)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("revise: %d %s", r.Status, r.Body)
		}
		r = anon.Get("/programs/NIPP-2021-2025?lang=en")
		if !strings.Contains(r.Body, "revision 2 under 99/QĐ-BCT") || !strings.Contains(r.Body, "1,800") || !strings.Contains(r.Body, "MACHINES: 1,600 → 1,800") || !strings.Contains(r.Body, central.User.Email) {
			t.Fatalf("program page after the revision: %s", r.Body)
		}
		// The old figures are kept as they were.
		old := count(t, db, `SELECT t.value FROM targets t JOIN target_revisions r ON r.id = t.revision_id JOIN programs p ON p.id = r.program_id
			WHERE p.code = 'NIPP-2021-2025' AND r.revision = 1 AND t.indicator_code = 'MACHINES'`)
		cur := count(t, db, `SELECT t.value FROM targets t JOIN target_revisions r ON r.id = t.revision_id JOIN programs p ON p.id = r.program_id
			WHERE p.code = 'NIPP-2021-2025' AND r.revision = 2 AND t.indicator_code = 'MACHINES'`)
		if old != 1600 || cur != 1800 {
			t.Fatalf("revision 1 MACHINES = %d, revision 2 = %d", old, cur)
		}
		if count(t, db, `SELECT COUNT(*) FROM targets t JOIN target_revisions r ON r.id = t.revision_id WHERE r.revision = 2`) != 10 {
			t.Fatal("revision 2 does not carry all ten targets")
		}
		if count(t, db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'target_revision' AND entity_id = 'NIPP-2021-2025/2'`) != 1 {
			t.Fatal("no audit entry")
		}
		// The home page says which revision it shows.
		if r := anon.Get("/?lang=vi"); !strings.Contains(r.Body, "lần điều chỉnh 2, 99/QĐ-BCT") {
			t.Fatalf("home page: %s", r.Body)
		}
	})
}

// The 2026-2030 program starts without targets; a malformed import is
// refused with row-level errors and stores nothing; a good one makes
// revision 1.
func TestProgramTargetImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		central := env.As(nipp.RoleCentral)
		r := env.Anonymous().Get("/programs/NIPP-2026-2030")
		if !strings.Contains(r.Body, "chưa có mục tiêu") {
			t.Fatalf("2026-2030 without targets: %s", r.Body)
		}
		fields := url.Values{"decision_no": {"2646/QĐ-BCT"}, "decision_date": {"23/09/2025"}}
		bad := "Chỉ tiêu,Giá trị,Tỉnh,Năm\nMACHINES,1500,,\nNOT_AN_INDICATOR,10,,\nTECH_LINES,-5,,\nTRADEMARKS,100,Atlantis,2027\nMACHINES,1500,,\n"
		r = postFile(t, env, central, "/programs/NIPP-2026-2030/targets/import", "file", "targets.csv", []byte(bad), fields)
		for _, want := range []string{"Dòng 3, cột A", "Dòng 4, cột B", "Dòng 5, cột C", "Dòng 6, cột A: ", "Lặp lại dòng 2"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("import errors lack %q", want)
			}
		}
		if r.Status != 422 || count(t, db, `SELECT COUNT(*) FROM target_revisions r JOIN programs p ON p.id = r.program_id WHERE p.code = 'NIPP-2026-2030'`) != 0 {
			t.Fatalf("bad import: %d, or something was stored: %s", r.Status, r.Body)
		}
		good := "Chỉ tiêu,Giá trị,Tỉnh,Năm\nMACHINES,1500,,\nMáy móc thiết bị tiên tiến được hỗ trợ ứng dụng,20,Hà Nội,2027\nTRADEMARKS,400,,\nTổng cộng,1920,,\n"
		r = postFile(t, env, central, "/programs/NIPP-2026-2030/targets/import", "file", "targets.csv", []byte(good), fields)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("good import: %d %s", r.Status, r.Body)
		}
		r = env.Anonymous().Get("/api/v1/programs/NIPP-2026-2030")
		var d struct {
			Targets struct {
				Revision int
				Targets  []nipp.Target
			}
		}
		r.JSON(t, &d)
		if d.Targets.Revision != 1 || len(d.Targets.Targets) != 3 {
			t.Fatalf("after import: %s", r.Body)
		}
		var hanoi bool
		for _, tg := range d.Targets.Targets {
			hanoi = hanoi || (tg.IndicatorCode == "MACHINES" && tg.ProvinceCode == "01" && tg.Year == 2027 && tg.Value == 20)
		}
		if !hanoi {
			t.Fatalf("provincial yearly target missing: %+v", d.Targets.Targets)
		}
	})
}
