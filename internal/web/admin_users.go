package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

type usersView struct {
	Page
	Users []*nipp.User
	Roles []nipp.Role
	Form  url.Values
	Next  string
}

// users lists the accounts (administrators), filtered and keyset-paged.
func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	qv := r.URL.Query()
	q := app.UserQuery{Query: strings.TrimSpace(qv.Get("q")), Role: nipp.Role(qv.Get("role"))}
	q.After, _ = strconv.ParseInt(qv.Get("after"), 10, 64)
	list, next, err := s.app.Users(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &usersView{Page: s.page(r, "users.title"), Users: list, Roles: nipp.Roles(), Form: qv}
	if next != 0 {
		f := url.Values{"q": {q.Query}, "role": {string(q.Role)}, "after": {strconv.FormatInt(next, 10)}}
		v.Next = "/admin/users?" + f.Encode()
	}
	s.render(w, r, http.StatusOK, "admin_users", v)
}

type userFormView struct {
	Page
	Roles     []nipp.Role
	Provinces []nipp.Province
	In        nipp.NewUser
	Created   *nipp.User
	OTP       string
}

func (s *Server) userFormView(r *http.Request) (*userFormView, error) {
	prov, err := s.app.Provinces(r.Context())
	if err != nil {
		return nil, err
	}
	return &userFormView{Page: s.page(r, "users.new"), Roles: nipp.Roles(), Provinces: prov}, nil
}

func (s *Server) newUserForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.userFormView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_user_new", v)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	v, err := s.userFormView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	v.In = nipp.NewUser{Email: r.PostFormValue("email"), Name: strings.TrimSpace(r.PostFormValue("name")), Role: nipp.Role(r.PostFormValue("role")), Provinces: r.PostForm["province"]}
	u, otp, err := s.app.CreateUser(r.Context(), v.In)
	if err != nil {
		if !formError(err) {
			s.fail(w, r, err)
			return
		}
		v.Refuse(err)
		s.render(w, r, statusOf(nipp.ErrorCode(err)), "admin_user_new", v)
		return
	}
	// The one-time password is shown here, once.
	w.Header().Set("Cache-Control", "no-store")
	v.Created, v.OTP = u, otp
	s.render(w, r, http.StatusCreated, "admin_user_new", v)
}

type userView struct {
	Page
	U         *nipp.User
	OTP       string
	Roles     []nipp.Role
	Provinces []nipp.Province
}

// renderUser shows an account with its role-and-scope form.
// formErr, when set, is why the form sent was refused (its problems beside
// its fields, what was typed kept).
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, u *nipp.User, otp string, formErr error) {
	prov, err := s.app.Provinces(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &userView{Page: s.page(r, "users.detail"), U: u, OTP: otp, Roles: nipp.Roles(), Provinces: prov}
	v.Refuse(formErr)
	s.render(w, r, status, "admin_user", v)
}

func (s *Server) userDetail(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var u *nipp.User
	if err == nil {
		u, err = s.app.User(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderUser(w, r, http.StatusOK, u, "", nil)
}

// formVersion reads the version the form started from.
func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

func (s *Server) setUserActive(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil && r.PostFormValue("active") != "1" {
		err = confirmed(r)
	}
	if err == nil {
		_, err = s.app.SetUserActive(r.Context(), id, formVersion(r), r.PostFormValue("active") == "1")
	}
	if err != nil {
		s.userActionFailed(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// updateUserAccess saves the name, role and provinces form of an account.
func (s *Server) updateUserAccess(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		r.ParseForm()
		_, err = s.app.UpdateUserAccess(r.Context(), id, formVersion(r), r.PostForm.Get("name"), nipp.Role(r.PostForm.Get("role")), r.PostForm["province"])
	}
	if err != nil {
		s.userActionFailed(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	var u *nipp.User
	var otp string
	if err == nil {
		u, otp, err = s.app.ResetPassword(r.Context(), id, formVersion(r))
	}
	if err != nil {
		s.userActionFailed(w, r, id, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.renderUser(w, r, http.StatusOK, u, otp, nil)
}

// userActionFailed shows the account again with the message (a version
// conflict keeps the other person's change and says so).
func (s *Server) userActionFailed(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if !formError(err) {
		s.fail(w, r, err)
		return
	}
	u, ferr := s.app.User(r.Context(), id)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	s.renderUser(w, r, statusOf(nipp.ErrorCode(err)), u, "", err)
}

// ProvinceName names a province by its code.
func (v *userView) ProvinceName(code string) string {
	for _, p := range v.Provinces {
		if p.Code == code {
			return p.Name
		}
	}
	return code
}
