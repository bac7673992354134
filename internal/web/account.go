package web

import (
	"net/http"
	"strconv"

	"nipp/internal/nipp"
)

type accountView struct {
	Page
	Changed bool
}

// account shows who is signed in, their role and scope, and links to the
// password and token pages.
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account", &accountView{Page: s.page(r, "account.title"), Changed: r.URL.Query().Get("changed") == "1"})
}

type passwordView struct {
	Page
	Must bool
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	p := nipp.PrincipalFrom(r.Context())
	s.render(w, r, http.StatusOK, "account_password", &passwordView{Page: s.page(r, "password.title"), Must: p.MustChangePassword})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	current, next, confirm := r.PostFormValue("current_password"), r.PostFormValue("password"), r.PostFormValue("confirm")
	var err error
	if next != confirm {
		err = nipp.FieldError("confirm", "err.web.two_new_passwords_differ")
	} else {
		err = s.app.ChangePassword(r.Context(), current, next)
	}
	if err != nil {
		if !formError(err) {
			s.fail(w, r, err)
			return
		}
		v := &passwordView{Page: s.page(r, "password.title"), Must: nipp.PrincipalFrom(r.Context()).MustChangePassword}
		v.Refuse(err)
		s.render(w, r, statusOf(nipp.ErrorCode(err)), "account_password", v)
		return
	}
	http.Redirect(w, r, "/account?changed=1", http.StatusSeeOther)
}

// formError reports whether err is the user's to fix on the form.
func formError(err error) bool {
	switch nipp.ErrorCode(err) {
	case nipp.EINVALID, nipp.ECONFLICT:
		return true
	}
	return false
}

type tokensView struct {
	Page
	Tokens  []*nipp.APIToken
	Created *nipp.APIToken
	Secret  string
}

func (s *Server) tokens(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, nil, "", nil)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, created *nipp.APIToken, secret string, formErr error) {
	list, err := s.app.Tokens(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &tokensView{Page: s.page(r, "tokens.title"), Tokens: list, Created: created, Secret: secret}
	v.Refuse(formErr)
	s.render(w, r, status, "account_tokens", v)
}

// createToken shows the new token once, on the page that answers the form.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	t, secret, err := s.app.CreateToken(r.Context(), r.PostFormValue("name"))
	if err != nil {
		if formError(err) {
			s.renderTokens(w, r, statusOf(nipp.ErrorCode(err)), nil, "", err)
			return
		}
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.renderTokens(w, r, http.StatusCreated, t, secret, nil)
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = s.app.RevokeToken(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
}

// pathID reads the {id} wildcard; a malformed id is "not found".
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, nipp.Errorf(nipp.ENOTFOUND, "err.web.not_found")
	}
	return id, nil
}

// --- JSON API ---

type apiMe struct {
	ID                 int64     `json:"id"`
	Email              string    `json:"email"`
	Name               string    `json:"name"`
	Role               nipp.Role `json:"role"`
	Provinces          []string  `json:"provinces"`
	MustChangePassword bool      `json:"must_change_password"`
	ViaToken           bool      `json:"via_token"`
}

func (s *Server) apiAccount(w http.ResponseWriter, r *http.Request) {
	p := nipp.PrincipalFrom(r.Context())
	prov := p.Provinces
	if prov == nil {
		prov = []string{}
	}
	writeJSON(w, http.StatusOK, apiMe{ID: p.UserID, Email: p.Email, Name: p.Name, Role: p.Role, Provinces: prov, MustChangePassword: p.MustChangePassword, ViaToken: p.TokenID != 0})
}

func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.app.ChangePassword(r.Context(), in.Current, in.New); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"changed": true})
}
