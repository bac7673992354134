package web

import (
	"net/http"

	"nipp/internal/nipp"
)

type loginView struct {
	Page
	Email   string
	Next    string
	Error   string
	Expired bool
}

// landing is where a user lands after signing in without a next= page:
// the auditor on the audit trail, everyone else on their work page.
func landing(role nipp.Role) string {
	if role == nipp.RoleAuditor {
		return "/audit"
	}
	return "/work"
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	v := &loginView{Page: s.page(r, "login.title"), Next: SafeNext(r.URL.Query().Get("next")), Expired: r.URL.Query().Get("expired") == "1"}
	s.render(w, r, http.StatusOK, "login", v)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	next := SafeNext(r.PostFormValue("next"))
	// No account has a longer address; refusing here keeps such text out of
	// the failure records (cut mid-character, it was a 500 on PostgreSQL).
	if err := nipp.CheckText("email", email, nipp.MaxNameLen, false); err != nil {
		v := &loginView{Page: s.page(r, "login.title"), Next: next, Error: msgOf(r, err)}
		s.render(w, r, statusOf(err.Code), "login", v)
		return
	}
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
	s.renewCSRF(w, r)
	if next == "/" {
		next = landing(res.User.Role)
	}
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
	s.renewCSRF(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
