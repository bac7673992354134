package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
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
func (a *App) CreateUser(ctx context.Context, in nipp.NewUser) (_ *nipp.User, _ string, err error) {
	defer nipp.Wrap(&err, "app.CreateUser()")
	if _, err := authorize(ctx, nipp.PermUserManage); err != nil {
		return nil, "", err
	}
	return a.createUser(ctx, in)
}

// CreateUserAsSystem creates an account on behalf of the operator at the
// command line (nipp user add) or the first start.
func (a *App) CreateUserAsSystem(ctx context.Context, in nipp.NewUser) (_ *nipp.User, _ string, err error) {
	defer nipp.Wrap(&err, "app.CreateUserAsSystem()")
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
	hash, err := a.hashPassword(ctx, pw)
	if err != nil {
		return nil, "", nipp.Internal(err)
	}
	u := &nipp.User{Email: email, Name: in.Name, Role: in.Role, Provinces: in.Provinces, Active: true, MustChangePassword: otp != "", PasswordHash: hash}
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionCreate, "user", strconv.FormatInt(u.ID, 10), nil, viewOfUser(u))
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
	defer nipp.Wrap(&err, "app.EnsureAdmin(%q)", email)
	var n int
	if err := a.readOwn(ctx, func(tx *store.Tx) (err error) { n, err = tx.CountUsers(ctx); return err }); err != nil {
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
	return nipp.Errorf(nipp.EUNAUTHORIZED, "err.app.wrong_mail_password")
}

// Login throttling: after this many failures within ThrottleWindow, for
// one account (known or not) or from one address, further attempts are
// refused until ThrottleWindow has passed since the last failure.
const (
	ThrottleWindow     = 15 * time.Minute
	MaxAccountFailures = 5
	MaxAddressFailures = 30
)

func errThrottled(until time.Time) error {
	t := until.In(vietnam).Format("15:04 02/01/2006")
	return nipp.Errorf(nipp.ETOOMANY, "err.app.too_many_failed_sign_ins", t)
}

