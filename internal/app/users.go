package app

import (
	"context"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// UserQuery filters the account list (administrators only).
type UserQuery struct {
	Query string
	Role  nipp.Role
	After int64 // keyset cursor: accounts with a larger id
	Limit int
}

// Users returns one page of accounts ordered by id, and the cursor of the
// next page (0 when there is none).
func (a *App) Users(ctx context.Context, q UserQuery) (_ []*nipp.User, _ int64, err error) {
	defer nipp.Wrap(&err, "app.Users()")
	if _, err := authorize(ctx, nipp.PermUserManage); err != nil {
		return nil, 0, err
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	var out []*nipp.User
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindUsers(ctx, store.UserFilter{Query: q.Query, Role: q.Role, AfterID: q.After, Limit: q.Limit + 1})
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > q.Limit {
		out = out[:q.Limit]
		next = out[q.Limit-1].ID
	}
	return out, next, nil
}

// User returns one account (administrators only).
func (a *App) User(ctx context.Context, id int64) (_ *nipp.User, err error) {
	defer nipp.Wrap(&err, "app.User(%v)", id)
	if _, err := authorize(ctx, nipp.PermUserManage); err != nil {
		return nil, err
	}
	var u *nipp.User
	err = a.read(ctx, func(tx *store.Tx) (err error) { u, err = tx.FindUserByID(ctx, id); return err })
	return u, err
}

// Provinces returns the 34 provinces of today, by code.
func (a *App) Provinces(ctx context.Context) (_ []nipp.Province, err error) {
	defer nipp.Wrap(&err, "app.Provinces()")
	var out []nipp.Province
	err = a.read(ctx, func(tx *store.Tx) (err error) { out, err = tx.FindProvinces(ctx, store.Gen2025); return err })
	return out, err
}

// SetUserActive disables or re-enables an account, if it is still at
// version. Disabling ends the account's sessions and revokes its API
// tokens, so re-enabling it does not bring old tokens back: the user
// creates new ones.
func (a *App) SetUserActive(ctx context.Context, id int64, version int, active bool) (_ *nipp.User, err error) {
	defer nipp.Wrap(&err, "app.SetUserActive(%v, %v, %v)", id, version, active)
	p, err := authorize(ctx, nipp.PermUserManage)
	if err != nil {
		return nil, err
	}
	if id == p.UserID && !active {
		return nil, nipp.Errorf(nipp.EINVALID, "err.app.you_cannot_disable_your_own")
	}
	var u *nipp.User
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if u, err = tx.FindUserByID(ctx, id); err != nil {
			return err
		}
		before := viewOfUser(u)
		if err := tx.UpdateUserActive(ctx, u, version, active); err != nil {
			return err
		}
		var after any = viewOfUser(u)
		if !active {
			if err := tx.DeleteUserSessions(ctx, id, ""); err != nil {
				return err
			}
			n, err := tx.RevokeUserAPITokens(ctx, id)
			if err != nil {
				return err
			}
			after = struct {
				userView
				TokensRevoked int64 `json:"tokens_revoked"`
			}{viewOfUser(u), n}
		}
		return a.record(ctx, tx, nipp.ActionUpdate, "user", strconv.FormatInt(id, 10), before, after)
	})
	return u, err
}

// UpdateUserAccess changes an account's name, role and provinces (a
// provincial officer moved to another province, a promotion), if the
// account is still at version. The change applies from the user's next
// request: sessions and tokens resolve the account each time. An
// administrator cannot take the administrator role from themselves.
func (a *App) UpdateUserAccess(ctx context.Context, id int64, version int, name string, role nipp.Role, provinces []string) (_ *nipp.User, err error) {
	defer nipp.Wrap(&err, "app.UpdateUserAccess(%v, %v, %q)", id, version, name)
	p, err := authorize(ctx, nipp.PermUserManage)
	if err != nil {
		return nil, err
	}
	in := nipp.NewUser{Name: name, Role: role, Provinces: provinces}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if id == p.UserID && role != nipp.RoleAdmin {
		return nil, nipp.FieldError("role", "err.app.you_cannot_remove_your_own")
	}
	var u *nipp.User
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if u, err = tx.FindUserByID(ctx, id); err != nil {
			return err
		}
		before := viewOfUser(u)
		if err := tx.UpdateUserAccess(ctx, u, version, strings.TrimSpace(name), role, provinces); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionUpdate, "user", strconv.FormatInt(id, 10), before, viewOfUser(u))
	})
	return u, err
}

// ResetPassword gives an account a new one-time password (returned, to be
// shown once), if the account is still at version. The user must change it
// at the next sign-in; their sessions end.
func (a *App) ResetPassword(ctx context.Context, id int64, version int) (_ *nipp.User, _ string, err error) {
	defer nipp.Wrap(&err, "app.ResetPassword(%v, %v)", id, version)
	if _, err := authorize(ctx, nipp.PermUserManage); err != nil {
		return nil, "", err
	}
	otp := oneTimePassword()
	hash, err := a.hashPassword(ctx, otp)
	if err != nil {
		return nil, "", nipp.Internal(err)
	}
	var u *nipp.User
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if u, err = tx.FindUserByID(ctx, id); err != nil {
			return err
		}
		before := passwordView{ChangedAt: u.PasswordChangedAt, MustChange: u.MustChangePassword}
		if err := tx.UpdateUserPassword(ctx, u, version, hash, true); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, id, ""); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionUpdate, "user", strconv.FormatInt(id, 10), before,
			passwordView{ChangedAt: u.PasswordChangedAt, MustChange: true, By: "reset"})
	})
	if err != nil {
		return nil, "", err
	}
	return u, otp, nil
}
