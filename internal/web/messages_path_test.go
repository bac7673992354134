package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// An establishment form with several mistakes comes back with every
// problem at once, each beside its field (aria-describedby), in Vietnamese
// only; the language switch and a reload show the same refused form, in
// English only; another browser cannot see it.
func TestRefusedFormEveryErrorInOneLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		hn := env.As(nipp.RoleProvincial, "01")
		f := hn.Open("/establishments/new").Form("/establishments").NoValidate()
		f.Set("name", "")
		f.Set("tax_code", "12345")
		f.Set("employees", "nhiều")
		f.Set("founded_year", "1700")
		f.Set("email", "khong-phai-email")
		f.Set("recorded_on", "31/02/2024")
		f.Select("province", "01")
		f.Set("commune", "Xã Bát Tràng")
		page := f.Submit()
		if page.Status != http.StatusUnprocessableEntity {
			t.Fatalf("refused form: status %d", page.Status)
		}
		want := map[string][2]string{ // field -> {Vietnamese, English} (parts of the message)
			"name":         {"Cần nhập tên cơ sở", "The name is required"},
			"tax_code":     {"không đúng dạng", "is malformed"},
			"employees":    {"Cần một số nguyên", "A whole number is required"},
			"founded_year": {"Năm thành lập không hợp lệ", "Invalid year founded"},
			"email":        {"Địa chỉ email không hợp lệ", "Not a valid e-mail address"},
			"recorded_on":  {"Ngày không hợp lệ", "Invalid date"},
		}
		check := func(page *webtest.Page, lang int) {
			t.Helper()
			for field, msg := range want {
				got, ok := page.ElementText("err-" + field)
				if !ok || !strings.Contains(got, msg[lang]) || strings.Contains(got, msg[1-lang]) || strings.Contains(got, " / ") {
					t.Errorf("%s: beside %s: %q (found %v), want %q only", page.Path(), field, got, ok, msg[lang])
				}
				if !regexp.MustCompile(`name="` + field + `"[^>]*aria-describedby="err-` + field + `"`).MatchString(page.Body) {
					t.Errorf("%s: field %s does not point at its message", page.Path(), field)
				}
			}
			for _, code := range []string{"budget.", "err.", "tax_code:", "EINVALID"} {
				if strings.Contains(page.Text(), code) {
					t.Errorf("%s: raw key or field %q shown", page.Path(), code)
				}
			}
		}
		check(page, 0)
		m := regexp.MustCompile(`data-address="(/refused/[^"]+)"`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatal("refused form has no address for reload")
		}
		address := strings.ReplaceAll(m[1], "&amp;", "&")

		// The language switch keeps the form, its values and its problems.
		en := page.Follow("English")
		if en.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(en.Path(), "/refused/") {
			t.Fatalf("language switch: %d %s", en.Status, en.Path())
		}
		check(en, 1)
		if f := en.Form("/establishments"); f.Get("commune") != "Xã Bát Tràng" || f.Get("employees") != "nhiều" {
			t.Errorf("values lost on the language switch: %v", f.Values())
		}
		// A reload of the address shows it again (now in English, the
		// language chosen).
		if again := hn.Open(address); again.Status != http.StatusUnprocessableEntity {
			t.Errorf("reload: %d", again.Status)
		} else {
			check(again, 1)
		}
		// Another browser is sent back to the page the form came from, never
		// shown it (nor what was typed).
		other := env.As(nipp.RoleProvincial, "01")
		if p := other.Open(address); strings.Contains(p.Body, "nhiều") || p.Path() != "/establishments/new" || p.Status >= 500 {
			t.Errorf("another browser sees the refused form: %d %s", p.Status, p.Path())
		}

		// Once corrected, the form saves.
		fix := en.Form("/establishments")
		fix.Set("name", "Hộ kinh doanh gốm Minh")
		fix.Set("tax_code", "")
		fix.Set("employees", "12")
		fix.Set("founded_year", "2001")
		fix.Set("email", "")
		fix.Set("recorded_on", "")
		if p := fix.Submit(); p.Status != http.StatusOK || !strings.HasPrefix(p.Path(), "/establishments/") {
			t.Errorf("corrected form: %d %s", p.Status, p.Path())
		}
	})
}

