package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

func TestPasswordChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleCentral)
		other := env.Anonymous() // a second browser of the same user
		other.Login(c.User.Email, webtest.Password)

		if r := c.Get("/account/password"); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="current_password"`) {
			t.Fatalf("password page: %d", r.Status)
		}
		for name, form := range map[string]url.Values{
			"wrong current": {"current_password": {"not my password"}, "password": {"a brand new secret"}, "confirm": {"a brand new secret"}},
			"too short":     {"current_password": {webtest.Password}, "password": {"short"}, "confirm": {"short"}},
			"mismatch":      {"current_password": {webtest.Password}, "password": {"a brand new secret"}, "confirm": {"another new secret"}},
		} {
			if r := c.PostForm("/account/password", form); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d", name, r.Status)
			}
		}
		r := c.PostForm("/account/password", url.Values{"current_password": {webtest.Password}, "password": {"a brand new secret"}, "confirm": {"a brand new secret"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/account?changed=1" {
			t.Fatalf("change: %d %s", r.Status, r.Body)
		}
		// This browser stays signed in; the other one is signed out.
		if !strings.Contains(c.Get("/account").Body, c.User.Email) {
			t.Fatal("the changing session was ended")
		}
		if r := other.Get("/account"); r.Status != http.StatusSeeOther {
			t.Fatalf("other session still valid: %d", r.Status)
		}
		// The new password works, the old one does not.
		if r := env.Anonymous().PostForm("/login", url.Values{"email": {c.User.Email}, "password": {webtest.Password}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("old password: %d", r.Status)
		}
		env.Anonymous().Login(c.User.Email, "a brand new secret")

		// Audited, without the hash.
		var before, after string
		err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
			return tx.EachAuditEntry(context.Background(), store.AuditFilter{Entity: "user", EntityID: itoa(c.User.ID)}, func(e *nipp.AuditEntry) error {
				if e.Action == nipp.ActionUpdate && after == "" {
					before, after = e.Before, e.After
				}
				return nil
			})
		})
		if err != nil || !strings.Contains(after, "password_changed_at") || strings.Contains(before+after, "argon2") {
			t.Fatalf("audit of the change: %v %q %q", err, before, after)
		}

		// The JSON API does the same.
		r = c.SendJSON("POST", "/api/v1/account/password", map[string]string{"current_password": "a brand new secret", "new_password": "the third secret"})
		if r.Status != http.StatusOK {
			t.Fatalf("API change: %d %s", r.Status, r.Body)
		}
		r = c.SendJSON("POST", "/api/v1/account/password", map[string]string{"current_password": "wrong", "new_password": "the fourth secret"})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "current_password") {
			t.Fatalf("API wrong current: %d %s", r.Status, r.Body)
		}
	})
}

func TestMustChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		u, otp, err := env.App.CreateUserAsSystem(context.Background(), nipp.NewUser{Email: "new@test.nipp", Role: nipp.RoleAuditor})
		if err != nil || otp == "" {
			t.Fatal(err)
		}
		c := env.Anonymous()
		c.Login(u.Email, otp)
		for _, path := range []string{"/", "/audit", "/account"} {
			if r := c.Get(path); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/account/password" {
				t.Errorf("GET %s: %d -> %q", path, r.Status, r.Header.Get("Location"))
			}
		}
		r := c.Get("/api/v1/audit")
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "mật khẩu tạm thời") || strings.Contains(r.Body, "one-time password") {
			t.Errorf("API while the password must change: %d %s", r.Status, r.Body)
		}
		if r := c.Get("/account/password"); r.Status != http.StatusOK || !strings.Contains(r.Body, "mật khẩu tạm thời") {
			t.Fatalf("password page: %d", r.Status)
		}
		r = c.PostForm("/account/password", url.Values{"current_password": {otp}, "password": {"my own good password"}, "confirm": {"my own good password"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("change: %d", r.Status)
		}
		if r := c.Get("/audit"); r.Status != http.StatusOK {
			t.Fatalf("after the change: %d", r.Status)
		}
	})
}

var tokenRE = regexp.MustCompile(`nipp_[A-Za-z0-9_-]{43}`)

// bearer sends a request with an API token and no cookies.
func bearer(t *testing.T, env *webtest.Env, method, path, token string) *webtest.Response {
	t.Helper()
	req, _ := http.NewRequest(method, env.HTTP.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return env.Anonymous().Do(req)
}

func TestAPITokens(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	storetest.EachWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleProvincial, "01")
		r := c.PostForm("/account/tokens", url.Values{"name": {"province ETL"}})
		secret := tokenRE.FindString(r.Body)
		if r.Status != http.StatusCreated || secret == "" {
			t.Fatalf("create: %d", r.Status)
		}
		// Shown once: the list only has the prefix.
		list := c.Get("/account/tokens")
		if strings.Contains(list.Body, secret) || !strings.Contains(list.Body, secret[:11]) || !strings.Contains(list.Body, "province ETL") {
			t.Fatal("token list shows the secret or not the prefix")
		}
		var me struct {
			Email     string
			Role      nipp.Role
			Provinces []string
			ViaToken  bool `json:"via_token"`
		}
		r = bearer(t, env, "GET", "/api/v1/account", secret)
		r.JSON(t, &me)
		if r.Status != http.StatusOK || me.Email != c.User.Email || me.Role != nipp.RoleProvincial || len(me.Provinces) != 1 || me.Provinces[0] != "01" || !me.ViaToken {
			t.Fatalf("token principal: %d %+v", r.Status, me)
		}
		// The token carries the role: a provincial officer may not read the audit trail.
		if r := bearer(t, env, "GET", "/api/v1/audit", secret); r.Status != http.StatusForbidden {
			t.Fatalf("audit with a provincial token: %d", r.Status)
		}
		// Bearer clients are exempt from CSRF (no ambient credentials).
		req, _ := http.NewRequest("POST", env.HTTP.URL+"/api/v1/account/password", strings.NewReader(`{"current_password":"x","new_password":"yyyyyyyyyyyy"}`))
		req.Header.Set("Authorization", "Bearer "+secret)
		if r := env.Anonymous().Do(req); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("token POST without CSRF: %d %s", r.Status, r.Body)
		}
		// Bad tokens are 401 JSON, never a redirect.
		for _, bad := range []string{"nipp_" + strings.Repeat("A", 43), "garbage"} {
			r := bearer(t, env, "GET", "/api/v1/programs", bad)
			if r.Status != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				t.Fatalf("bad token: %d %s", r.Status, r.Header.Get("Content-Type"))
			}
		}
		// Last use is recorded.
		clk.Advance(2 * time.Minute)
		bearer(t, env, "GET", "/api/v1/account", secret)
		toks, err := env.App.Tokens(nipp.WithPrincipal(context.Background(), c.User.Principal()))
		if err != nil || len(toks) != 1 || toks[0].LastUsedAt == nil || !toks[0].LastUsedAt.Equal(clk.Now().UTC().Truncate(time.Microsecond)) {
			t.Fatalf("last use: %v %+v", err, toks)
		}
		// Another user cannot revoke it; its owner can, and then it is refused.
		other := env.As(nipp.RoleCentral)
		path := "/account/tokens/" + itoa(toks[0].ID) + "/revoke"
		if r := other.PostForm(path, nil); r.Status != http.StatusNotFound {
			t.Fatalf("revoke by another user: %d", r.Status)
		}
		if r := c.PostForm(path, nil); r.Status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.Status)
		}
		if r := bearer(t, env, "GET", "/api/v1/account", secret); r.Status != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", r.Status)
		}
		// Creation and revocation are audited.
		n := 0
		db.ReadTx(context.Background(), func(tx *store.Tx) error {
			return tx.EachAuditEntry(context.Background(), store.AuditFilter{Entity: "api_token"}, func(*nipp.AuditEntry) error { n++; return nil })
		})
		if n != 2 {
			t.Fatalf("%d token audit entries, want 2", n)
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	storetest.EachWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.mu.Lock()
		clk.t = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC) // each engine starts at the same time
		clk.mu.Unlock()
		env := webtest.New(t, db)
		u := env.CreateUser(nipp.RoleCentral)
		c := env.Anonymous()
		login := func(email, pw string) *webtest.Response {
			return c.PostForm("/login", url.Values{"email": {email}, "password": {pw}})
		}
		for i := range 5 {
			if r := login(u.Email, "wrong password"); r.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, r.Status)
			}
			if r := login("ghost@test.nipp", "wrong password"); r.Status != http.StatusUnauthorized {
				t.Fatalf("unknown failure %d: %d", i+1, r.Status)
			}
		}
		// Blocked now, even with the right password; an unknown account gets
		// the very same answer.
		known, unknown := login(u.Email, webtest.Password), login("ghost@test.nipp", "x")
		if known.Status != http.StatusTooManyRequests || unknown.Status != http.StatusTooManyRequests {
			t.Fatalf("after 5 failures: %d / %d", known.Status, unknown.Status)
		}
		msg := regexp.MustCompile(`Đăng nhập sai[^<]*`)
		if a, b := msg.FindString(known.Body), msg.FindString(unknown.Body); a == "" || a != b || !strings.Contains(a, "15:15 02/03/2026") {
			t.Fatalf("throttle messages: %q vs %q", a, b)
		}
		// 15 minutes after the last failure the account may try again, and
		// success clears its counter.
		clk.Advance(14 * time.Minute)
		if r := login(u.Email, webtest.Password); r.Status != http.StatusTooManyRequests {
			t.Fatalf("after 14 minutes: %d", r.Status)
		}
		clk.Advance(time.Minute + time.Second)
		if r := login(u.Email, webtest.Password); r.Status != http.StatusSeeOther {
			t.Fatalf("after 15 minutes: %d", r.Status)
		}
		for range 4 {
			login(u.Email, "wrong password")
		}
		if r := login(u.Email, webtest.Password); r.Status != http.StatusSeeOther {
			t.Fatalf("counter not cleared by success: %d", r.Status)
		}
		// 30 failures from one address block it for every account.
		clk.Advance(time.Hour)
		for i := range 30 {
			login("spray"+itoa(int64(i))+"@test.nipp", "wrong password")
		}
		fresh := env.CreateUser(nipp.RoleAuditor)
		if r := login(fresh.Email, webtest.Password); r.Status != http.StatusTooManyRequests {
			t.Fatalf("address not throttled: %d", r.Status)
		}
	})
}

func itoa(n int64) string { return strconvFormat(n) }
