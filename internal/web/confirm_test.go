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

// Archiving an establishment and disabling an account are styled apart
// (danger) and ask first: the form has a required "I confirm" box, and the
// form sent without it changes nothing; ticked, it acts.
func TestDestructiveActionsAskFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "08")
		id := create(t, c, form("name", "HTX Chè Việt Lâm", "province", "08", "commune", "Xã Việt Lâm", "recorded_on", "2025-08-15"))
		admin := env.As(nipp.RoleAdmin)
		other := env.CreateUser(nipp.RoleCentral)
		userPath := "/admin/users/" + itoa(other.ID)
		for _, a := range []struct {
			what, page, marker string
			client             *webtest.Client
			done               func() bool
		}{
			{"archive", "/establishments/" + id, "/archive\"", c, func() bool {
				return strings.Contains(c.Get("/establishments/"+id).Body, "Lưu trữ</dd>") || !strings.Contains(c.Get("/establishments/"+id).Body, `/archive"`)
			}},
			{"disable", userPath, "/active\"", admin, func() bool { return strings.Contains(admin.Get(userPath).Body, `name="active" value="1"`) }},
		} {
			r := a.client.Get(a.page)
			i := strings.Index(r.Body, a.marker)
			if i < 0 {
				t.Fatalf("%s: no form on %s", a.what, a.page)
			}
			end := strings.Index(r.Body[i:], "</form>")
			f := r.Body[i : i+end]
			if !strings.Contains(f, `name="confirm" value="1" required`) || !strings.Contains(f, `class="danger"`) {
				t.Errorf("%s: the form lacks a required confirmation box or the danger style: %s", a.what, f)
			}
			action, v := formFields(t, r.Body, a.marker)
			v.Del("confirm") // the box as rendered is not ticked
			if r := a.client.PostForm(action, v); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "xác nhận") {
				t.Errorf("%s without the box: %d, want 422 asking to confirm", a.what, r.Status)
			}
			if a.done() {
				t.Fatalf("%s happened without confirmation", a.what)
			}
			v.Set("confirm", "1")
			if r := a.client.PostForm(action, v); r.Status != http.StatusSeeOther {
				t.Errorf("%s with the box ticked: %d", a.what, r.Status)
			}
			if !a.done() {
				t.Errorf("%s did not happen once confirmed", a.what)
			}
		}
	})
}
