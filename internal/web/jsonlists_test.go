package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// nullLists walks a decoded JSON document and returns the path of every
// null. nipp's API never answers null for a list: an empty list is [],
// and optional scalars are omitted, not null.
func nullLists(v any, at string, out *[]string) {
	switch x := v.(type) {
	case nil:
		*out = append(*out, at)
	case map[string]any:
		for k, e := range x {
			nullLists(e, at+"."+k, out)
		}
	case []any:
		for i, e := range x {
			nullLists(e, fmt.Sprintf("%s[%d]", at, i), out)
		}
	}
}

// TestAPIListsNeverNull walks every GET route of the API on a database
// with only the reference data and one bare record of each kind (an
// establishment, a project and a local program with nothing attached), so
// every list that can be empty is, and finds no null.
func TestAPIListsNeverNull(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		admin := env.As(nipp.RoleAdmin)
		est := webtest.InsertEstablishment(t, db, "01", false)
		proj := webtest.InsertProject(t, db, "01", false)
		prog := webtest.InsertLocalProgram(t, db, "01", false)
		seen := 0
		for _, rt := range env.Server.Routes() {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			if method != http.MethodGet || !strings.HasPrefix(path, "/api/") {
				continue
			}
			var paths []string
			switch {
			case strings.HasPrefix(path, "/api/v1/rule-sets/{code}"):
				for _, code := range []string{"ND45-2012", "ND235-2025"} {
					paths = append(paths, strings.Replace(path, "{code}", code, 1)+"?establishment="+est.PublicID)
				}
			case strings.HasPrefix(path, "/api/v1/programs/{code}"):
				paths = append(paths, strings.Replace(path, "{code}", prog.Code, 1))
			case strings.HasPrefix(path, "/api/v1/organizations/{code}"):
				paths = append(paths, strings.Replace(path, "{code}", "BCT", 1))
			case strings.HasPrefix(path, "/api/v1/projects/{id}"):
				paths = append(paths, strings.Replace(path, "{id}", proj.PublicID, 1))
			case strings.HasPrefix(path, "/api/v1/establishments/{id}"):
				paths = append(paths, strings.Replace(path, "{id}", est.PublicID, 1))
			case strings.Contains(path, "{year}"):
				paths = append(paths, strings.Replace(path, "{year}", "2026", 1), strings.Replace(path, "{year}", "2031", 1))
			default:
				paths = append(paths, path, path+"?province=01", path+"?q=zzzzzz")
			}
			for _, p := range paths {
				r := admin.Get(p)
				if r.Status == http.StatusOK {
					seen++
				}
				var v any
				if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
					t.Errorf("GET %s: %d, not JSON: %.200s", p, r.Status, r.Body)
					continue
				}
				var nulls []string
				nullLists(v, "", &nulls)
				if len(nulls) > 0 {
					t.Errorf("GET %s (%d): null at %v", p, r.Status, nulls)
				}
			}
		}
		if seen < 20 {
			t.Errorf("only %d API answers were 200: the walk does not reach the lists", seen)
		}
	})
}
