package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"nipp/internal/nipp"
)

const jobCols = `id, kind, file_name, state, atomic, header_row, header_json, mapping_json, total_rows, validated_rows, rejected_rows,
	applied_through, imported, updated, unchanged, message, COALESCE(created_by, 0), created_at, updated_at,
	addresses_as_of, table_end_row, trailing_rows, noted_rows, undo_row`

func scanJob(sc interface{ Scan(...any) error }) (*nipp.ImportJob, error) {
	j := &nipp.ImportJob{}
	var h, m string
	if err := sc.Scan(&j.ID, &j.Kind, &j.FileName, &j.State, &j.Atomic, &j.HeaderRow, &h, &m, &j.TotalRows, &j.ValidatedRows,
		&j.RejectedRows, &j.AppliedThrough, &j.Imported, &j.Updated, &j.Unchanged, &j.Message, &j.CreatedBy, &j.CreatedAt, &j.UpdatedAt,
		&j.AddressesAsOf, &j.TableEndRow, &j.TrailingRows, &j.NotedRows, &j.UndoRow); err != nil {
		return nil, err
	}
	if err := unmarshalCol("header_json", h, &j.Header); err != nil {
		return nil, err
	}
	if err := unmarshalCol("mapping_json", m, &j.Mapping); err != nil {
		return nil, err
	}
	return j, nil
}

// unmarshalCol decodes a JSON column; one that does not decode is an
// internal error naming the column.
func unmarshalCol(col, s string, v any) error {
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decoding %s: %w", col, err)
	}
	return nil
}

// marshalCol encodes a value for a JSON column.
func marshalCol(col string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encoding %s: %w", col, err)
	}
	return string(b), nil
}

// CreateImportJob inserts j and sets its ID.
func (tx *Tx) CreateImportJob(ctx context.Context, j *nipp.ImportJob) (err error) {
	defer nipp.Wrap(&err, "store.CreateImportJob()")
	h, err := marshalCol("header_json", j.Header)
	if err != nil {
		return err
	}
	m, err := marshalCol("mapping_json", j.Mapping)
	if err != nil {
		return err
	}
	j.CreatedAt, j.UpdatedAt = tx.Now(), tx.Now()
	id, err := tx.InsertID(ctx, `INSERT INTO import_jobs (kind, file_name, state, atomic, header_row, header_json, mapping_json, created_by, created_at, updated_at, addresses_as_of)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)`, j.Kind, j.FileName, j.State, j.Atomic, j.HeaderRow, h, m, nullID(j.CreatedBy), tx.Now(), j.AddressesAsOf)
	if err != nil {
		return err
	}
	j.ID = id
	return nil
}

// UpdateImportJob writes j's state, mapping, counts and message.
func (tx *Tx) UpdateImportJob(ctx context.Context, j *nipp.ImportJob) (err error) {
	defer nipp.Wrap(&err, "store.UpdateImportJob()")
	m, err := marshalCol("mapping_json", j.Mapping)
	if err != nil {
		return err
	}
	j.UpdatedAt = tx.Now()
	_, err = tx.Exec(ctx, `UPDATE import_jobs SET state = $1, atomic = $2, mapping_json = $3, total_rows = $4, validated_rows = $5,
		rejected_rows = $6, applied_through = $7, imported = $8, updated = $9, unchanged = $10, message = $11, updated_at = $12,
		addresses_as_of = $14, table_end_row = $15, trailing_rows = $16, noted_rows = $17, undo_row = $18 WHERE id = $13`,
		j.State, j.Atomic, m, j.TotalRows, j.ValidatedRows, j.RejectedRows, j.AppliedThrough, j.Imported, j.Updated, j.Unchanged,
		truncate(j.Message, 2000), tx.Now(), j.ID, j.AddressesAsOf, j.TableEndRow, j.TrailingRows, j.NotedRows, j.UndoRow)
	return err
}

// FindImportJobByID returns an import job.
func (tx *Tx) FindImportJobByID(ctx context.Context, id int64) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "store.FindImportJobByID(%v)", id)
	j, err := scanJob(tx.QueryRow(ctx, `SELECT `+jobCols+` FROM import_jobs WHERE id = $1`, id))
	if err != nil {
		return nil, notFoundOr(err, "import")
	}
	return j, nil
}

