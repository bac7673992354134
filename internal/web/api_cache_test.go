package web_test

import (
	"net/http"
	"slices"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// The project list's answers are kept by change stamp: asked again they are
// the same, and any change to what they show (by the app or by raw SQL, on
// any node) is in the next answer; each scope gets its own, and a client
// that does not take gzip gets the same JSON plain.
func TestProjectListAnswersFollowChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		central := env.As(nipp.RoleCentral)
		provincial := env.As(nipp.RoleProvincial, "01")
		own := webtest.InsertProject(t, db, "01", false)
		other := webtest.InsertProject(t, db, "79", false)
		type item struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		list := func(c *webtest.Client, plain bool) map[string]string {
			t.Helper()
			req, _ := http.NewRequest("GET", c.URL("/api/v1/projects"), nil)
			if plain {
				req.Header.Set("Accept-Encoding", "identity")
			}
			res := c.Do(req)
			if res.Status != 200 {
				t.Fatalf("list: %d %s", res.Status, res.Body)
			}
			if plain && res.Header.Get("Content-Encoding") != "" {
				t.Fatalf("asked for no encoding, got %q", res.Header.Get("Content-Encoding"))
			}
			var out struct{ Items []item }
			res.JSON(t, &out)
			m := map[string]string{}
			for _, it := range out.Items {
				m[it.ID] = it.Title
			}
			return m
		}
		ids := func(m map[string]string) []string {
			var out []string
			for id := range m {
				out = append(out, id)
			}
			slices.Sort(out)
			return out
		}
		want := []string{own.PublicID, other.PublicID}
		slices.Sort(want)
		for range 2 {
			if got := ids(list(central, false)); !slices.Equal(got, want) {
				t.Fatalf("central sees %v, want %v", got, want)
			}
			if got := ids(list(provincial, false)); !slices.Equal(got, []string{own.PublicID}) {
				t.Fatalf("the provincial officer of 01 sees %v, want only %s", got, own.PublicID)
			}
		}
		if got := ids(list(central, true)); !slices.Equal(got, want) {
			t.Fatalf("plain JSON: central sees %v", got)
		}
		if err := db.RawExec(t.Context(), `UPDATE projects SET title = 'Đề án đổi tên' WHERE public_id = $1`, other.PublicID); err != nil {
			t.Fatal(err)
		}
		if got := list(central, false)[other.PublicID]; got != "Đề án đổi tên" {
			t.Fatalf("after a rename the list shows %q", got)
		}
		if err := db.RawExec(t.Context(), `UPDATE projects SET published = (1 = 1) WHERE public_id = $1`, other.PublicID); err != nil {
			t.Fatal(err)
		}
		if got := ids(list(provincial, false)); !slices.Equal(got, want) {
			t.Fatalf("after publishing, the provincial officer sees %v, want %v", got, want)
		}
		if got := ids(list(provincial, true)); !slices.Equal(got, want) {
			t.Fatalf("after publishing, plain JSON: %v", got)
		}
	})
}

// TestRegistryAnswersFollowChanges checks the JSON registry's kept answers
// (per scope and query, by the registry's change stamp) against changes
// made behind the application's back, in raw SQL: a rename, a
// publication, a unit's new name, an archived record and a new one each
// show in the next answer, and no scope is sent another's kept answer.
func TestRegistryAnswersFollowChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		central := env.As(nipp.RoleCentral)
		hn := env.As(nipp.RoleProvincial, "01")
		other := env.As(nipp.RoleProvincial, "08")
		a := create(t, hn, form("name", "Làng nghề gốm Bát Tràng", "province", "01", "commune", "Xã Bát Tràng"))
		b := create(t, hn, form("name", "Công ty gốm sứ Minh Long", "legal_form", "enterprise", "province", "01", "commune", "Phường Ba Đình"))
		type item struct {
			ID       string
			Name     string
			Status   string
			Province struct{ Name string }
		}
		search := func(c *webtest.Client, path string, plain bool) map[string]item {
			t.Helper()
			req, _ := http.NewRequest("GET", c.URL(path), nil)
			if plain {
				req.Header.Set("Accept-Encoding", "identity")
			}
			res := c.Do(req)
			if res.Status != 200 {
				t.Fatalf("%s: %d %s", path, res.Status, res.Body)
			}
			var out struct{ Items []item }
			res.JSON(t, &out)
			m := map[string]item{}
			for _, it := range out.Items {
				m[it.ID] = it
			}
			return m
		}
		const q = "/api/v1/establishments?q=gom"
		const others = q + "&others=1"
		exec := func(stmt string, args ...any) {
			t.Helper()
			if err := db.RawExec(t.Context(), stmt, args...); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 2 { // the second round is answered from what the first kept
			if got := search(central, q, i == 1); len(got) != 2 || got[a].Name != "Làng nghề gốm Bát Tràng" {
				t.Fatalf("round %d: central sees %v", i, got)
			}
			if got := search(hn, q, false); len(got) != 2 {
				t.Fatalf("round %d: Hà Nội's officer sees %v", i, got)
			}
			if got := search(other, others, false); len(got) != 0 {
				t.Fatalf("round %d: the officer of 08 sees Hà Nội's unpublished records: %v", i, got)
			}
		}
		exec(`UPDATE establishments SET name = 'Làng gốm Bát Tràng (đổi tên)' WHERE public_id = $1`, a)
		if got := search(central, q, false)[a].Name; got != "Làng gốm Bát Tràng (đổi tên)" {
			t.Errorf("after a rename central sees %q", got)
		}
		exec(`UPDATE establishments SET published = (1 = 1) WHERE public_id = $1`, a)
		if got := search(other, others, false); len(got) != 1 || got[a].ID != a {
			t.Errorf("after publishing, the officer of 08 sees %v, want only %s", got, a)
		}
		if got := search(hn, q, true)[b].Province.Name; got != "Hà Nội" { // kept at the stamp of now
			t.Fatalf("Hà Nội's officer sees the province as %q", got)
		}
		exec(`UPDATE admin_units SET name_vi = 'Thủ đô Hà Nội' WHERE level = 'province' AND code = '01' AND generation = 2025`)
		if got := search(hn, q, true)[b].Province.Name; got != "Thủ đô Hà Nội" {
			t.Errorf("after the province's new name Hà Nội's officer sees %q", got)
		}
		exec(`UPDATE establishments SET status = 'archived' WHERE public_id = $1`, b)
		if got := search(central, q, false); len(got) != 1 {
			t.Errorf("after archiving %s central sees %v", b, got)
		}
		c := create(t, hn, form("name", "Hộ gốm Chu Đậu", "province", "01", "commune", "Xã Bát Tràng"))
		if got := search(hn, q, false); len(got) != 2 || got[c].ID != c {
			t.Errorf("after a new record Hà Nội's officer sees %v", got)
		}
	})
}
