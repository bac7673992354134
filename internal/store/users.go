package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"nipp/internal/nipp"
)

// ProvinceID returns the id of the province with the given code in the
// given generation (Gen2025 for today's provinces).
func (tx *Tx) ProvinceID(ctx context.Context, code string, generation int) (_ int64, err error) {
	defer nipp.Wrap(&err, "store.ProvinceID(%q, %v)", code, generation)
	var id int64
	err = tx.QueryRow(ctx, `SELECT id FROM admin_units WHERE level = 'province' AND code = $1 AND generation = $2`, code, generation).Scan(&id)
	err = notFoundOr(err, "province", code)
	return id, err
}

// CountUsers returns the number of accounts.
func (tx *Tx) CountUsers(ctx context.Context) (_ int, err error) {
	defer nipp.Wrap(&err, "store.CountUsers()")
	var n int
	err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, mapError(err)
}

// CreateUser inserts u (with its provinces, by 2025 code) and sets u.ID.
func (tx *Tx) CreateUser(ctx context.Context, u *nipp.User) (err error) {
	defer nipp.Wrap(&err, "store.CreateUser()")
	u.CreatedAt, u.UpdatedAt, u.PasswordChangedAt, u.Version = tx.Now(), tx.Now(), tx.Now(), 1
	id, err := tx.InsertID(ctx, `INSERT INTO users (email, name, role, password_hash, active, must_change_password, version, created_at, updated_at, password_changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $7)`, u.Email, u.Name, string(u.Role), u.PasswordHash, u.Active, u.MustChangePassword, tx.Now())
	if err != nil {
		if IsUniqueViolation(err) {
			return nipp.FieldError("email", "err.store.account_mail_already_exists")
		}
		return err
	}
	u.ID = id
	return tx.setUserProvinces(ctx, u.ID, u.Provinces)
}

func (tx *Tx) setUserProvinces(ctx context.Context, userID int64, codes []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM user_provinces WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, code := range codes {
		pid, err := tx.ProvinceID(ctx, code, Gen2025)
		if err != nil {
			return nipp.FieldError("province", "err.store.no_province_code_2025_statistical", code)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO user_provinces (user_id, province_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, userID, pid); err != nil {
			return err
		}
	}
	return nil
}

const userCols = `u.id, u.email, u.name, u.role, u.password_hash, u.active, u.must_change_password, u.version, u.created_at, u.updated_at, u.password_changed_at`

func scanUser(sc interface{ Scan(...any) error }, u *nipp.User) error {
	var role string
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, &u.Active, &u.MustChangePassword, &u.Version, &u.CreatedAt, &u.UpdatedAt, &u.PasswordChangedAt)
	u.Role = nipp.Role(role)
	return err
}

