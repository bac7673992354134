package web_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestLoginLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		u := env.CreateUser(nipp.RoleCentral)

		anon := env.Anonymous()
		r := anon.PostForm("/login", url.Values{"email": {u.Email}, "password": {"wrong password!"}})
		if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "Email hoặc mật khẩu không đúng") {
			t.Fatalf("wrong password: %d", r.Status)
		}
		// No user enumeration: an unknown account gets the same answer.
		r2 := anon.PostForm("/login", url.Values{"email": {"nobody@test.nipp"}, "password": {"wrong password!"}})
		if r2.Status != r.Status || !strings.Contains(r2.Body, "Email hoặc mật khẩu không đúng") {
			t.Fatalf("unknown account answered differently: %d", r2.Status)
		}

		c := env.Anonymous()
		c.Login(u.Email, webtest.Password)
		home := c.Get("/")
		if !strings.Contains(home.Body, u.Email) {
			t.Fatal("signed-in home page does not show the user")
		}
		sess := ""
		for _, ck := range strings.Split(home.Header.Get("Set-Cookie"), ";") {
			sess += ck
		}
		if r := c.PostForm("/logout", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.Status)
		}
		if strings.Contains(c.Get("/").Body, u.Email) {
			t.Fatal("still signed in after logout")
		}
	})
}

func TestSessionCookieFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		u := env.CreateUser(nipp.RoleAuditor)
		c := env.Anonymous()
		r := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {webtest.Password}})
		var found bool
		for _, ck := range r.Header.Values("Set-Cookie") {
			if strings.HasPrefix(ck, "nipp_session=") {
				found = true
				if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
					t.Errorf("session cookie flags: %s", ck)
				}
			}
		}
		if !found {
			t.Fatal("no session cookie")
		}
	})
}

func TestCSRFRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		u := env.CreateUser(nipp.RoleCentral)
		c := env.Anonymous()
		c.CSRF() // has the cookie, but does not send the token
		r := c.PostFormNoCSRF("/login", url.Values{"email": {u.Email}, "password": {webtest.Password}})
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "CSRF") {
			t.Fatalf("login without CSRF token: %d", r.Status)
		}
		r = c.PostForm("/login", url.Values{"email": {u.Email}, "password": {webtest.Password}, "csrf_token": {"forged-token-forged-token-forged-token-1234"}})
		if r.Status != http.StatusForbidden {
			t.Fatalf("login with a forged CSRF token: %d", r.Status)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	storetest.EachWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleCentral)
		if !strings.Contains(c.Get("/").Body, c.User.Email) {
			t.Fatal("not signed in")
		}
		// Activity keeps the session alive past the idle limit in total...
		for range 3 {
			clk.Advance(5 * time.Hour)
			if !strings.Contains(c.Get("/").Body, c.User.Email) {
				t.Fatal("active session expired too early")
			}
		}
		// ...but idleness ends it, and the user is told so.
		clk.Advance(9 * time.Hour)
		r := c.Get("/api/v1/programs")
		if r.Status != http.StatusOK {
			t.Fatalf("public API after expiry: %d", r.Status)
		}
		if strings.Contains(c.Get("/").Body, c.User.Email) {
			t.Fatal("idle session still valid")
		}
	})
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		u := env.CreateUser(nipp.RoleCentral)
		for next, want := range map[string]string{"/api/v1/programs": "/api/v1/programs", "//evil.example": "/work", "https://evil.example/": "/work", "": "/work"} {
			c := env.Anonymous()
			r := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {webtest.Password}, "next": {next}})
			if got := r.Header.Get("Location"); got != want {
				t.Errorf("next=%q redirected to %q, want %q", next, got, want)
			}
		}
	})
}
