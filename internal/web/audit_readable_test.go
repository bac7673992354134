package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// Issue 15: the audit trail as people read it — names of actions, entities
// and fields in the page's language, Vietnam's clock, people by name and
// e-mail, records by name linked to their page, field: old -> new; the
// export has the same readable columns and the raw ones.
func TestAuditTrailReadable(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		id := create(t, f.prov, form("name", "Làng nghề gốm Bát Tràng", "province", "01", "commune", "Xã Bát Tràng", "tax_code", "0101234567"))
		// The officer edits the record through the form the page renders.
		saved := f.prov.Open("/establishments/"+id+"/edit").Form("/establishments/"+id).
			Set("name", "Gốm Bát Tràng Cổ").Set("employees", "1250").Check("women_owned", "1").Submit()
		if saved.Status != http.StatusOK || saved.Path() != "/establishments/"+id {
			t.Fatalf("edit: %d %s", saved.Status, saved.Path())
		}
		p := f.ready(f.create(proposal(200_000_000, 300_000_000)))
		if r := f.transition(f.prov, p.PublicID, "submit"); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}

		page := f.auditor.Get("/audit")
		if page.Status != http.StatusOK {
			t.Fatalf("/audit: %d", page.Status)
		}
		body := html.UnescapeString(page.Body)
		for _, want := range []string{
			"02/11/2026 10:00", // 03:00 UTC on Vietnam's clock, dd/mm/yyyy HH:MM
			f.prov.User.Name, f.prov.User.Email,
			"Tạo mới", "Cập nhật", "Chuyển trạng thái", "Cơ sở", "Đề án",
			`<a href="/establishments/` + id + `">Gốm Bát Tràng Cổ</a>`,
			`<a href="/projects/` + p.PublicID + `">` + p.Code + " — " + p.Title + `</a>`,
			"<b>Tên</b>: Làng nghề gốm Bát Tràng → Gốm Bát Tràng Cổ",
			"<b>Số lao động</b>: — → 1.250",
			"<b>Do phụ nữ làm chủ</b>: không → có",
			"<b>Trạng thái</b>: " + nipp.StateName(nipp.StateDraft, "vi") + " → " + nipp.StateName(nipp.StateSubmitted, "vi"),
			"<b>Mã số thuế</b>: 0101234567",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the audit page lacks %q", want)
			}
		}
		// No raw codes: every JSON key of every entry is shown by its label,
		// and no value is raw JSON of a record.
		var api struct{ Items []nipp.AuditEntry }
		f.auditor.Get("/api/v1/audit?limit=200").JSON(t, &api)
		for _, e := range api.Items {
			for _, js := range []string{e.Before, e.After} {
				var m map[string]any
				json.Unmarshal([]byte(js), &m)
				for k := range m {
					if strings.Contains(body, "<b>"+k+"</b>") {
						t.Errorf("field %q of %s %s shown by its code", k, e.Entity, e.Action)
					}
				}
			}
		}
		if strings.Contains(body, `{"name"`) || strings.Contains(body, "T03:00:00Z</") || strings.Contains(body, ">establishment "+id) {
			t.Error("the audit page shows raw JSON, UTC times or raw entity codes")
		}
		en := html.UnescapeString(f.auditor.Get("/audit?lang=en").Body)
		for _, want := range []string{"2 Nov 2026 10:00", "Created", "Updated", "State change", "<b>Name</b>: Làng nghề gốm Bát Tràng → Gốm Bát Tràng Cổ", "<b>Employees</b>: — → 1,250", "<b>Women-owned</b>: no → yes"} {
			if !strings.Contains(en, want) {
				t.Errorf("the English audit page lacks %q", want)
			}
		}
		// The filter by entity offers the entities by name.
		if !strings.Contains(body, `<option value="establishment">Cơ sở</option>`) {
			t.Error("the entity filter does not name the entities")
		}

		// The export: the same readable columns, then the raw ones.
		x := f.auditor.Get("/audit/export.xlsx?entity=establishment&lang=vi")
		sheet := xlsxText(t, x.Body)
		for _, want := range []string{"Người thực hiện", "Bản ghi", "Thay đổi", "Gốm Bát Tràng Cổ [" + id + "]", "Tên: Làng nghề gốm Bát Tràng → Gốm Bát Tràng Cổ", f.prov.User.Email, "Cập nhật",
			"entity_id", "before", `"name":"Gốm Bát Tràng Cổ"`} {
			if !strings.Contains(sheet, want) {
				t.Errorf("the export lacks %q", want)
			}
		}
	})
}

func xlsxText(t *testing.T, body string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var sheet string
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") || f.Name == "xl/sharedStrings.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			sheet += string(b)
		}
	}
	return html.UnescapeString(sheet)
}