// LockImportJob returns job id, locked for the rest of the transaction, so
// that two workers (two nodes) never process the same chunk: the second
// waits, then reads the cursor the first advanced. SQLite's single writer
// already serialises write transactions; PostgreSQL needs the row lock.
func (tx *Tx) LockImportJob(ctx context.Context, id int64) (_ *nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "store.LockImportJob(%v)", id)
	q := `SELECT ` + jobCols + ` FROM import_jobs WHERE id = $1`
	if tx.db.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	j, err := scanJob(tx.QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFoundOr(err, "import")
	}
	return j, nil
}

// FindImportJobs returns the latest jobs, of one user when userID != 0, or
// in the given states when states is not empty.
func (tx *Tx) FindImportJobs(ctx context.Context, userID int64, states []string, limit int) (_ []*nipp.ImportJob, err error) {
	defer nipp.Wrap(&err, "store.FindImportJobs(%v, %v)", userID, limit)
	where := []string{"1 = 1"}
	var args []any
	if userID != 0 {
		args = append(args, userID)
		where = append(where, "created_by = $1")
	}
	if len(states) > 0 {
		ph := make([]string, len(states))
		for i, s := range states {
			args = append(args, s)
			ph[i] = "$" + itoa(len(args))
		}
		where = append(where, "state IN ("+strings.Join(ph, ", ")+")")
	}
	rows, err := tx.Query(ctx, `SELECT `+jobCols+` FROM import_jobs WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT `+itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*nipp.ImportJob
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, mapError(err)
		}
		out = append(out, j)
	}
	return out, mapError(rows.Err())
}

// StageImportRows inserts raw rows of a job.
func (tx *Tx) StageImportRows(ctx context.Context, jobID int64, rows []nipp.ImportRow) (err error) {
	defer nipp.Wrap(&err, "store.StageImportRows(%v)", jobID)
	vals := make([][]any, len(rows))
	for i, r := range rows {
		c, err := marshalCol("cells_json", r.Cells)
		if err != nil {
			return err
		}
		vals[i] = []any{jobID, r.Row, c}
	}
	return tx.InsertRows(ctx, "import_rows", []string{"job_id", "row_num", "cells_json"}, vals, "")
}

// FindImportRows returns up to limit staged rows after row number after;
// only valid ones when validOnly, only rejected ones when rejectedOnly.
func (tx *Tx) FindImportRows(ctx context.Context, jobID int64, after, limit int, validOnly, rejectedOnly bool) (_ []nipp.ImportRow, err error) {
	defer nipp.Wrap(&err, "store.FindImportRows(%v, %v, %v, %v, %v)", jobID, after, limit, validOnly, rejectedOnly)
	q := `SELECT row_num, cells_json, valid, errors_json, record_json, dup_key FROM import_rows WHERE job_id = $1 AND row_num > $2`
	args := []any{jobID, after}
	if validOnly {
		q += ` AND valid = $3`
		args = append(args, true)
	} else if rejectedOnly {
		q += ` AND valid = $3`
		args = append(args, false)
	}
	q += ` ORDER BY row_num LIMIT ` + itoa(limit)
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nipp.ImportRow
	for rows.Next() {
		var r nipp.ImportRow
		var cells, errs string
		var valid sql.NullBool
		if err := rows.Scan(&r.Row, &cells, &valid, &errs, &r.Record, &r.DupKey); err != nil {
			return nil, mapError(err)
		}
		if err := unmarshalCol("cells_json", cells, &r.Cells); err != nil {
			return nil, err
		}
		if errs != "" {
			if err := unmarshalCol("errors_json", errs, &r.Errors); err != nil {
				return nil, err
			}
		}
		if valid.Valid {
			v := valid.Bool
			r.Valid = &v
		}
		out = append(out, r)
	}
	return out, mapError(rows.Err())
}

// DeleteImportRows drops a job's staged rows (after it is done or cancelled).
func (tx *Tx) DeleteImportRows(ctx context.Context, jobID int64) (err error) {
	defer nipp.Wrap(&err, "store.DeleteImportRows(%v)", jobID)
	_, err = tx.Exec(ctx, `DELETE FROM import_rows WHERE job_id = $1`, jobID)
	return err
}

