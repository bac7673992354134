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

var (
	formRE     = regexp.MustCompile(`(?s)<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
	inputRE    = regexp.MustCompile(`<input([^>]*)>`)
	selectRE   = regexp.MustCompile(`(?s)<select([^>]*)>(.*?)</select>`)
	optionRE   = regexp.MustCompile(`<option([^>]*)>`)
	textareaRE = regexp.MustCompile(`(?s)<textarea([^>]*)>(.*?)</textarea>`)
	attrRE     = regexp.MustCompile(`([a-z_-]+)(?:="([^"]*)")?`)
)

func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRE.FindAllStringSubmatch(s, -1) {
		m[a[1]] = html.UnescapeString(a[2])
	}
	return m
}

// formOf returns the values a browser would submit from the form posting
// to action, as rendered: hidden fields, texts, checked boxes, selected
// options and text areas.
func formOf(t *testing.T, body, action string) url.Values {
	t.Helper()
	for _, f := range formRE.FindAllStringSubmatch(body, -1) {
		if html.UnescapeString(f[1]) != action {
			continue
		}
		v := url.Values{}
		for _, in := range inputRE.FindAllStringSubmatch(f[2], -1) {
			a := attrs(in[1])
			if a["name"] == "" || a["type"] == "submit" || (a["type"] == "checkbox" || a["type"] == "radio") && !strings.Contains(in[1], " checked") {
				continue
			}
			v.Add(a["name"], a["value"])
		}
		for _, sel := range selectRE.FindAllStringSubmatch(f[2], -1) {
			name, chosen := attrs(sel[1])["name"], ""
			for i, o := range optionRE.FindAllStringSubmatch(sel[2], -1) {
				if i == 0 || strings.Contains(o[1], " selected") {
					chosen = attrs(o[1])["value"]
				}
			}
			v.Set(name, chosen)
		}
		for _, ta := range textareaRE.FindAllStringSubmatch(f[2], -1) {
			v.Set(attrs(ta[1])["name"], html.UnescapeString(ta[2]))
		}
		return v
	}
	t.Fatalf("no form posting to %s", action)
	return nil
}

// Issue 15: the audit trail as people read it — names of actions, entities
// and fields in the page's language, Vietnam's clock, people by name and
// e-mail, records by name linked to their page, field: old -> new; the
// export has the same readable columns and the raw ones.
func TestAuditTrailReadable(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		id := create(t, f.prov, form("name", "Làng nghề gốm Bát Tràng", "province", "01", "commune", "Xã Bát Tràng", "tax_code", "0101234567"))
		// The officer edits the record through the form the page renders.
		edit := f.prov.Get("/establishments/" + id + "/edit")
		vals := formOf(t, edit.Body, "/establishments/"+id)
		vals.Set("name", "Gốm Bát Tràng Cổ")
		vals.Set("employees", "1250")
		vals.Set("women_owned", "1")
		if r := f.prov.PostForm("/establishments/"+id, vals); r.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		p := f.create(proposal(200_000_000, 300_000_000))
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
		for _, want := range []string{"02/11/2026 10:00", "Created", "Updated", "State change", "<b>Name</b>: Làng nghề gốm Bát Tràng → Gốm Bát Tràng Cổ", "<b>Employees</b>: — → 1,250", "<b>Women-owned</b>: no → yes"} {
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
		verify := aud.Get("/audit/verify")
		r := aud.PostForm("/audit/checkpoints", formOf(t, verify.Body, "/audit/checkpoints"))
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/audit/checkpoints?taken=1" {
			t.Fatalf("take: %d %s", r.Status, r.Header.Get("Location"))
		}
		list := aud.Get(r.Header.Get("Location"))
		if !strings.Contains(list.Body, "Đã tạo điểm chốt số 1.") {
			t.Fatal("no confirmation after taking a checkpoint")
		}
		// Twice: the head has not moved (the auditor's sign-in came before).
		r = aud.PostForm("/audit/checkpoints", formOf(t, list.Body, "/audit/checkpoints"))
		if r.Header.Get("Location") != "/audit/checkpoints?same=1" {
			t.Fatalf("second take: %s", r.Header.Get("Location"))
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