// FindUserByEmail returns the account with the (normalized) e-mail.
func (tx *Tx) FindUserByEmail(ctx context.Context, email string) (_ *nipp.User, err error) {
	defer nipp.Wrap(&err, "store.FindUserByEmail(%q)", email)
	u := &nipp.User{}
	if err := scanUser(tx.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE u.email = $1`, email), u); err != nil {
		return nil, notFoundOr(err, "account")
	}
	return u, tx.loadUserProvinces(ctx, u)
}

// FindUserByID returns the account with the id.
func (tx *Tx) FindUserByID(ctx context.Context, id int64) (_ *nipp.User, err error) {
	defer nipp.Wrap(&err, "store.FindUserByID(%v)", id)
	u := &nipp.User{}
	err = tx.eachUserRow(ctx, `SELECT `+userCols+`, upa.code FROM users u`+userProvincesJoin+` WHERE u.id = $1 ORDER BY upa.code`,
		[]any{id}, func(scan func(...any) error) error {
			var code sql.NullString
			if err := scanUserAnd(scan, u, &code); err != nil {
				return err
			}
			if code.Valid {
				u.Provinces = append(u.Provinces, code.String)
			}
			return nil
		})
	if err != nil {
		return nil, notFoundOr(err, "account")
	}
	return u, nil
}

// userProvincesJoin adds a user's provinces (2025 codes) to a statement on
// users u, one row per province (one row with a NULL upa.code for none):
// the account and its provinces in one statement.
const userProvincesJoin = ` LEFT JOIN user_provinces up ON up.user_id = u.id LEFT JOIN admin_units upa ON upa.id = up.province_id`

// scanUserAnd scans userCols into u, then the further columns into more.
func scanUserAnd(scan func(...any) error, u *nipp.User, more ...any) error {
	var role string
	dest := append([]any{&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, &u.Active, &u.MustChangePassword, &u.Version, &u.CreatedAt, &u.UpdatedAt, &u.PasswordChangedAt}, more...)
	err := scan(dest...)
	u.Role = nipp.Role(role)
	return err
}

// eachUserRow runs a statement of an account joined with its provinces and
// calls fn for every row; no row is sql.ErrNoRows.
func (tx *Tx) eachUserRow(ctx context.Context, q string, args []any, fn func(scan func(...any) error) error) error {
	rows := 0
	err := tx.each(ctx, q, args, func(scan func(...any) error) error {
		rows++
		return fn(scan)
	})
	if err == nil && rows == 0 {
		return sql.ErrNoRows
	}
	return err
}

func (tx *Tx) loadUserProvinces(ctx context.Context, u *nipp.User) error {
	rows, err := tx.Query(ctx, `SELECT a.code FROM user_provinces up JOIN admin_units a ON a.id = up.province_id WHERE up.user_id = $1 ORDER BY a.code`, u.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	u.Provinces = nil
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return mapError(err)
		}
		u.Provinces = append(u.Provinces, c)
	}
	return mapError(rows.Err())
}

// Session is a signed-in browser.
type Session struct {
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession stores a session.
func (tx *Tx) CreateSession(ctx context.Context, s *Session, remoteAddr, userAgent string) (err error) {
	defer nipp.Wrap(&err, "store.CreateSession")
	_, err = tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, remote_addr, user_agent)
		VALUES ($1, $2, $3, $3, $4, $5, $6)`, s.TokenHash, s.UserID, tx.Now(), s.ExpiresAt, remoteAddr, truncate(userAgent, 300))
	return err
}

// FindSession returns the session with the token hash.
func (tx *Tx) FindSession(ctx context.Context, tokenHash string) (_ *Session, err error) {
	defer nipp.Wrap(&err, "store.FindSession()")
	s := &Session{TokenHash: tokenHash}
	err = tx.QueryRow(ctx, `SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1`, tokenHash).
		Scan(&s.UserID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt)
	if err != nil {
		return nil, notFoundOr(err, "session")
	}
	return s, nil
}

// TouchSession records activity on a session.
func (tx *Tx) TouchSession(ctx context.Context, tokenHash string) (err error) {
	defer nipp.Wrap(&err, "store.TouchSession()")
	_, err = tx.Exec(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, tx.Now(), tokenHash)
	return err
}

// DeleteSession removes one session.
func (tx *Tx) DeleteSession(ctx context.Context, tokenHash string) (err error) {
	defer nipp.Wrap(&err, "store.DeleteSession()")
	_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteUserSessions removes every session of a user except keep (if set).
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID int64, keep string) (err error) {
	defer nipp.Wrap(&err, "store.DeleteUserSessions(%v)", userID)
	_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keep)
	return err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// errStale is the optimistic-concurrency conflict for accounts.
func errStale() error {
	return nipp.Errorf(nipp.ECONFLICT, "err.store.account_was_changed_by_someone")
}

func checkVersion(res interface{ RowsAffected() (int64, error) }) error {
	n, err := res.RowsAffected()
	if err != nil {
		return mapError(err)
	}
	if n == 0 {
		return errStale()
	}
	return nil
}

