package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// Every date field is a browser date picker: an <input> whose name says it
// holds a date (…date, …_on, from, to) has type="date".
func TestEveryDateFieldIsADatePicker(t *testing.T) {
	files, _ := filepath.Glob("templates/*.html")
	if len(files) == 0 {
		t.Fatal("no templates")
	}
	input := regexp.MustCompile(`<input[^>]*>`)
	name := regexp.MustCompile(`\sname="([^"]*)"`)
	dateName := regexp.MustCompile(`(date|_on|^from|^to)$`)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range input.FindAllString(string(b), -1) {
			m := name.FindStringSubmatch(tag)
			if m == nil || !dateName.MatchString(m[1]) || strings.Contains(tag, `type="hidden"`) {
				continue
			}
			n++
			if !strings.Contains(tag, `type="date"`) {
				t.Errorf("%s: date field %q is not type=date: %s", f, m[1], tag)
			}
		}
	}
	if n < 6 {
		t.Errorf("found %d date fields, want at least 6", n)
	}
}

// A date field accepts what a date picker sends (yyyy-mm-dd) and what an
// officer types (dd/mm/yyyy) alike, and names a date that does not exist.
func TestDateFieldsAcceptPickerAndTyped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		aud := env.As(nipp.RoleAuditor)
		env.As(nipp.RoleAdmin) // an audit entry to list
		iso := aud.Get("/audit?from=2000-01-01&to=2100-12-31")
		typed := aud.Get("/audit?from=01/01/2000&to=31/12/2100")
		if iso.Status != http.StatusOK || typed.Status != http.StatusOK {
			t.Fatalf("audit filter: %d (yyyy-mm-dd), %d (dd/mm/yyyy)", iso.Status, typed.Status)
		}
		rows := func(body string) int { return strings.Count(body, `<td data-label="Seq" class="num">`) }
		if rows(iso.Body) == 0 || rows(iso.Body) != rows(typed.Body) {
			t.Errorf("rows: %d with yyyy-mm-dd, %d with dd/mm/yyyy", rows(iso.Body), rows(typed.Body))
		}
		bad := aud.Get("/audit?from=31/02/2026")
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "31/02/2026") {
			t.Errorf("31/02/2026: %d, want 422 naming the date", bad.Status)
		}
		// The establishment form: a date typed day first is stored as that day.
		c := env.As(nipp.RoleProvincial, "08")
		for _, typedDate := range []string{"15/08/2025", "2025-08-15"} {
			id := create(t, c, form("name", "HTX Chè "+typedDate, "province", "08", "commune", "Xã Việt Lâm", "recorded_on", typedDate))
			r := c.Get("/establishments/" + id + "/edit")
			if !strings.Contains(r.Body, `type="date" name="recorded_on" value="2025-08-15"`) {
				t.Errorf("recorded_on %q: the edit form does not show 2025-08-15 in its date picker", typedDate)
			}
		}
	})
}
