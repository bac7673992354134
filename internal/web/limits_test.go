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

// TestTextAndDateLimits makes the "unbounded and malformed input is
// stored" attacks through the forms and the API: each field is refused one
// character over its limit (and accepted at it), dates outside 1900..2100
// are refused, and nothing is stored from a refused request.
func TestTextAndDateLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		officer := env.As(nipp.RoleProvincial, "01")
		n := func(k int) string { return strings.Repeat("ạ", k) } // 3 bytes: characters are counted, not bytes

		// Establishment name: 300 characters at most. At the limit, through
		// the form a user fills; one over, posted as an attacker does.
		pg := officer.Open("/establishments/new").Form("/establishments").
			Set("name", n(nipp.MaxNameLen)).Set("commune", "Phường Ba Đình").Submit()
		if pg.Status != http.StatusOK || !strings.HasPrefix(pg.Path(), "/establishments/cs-") {
			t.Errorf("name of %d characters refused: %d %s %s", nipp.MaxNameLen, pg.Status, pg.Path(), flash(pg.Body))
		}
		r := officer.PostForm("/establishments", form("name", n(nipp.MaxNameLen+1), "province", "01", "commune", "Phường Ba Đình"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(flash(r.Body), "301 ký tự, tối đa 300") {
			t.Errorf("name of %d characters: %d %s", nipp.MaxNameLen+1, r.Status, flash(r.Body))
		}
		r = officer.SendJSON("POST", "/api/v1/establishments", map[string]any{"name": "Cơ sở A", "legal_form": "household", "province": "01", "address": n(nipp.MaxAddressLen + 1)})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "address") {
			t.Errorf("address of %d characters: %d %.300s", nipp.MaxAddressLen+1, r.Status, r.Body)
		}
		// A date in year 1, and a date after 2100.
		for _, d := range []string{"0001-01-01", "2101-01-01", "1899-12-31"} {
			r = officer.SendJSON("POST", "/api/v1/establishments", map[string]any{"name": "Cơ sở B", "legal_form": "household", "province": "01", "recorded_on": d})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "recorded_on") || !strings.Contains(r.Body, "1900") {
				t.Errorf("recorded_on %s: %d %.300s", d, r.Status, r.Body)
			}
		}
		if r := officer.PostForm("/establishments", form("name", "Cơ sở C", "province", "01", "commune", "Phường Ba Đình", "founded_year", "2999")); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("founded in 2999: %d", r.Status)
		}

		// A 900,000-character project description (under the 1 MiB body
		// limit in ASCII) is refused by the domain; 10,000 is the limit.
		central := env.As(nipp.RoleCentral)
		proj := map[string]any{"program": "X", "year": 2026, "title": "Đề án", "description": strings.Repeat("a", 900_000)}
		r = central.SendJSON("POST", "/api/v1/projects", proj)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"description"`) || !strings.Contains(r.Body, "err.nipp.text_too_long") || !strings.Contains(r.Body, "tối đa 10.000") {
			t.Errorf("900,000-character description: %d %.300s", r.Status, r.Body)
		}
		proj["description"] = strings.Repeat("ạ", nipp.MaxDescriptionLen) // 30 KB, allowed length: refused later, for the unknown program
		if r = central.SendJSON("POST", "/api/v1/projects", proj); strings.Contains(r.Body, "description") {
			t.Errorf("description of %d characters refused: %.300s", nipp.MaxDescriptionLen, r.Body)
		}

		// Local program: year-1 decision date and a long note, by form.
		f := localProgramForm("01", "KCDP-01-2026-2030")
		f.Set("decision_date", "01/01/0001")
		if r := officer.PostForm("/programs", f); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("program decided in year 1: %d %.300s", r.Status, r.Body)
		}
		f = localProgramForm("01", "KCDP-01-2026-2030")
		f.Set("note", n(nipp.MaxNoteLen+1))
		if r := officer.PostForm("/programs", f); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "tối đa 2.000") {
			t.Errorf("program note of %d characters: %d", nipp.MaxNoteLen+1, r.Status)
		}

		// Nothing stored but the one name at the limit.
		var ests, progs int
		db.ReadTx(t.Context(), func(tx *store.Tx) error {
			tx.QueryRow(t.Context(), `SELECT COUNT(*) FROM establishments`).Scan(&ests)
			return tx.QueryRow(t.Context(), `SELECT COUNT(*) FROM programs WHERE level = 'local'`).Scan(&progs)
		})
		if ests != 1 || progs != 0 {
			t.Errorf("stored %d establishments and %d local programs, want 1 and 0", ests, progs)
		}
	})
}

// TestLoginLongEmail: a sign-in with an address longer than any account's
// (here cut by the old code in the middle of a character) is refused
// cleanly, on both engines, and never a 500.
func TestLoginLongEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		for _, email := range []string{strings.Repeat("a", 319) + "ệ@x.vn", strings.Repeat("ệ", 400)} {
			r := env.Anonymous().PostForm("/login", url.Values{"email": {email}, "password": {"wrong password!"}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(flash(r.Body), "300") {
				t.Errorf("e-mail of %d bytes: %d %s", len(email), r.Status, flash(r.Body))
			}
		}
	})
}

// flash returns the page's error message, for failure reports.
func flash(body string) string {
	if i := strings.Index(body, `role="alert"`); i >= 0 {
		return body[i:min(len(body), i+400)]
	}
	return body[:min(len(body), 300)]
}
