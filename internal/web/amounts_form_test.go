package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// formFields returns the values a browser would submit from the first form
// in body whose opening tag contains marker: inputs (checked boxes only),
// selected options and textareas. Submit buttons are left to the caller.
func formFields(t *testing.T, body, marker string) (action string, v url.Values) {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no form with %q", marker)
	}
	start := strings.LastIndex(body[:i], "<form")
	end := strings.Index(body[start:], "</form>")
	f := body[start : start+end]
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", regexp.MustCompile(`\s` + name + `[\s>]`).MatchString(tag)
		}
		return html.UnescapeString(m[1]), true
	}
	action, _ = attr(f[:strings.Index(f, ">")+1], "action")
	v = url.Values{}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(f, -1) {
		name, _ := attr(tag, "name")
		typ, _ := attr(tag, "type")
		val, _ := attr(tag, "value")
		_, checked := attr(tag, "checked")
		if name == "" || typ == "submit" || typ == "file" || (typ == "checkbox" || typ == "radio") && !checked {
			continue
		}
		v.Add(name, val)
	}
	for _, m := range regexp.MustCompile(`(?s)<select([^>]*)>(.*?)</select>`).FindAllStringSubmatch(f, -1) {
		name, _ := attr(m[1]+">", "name")
		for _, o := range regexp.MustCompile(`<option[^>]*>`).FindAllString(m[2], -1) {
			if _, sel := attr(o, "selected"); sel {
				val, _ := attr(o, "value")
				v.Add(name, val)
			}
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea([^>]*)>(.*?)</textarea>`).FindAllStringSubmatch(f, -1) {
		name, _ := attr(m[1]+">", "name")
		v.Add(name, html.UnescapeString(strings.TrimPrefix(m[2], "\n")))
	}
	return action, v
}

// An amount is shown grouped in the user's language in the form that edits
// it (250.000.000 in Vietnamese, 250,000,000 in English), and the form as
// rendered saves the same amount back.
func TestFormAmountsGroupedRoundTrip(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.create(proposal(250_000_000, 250_000_000))
		for i, lang := range []struct{ code, shown string }{{"vi", "250.000.000"}, {"en", "250,000,000"}} {
			r := f.prov.Get("/projects/" + p.PublicID + "/edit?lang=" + lang.code)
			if r.Status != http.StatusOK {
				t.Fatalf("edit form: %d", r.Status)
			}
			action, v := formFields(t, r.Body, `class="project-form"`)
			if got := v.Get("budget_national"); got != lang.shown {
				t.Fatalf("%s: national amount shown as %q, want %q", lang.code, got, lang.shown)
			}
			v.Set("op", "save")
			if r := f.prov.PostForm(action, v); r.Status != http.StatusSeeOther && r.Status != http.StatusOK {
				t.Fatalf("%s: saving the form as rendered: %d %s", lang.code, r.Status, r.Body)
			}
			got := f.get(p.PublicID)
			if got.Version != p.Version+i+1 {
				t.Errorf("%s: version %d, want %d (saved)", lang.code, got.Version, p.Version+i+1)
			}
			for _, l := range got.Budget {
				if l.Planned != 250_000_000 {
					t.Errorf("%s: %s planned %d after saving the form as shown, want 250000000", lang.code, l.Source, l.Planned)
				}
			}
		}
	})
}