// Login checks the credentials and opens a session. Failures are counted
// per account and per address; the answer and its timing are the same
// whether or not the account exists.
//
// Checking the limit and counting the attempt are one step: in one write
// transaction, holding a lock per account and per address (PostgreSQL:
// advisory locks; SQLite: the single writer), the attempt is counted as a
// failure before the password is verified, so parallel attempts cannot all
// pass the check; a successful sign-in then clears the account's failures
// and this attempt. The argon2id check itself runs outside the
// transaction, under the hashing limit (hashGate).
func (a *App) Login(ctx context.Context, email, password, remoteAddr, userAgent string) (_ *LoginResult, err error) {
	defer nipp.Wrap(&err, "app.Login(%q, %q, %q)", email, remoteAddr, userAgent)
	account := strings.ToLower(strings.TrimSpace(email))
	if len(account) > 320 {
		account = account[:320]
	}
	normalized, emailErr := nipp.NormalizeEmail(email)
	// An account or address already over the limit is answered from a
	// read transaction, sparing the writer during a flood.
	var until time.Time
	err = a.readOwn(ctx, func(tx *store.Tx) (err error) {
		until, err = throttledUntil(ctx, tx, account, remoteAddr)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !until.IsZero() {
		return nil, errThrottled(until)
	}
	var u *nipp.User
	var attempt []int64
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.LockLoginSubjects(ctx, account, remoteAddr); err != nil {
			return err
		}
		var err error
		if until, err = throttledUntil(ctx, tx, account, remoteAddr); err != nil || !until.IsZero() {
			return err
		}
		if attempt, err = tx.RecordLoginFailure(ctx, account, remoteAddr); err != nil {
			return err
		}
		if emailErr != nil {
			return nil
		}
		u, err = tx.FindUserByEmail(ctx, normalized)
		if nipp.ErrorCode(err) == nipp.ENOTFOUND {
			u, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !until.IsZero() {
		return nil, errThrottled(until)
	}
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := a.checkPassword(ctx, hash, password)
	if err != nil {
		// Busy: the password was never checked, so the attempt does not count.
		if derr := a.db.WriteTx(context.WithoutCancel(ctx), func(tx *store.Tx) error { return tx.DeleteLoginFailures(ctx, attempt) }); derr != nil {
			a.log.Error("forgetting an unchecked sign-in attempt", "err", derr)
		}
		return nil, err
	}
	if !ok || u == nil || !u.Active {
		return nil, errBadLogin()
	}
	var res *LoginResult
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		token := randomToken(32)
		s := &store.Session{TokenHash: hashToken(token), UserID: u.ID, ExpiresAt: tx.Now().Add(SessionAbsolute)}
		if err := tx.CreateSession(ctx, s, remoteAddr, userAgent); err != nil {
			return err
		}
		if err := tx.ClearLoginFailures(ctx, account); err != nil {
			return err
		}
		if err := tx.DeleteLoginFailures(ctx, attempt); err != nil {
			return err
		}
		p := u.Principal()
		p.RemoteAddr = remoteAddr
		if err := a.record(nipp.WithPrincipal(ctx, p), tx, nipp.ActionLogin, "user", strconv.FormatInt(u.ID, 10), nil, nil); err != nil {
			return err
		}
		res = &LoginResult{Token: token, User: u}
		return nil
	})
	return res, err
}

// throttledUntil returns until when sign-in is refused for the account or
// the address (zero when it is not).
func throttledUntil(ctx context.Context, tx *store.Tx, account, remoteAddr string) (time.Time, error) {
	var until time.Time
	since := tx.Now().Add(-ThrottleWindow)
	for _, c := range []struct {
		kind, subject string
		max           int
	}{{store.FailAccount, account, MaxAccountFailures}, {store.FailAddress, remoteAddr, MaxAddressFailures}} {
		n, last, err := tx.LoginFailures(ctx, c.kind, c.subject, since)
		if err != nil {
			return time.Time{}, err
		}
		if n >= c.max && last.Add(ThrottleWindow).After(until) {
			until = last.Add(ThrottleWindow)
		}
	}
	return until, nil
}

// ChangePassword changes the signed-in user's password. The current
// password is required; every other session of the user is ended.
func (a *App) ChangePassword(ctx context.Context, current, next string) (err error) {
	defer nipp.Wrap(&err, "app.ChangePassword()")
	p, err := authorize(ctx, nipp.PermSignedIn)
	if err != nil {
		return err
	}
	var u *nipp.User
	if err := a.readOwn(ctx, func(tx *store.Tx) (err error) { u, err = tx.FindUserByID(ctx, p.UserID); return err }); err != nil {
		return err
	}
	ok, err := a.checkPassword(ctx, u.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return nipp.FieldError("current_password", "err.app.current_password_wrong")
	}
	if err := nipp.ValidatePassword(next); err != nil {
		return err
	}
	if next == current {
		return nipp.FieldError("password", "err.app.new_password_must_differ_from")
	}
	hash, err := a.hashPassword(ctx, next)
	if err != nil {
		return nipp.Internal(err)
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		before := passwordView{ChangedAt: u.PasswordChangedAt, MustChange: u.MustChangePassword}
		if err := tx.UpdateUserPassword(ctx, u, u.Version, hash, false); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, p.SessionID); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionUpdate, "user", strconv.FormatInt(u.ID, 10), before,
			passwordView{ChangedAt: u.PasswordChangedAt, MustChange: false, By: "self"})
	})
}

// passwordView is what the audit trail records of a password change: when,
// never the hash.
type passwordView struct {
	ChangedAt  time.Time `json:"password_changed_at"`
	MustChange bool      `json:"must_change_password"`
	By         string    `json:"changed_by,omitempty"`
}

// Logout closes the session.
func (a *App) Logout(ctx context.Context, token string) (err error) {
	defer nipp.Wrap(&err, "app.Logout()")
	return a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, hashToken(token)) })
}

// Authenticate returns the principal of a session token. An expired or
// unknown token is EUNAUTHORIZED; an expired session is deleted.
func (a *App) Authenticate(ctx context.Context, token string) (_ *nipp.Principal, err error) {
	defer nipp.Wrap(&err, "app.Authenticate()")
	if token == "" {
		return nil, nipp.Errorf(nipp.EUNAUTHORIZED, "err.app.not_signed")
	}
	h := hashToken(token)
	var s *store.Session
	var u *nipp.User
	err = a.readOwn(ctx, func(tx *store.Tx) (err error) {
		if s, err = tx.FindSession(ctx, h); err != nil {
			return err
		}
		u, err = tx.FindUserByID(ctx, s.UserID)
		return err
	})
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, nipp.Errorf(nipp.EUNAUTHORIZED, "err.app.not_signed")
	}
	if err != nil {
		return nil, err
	}
	now := a.db.Now()
	if now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > SessionIdle {
		if err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.DeleteSession(ctx, h) }); err != nil {
			return nil, err
		}
		return nil, nipp.Errorf(nipp.EUNAUTHORIZED, "err.app.your_session_has_expired_please")
	}
	if !u.Active {
		return nil, nipp.Errorf(nipp.EUNAUTHORIZED, "err.app.account_disabled")
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
