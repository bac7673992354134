package web_test

import (
	"net/http"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// A read replica that lags: the replica is a copy of the database taken
// before the officer's account existed and before the record was changed,
// and it never catches up. The session behind each request and the page
// shown after a save come from the primary; other reads come from the
// replica (shown by the stale page a browser gets once its "just saved"
// mark is gone).
func TestLaggingReplicaKeepsOwnWrites(t *testing.T) {
	var id string
	setup := func(t testing.TB, db *store.DB) {
		env := webtest.New(t, db)
		pg := env.As(nipp.RoleCentral).Open("/establishments/new").Form("/establishments").
			Set("name", "Gốm Bát Tràng").Select("province", "01").Set("commune", "Phường Ba Đình").Submit()
		if pg.Status != http.StatusOK || !strings.HasPrefix(pg.Path(), "/establishments/") {
			t.Fatalf("creating the record: %d %s", pg.Status, pg.Path())
		}
		id = strings.TrimPrefix(pg.URL.Path, "/establishments/")
	}
	storetest.EachWithLaggingReplica(t, setup, func(t *testing.T, db *store.DB) {
		if !db.HasReplica() {
			t.Fatal("no replica configured")
		}
		env := webtest.New(t, db)
		// A new account signs in: its account and session exist only on
		// the primary.
		officer := env.As(nipp.RoleProvincial, "01")
		officer.DropCookie("nipp_own") // sign-in's own mark: the session alone must hold
		pg := officer.Open("/establishments/" + id)
		if pg.Status != http.StatusOK || !officer.HasCookie("nipp_session") {
			t.Fatalf("the officer who just signed in was signed out: status %d, session cookie kept %v", pg.Status, officer.HasCookie("nipp_session"))
		}

		// Saved through the form; the page shown next has the new name and
		// the next edit starts from the new version.
		pg = officer.Open("/establishments/"+id+"/edit").Form("/establishments/"+id).Set("name", "Gốm Bát Tràng Mới").Submit()
		if pg.Status != http.StatusOK || pg.Path() != "/establishments/"+id || !pg.Contains("Gốm Bát Tràng Mới") {
			t.Fatalf("page after the save: %d %s, new name shown %v", pg.Status, pg.Path(), pg.Contains("Gốm Bát Tràng Mới"))
		}
		if v := officer.Open("/establishments/" + id + "/edit").Form("/establishments/" + id).Get("version"); v != "2" {
			t.Errorf("edit form after the save: version %q, want 2", v)
		}

		// Without the mark, pages are the replica's: still the old name.
		// (This is what the page after a save would show without it.)
		officer.DropCookie("nipp_own")
		pg = officer.Open("/establishments/" + id)
		if pg.Status != http.StatusOK || pg.Contains("Gốm Bát Tràng Mới") || !pg.Contains("Gốm Bát Tràng") {
			t.Errorf("a list read is not served by the lagging replica: %d, new name shown %v", pg.Status, pg.Contains("Gốm Bát Tràng Mới"))
		}
	})
}
