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
