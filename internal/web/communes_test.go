package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// The commune suggestions endpoint is public reference data: 2025 communes
// and, marked former, pre-2025 ones with the communes they went into.
func TestCommunesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.Anonymous()
		get := func(t *testing.T, q url.Values) (int, []app.CommuneSuggestion) {
			t.Helper()
			r := c.Get("/api/v1/communes?" + q.Encode())
			var body struct{ Items []app.CommuneSuggestion }
			if r.Status == http.StatusOK {
				r.JSON(t, &body)
			}
			return r.Status, body.Items
		}
		find := func(items []app.CommuneSuggestion, name string, gen int) *app.CommuneSuggestion {
			for i := range items {
				if items[i].Name == name && items[i].Generation == gen {
					return &items[i]
				}
			}
			return nil
		}

		t.Run("former commune with its successor", func(t *testing.T) {
			st, items := get(t, url.Values{"province": {"08"}, "q": {"kim thach"}})
			if st != 200 || len(items) == 0 {
				t.Fatalf("status %d, %d items", st, len(items))
			}
			s := find(items, "Xã Kim Thạch", 2008)
			if s == nil || !s.Former || len(s.Successors) != 1 || s.Successors[0].Code != "00706" {
				t.Errorf("Kim Thạch: %+v in %+v", s, items)
			}
		})
		t.Run("split commune lists every successor", func(t *testing.T) {
			_, items := get(t, url.Values{"province": {"Hà Giang"}, "q": {"Yên Định"}})
			s := find(items, "Xã Yên Định", 2008)
			if s == nil || len(s.Successors) < 2 {
				t.Fatalf("Yên Định: %+v in %+v", s, items)
			}
			names := s.Successors[0].Name + s.Successors[1].Name
			if !strings.Contains(names, "Ngọc Đường") || !strings.Contains(names, "Minh Ngọc") {
				t.Errorf("successors %+v", s.Successors)
			}
		})
		t.Run("prefix of a 2025 commune, no diacritics, within the province", func(t *testing.T) {
			_, items := get(t, url.Values{"province": {"08"}, "q": {"phu li"}})
			s := find(items, "Xã Phú Linh", 2025)
			if s == nil || s.Former || s.ProvinceCode != "08" {
				t.Errorf("Phú Linh: %+v in %+v", s, items)
			}
			for _, it := range items {
				if it.Generation == 2025 && it.ProvinceCode != "08" {
					t.Errorf("%s of province %s outside the province", it.Name, it.ProvinceCode)
				}
			}
		})
		t.Run("at most 20", func(t *testing.T) {
			_, items := get(t, url.Values{"q": {"tan"}, "limit": {"500"}})
			if len(items) != app.MaxCommuneSuggestions {
				t.Errorf("%d items for a common prefix nationwide", len(items))
			}
		})
		t.Run("whole province without q", func(t *testing.T) {
			_, items := get(t, url.Values{"province": {"08"}})
			if len(items) < 50 || find(items, "Xã Phú Linh", 2025) == nil {
				t.Fatalf("%d communes of Tuyên Quang", len(items))
			}
			for _, it := range items {
				if it.Generation != 2025 || it.ProvinceCode != "08" || it.Former {
					t.Errorf("unexpected %+v", it)
				}
			}
		})
		t.Run("unknown province", func(t *testing.T) {
			r := c.Get("/api/v1/communes?province=Atlantis&q=tan")
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Atlantis") {
				t.Errorf("status %d: %s", r.Status, r.Body)
			}
		})
	})
}

var optionRe = regexp.MustCompile(`<option value="(\d\d)"( selected)?>`)

// The establishment form: a select of today's provinces (the officer's own
// preselected), a datalist of the province's communes filled by the server,
// the split-commune choice and "did you mean" suggestions.
func TestEstablishmentFormAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "08")

		r := c.Get("/establishments/new")
		if r.Status != 200 {
			t.Fatalf("new: %d", r.Status)
		}
		opts := optionRe.FindAllStringSubmatch(r.Body, -1)
		var selected []string
		for _, o := range opts {
			if o[2] != "" {
				selected = append(selected, o[1])
			}
		}
		if len(opts) != 34 || len(selected) != 1 || selected[0] != "08" {
			t.Errorf("%d province options, selected %v", len(opts), selected)
		}
		if !strings.Contains(r.Body, `<datalist id="communes-list">`) || !strings.Contains(r.Body, `<option value="Xã Phú Linh">`) {
			t.Error("the datalist lacks the province's communes")
		}
		script := regexp.MustCompile(`<script src="(/static/communes\.[0-9a-f]{10}\.js)"`).FindStringSubmatch(r.Body)
		if script == nil {
			t.Fatal("communes.js not loaded")
		}
		if js := c.Get(script[1]); js.Status != 200 || !strings.Contains(js.Body, "/api/v1/communes") {
			t.Errorf("communes.js: %d", js.Status)
		}

		// A split old commune: the form offers the candidates, never guesses.
		f := form("name", "HTX Chè Yên Định", "province", "Hà Giang", "commune", "xa yen dinh", "recorded_on", "01/02/2024")
		r = c.PostForm("/establishments", f)
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("split commune: status %d", r.Status)
		}
		radios := regexp.MustCompile(`name="commune_code" value="(\d{5})"`).FindAllStringSubmatch(r.Body, -1)
		if len(radios) < 2 || !strings.Contains(r.Body, "Xã Ngọc Đường") || !strings.Contains(r.Body, "Xã Minh Ngọc") {
			t.Fatalf("candidates %v", radios)
		}
		if !strings.Contains(r.Body, `<option value="Hà Giang" selected>`) {
			t.Error("the typed former province is not kept in the select")
		}
		f.Set("commune_code", radios[1][1])
		id := create(t, c, f)
		var e nipp.Establishment
		c.Get("/api/v1/establishments/"+id).JSON(t, &e)
		if e.Commune == nil || e.Commune.Code != radios[1][1] || e.OrigCommune == nil || e.OrigCommune.Generation != 2008 ||
			e.OrigProvince.Code != "02" || e.OrigProvince.Generation != 2008 || e.Province.Code != "08" {
			t.Errorf("stored %+v / %+v, orig %+v / %+v", e.Commune, e.Province, e.OrigCommune, e.OrigProvince)
		}

		// The edit form of that record keeps the former province selected.
		r = c.Get("/establishments/" + id + "/edit")
		if !strings.Contains(r.Body, `<option value="Hà Giang" selected>`) || !strings.Contains(r.Body, `value="`+radios[1][1]+`"`) {
			t.Errorf("edit form of an old record: province or chosen commune lost")
		}

		// A near miss: "did you mean".
		r = c.PostForm("/establishments", form("name", "HTX B", "province", "08", "commune", "Phu Linhh"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Xã Phú Linh") || !strings.Contains(r.Body, "có phải") {
			t.Errorf("near miss: status %d, no suggestion", r.Status)
		}
	})
}