// UpdateUserPassword sets a new password hash if the account is still at
// version, and bumps the version.
func (tx *Tx) UpdateUserPassword(ctx context.Context, u *nipp.User, version int, hash string, mustChange bool) (err error) {
	defer nipp.Wrap(&err, "store.UpdateUserPassword(%v, %v)", version, mustChange)
	res, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3, updated_at = $3, version = version + 1
		WHERE id = $4 AND version = $5`, hash, mustChange, tx.Now(), u.ID, version)
	if err != nil {
		return err
	}
	if err := checkVersion(res); err != nil {
		return err
	}
	u.PasswordHash, u.MustChangePassword, u.PasswordChangedAt, u.UpdatedAt, u.Version = hash, mustChange, tx.Now(), tx.Now(), version+1
	return nil
}

// UpdateUserActive enables or disables an account if it is still at version.
func (tx *Tx) UpdateUserActive(ctx context.Context, u *nipp.User, version int, active bool) (err error) {
	defer nipp.Wrap(&err, "store.UpdateUserActive(%v, %v)", version, active)
	res, err := tx.Exec(ctx, `UPDATE users SET active = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4`, active, tx.Now(), u.ID, version)
	if err != nil {
		return err
	}
	if err := checkVersion(res); err != nil {
		return err
	}
	u.Active, u.UpdatedAt, u.Version = active, tx.Now(), version+1
	return nil
}

// UpdateUserAccess changes an account's name, role and provinces, if it is
// still at version.
func (tx *Tx) UpdateUserAccess(ctx context.Context, u *nipp.User, version int, name string, role nipp.Role, provinces []string) (err error) {
	defer nipp.Wrap(&err, "store.UpdateUserAccess(%v, %q)", version, name)
	res, err := tx.Exec(ctx, `UPDATE users SET name = $1, role = $2, updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5`,
		name, string(role), tx.Now(), u.ID, version)
	if err != nil {
		return err
	}
	if err := checkVersion(res); err != nil {
		return err
	}
	if err := tx.setUserProvinces(ctx, u.ID, provinces); err != nil {
		return err
	}
	u.Name, u.Role, u.Provinces, u.UpdatedAt, u.Version = name, role, provinces, tx.Now(), version+1
	return tx.loadUserProvinces(ctx, u)
}

// UserFilter selects accounts for the administration list.
type UserFilter struct {
	Query   string // part of the e-mail or name
	Role    nipp.Role
	AfterID int64 // keyset cursor
	Limit   int
}

// FindUsers returns accounts ordered by id, after f.AfterID.
func (tx *Tx) FindUsers(ctx context.Context, f UserFilter) (_ []*nipp.User, err error) {
	defer nipp.Wrap(&err, "store.FindUsers()")
	q := `SELECT ` + userCols + ` FROM users u WHERE u.id > $1`
	args := []any{f.AfterID}
	if f.Query != "" {
		args = append(args, "%"+strings.ToLower(f.Query)+"%")
		q += fmt.Sprintf(" AND (LOWER(u.email) LIKE $%d OR LOWER(u.name) LIKE $%d)", len(args), len(args))
	}
	if f.Role != "" {
		args = append(args, string(f.Role))
		q += fmt.Sprintf(" AND u.role = $%d", len(args))
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	q += fmt.Sprintf(" ORDER BY u.id LIMIT %d", f.Limit)
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out := []*nipp.User{}
	for rows.Next() {
		u := &nipp.User{}
		if err := scanUser(rows, u); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	for _, u := range out {
		if err := tx.loadUserProvinces(ctx, u); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FindProvinces returns the provinces of a generation ordered by code.
func (tx *Tx) FindProvinces(ctx context.Context, generation int) (_ []nipp.Province, err error) {
	defer nipp.Wrap(&err, "store.FindProvinces(%v)", generation)
	rows, err := tx.Query(ctx, `SELECT code, name_vi FROM admin_units WHERE level = 'province' AND generation = $1 ORDER BY code`, generation)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nipp.Province
	for rows.Next() {
		var p nipp.Province
		if err := rows.Scan(&p.Code, &p.Name); err != nil {
			return nil, mapError(err)
		}
		out = append(out, p)
	}
	return out, mapError(rows.Err())
}

// CountUsersByRole counts the accounts per role, in role order.
func (tx *Tx) CountUsersByRole(ctx context.Context) (_ []nipp.RoleCount, err error) {
	defer nipp.Wrap(&err, "store.CountUsersByRole()")
	by := map[nipp.Role]*nipp.RoleCount{}
	err = tx.each(ctx, `SELECT role, COUNT(*), COALESCE(SUM(CASE WHEN active THEN 1 ELSE 0 END), 0) FROM users GROUP BY role`, nil,
		func(scan func(...any) error) error {
			var c nipp.RoleCount
			var role string
			if err := scan(&role, &c.Total, &c.Active); err != nil {
				return err
			}
			c.Role = nipp.Role(role)
			by[c.Role] = &c
			return nil
		})
	if err != nil {
		return nil, err
	}
	var out []nipp.RoleCount
	for _, r := range nipp.Roles() {
		if c, ok := by[r]; ok {
			out = append(out, *c)
		}
	}
	return out, nil
}
