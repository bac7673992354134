package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"nipp/internal/nipp"
)

// The jobs mechanism's rows (migration 0017). Claiming is one statement:
// on PostgreSQL the candidate is chosen with FOR UPDATE SKIP LOCKED, so
// workers on several nodes never wait on each other nor take the same job;
// on SQLite the single writer makes the conditional UPDATE atomic. A job is
// claimable when it is queued and due, or running under an expired lease
// (its worker died).

const jobSelectCols = `id, kind, dedup_key, payload, state, attempts, max_attempts, run_after, lease_owner, lease_until,
	last_error, progress, created_at, updated_at`

func scanJobRow(sc interface{ Scan(...any) error }) (*nipp.Job, error) {
	j := &nipp.Job{}
	var lease sql.NullTime
	if err := sc.Scan(&j.ID, &j.Kind, &j.DedupKey, &j.Payload, &j.State, &j.Attempts, &j.MaxAttempts, &j.RunAfter, &j.LeaseOwner,
		&lease, &j.LastError, &j.Progress, &j.CreatedAt, &j.UpdatedAt); err != nil {
		return nil, err
	}
	if lease.Valid {
		j.LeaseUntil = lease.Time
	}
	return j, nil
}

// EnqueueJob queues j (kind, payload, dedup key, max attempts; run now
// unless j.RunAfter is set) and sets its ID. When j has a dedup key and a
// job with that key is already queued, nothing is added and j becomes that
// job.
func (tx *Tx) EnqueueJob(ctx context.Context, j *nipp.Job) (err error) {
	defer nipp.Wrap(&err, "store.EnqueueJob(%q, %q)", j.Kind, j.DedupKey)
	if j.DedupKey != "" {
		cur, err := scanJobRow(tx.QueryRow(ctx, `SELECT `+jobSelectCols+` FROM jobs WHERE dedup_key = $1 AND state = $2 ORDER BY id LIMIT 1`,
			j.DedupKey, nipp.JobQueued))
		if err == nil {
			*j = *cur
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return mapError(err)
		}
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = 5
	}
	if j.RunAfter.IsZero() {
		j.RunAfter = tx.Now()
	}
	j.State, j.Attempts, j.CreatedAt, j.UpdatedAt = nipp.JobQueued, 0, tx.Now(), tx.Now()
	j.ID, err = tx.InsertID(ctx, `INSERT INTO jobs (kind, dedup_key, payload, state, max_attempts, run_after, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, j.Kind, j.DedupKey, j.Payload, j.State, j.MaxAttempts, j.RunAfter.UTC(), tx.Now())
	return err
}

// ClaimJob takes the next claimable job (only job id when id != 0) for
// owner until now+lease, counting an attempt; nil when there is none.
func (tx *Tx) ClaimJob(ctx context.Context, owner string, lease time.Duration, id int64) (_ *nipp.Job, err error) {
	defer nipp.Wrap(&err, "store.ClaimJob(%q, %v)", owner, id)
	now := tx.Now()
	pick := `SELECT id FROM jobs WHERE ((state = $4 AND run_after <= $3) OR (state = $5 AND lease_until < $3))`
	args := []any{owner, now.Add(lease), now, nipp.JobQueued, nipp.JobRunning}
	if id != 0 {
		pick += ` AND id = $6`
		args = append(args, id)
	}
	pick += ` ORDER BY run_after, id LIMIT 1`
	if tx.db.dialect == Postgres {
		pick += ` FOR UPDATE SKIP LOCKED`
	}
	j, err := scanJobRow(tx.QueryRow(ctx, `UPDATE jobs SET state = $5, lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3
		WHERE id = (`+pick+`) RETURNING `+jobSelectCols, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, mapError(err)
	}
	return j, nil
}

// changeJob runs an UPDATE of job id held by owner; false when owner no
// longer holds it (its lease expired and another worker took it).
func (tx *Tx) changeJob(ctx context.Context, set string, id int64, owner string, args ...any) (bool, error) {
	n := len(args)
	args = append(args, id, owner, nipp.JobRunning)
	res, err := tx.Exec(ctx, `UPDATE jobs SET `+set+` WHERE id = $`+itoa(n+1)+` AND lease_owner = $`+itoa(n+2)+` AND state = $`+itoa(n+3), args...)
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	if err != nil {
		return false, mapError(err)
	}
	return k == 1, nil
}

// RenewJobLease extends owner's lease on job id to now+lease; false when
// the lease was lost.
func (tx *Tx) RenewJobLease(ctx context.Context, id int64, owner string, lease time.Duration) (_ bool, err error) {
	defer nipp.Wrap(&err, "store.RenewJobLease(%v)", id)
	return tx.changeJob(ctx, `lease_until = $1, updated_at = $2`, id, owner, tx.Now().Add(lease), tx.Now())
}

// SetJobProgress records a line of progress of a job owner holds.
func (tx *Tx) SetJobProgress(ctx context.Context, id int64, owner, progress string) (_ bool, err error) {
	defer nipp.Wrap(&err, "store.SetJobProgress(%v)", id)
	return tx.changeJob(ctx, `progress = $1, updated_at = $2`, id, owner, truncate(progress, 500), tx.Now())
}

// FinishJob marks a job owner holds done.
func (tx *Tx) FinishJob(ctx context.Context, id int64, owner string) (_ bool, err error) {
	defer nipp.Wrap(&err, "store.FinishJob(%v)", id)
	return tx.changeJob(ctx, `state = $1, lease_owner = '', lease_until = NULL, updated_at = $2`, id, owner, nipp.JobDone, tx.Now())
}

// RetryJob queues a job owner holds again, to run after runAfter, with
// the error of its failed attempt.
func (tx *Tx) RetryJob(ctx context.Context, id int64, owner string, runAfter time.Time, lastError string) (_ bool, err error) {
	defer nipp.Wrap(&err, "store.RetryJob(%v)", id)
	return tx.changeJob(ctx, `state = $1, run_after = $2, last_error = $3, lease_owner = '', lease_until = NULL, updated_at = $4`,
		id, owner, nipp.JobQueued, runAfter.UTC(), truncate(lastError, 2000), tx.Now())
}

// ReleaseJob hands a job owner holds back (its worker is stopping): it is
// queued to run now, and the interrupted run does not count as an attempt.
func (tx *Tx) ReleaseJob(ctx context.Context, id int64, owner string) (_ bool, err error) {
	defer nipp.Wrap(&err, "store.ReleaseJob(%v)", id)
	return tx.changeJob(ctx, `state = $1, run_after = $2, attempts = attempts - 1, lease_owner = '', lease_until = NULL, updated_at = $2`,
		id, owner, nipp.JobQueued, tx.Now())
}

// FailJob marks a job owner holds failed with its error: it is not tried
// again.
func (tx *Tx) FailJob(ctx context.Context, id int64, owner string, lastError string) (_ bool, err error) {
	defer nipp.Wrap(&err, "store.FailJob(%v)", id)
	return tx.changeJob(ctx, `state = $1, last_error = $2, lease_owner = '', lease_until = NULL, updated_at = $3`,
		id, owner, nipp.JobFailed, truncate(lastError, 2000), tx.Now())
}

// FindJob returns a job.
func (tx *Tx) FindJob(ctx context.Context, id int64) (_ *nipp.Job, err error) {
	defer nipp.Wrap(&err, "store.FindJob(%v)", id)
	j, err := scanJobRow(tx.QueryRow(ctx, `SELECT `+jobSelectCols+` FROM jobs WHERE id = $1`, id))
	if err != nil {
		return nil, notFoundOr(err, "job")
	}
	return j, nil
}

// FindJobsByKey returns the jobs with a dedup key, oldest first.
func (tx *Tx) FindJobsByKey(ctx context.Context, key string) (_ []*nipp.Job, err error) {
	defer nipp.Wrap(&err, "store.FindJobsByKey(%q)", key)
	var out []*nipp.Job
	err = tx.each(ctx, `SELECT `+jobSelectCols+` FROM jobs WHERE dedup_key = $1 ORDER BY id`, []any{key}, func(scan func(...any) error) error {
		j, err := scanJobRow(scanFunc(scan))
		if err != nil {
			return err
		}
		out = append(out, j)
		return nil
	})
	return out, err
}