// ResetImportValidation clears every row's validation result (a new mapping).
func (tx *Tx) ResetImportValidation(ctx context.Context, jobID int64) (err error) {
	defer nipp.Wrap(&err, "store.ResetImportValidation(%v)", jobID)
	_, err = tx.Exec(ctx, `UPDATE import_rows SET valid = NULL, errors_json = '', record_json = '', dup_key = '' WHERE job_id = $1`, jobID)
	return err
}

func itoa(n int) string { return strconv.Itoa(n) }

// FindImportRowsUnvalidated returns up to limit rows of a job not yet
// validated after row number after (rows are validated in order: the
// caller's cursor, 0 when it has none), in row order.
func (tx *Tx) FindImportRowsUnvalidated(ctx context.Context, jobID int64, after, limit int) (_ []nipp.ImportRow, err error) {
	defer nipp.Wrap(&err, "store.FindImportRowsUnvalidated(%v, %v, %v)", jobID, after, limit)
	var out []nipp.ImportRow
	err = tx.each(ctx, `SELECT row_num, cells_json FROM import_rows WHERE job_id = $1 AND row_num > $2 AND valid IS NULL ORDER BY row_num LIMIT `+itoa(limit),
		[]any{jobID, after}, func(scan func(...any) error) error {
			var r nipp.ImportRow
			var cells string
			if err := scan(&r.Row, &cells); err != nil {
				return err
			}
			if err := unmarshalCol("cells_json", cells, &r.Cells); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	return out, err
}

// DeleteImportRowsValid drops a finished job's applied rows; the rejected
// ones and those with a note stay for the report.
func (tx *Tx) DeleteImportRowsValid(ctx context.Context, jobID int64) (err error) {
	defer nipp.Wrap(&err, "store.DeleteImportRowsValid(%v)", jobID)
	_, err = tx.Exec(ctx, `DELETE FROM import_rows WHERE job_id = $1 AND valid = $2 AND errors_json = ''`, jobID, true)
	return err
}

// FindImportRowsNoted returns up to limit valid rows of a job that carry a
// note (their Errors), after row number after.
func (tx *Tx) FindImportRowsNoted(ctx context.Context, jobID int64, after, limit int) (_ []nipp.ImportRow, err error) {
	defer nipp.Wrap(&err, "store.FindImportRowsNoted(%v, %v, %v)", jobID, after, limit)
	var out []nipp.ImportRow
	err = tx.each(ctx, `SELECT row_num, errors_json FROM import_rows WHERE job_id = $1 AND row_num > $2 AND valid = $3 AND errors_json <> ''
		ORDER BY row_num LIMIT `+itoa(limit), []any{jobID, after, true}, func(scan func(...any) error) error {
		var r nipp.ImportRow
		var errs string
		if err := scan(&r.Row, &errs); err != nil {
			return err
		}
		if err := unmarshalCol("errors_json", errs, &r.Errors); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// RejectImportRow marks a valid row rejected with the given issues (a row
// that failed while being written).
func (tx *Tx) RejectImportRow(ctx context.Context, jobID int64, row int, issues []nipp.RowIssue) (err error) {
	defer nipp.Wrap(&err, "store.RejectImportRow(%v, %v)", jobID, row)
	b, err := marshalCol("errors_json", issues)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE import_rows SET valid = $1, errors_json = $2 WHERE job_id = $3 AND row_num = $4`, false, b, jobID, row)
	return err
}

// CommitWithoutFlush lets tx's commit return before its WAL reaches the
// disk (PostgreSQL: synchronous_commit off for this transaction; SQLite's
// commits in WAL mode with synchronous=NORMAL never wait for the disk).
// For an import's chunks: each commits with the job's cursor, so a crash
// of the machine loses the last chunks whole, cursor included, and the
// job does them again (every row is an upsert); the fsync of each of the
// national file's 8,000 chunk commits was a tenth of its backends' time.
func (tx *Tx) CommitWithoutFlush(ctx context.Context) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`)
	return err
}

// Savepoint runs fn inside a savepoint of tx: when fn fails, what it wrote
// is rolled back and the transaction stays usable (PostgreSQL aborts the
// whole transaction on an error otherwise).
func (tx *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := tx.Exec(ctx, `SAVEPOINT nipp_row`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT nipp_row`); rerr != nil {
			return rerr
		}
		_, rerr := tx.Exec(ctx, `RELEASE SAVEPOINT nipp_row`)
		if rerr != nil {
			return rerr
		}
		return err
	}
	_, err := tx.Exec(ctx, `RELEASE SAVEPOINT nipp_row`)
	return err
}

// CountImportJobs counts a user's import jobs (states empty: all of them).
func (tx *Tx) CountImportJobs(ctx context.Context, userID int64, states []string) (_ int64, err error) {
	defer nipp.Wrap(&err, "store.CountImportJobs(%v)", userID)
	args := []any{userID}
	q := `SELECT COUNT(*) FROM import_jobs WHERE created_by = $1`
	if len(states) > 0 {
		ph := make([]string, len(states))
		for i, s := range states {
			args = append(args, s)
			ph[i] = "$" + itoa(len(args))
		}
		q += ` AND state IN (` + strings.Join(ph, ", ") + `)`
	}
	var n int64
	err = tx.QueryRow(ctx, q, args...).Scan(&n)
	return n, mapError(err)
}

// FirstImportRowsWithKeys returns, for each of keys held by a row of the
// job before row before, the first such row's number (one query for a
// chunk's rows).
func (tx *Tx) FirstImportRowsWithKeys(ctx context.Context, jobID int64, keys []string, before int) (_ map[string]int, err error) {
	defer nipp.Wrap(&err, "store.FirstImportRowsWithKeys(%v, %v)", jobID, before)
	out := map[string]int{}
	if len(keys) == 0 {
		return out, nil
	}
	args := []any{jobID, before}
	var q string
	if tx.db.dialect == Postgres {
		// An array: one text for every chunk, planned for its values (see pgArray).
		args = tx.customPlan(append(args, keys))
		q = `SELECT dup_key, MIN(row_num) FROM import_rows WHERE job_id = $1 AND row_num < $2 AND dup_key = ANY($3::text[]) GROUP BY dup_key`
	} else {
		ph := make([]string, len(keys))
		for i, k := range keys {
			args = append(args, k)
			ph[i] = tx.Placeholder(len(args))
		}
		q = `SELECT dup_key, MIN(row_num) FROM import_rows WHERE job_id = ` + tx.Placeholder(1) + ` AND row_num < ` + tx.Placeholder(2) +
			` AND dup_key IN (` + strings.Join(ph, ", ") + `) GROUP BY dup_key`
	}
	err = tx.each(ctx, q, args, func(scan func(...any) error) error {
		var k string
		var n int
		if err := scan(&k, &n); err != nil {
			return err
		}
		out[k] = n
		return nil
	})
	return out, err
}

// FindImportRowsToUndo returns up to limit rows of a job with an undo
// record, the last applied first.
func (tx *Tx) FindImportRowsToUndo(ctx context.Context, jobID int64, limit int) (_ []nipp.ImportRow, err error) {
	defer nipp.Wrap(&err, "store.FindImportRowsToUndo(%v)", jobID)
	var out []nipp.ImportRow
	err = tx.each(ctx, `SELECT row_num, undo_json FROM import_rows WHERE job_id = $1 AND undo_json <> '' ORDER BY row_num DESC LIMIT `+itoa(limit),
		[]any{jobID}, func(scan func(...any) error) error {
			var r nipp.ImportRow
			if err := scan(&r.Row, &r.Record); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	return out, err
}

// ClearImportRowsUndo drops the undo records of a job's rows from row
// from on (they were undone, or the job finished).
func (tx *Tx) ClearImportRowsUndo(ctx context.Context, jobID int64, from int) (err error) {
	defer nipp.Wrap(&err, "store.ClearImportRowsUndo(%v, %v)", jobID, from)
	_, err = tx.Exec(ctx, `UPDATE import_rows SET undo_json = '' WHERE job_id = $1 AND row_num >= $2 AND undo_json <> ''`, jobID, from)
	return err
}

// AnalyzeImportRows refreshes PostgreSQL's statistics of import_rows (a
// no-op on SQLite), for a job of many rows between its phases: just
// after staging 2,000,000 rows, the statistics still described the table
// before them, and the planner read each chunk's next rows by a bitmap of
// every later row, sorted (1 s a chunk: 250 rows a second validated). With
// them, the next rows come from the primary key in order.
func (db *DB) AnalyzeImportRows(ctx context.Context) error {
	if db.dialect != Postgres {
		return nil
	}
	return db.RawExec(ctx, `ANALYZE import_rows`)
}