// The JSON API lists every problem with its code, field, key and message,
// in the request's language (Accept-Language or ?lang).
func TestAPIProblemsInRequestLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		hn := env.As(nipp.RoleProvincial, "01")
		body := map[string]any{"name": "", "legal_form": "household", "tax_code": "12345", "email": "x", "province": "01", "commune": "Xã Bát Tràng"}
		type problem struct{ Code, Field, Key, Message string }
		var out struct {
			Error struct {
				Code, Message, Field, Key string
				Problems                  []problem
			}
		}
		for _, tc := range []struct {
			path, acceptLang, want, not string
		}{
			{"/api/v1/establishments", "", "Cần nhập tên cơ sở", "required"},
			{"/api/v1/establishments", "en-GB,en;q=0.9,vi;q=0.5", "The name is required", "Cần"},
			{"/api/v1/establishments?lang=en", "vi", "The name is required", "Cần"},
		} {
			req, _ := http.NewRequest("POST", hn.URL(tc.path), strings.NewReader(mustJSON(t, body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", hn.CSRF())
			if tc.acceptLang != "" {
				req.Header.Set("Accept-Language", tc.acceptLang)
			}
			r := hn.Do(req)
			out.Error.Problems = nil
			r.JSON(t, &out)
			if r.Status != 422 || out.Error.Code != nipp.EINVALID || len(out.Error.Problems) != 3 {
				t.Fatalf("%s [%s]: %d %s", tc.path, tc.acceptLang, r.Status, r.Body)
			}
			fields := map[string]problem{}
			for _, p := range out.Error.Problems {
				fields[p.Field] = p
				if p.Code != nipp.EINVALID || p.Key == "" || p.Message == "" || strings.Contains(p.Message, tc.not) || strings.Contains(p.Message, " / ") {
					t.Errorf("%s [%s]: problem %+v", tc.path, tc.acceptLang, p)
				}
			}
			if p := fields["name"]; p.Key != "err.nipp.name_required" || !strings.Contains(p.Message, tc.want) {
				t.Errorf("%s [%s]: name problem %+v", tc.path, tc.acceptLang, p)
			}
			if _, ok := fields["tax_code"]; !ok {
				t.Errorf("no tax_code problem: %+v", out.Error.Problems)
			}
			if _, ok := fields["email"]; !ok {
				t.Errorf("no email problem: %+v", out.Error.Problems)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Codes show as names and amounts by the page's language: the live support
// preview (sources, amounts, the refusal), a rule set's activity types and
// a project's attachment kinds.
func TestCodesShownAsNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		type preview struct {
			Total string `json:"total_cost_text"`
			Caps  []struct {
				Name    string `json:"funding_source_name"`
				Allowed string `json:"allowed_text"`
			} `json:"caps"`
			Error string `json:"error"`
		}
		for _, tc := range []struct {
			lang                       string
			source, allowed, requested string
			not                        string
		}{
			{"vi", "Kinh phí khuyến công quốc gia", "250.000.000 ₫", "260.000.000 ₫", "VND"},
			{"en", "National industry promotion funds", "VND 250,000,000", "VND 260,000,000", "₫"},
		} {
			var pv preview
			r := c.Get("/api/v1/support-preview?activity_type=MACHINERY&national=260000000&reciprocal=240000000&lang=" + tc.lang)
			r.JSON(t, &pv)
			if len(pv.Caps) == 0 || pv.Caps[0].Name != tc.source || pv.Caps[0].Allowed != tc.allowed {
				t.Errorf("%s: caps %+v", tc.lang, pv.Caps)
			}
			if !strings.Contains(pv.Error, tc.source) || !strings.Contains(pv.Error, tc.requested) || strings.Contains(pv.Error, tc.not) ||
				strings.Contains(pv.Error, "national") || strings.Contains(pv.Error, "MACHINERY") {
				t.Errorf("%s: refusal %q", tc.lang, pv.Error)
			}
		}
		rs := c.Get("/rule-sets/ND235-2025?lang=vi")
		if rs.Status != 200 || !strings.Contains(rs.Body, "Xây dựng mô hình trình diễn kỹ thuật") {
			t.Errorf("rule set page does not name activity types: %d", rs.Status)
		}
	})
}
