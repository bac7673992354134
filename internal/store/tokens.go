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
func (tx *Tx) CreateAPIToken(ctx context.Context, t *nipp.APIToken, tokenHash string) error {
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
func (tx *Tx) FindAPITokenByHash(ctx context.Context, tokenHash string) (*nipp.APIToken, error) {
	t := &nipp.APIToken{}
	if err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens t WHERE t.token_hash = $1`, tokenHash), t); err != nil {
		return nil, notFoundOr(err, "token")
	}
	return t, nil
}

// FindAPITokenByID returns the token with the id.
func (tx *Tx) FindAPITokenByID(ctx context.Context, id int64) (*nipp.APIToken, error) {
	t := &nipp.APIToken{}
	if err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens t WHERE t.id = $1`, id), t); err != nil {
		return nil, notFoundOr(err, "token")
	}
	return t, nil
}

// FindAPITokens returns a user's tokens, newest first (a user has few).
func (tx *Tx) FindAPITokens(ctx context.Context, userID int64) ([]*nipp.APIToken, error) {
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
func (tx *Tx) RevokeAPIToken(ctx context.Context, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.Now(), id)
	return err
}

// TouchAPIToken records the token's use.
func (tx *Tx) TouchAPIToken(ctx context.Context, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, tx.Now(), id)
	return err
}

// Login failure kinds for throttling.
const (
	FailAccount = "account"
	FailAddress = "address"
)

// RecordLoginFailure notes a failed sign-in for an account key and an
// address, and drops bookkeeping older than a day.
func (tx *Tx) RecordLoginFailure(ctx context.Context, account, address string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO login_failures (kind, subject, at) VALUES ($1, $2, $3), ($4, $5, $3)`,
		FailAccount, account, tx.Now(), FailAddress, address); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, tx.Now().Add(-24*time.Hour))
	return err
}

// LoginFailures returns how many failures kind/subject had since since, and
// the time of the latest.
func (tx *Tx) LoginFailures(ctx context.Context, kind, subject string, since time.Time) (int, time.Time, error) {
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
func (tx *Tx) ClearLoginFailures(ctx context.Context, account string) error {
	_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE kind = $1 AND subject = $2`, FailAccount, account)
	return err
}
