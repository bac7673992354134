package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush lets streamed exports flush through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// observe gives each request an id, a language, a log line and metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = newID()
		}
		w.Header().Set("X-Request-Id", id)
		l := pickLang(r)
		if q := r.URL.Query().Get("lang"); q == l {
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.TLS})
		}
		route := new(string)
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = context.WithValue(ctx, keyLang, l)
		ctx = context.WithValue(ctx, keyRoute, route)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.inflight.Inc()
		defer s.metrics.inflight.Dec()
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		if *route == "" {
			*route = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.requests.WithLabelValues(r.Method, *route, strconv.Itoa(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(r.Method, *route).Observe(elapsed.Seconds())
		p := nipp.PrincipalFrom(r.Context())
		s.log.Info("request", "request_id", id, "method", r.Method, "path", r.URL.Path, "route", *route,
			"status", sw.status, "bytes", sw.bytes, "duration_ms", elapsed.Milliseconds(), "user", p.Email, "remote", clientIP(r))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", requestID(r.Context()), "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets a strict CSP (no inline scripts or styles), frame
// denial, no-sniff and a referrer policy on every response, and HSTS when
// the site is served over TLS.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.TLS {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// --- CSRF, in two layers, neither of which reads a body before the
// route's limit is in place:
//  1. csrf (middleware, headers only): a state-changing request a browser
//     marks as cross-site (Sec-Fetch-Site) or whose Origin is another host
//     is refused (http.CrossOriginProtection).
//  2. guard (per route, after the body limit): the double-submit token. A
//     random token lives in an HttpOnly, SameSite=Lax cookie, renewed at
//     sign-in and sign-out; the request must echo it in the X-CSRF-Token
//     header or the csrf_token form field.
// Requests authenticated by an API bearer token carry no ambient
// credentials and are exempt from both.

const csrfCookie = "nipp_csrf"

type csrfKey struct{}

func csrfToken(r *http.Request) string {
	t, _ := r.Context().Value(csrfKey{}).(string)
	return t
}

func newCSRFToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// renewCSRF gives the browser a new CSRF token (at sign-in and sign-out, so
// a token known before cannot be replayed after) and returns the request
// carrying it, for the page rendered in the same response.
func (s *Server) renewCSRF(w http.ResponseWriter, r *http.Request) *http.Request {
	token := newCSRFToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.TLS})
	return r.WithContext(context.WithValue(r.Context(), csrfKey{}, token))
}

func (s *Server) errCSRF(r *http.Request) error {
	return nipp.Errorf(nipp.EFORBIDDEN, "input.csrf")
}

func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch c, err := r.Cookie(csrfCookie); {
		case err == nil && len(c.Value) == 43:
			r = r.WithContext(context.WithValue(r.Context(), csrfKey{}, c.Value))
		case nipp.PrincipalFrom(r.Context()).TokenID != 0:
			// An API token's calls carry no cookies and need no CSRF token.
		default:
			r = s.renewCSRF(w, r)
		}
		if nipp.PrincipalFrom(r.Context()).TokenID == 0 {
			if err := s.origins.Check(r); err != nil {
				s.fail(w, r, s.errCSRF(r))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// checkCSRFToken checks the double-submit token of a state-changing request
// (guard calls it once the body limit is in place and the form is parsed).
func (s *Server) checkCSRFToken(r *http.Request) error {
	if nipp.PrincipalFrom(r.Context()).TokenID != 0 {
		return nil
	}
	sent := r.Header.Get("X-CSRF-Token")
	if sent == "" && r.PostForm != nil {
		sent = r.PostForm.Get("csrf_token")
	}
	if sent == "" && r.MultipartForm != nil && len(r.MultipartForm.Value["csrf_token"]) > 0 {
		sent = r.MultipartForm.Value["csrf_token"][0]
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil || sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(c.Value)) != 1 {
		return s.errCSRF(r)
	}
	return nil
}

// authenticate puts the principal (session or API token; anonymous
// otherwise) into the request context, then applies CSRF protection.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return s.identify(s.csrf(next))
}

// sessionCookie holds the browser's session token.
const sessionCookie = "nipp_session"

// ownWritesCookie marks a browser that saved something moments ago: for
// ownWritesFor its requests read from the primary (app.WithOwnWrites), so
// the page shown after a save shows what was saved even when a replica
// lags. It carries nothing secret; a client that forges it only reads from
// the primary.
const ownWritesCookie = "nipp_own"

// ownWritesFor is how long reads follow a save to the primary: longer than
// a healthy replica's lag.
const ownWritesFor = 10 * time.Second

// markOwnWrites sends the browser's next reads to the primary for a while.
func (s *Server) markOwnWrites(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: ownWritesCookie, Value: "1", Path: "/", MaxAge: int(ownWritesFor / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.TLS})
}

type expiredKey struct{}

// sessionExpired reports whether the request came with a session that is
// no longer valid (so the login page can say so).
func sessionExpired(r *http.Request) bool {
	v, _ := r.Context().Value(expiredKey{}).(bool)
	return v
}

// identify resolves the principal: an API token (Authorization: Bearer)
// on the JSON API, else the session cookie. Without valid credentials the
// request is anonymous; a bad token on the API is refused outright (401
// JSON), since a machine client must not silently act as the public.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &nipp.Principal{}
		ctx := r.Context()
		isAPI := strings.HasPrefix(r.URL.Path, "/api/")
		if auth := r.Header.Get("Authorization"); isAPI && auth != "" {
			scheme, token, _ := strings.Cut(auth, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				s.fail(w, r, nipp.Errorf(nipp.EUNAUTHORIZED, "err.web.only_bearer_api_tokens_accepted"))
				return
			}
			var tp *nipp.Principal
			var err error
			if id, ok := apiProjectDetailID(r); ok {
				tp, ctx, err = s.app.AuthenticateTokenForProject(ctx, strings.TrimSpace(token), id)
			} else {
				tp, err = s.app.AuthenticateToken(ctx, strings.TrimSpace(token))
			}
			if err != nil {
				s.fail(w, r, err)
				return
			}
			p = tp
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			sp, err := s.app.Authenticate(ctx, c.Value)
			switch {
			case err == nil:
				p = sp
			case nipp.ErrorCode(err) == nipp.EUNAUTHORIZED:
				s.clearSessionCookie(w)
				ctx = context.WithValue(ctx, expiredKey{}, true)
			default:
				s.fail(w, r, err)
				return
			}
		}
		p.RemoteAddr = clientIP(r)
		if c, err := r.Cookie(ownWritesCookie); err == nil && c.Value != "" {
			ctx = app.WithOwnWrites(ctx)
		}
		r = r.WithContext(nipp.WithPrincipal(ctx, p))
		if p.MustChangePassword && !openWhileMustChange(r.URL.Path) {
			if !isAPI && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				http.Redirect(w, r, "/account/password", http.StatusSeeOther)
				return
			}
			s.fail(w, r, nipp.Errorf(nipp.EFORBIDDEN, "err.web.you_must_change_your_one"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// apiProjectDetailID returns the public id of a call for one project's
// detail (GET /api/v1/projects/{id}), whose stamp the token statement reads
// too; the router has not matched the path yet.
func apiProjectDetailID(r *http.Request) (string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return "", false
	}
	id, ok := strings.CutPrefix(r.URL.Path, "/api/v1/projects/")
	if !ok || id == "" || len(id) > 64 || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// openWhileMustChange lists what a user with a one-time password may still
// reach: the password change itself, signing out, and the plumbing.
func openWhileMustChange(path string) bool {
	switch path {
	case "/account/password", "/api/v1/account/password", "/logout", "/login", "/healthz", "/readyz":
		return true
	}
	return strings.HasPrefix(path, "/static/")
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.TLS})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.TLS})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
