package store

import (
	"context"
	"database/sql"
	"time"

	"nipp/internal/nipp"
)

const tokenCols = `t.id, t.user_id, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at`

func scanToken(sc interface{ Scan(...any) error }, t *nipp.APIToken) error {
	var used, revoked sql.NullTime
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
		return err
	}
	t.LastUsedAt, t.RevokedAt = nullTime(used), nullTime(revoked)
	return nil
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// CreateAPIToken stores a token (by its hash) and sets t.ID and t.CreatedAt.
func (tx *Tx) CreateAPIToken(ctx context.Context, t *nipp.APIToken, tokenHash string) (err error) {
	defer nipp.Wrap(&err, "store.CreateAPIToken()")
	t.CreatedAt = tx.Now()
	id, err := tx.InsertID(ctx, `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		t.UserID, t.Name, t.Prefix, tokenHash, t.CreatedAt)
	if err != nil {
		return err
	}
	t.ID = id
	return nil
}

// FindAPITokenByHash returns the token with the hash, revoked or not.
func (tx *Tx) FindAPITokenByHash(ctx context.Context, tokenHash string) (_ *nipp.APIToken, err error) {
	defer nipp.Wrap(&err, "store.FindAPITokenByHash()")
	t := &nipp.APIToken{}
	if err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens t WHERE t.token_hash = $1`, tokenHash), t); err != nil {
		return nil, notFoundOr(err, "token")
	}
	return t, nil
}

// FindAPITokenUser returns the token with the hash, revoked or not, and
// its account with the account's provinces, in one statement (every API
// call authenticates with it).
func (tx *Tx) FindAPITokenUser(ctx context.Context, tokenHash string) (_ *nipp.APIToken, _ *nipp.User, err error) {
	defer nipp.Wrap(&err, "store.FindAPITokenUser()")
	t, u, _, err := tx.findAPITokenUser(ctx, tokenHash, "")
	return t, u, err
}

// FindAPITokenUserAndStamp is FindAPITokenUser that also reads, in the same
// statement, the detail stamp of the project with the public id (as
// ProjectDetailStamp; nil when there is none): a call for a project's kept
// detail then costs one statement, one round trip to PostgreSQL. The stamp
// is read before anyone is authorized: it says only which version of the
// detail is current, and the caller still checks who may see it.
func (tx *Tx) FindAPITokenUserAndStamp(ctx context.Context, tokenHash, projectPublicID string) (_ *nipp.APIToken, _ *nipp.User, _ *DetailStamp, err error) {
	defer nipp.Wrap(&err, "store.FindAPITokenUserAndStamp(%q)", projectPublicID)
	return tx.findAPITokenUser(ctx, tokenHash, projectPublicID)
}

