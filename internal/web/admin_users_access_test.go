package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// An administrator moves a provincial officer to another province: the
// officer's next request already has the new scope; a stale form, a
// provincial role without provinces and an administrator demoting
// themselves are refused.
func TestUpdateUserAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		admin := env.As(nipp.RoleAdmin)
		officer := env.As(nipp.RoleProvincial, "01")
		hn := webtest.InsertEstablishment(t, db, "01", false)
		hcm := webtest.InsertEstablishment(t, db, "79", false)
		if r := officer.Get("/establishments/" + hn.PublicID); r.Status != http.StatusOK {
			t.Fatalf("officer reads own province: %d", r.Status)
		}
		if r := officer.Get("/establishments/" + hcm.PublicID); r.Status != http.StatusNotFound {
			t.Fatalf("officer reads another province's unpublished record: %d", r.Status)
		}
		path := "/admin/users/" + strconv.FormatInt(officer.User.ID, 10)
		page := admin.Get(path)
		if page.Status != http.StatusOK || !strings.Contains(page.Body, `name="role"`) {
			t.Fatalf("user page has no role form: %d", page.Status)
		}
		move := url.Values{"version": {strconv.Itoa(officer.User.Version)}, "name": {"Cán bộ chuyển công tác"}, "role": {"provincial"}, "province": {"79"}}
		if r := admin.PostForm(path, move); r.Status != http.StatusSeeOther {
			t.Fatalf("moving the officer: %d %s", r.Status, r.Body)
		}
		if r := officer.Get("/establishments/" + hcm.PublicID); r.Status != http.StatusOK {
			t.Errorf("after the move the officer cannot read the new province: %d", r.Status)
		}
		if r := officer.Get("/establishments/" + hn.PublicID); r.Status != http.StatusNotFound {
			t.Errorf("after the move the officer still reads the old province: %d", r.Status)
		}
		// The same form again is stale: the other change is kept.
		if r := admin.PostForm(path, move); r.Status != http.StatusConflict {
			t.Errorf("stale edit: %d", r.Status)
		}
		bad := url.Values{"version": {strconv.Itoa(officer.User.Version + 1)}, "role": {"provincial"}}
		if r := admin.PostForm(path, bad); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("provincial role without provinces: %d", r.Status)
		}
		self := "/admin/users/" + strconv.FormatInt(admin.User.ID, 10)
		demote := url.Values{"version": {strconv.Itoa(admin.User.Version)}, "role": {"central"}}
		if r := admin.PostForm(self, demote); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("administrator demoting themselves: %d", r.Status)
		}
		if r := officer.PostForm(path, move); r.Status != http.StatusForbidden {
			t.Errorf("officer edits accounts: %d", r.Status)
		}
		audit := admin.Get("/api/v1/audit?entity=user&entity_id=" + strconv.FormatInt(officer.User.ID, 10))
		if !strings.Contains(audit.Body, `\"provinces\":[\"79\"]`) || !strings.Contains(audit.Body, `\"provinces\":[\"01\"]`) {
			t.Errorf("the move is not in the audit trail: %.300s", audit.Body)
		}
	})
}
