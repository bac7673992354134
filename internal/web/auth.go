package web

import (
	"net/http"
	"strings"

	"nipp/internal/nipp"
)

type loginView struct {
	Page
	Email   string
	Next    string
	Error   string
	Expired bool
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	v := &loginView{Page: s.page(r, "login.title"), Next: safeNext(r.URL.Query().Get("next")), Expired: r.URL.Query().Get("expired") == "1"}
	s.render(w, r, http.StatusOK, "login", v)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	res, err := s.app.Login(r.Context(), email, password, clientIP(r), r.UserAgent())
	if err != nil {
		code := nipp.ErrorCode(err)
		if code == nipp.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		v := &loginView{Page: s.page(r, "login.title"), Email: email, Next: next, Error: msgOf(r, err)}
		s.render(w, r, statusOf(code), "login", v)
		return
	}
	s.setSessionCookie(w, res.Token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.app.Logout(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