func (tx *Tx) findAPITokenUser(ctx context.Context, tokenHash, projectPublicID string) (*nipp.APIToken, *nipp.User, *DetailStamp, error) {
	t, u := &nipp.APIToken{}, &nipp.User{}
	q := `SELECT ` + tokenCols + `, ` + userCols + `, upa.code`
	from := ` FROM api_tokens t JOIN users u ON u.id = t.user_id` + userProvincesJoin
	args := []any{tokenHash}
	withStamp := projectPublicID != ""
	if withStamp {
		q += `, st.id, st.n, st.shared`
		from += ` LEFT JOIN (SELECT p.id, CAST(COALESCE(ps.n, 0) AS BIGINT) AS n,
			(SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM change_stamps c WHERE c.name = 'details') AS shared
			FROM projects p LEFT JOIN project_stamps ps ON ps.project_id = p.id WHERE p.public_id = $2) st ON 1 = 1`
		args = append(args, projectPublicID)
	}
	var st *DetailStamp
	err := tx.eachUserRow(ctx, q+from+` WHERE t.token_hash = $1 ORDER BY upa.code`, args, func(scan func(...any) error) error {
		var used, revoked sql.NullTime
		var code sql.NullString
		var pid, pn, shared sql.NullInt64
		err := scanUserAnd(func(dest ...any) error {
			dest = append([]any{&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked}, dest...)
			if withStamp {
				dest = append(dest, &pid, &pn, &shared)
			}
			return scan(dest...)
		}, u, &code)
		if err != nil {
			return err
		}
		t.LastUsedAt, t.RevokedAt = nullTime(used), nullTime(revoked)
		if code.Valid {
			u.Provinces = append(u.Provinces, code.String)
		}
		if pid.Valid {
			st = &DetailStamp{ProjectID: pid.Int64, Project: pn.Int64, Shared: shared.Int64}
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, notFoundOr(err, "token")
	}
	return t, u, st, nil
}

// FindAPITokenByID returns the token with the id.
func (tx *Tx) FindAPITokenByID(ctx context.Context, id int64) (_ *nipp.APIToken, err error) {
	defer nipp.Wrap(&err, "store.FindAPITokenByID(%v)", id)
	t := &nipp.APIToken{}
	if err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens t WHERE t.id = $1`, id), t); err != nil {
		return nil, notFoundOr(err, "token")
	}
	return t, nil
}

// FindAPITokens returns a user's tokens, newest first (a user has few).
func (tx *Tx) FindAPITokens(ctx context.Context, userID int64) (_ []*nipp.APIToken, err error) {
	defer nipp.Wrap(&err, "store.FindAPITokens(%v)", userID)
	rows, err := tx.Query(ctx, `SELECT `+tokenCols+` FROM api_tokens t WHERE t.user_id = $1 ORDER BY t.id DESC LIMIT 500`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*nipp.APIToken{}
	for rows.Next() {
		t := &nipp.APIToken{}
		if err := scanToken(rows, t); err != nil {
			return nil, mapError(err)
		}
		out = append(out, t)
	}
	return out, mapError(rows.Err())
}

// RevokeAPIToken marks a token revoked (idempotent).
func (tx *Tx) RevokeAPIToken(ctx context.Context, id int64) (err error) {
	defer nipp.Wrap(&err, "store.RevokeAPIToken(%v)", id)
	_, err = tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.Now(), id)
	return err
}

// RevokeUserAPITokens revokes every live token of a user and returns how
// many it revoked.
func (tx *Tx) RevokeUserAPITokens(ctx context.Context, userID int64) (_ int64, err error) {
	defer nipp.Wrap(&err, "store.RevokeUserAPITokens(%v)", userID)
	res, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, tx.Now(), userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// TouchAPIToken records the token's use.
func (tx *Tx) TouchAPIToken(ctx context.Context, id int64) (err error) {
	defer nipp.Wrap(&err, "store.TouchAPIToken(%v)", id)
	_, err = tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, tx.Now(), id)
	return err
}

// Login failure kinds for throttling.
const (
	FailAccount = "account"
	FailAddress = "address"
)

// LockLoginSubjects serialises sign-in attempts for one account and for
// one address until the transaction ends, so that checking the limit and
// counting an attempt are atomic. PostgreSQL: transaction advisory locks
// (two-key form, one key space per kind, always account before address so
// two attempts never wait on each other in a cycle); SQLite: the single
// writer already serialises write transactions.
func (tx *Tx) LockLoginSubjects(ctx context.Context, account, address string) (err error) {
	defer nipp.Wrap(&err, "store.LockLoginSubjects(%q, %q)", account, address)
	if tx.db.dialect != Postgres {
		return nil
	}
	for _, l := range []struct {
		space   int
		subject string
	}{{1601, account}, {1602, address}} {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, l.space, l.subject); err != nil {
			return err
		}
	}
	return nil
}

// RecordLoginFailure counts a sign-in attempt as a failure for an account
// key and an address, returning the rows' ids (a success deletes them), and
// drops bookkeeping older than a day.
func (tx *Tx) RecordLoginFailure(ctx context.Context, account, address string) (_ []int64, err error) {
	defer nipp.Wrap(&err, "store.RecordLoginFailure(%q, %q)", account, address)
	var ids []int64
	for _, r := range [][2]string{{FailAccount, account}, {FailAddress, address}} {
		id, err := tx.InsertID(ctx, `INSERT INTO login_failures (kind, subject, at) VALUES ($1, $2, $3)`, r[0], r[1], tx.Now())
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	_, err = tx.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, tx.Now().Add(-24*time.Hour))
	return ids, err
}

// DeleteLoginFailures deletes counted attempts by id.
func (tx *Tx) DeleteLoginFailures(ctx context.Context, ids []int64) (err error) {
	defer nipp.Wrap(&err, "store.DeleteLoginFailures()")
	for _, id := range ids {
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE id = $1`, id); err != nil {
			return err
		}
	}
	return nil
}

// LoginFailures returns how many failures kind/subject had since since, and
// the time of the latest.
func (tx *Tx) LoginFailures(ctx context.Context, kind, subject string, since time.Time) (_ int, _ time.Time, err error) {
	defer nipp.Wrap(&err, "store.LoginFailures(%q, %q)", kind, subject)
	var n int
	var last sql.NullTime
	// MAX over a TIMESTAMP column comes back as text on SQLite; order instead.
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE kind = $1 AND subject = $2 AND at > $3`, kind, subject, since).Scan(&n); err != nil {
		return 0, time.Time{}, mapError(err)
	}
	if n == 0 {
		return 0, time.Time{}, nil
	}
	if err := tx.QueryRow(ctx, `SELECT at FROM login_failures WHERE kind = $1 AND subject = $2 ORDER BY at DESC LIMIT 1`, kind, subject).Scan(&last); err != nil {
		return 0, time.Time{}, mapError(err)
	}
	return n, last.Time.UTC(), nil
}

// ClearLoginFailures forgets an account's failures after a successful sign-in.
func (tx *Tx) ClearLoginFailures(ctx context.Context, account string) (err error) {
	defer nipp.Wrap(&err, "store.ClearLoginFailures(%q)", account)
	_, err = tx.Exec(ctx, `DELETE FROM login_failures WHERE kind = $1 AND subject = $2`, FailAccount, account)
	return err
}
