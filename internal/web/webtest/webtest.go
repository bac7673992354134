// Package webtest runs the real HTTP stack (middleware, sessions, CSRF,
// handlers, app, store) on httptest servers for handler tests, and signs
// clients in through the login form, the same path a user takes.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/web"
)

// Env is a running server over a test database.
type Env struct {
	T      testing.TB
	DB     *store.DB
	App    *app.App
	Server *web.Server
	HTTP   *httptest.Server
	n      atomic.Int64
	read   atomic.Int64 // bytes the server read from its connections
}

// BytesRead returns how many bytes the server has read from all its
// connections so far (to prove a body was refused before it was read).
func (e *Env) BytesRead() int64 { return e.read.Load() }

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.n}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

// CloseWrite keeps the server's half-close (it avoids resets on refused
// bodies) working through the wrapper.
func (c countingConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// New starts the whole HTTP stack over db.
func New(t testing.TB, db *store.DB) *Env {
	t.Helper()
	return NewWithConfig(t, db, web.Config{Version: "test"})
}

// NewWith starts the whole HTTP stack over db with App options.
func NewWith(t testing.TB, db *store.DB, opts ...app.Option) *Env {
	t.Helper()
	return NewWithConfig(t, db, web.Config{Version: "test"}, opts...)
}

// NewWithConfig is New with the server's configuration (e.g. TLS) and App
// options.
func NewWithConfig(t testing.TB, db *store.DB, cfg web.Config, opts ...app.Option) *Env {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	a := app.New(db, log, append([]app.Option{app.WithFilesDir(t.TempDir())}, opts...)...)
	srv, err := web.New(a, log, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{T: t, DB: db, App: a, Server: srv}
	e.HTTP = httptest.NewUnstartedServer(srv.Handler())
	e.HTTP.Listener = countingListener{e.HTTP.Listener, &e.read}
	e.HTTP.Start()
	t.Cleanup(e.HTTP.Close)
	return e
}

// Password is the password of every user the helpers create.
const Password = "correct horse battery"

// CreateUser creates an account directly (as the system) and returns it.
func (e *Env) CreateUser(role nipp.Role, provinces ...string) *nipp.User {
	e.T.Helper()
	email := fmt.Sprintf("%s%d@test.nipp", role, e.n.Add(1))
	u, _, err := e.App.CreateUserAsSystem(context.Background(), nipp.NewUser{Email: email, Name: string(role), Role: role, Provinces: provinces, Password: Password})
	if err != nil {
		e.T.Fatal(err)
	}
	return u
}

// Client is a browser-like client: it keeps cookies and fills in the CSRF
// token for form posts.
type Client struct {
	env  *Env
	http *http.Client
	User *nipp.User // nil for the anonymous public
}

// Anonymous returns a client that is not signed in.
func (e *Env) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// AnonymousFrom returns a client that is not signed in and connects from
// the loopback address ip (any 127.x.y.z): the server sees it as
// RemoteAddr, as it would a distinct machine.
func (e *Env) AnonymousFrom(ip string) *Client {
	c := e.Anonymous()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.http.Transport = &http.Transport{DialContext: d.DialContext}
	return c
}

// As creates a user with the role (and provinces) and signs a client in
// through the login form.
func (e *Env) As(role nipp.Role, provinces ...string) *Client {
	e.T.Helper()
	u := e.CreateUser(role, provinces...)
	c := e.Anonymous()
	c.Login(u.Email, Password)
	c.User = u
	return c
}

// Login signs in through GET /login and POST /login and fails the test
// unless it succeeds.
func (c *Client) Login(email, password string) {
	c.env.T.Helper()
	resp := c.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if resp.Status != http.StatusSeeOther {
		c.env.T.Fatalf("login %s: status %d: %s", email, resp.Status, resp.Body)
	}
}

// Response is a read response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decoding %q: %v", r.Body, err)
	}
}

// Do sends a request.
func (c *Client) Do(req *http.Request) *Response {
	c.env.T.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.env.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// Get fetches a path.
func (c *Client) Get(path string) *Response {
	c.env.T.Helper()
	req, _ := http.NewRequest("GET", c.env.HTTP.URL+path, nil)
	return c.Do(req)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// CSRF returns the client's CSRF token, fetching the login page once to get
// the cookie if needed.
func (c *Client) CSRF() string {
	c.env.T.Helper()
	u, _ := url.Parse(c.env.HTTP.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "nipp_csrf" {
			return ck.Value
		}
	}
	r := c.Get("/login")
	m := csrfField.FindStringSubmatch(r.Body)
	if m == nil {
		c.env.T.Fatalf("no CSRF token on /login")
	}
	return m[1]
}

// PostForm posts a form with the CSRF token filled in.
func (c *Client) PostForm(path string, form url.Values) *Response {
	c.env.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf_token") == "" {
		form.Set("csrf_token", c.CSRF())
	}
	req, _ := http.NewRequest("POST", c.env.HTTP.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// PostFormNoCSRF posts a form without a CSRF token (to test the refusal).
func (c *Client) PostFormNoCSRF(path string, form url.Values) *Response {
	c.env.T.Helper()
	req, _ := http.NewRequest("POST", c.env.HTTP.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// SendJSON sends a JSON body (POST, PUT, PATCH, DELETE) with the CSRF header.
func (c *Client) SendJSON(method, path string, body any) *Response {
	c.env.T.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.env.T.Fatal(err)
		}
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, c.env.HTTP.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

// FilePart is a file sent in a multipart body.
type FilePart struct {
	Field, Name string
	Content     []byte
}

// SendMultipart posts a multipart/form-data body (fields, then files) with
// the CSRF header, as an API client uploading a file does.
func (c *Client) SendMultipart(path string, fields url.Values, files ...FilePart) *Response {
	c.env.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(name, v); err != nil {
				c.env.T.Fatal(err)
			}
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.Field, f.Name)
		if err != nil {
			c.env.T.Fatal(err)
		}
		w.Write(f.Content)
	}
	if err := mw.Close(); err != nil {
		c.env.T.Fatal(err)
	}
	req, _ := http.NewRequest("POST", c.env.HTTP.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

// URL returns the absolute URL of a path on the test server.
func (c *Client) URL(path string) string { return c.env.HTTP.URL + path }

// DropCookie forgets the client's cookie name, as a browser does when it
// expires.
func (c *Client) DropCookie(name string) {
	u, err := url.Parse(c.env.HTTP.URL)
	if err != nil {
		c.env.T.Fatal(err)
	}
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Path: "/", MaxAge: -1}})
}

// HasCookie reports whether the client holds a cookie name.
func (c *Client) HasCookie(name string) bool {
	u, err := url.Parse(c.env.HTTP.URL)
	if err != nil {
		c.env.T.Fatal(err)
	}
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return true
		}
	}
	return false
}
