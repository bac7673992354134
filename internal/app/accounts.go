package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Session lifetimes.
const (
	SessionIdle     = 8 * time.Hour      // signed out after this long without activity
	SessionAbsolute = 7 * 24 * time.Hour // signed out this long after signing in, whatever happens
)

// userView is what the audit trail records of an account (never the hash).
type userView struct {
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      nipp.Role `json:"role"`
	Provinces []string  `json:"provinces"`
	Active    bool      `json:"active"`
}

func viewOfUser(u *nipp.User) userView {
	return userView{Email: u.Email, Name: u.Name, Role: u.Role, Provinces: u.Provinces, Active: u.Active}
}

// CreateUser creates an account. The principal must manage users, except
// for the system itself (the command line and the first start), which acts
// with an empty context principal through CreateUserAsSystem. It returns the
// user and, when no password was given, the generated one-time password.
func (a *App) CreateUser(ctx context.Context, in nipp.NewUser) (*nipp.User, string, error) {
	if _, err := authorize(ctx, nipp.PermUserManage); err != nil {
		return nil, "", err
	}
	return a.createUser(ctx, in)
}

// CreateUserAsSystem creates an account on behalf of the operator at the
// command line (nipp user add) or the first start.
func (a *App) CreateUserAsSystem(ctx context.Context, in nipp.NewUser) (*nipp.User, string, error) {
	return a.createUser(nipp.WithPrincipal(ctx, &nipp.Principal{Email: "system"}), in)
}

func (a *App) createUser(ctx context.Context, in nipp.NewUser) (*nipp.User, string, error) {
	email, err := nipp.NormalizeEmail(in.Email)
	if err != nil {
		return nil, "", err
	}
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	otp := ""
	pw := in.Password
	if pw == "" {
		otp = oneTimePassword()
		pw = otp
	} else if err := nipp.ValidatePassword(pw); err != nil {
		return nil, "", err
	}
	hash, err := hashPassword(pw)
	if err != nil {
		return nil, "", nipp.Internal(err)
	}
	u := &nipp.User{Email: email, Name: in.Name, Role: in.Role, Provinces: in.Provinces, Active: true, MustChangePassword: otp != "", PasswordHash: hash}
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return audit(ctx, tx, nipp.ActionCreate, "user", strconv.FormatInt(u.ID, 10), nil, viewOfUser(u))
	})
	if err != nil {
		return nil, "", err
	}
	return u, otp, nil
}

// EnsureAdmin creates the first administrator when there are no accounts.
// It returns the e-mail and the one-time password it generated ("" when a
// password was given or an account already existed).
func (a *App) EnsureAdmin(ctx context.Context, email, password string) (created bool, otp string, err error) {
	var n int
	if err := a.db.ReadTx(ctx, func(tx *store.Tx) (err error) { n, err = tx.CountUsers(ctx); return err }); err != nil {
		return false, "", err
	}
	if n > 0 {
		return false, "", nil
	}
	_, otp, err = a.CreateUserAsSystem(ctx, nipp.NewUser{Email: email, Name: "Quản trị hệ thống", Role: nipp.RoleAdmin, Password: password})
	if err != nil {
		return false, "", err
	}
	return true, otp, nil
}

// LoginResult is a successful sign-in.
type LoginResult struct {
	Token string // the session token, for the cookie only
	User  *nipp.User
}

// errBadLogin is the one message for a wrong e-mail or password: it does
// not reveal which accounts exist.
func errBadLogin() error {
	return nipp.Errorf(nipp.EUNAUTHORIZED, "Email hoặc mật khẩu không đúng / wrong e-mail or password")
}

// Login checks the credentials and opens a session.
func (a *App) Login(ctx context.Context, email, password, remoteAddr, userAgent string) (*LoginResult, error) {
	email, err := nipp.NormalizeEmail(email)
	if err != nil {
		checkPassword(dummyHash, password)
		return nil, errBadLogin()
	}
	var res *LoginResult
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		u, err := tx.FindUserByEmail(ctx, email)
		if nipp.ErrorCode(err) == nipp.ENOTFOUND {
			checkPassword(dummyHash, password)
			return errBadLogin()
		}
		if err != nil {
			return err
		}
		if !checkPassword(u.PasswordHash, password) || !u.Active {
			return errBadLogin()
		}
		token := randomToken(32)
		s := &store.Session{TokenHash: hashToken(token), UserID: u.ID, ExpiresAt: tx.Now().Add(SessionAbsolute)}
		if err := tx.CreateSession(ctx, s, remoteAddr, userAgent); err != nil {
			return err
		}
		p := u.Principal()
		p.RemoteAddr = remoteAddr
		if err := audit(nipp.WithPrincipal(ctx, p), tx, nipp.ActionLogin, "user", strconv.FormatInt(u.ID, 10), nil, nil); err != nil {
			return err
		}
		res = &LoginResult{Token: token, User: u}
		return nil
	})
	return res, err
}

// Logout closes the session.
func (a *App) Logout(ctx context.Context, token string) error {
	return a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, hashToken(token)) })
}

// Authenticate returns the principal of a session token. An expired or
// unknown token is EUNAUTHORIZED; an expired session is deleted.
func (a *App) Authenticate(ctx context.Context, token string) (*nipp.Principal, error) {
	if token == "" {
		return nil, nipp.Errorf(nipp.EUNAUTHORIZED, "chưa đăng nhập / not signed in")
	}
	h := hashToken(token)
	var s *store.Session
	var u *nipp.User
	err := a.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		if s, err = tx.FindSession(ctx, h); err != nil {
			return err
		}
		u, err = tx.FindUserByID(ctx, s.UserID)
		return err
	})
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, nipp.Errorf(nipp.EUNAUTHORIZED, "chưa đăng nhập / not signed in")
	}
	if err != nil {
		return nil, err
	}
	now := a.db.Now()
	if now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > SessionIdle {
		if err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, h) }); err != nil {
			return nil, err
		}
		return nil, nipp.Errorf(nipp.EUNAUTHORIZED, "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại / your session has expired, please sign in again")
	}
	if !u.Active {
		return nil, nipp.Errorf(nipp.EUNAUTHORIZED, "tài khoản đã bị khóa / the account is disabled")
	}
	// Record activity at most once a minute to spare the writer.
	if now.Sub(s.LastSeenAt) > time.Minute {
		if err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.TouchSession(ctx, h) }); err != nil {
			return nil, err
		}
	}
	p := u.Principal()
	p.SessionID = h
	return p, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
