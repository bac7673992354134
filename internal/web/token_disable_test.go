package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// toggleActive submits the disable / re-enable form of the account page as
// an administrator does (ticking the confirmation box that disabling asks
// for).
func toggleActive(t *testing.T, admin *webtest.Client, userID int64) {
	t.Helper()
	path := "/admin/users/" + strconv.FormatInt(userID, 10)
	form := admin.Open(path).Form(path + "/active")
	if form.Get("active") == "0" {
		form.Check("confirm", "1")
	}
	if p := form.Submit(); p.Status != http.StatusOK {
		t.Fatalf("active=%s: %d %s", form.Get("active"), p.Status, p.Text())
	}
}

// Issue 16, attack 8: a re-enabled account's old API tokens worked again.
// Disabling revokes them.
func TestDisablingRevokesTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		admin := env.As(nipp.RoleAdmin)
		c := env.As(nipp.RoleProvincial, "01")
		secret := tokenRE.FindString(c.PostForm("/account/tokens", url.Values{"name": {"ETL"}}).Body)
		if r := bearer(t, env, "GET", "/api/v1/projects", secret); secret == "" || r.Status != http.StatusOK {
			t.Fatalf("token before: %d", r.Status)
		}
		toggleActive(t, admin, c.User.ID) // disable
		if r := bearer(t, env, "GET", "/api/v1/projects", secret); r.Status != http.StatusUnauthorized {
			t.Errorf("token of a disabled account: %d", r.Status)
		}
		toggleActive(t, admin, c.User.ID) // re-enable
		if r := bearer(t, env, "GET", "/api/v1/projects", secret); r.Status != http.StatusUnauthorized {
			t.Errorf("old token after re-enabling: %d, want 401", r.Status)
		}
		// The user signs in again and makes a new token, which works.
		again := env.Anonymous()
		again.Login(c.User.Email, webtest.Password)
		fresh := tokenRE.FindString(again.PostForm("/account/tokens", url.Values{"name": {"ETL 2"}}).Body)
		if r := bearer(t, env, "GET", "/api/v1/projects", fresh); fresh == "" || r.Status != http.StatusOK {
			t.Errorf("new token: %d", r.Status)
		}
	})
}