// Issue 16: the checkpoint button on /audit/verify, submitted as rendered;
// the public list and exports show it to anyone.
func TestCheckpointButtonAndPublicList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		aud := env.As(nipp.RoleAuditor)
		// The button on the verification page, submitted as rendered.
		list := aud.Open("/audit/verify").Form("/audit/checkpoints").Submit()
		if list.Status != http.StatusOK || list.Path() != "/audit/checkpoints?taken=1" || !list.Contains("Đã tạo điểm chốt số 1.") {
			t.Fatalf("take: %d %s", list.Status, list.Path())
		}
		// Again: the head has not moved (the auditor's sign-in came before).
		if again := list.Form("/audit/checkpoints").Submit(); again.Path() != "/audit/checkpoints?same=1" || !again.Contains("chưa thay đổi từ điểm chốt số 1") {
			t.Fatalf("second take: %s", again.Path())
		}
		var api struct {
			Items []nipp.AuditCheckpoint
		}
		anon := env.Anonymous()
		anon.Get("/api/v1/audit/checkpoints").JSON(t, &api)
		if len(api.Items) != 1 || api.Items[0].Number != 1 || len(api.Items[0].Hash) != 64 {
			t.Fatalf("public JSON: %+v", api)
		}
		page := anon.Get("/audit/checkpoints")
		if page.Status != 200 || !strings.Contains(page.Body, api.Items[0].Hash) || strings.Contains(page.Body, `action="/audit/checkpoints"`) {
			t.Fatalf("public page: %d; shows the hash and no button to the public", page.Status)
		}
		csv := anon.Get("/audit/checkpoints.csv")
		if csv.Status != 200 || !strings.HasPrefix(csv.Body, "number,seq,hash,at\n1,") {
			t.Fatalf("public CSV: %d %q", csv.Status, csv.Body)
		}
		// Without the CSRF token the button does nothing.
		if r := aud.PostFormNoCSRF("/audit/checkpoints", url.Values{}); r.Status != http.StatusForbidden {
			t.Fatalf("without CSRF: %d", r.Status)
		}
	})
}

// auditRowWith returns the HTML of the first row of the audit page whose
// text contains marker ("" when none).
func auditRowWith(body, marker string) string {
	for _, row := range strings.Split(body, "<tr>") {
		if strings.Contains(row, marker) {
			return row
		}
	}
	return ""
}

// Issue 15: the trail still showed raw codes in its values (activity type,
// area category, organisation, provinces, priority groups, funding
// sources, public ids), a settlement listed every budget line, and sign-in
// rows read "Tài khoản 5". Values show by name in the page's language; a
// budget changes line by line, amount by amount.
func TestAuditValuesByName(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		storetest.MustExec(t, db, `UPDATE establishments SET women_owned = $1 WHERE public_id = 'cs-test00000'`, true)
		p := f.inState(nipp.StateSettled)
		page := f.auditor.Open("/audit?entity=project&entity_id=" + p.PublicID)
		body := html.UnescapeString(page.Body)
		created := auditRowWith(body, "Tạo mới")
		for _, want := range []string{"Hỗ trợ ứng dụng máy móc thiết bị tiên tiến", "Địa bàn thông thường", "Trung tâm Khuyến công thành phố Hà Nội", "Hà Nội",
			"Kinh phí khuyến công quốc gia — Kế hoạch</b>: 200.000.000 ₫", "Vốn đối ứng của cơ sở — Kế hoạch</b>: 300.000.000 ₫"} {
			if !strings.Contains(created, want) {
				t.Errorf("the creation lacks %q:\n%s", want, created)
			}
		}
		added := auditRowWith(body, ">Thêm cơ sở thụ hưởng<")
		if !strings.Contains(added, "Do phụ nữ làm chủ") {
			t.Errorf("the beneficiary's group is not named:\n%s", added)
		}
		// Settlement: the settled amounts (from the ledger: nothing was
		// disbursed or contributed on this path), nothing else of the budget.
		settled := auditRowWith(body, "→ "+nipp.StateName(nipp.StateSettled, "vi"))
		for _, want := range []string{"Kinh phí khuyến công quốc gia — Thực hiện</b>: — → 0 ₫", "Vốn đối ứng của cơ sở — Thực hiện</b>: — → 0 ₫"} {
			if !strings.Contains(settled, want) {
				t.Errorf("the settlement lacks %q:\n%s", want, settled)
			}
		}
		for _, not := range []string{"Kế hoạch</b>", "Được duyệt</b>"} {
			if strings.Contains(settled, not) {
				t.Errorf("the settlement repeats the budget (%q):\n%s", not, settled)
			}
		}
		// No value shown by its code.
		changes := regexp.MustCompile(`(?s)<ul class="changes">.*?</ul>`).FindAllString(body, -1)
		all := strings.Join(changes, "\n")
		for _, code := range []string{"MACHINERY", ": ordinary", "TTKC-01", "women_owned", "national", ": 01", "cs-test00000", p.PublicID} {
			if strings.Contains(all, code) {
				t.Errorf("a value shows the code %q", code)
			}
		}
		// In English, in English.
		en := html.UnescapeString(f.auditor.Open("/audit?entity=project&entity_id=" + p.PublicID + "&lang=en").Body)
		for _, want := range []string{"Application of advanced machinery and equipment", "Ordinary area", "Industry Promotion Center of Ha Noi",
			"National industry promotion funds — Actual</b>: — → VND 0"} {
			if !strings.Contains(en, want) {
				t.Errorf("the English trail lacks %q", want)
			}
		}
		// A sign-in names the account by its e-mail, also when the account
		// has no name (it read "Tài khoản 5").
		storetest.MustExec(t, db, `UPDATE users SET name = '' WHERE id = $1`, f.prov.User.ID)
		signins := html.UnescapeString(f.auditor.Open("/audit?entity=user&lang=vi&user=" + f.prov.User.Email).Body)
		row := auditRowWith(signins, "Đăng nhập")
		record := regexp.MustCompile(`(?s)<td data-label="Bản ghi">(.*?)</td>`).FindStringSubmatch(row)
		if record == nil || !strings.Contains(record[1], f.prov.User.Email) {
			t.Errorf("a sign-in row does not name the account:\n%s", row)
		}
	})
}
