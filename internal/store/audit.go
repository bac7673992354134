package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"nipp/internal/nipp"
)

// AppendAudit appends e to the hash chain in the current transaction. The
// UPDATE of audit_head takes its row lock first, so concurrent writers are
// serialised and the chain stays linear on both engines.
func (tx *Tx) AppendAudit(ctx context.Context, e *nipp.AuditEntry) (err error) {
	defer nipp.Wrap(&err, "store.AppendAudit()")
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1`); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&e.Seq, &e.PrevHash); err != nil {
		return mapError(err)
	}
	e.At = tx.Now()
	e.Hash = e.ComputeHash(e.PrevHash)
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log (seq, at, user_id, actor, remote_addr, action, entity, entity_id, before_json, after_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.Seq, e.At, nullID(e.UserID), e.Actor, e.RemoteAddr, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, e.Hash)
	return err
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	Entity   string
	EntityID string
	UserID   int64  // the acting user's id
	Actor    string // the acting user's e-mail as recorded (when no account matches)
	From, To time.Time
	// BeforeSeq pages newest first: entries with seq < BeforeSeq.
	BeforeSeq int64
	// Ascending walks oldest first (verification); BeforeSeq is ignored.
	Ascending bool
	Limit     int // 0: all (streaming only)
}

const auditCols = `seq, at, user_id, actor, remote_addr, action, entity, entity_id, before_json, after_json, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }, e *nipp.AuditEntry) error {
	var uid sql.NullInt64
	if err := sc.Scan(&e.Seq, &e.At, &uid, &e.Actor, &e.RemoteAddr, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
		return err
	}
	e.At = e.At.UTC()
	e.UserID = uid.Int64
	return nil
}

// EachAuditEntry streams the entries matching f to fn, newest first unless
// f.Ascending. It never loads the whole table.
func (tx *Tx) EachAuditEntry(ctx context.Context, f AuditFilter, fn func(*nipp.AuditEntry) error) (err error) {
	defer nipp.Wrap(&err, "store.EachAuditEntry()")
	var where []string
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Entity != "" {
		arg("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		arg("entity_id = ?", f.EntityID)
	}
	if f.UserID != 0 {
		arg("user_id = ?", f.UserID)
	} else if f.Actor != "" {
		arg("actor = ?", f.Actor)
	}
	if !f.From.IsZero() {
		arg("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		arg("at < ?", f.To)
	}
	order := "seq DESC"
	if f.Ascending {
		order = "seq"
	} else if f.BeforeSeq > 0 {
		arg("seq < ?", f.BeforeSeq)
	}
	q := `SELECT ` + auditCols + ` FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY " + order
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e := &nipp.AuditEntry{}
		if err := scanAudit(rows, e); err != nil {
			return mapError(err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}

// AuditHead returns the last seq and hash the chain's head records.
func (tx *Tx) AuditHead(ctx context.Context) (_ int64, _ string, err error) {
	defer nipp.Wrap(&err, "store.AuditHead()")
	var seq int64
	var hash string
	err = tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash)
	return seq, hash, mapError(err)
}

// LockAuditHead returns the head like AuditHead, holding its row lock (the
// write lock on SQLite) until the transaction ends, so checkpoints taken
// by several nodes at once are serialised with each other and with writers.
func (tx *Tx) LockAuditHead(ctx context.Context) (_ int64, _ string, err error) {
	defer nipp.Wrap(&err, "store.LockAuditHead()")
	if _, err := tx.Exec(ctx, `UPDATE audit_head SET seq = seq WHERE id = 1`); err != nil {
		return 0, "", err
	}
	return tx.AuditHead(ctx)
}

// AuditEntryHash returns the stored hash of the entry with seq, and false
// when there is no such entry.
func (tx *Tx) AuditEntryHash(ctx context.Context, seq int64) (_ string, _ bool, err error) {
	defer nipp.Wrap(&err, "store.AuditEntryHash()")
	var h string
	err = tx.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&h)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	return h, err == nil, mapError(err)
}

// LastAuditCheckpoint returns the newest checkpoint, or nil when none was
// taken.
func (tx *Tx) LastAuditCheckpoint(ctx context.Context) (_ *nipp.AuditCheckpoint, err error) {
	defer nipp.Wrap(&err, "store.LastAuditCheckpoint()")
	var c nipp.AuditCheckpoint
	err = tx.QueryRow(ctx, `SELECT number, seq, hash, at FROM audit_checkpoints ORDER BY number DESC LIMIT 1`).Scan(&c.Number, &c.Seq, &c.Hash, &c.At)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, mapError(err)
	}
	c.At = c.At.UTC()
	return &c, nil
}

// InsertAuditCheckpoint records c with the next number (set in c). Call it
// after LockAuditHead: the lock keeps numbers gapless and unique.
func (tx *Tx) InsertAuditCheckpoint(ctx context.Context, c *nipp.AuditCheckpoint, takenBy string) (err error) {
	defer nipp.Wrap(&err, "store.InsertAuditCheckpoint(%q)", takenBy)
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM audit_checkpoints`).Scan(&c.Number); err != nil {
		return mapError(err)
	}
	c.At = tx.Now()
	_, err = tx.Exec(ctx, `INSERT INTO audit_checkpoints (number, seq, hash, at, taken_by) VALUES ($1, $2, $3, $4, $5)`,
		c.Number, c.Seq, c.Hash, c.At, takenBy)
	return err
}

// CheckpointFilter pages the checkpoints: newest first below Before, or
// (Ascending) oldest first above After. Limit 0: all.
type CheckpointFilter struct {
	Before, After int64
	Ascending     bool
	Limit         int
}

// EachAuditCheckpoint streams the checkpoints matching f to fn.
func (tx *Tx) EachAuditCheckpoint(ctx context.Context, f CheckpointFilter, fn func(*nipp.AuditCheckpoint) error) (err error) {
	defer nipp.Wrap(&err, "store.EachAuditCheckpoint()")
	q := `SELECT number, seq, hash, at FROM audit_checkpoints`
	var args []any
	if f.Ascending {
		q += ` WHERE number > $1 ORDER BY number`
		args = append(args, f.After)
	} else {
		if f.Before > 0 {
			q += ` WHERE number < $1`
			args = append(args, f.Before)
		}
		q += ` ORDER BY number DESC`
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c := &nipp.AuditCheckpoint{}
		if err := rows.Scan(&c.Number, &c.Seq, &c.Hash, &c.At); err != nil {
			return mapError(err)
		}
		c.At = c.At.UTC()
		if err := fn(c); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}

// auditNameQueries: per audited entity, the query that names its records
// by entity id (the ids are bound as $1..$n). Entities not listed are
// shown by id only.
var auditNameQueries = map[string]string{
	"user":              `SELECT CAST(id AS TEXT), name, '', email, CAST(id AS TEXT) FROM users WHERE CAST(id AS TEXT) IN (%s)`,
	"establishment":     `SELECT public_id, name, '', '', public_id FROM establishments WHERE public_id IN (%s)`,
	"project":           `SELECT public_id, code || ' — ' || title, '', '', public_id FROM projects WHERE public_id IN (%s)`,
	"program":           `SELECT code, name_vi, name_en, '', code FROM programs WHERE code IN (%s)`,
	"rule_set":          `SELECT CAST(id AS TEXT), code || ' — ' || name_vi, CASE WHEN name_en = '' THEN '' ELSE code || ' — ' || name_en END, '', code FROM rule_sets WHERE CAST(id AS TEXT) IN (%s)`,
	"api_token":         `SELECT CAST(t.id AS TEXT), t.name, '', u.email, '' FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE CAST(t.id AS TEXT) IN (%s)`,
	"appraisal_round":   `SELECT CAST(id AS TEXT), name, '', '', CAST(id AS TEXT) FROM appraisal_rounds WHERE CAST(id AS TEXT) IN (%s)`,
	"appraisal_council": `SELECT CAST(c.id AS TEXT), c.name, '', '', CAST(c.round_id AS TEXT) FROM appraisal_councils c WHERE CAST(c.id AS TEXT) IN (%s)`,
	"import_job":        `SELECT CAST(id AS TEXT), file_name, '', '', CAST(id AS TEXT) FROM import_jobs WHERE CAST(id AS TEXT) IN (%s)`,
	"attachment":        `SELECT CAST(a.id AS TEXT), a.filename, '', '', '' FROM project_attachments a WHERE CAST(a.id AS TEXT) IN (%s)`,
	// Codes named in before/after values (organisations by code, today's
	// provinces and communes, and those of the units at the time).
	"organization":  `SELECT code, name_vi, name_en, '', code FROM organizations WHERE code IN (%s)`,
	"province":      `SELECT code, name_vi, '', '', '' FROM admin_units WHERE level = 'province' AND generation = 2025 AND code IN (%s)`,
	"province_2008": `SELECT code, name_vi, '', '', '' FROM admin_units WHERE level = 'province' AND generation = 2008 AND code IN (%s)`,
	"commune":       `SELECT code, name_vi, '', '', '' FROM admin_units WHERE level = 'commune' AND generation = 2025 AND code IN (%s)`,
	"commune_2008":  `SELECT code, name_vi, '', '', '' FROM admin_units WHERE level = 'commune' AND generation = 2008 AND code IN (%s)`,
}

// AuditNames names the records of one entity by entity id, for the audit
// trail (one query per entity and page). Unknown entities and records that
// no longer exist are simply absent.
func (tx *Tx) AuditNames(ctx context.Context, entity string, ids []string) (_ map[string]nipp.AuditName, err error) {
	defer nipp.Wrap(&err, "store.AuditNames(%q)", entity)
	out := map[string]nipp.AuditName{}
	q, ok := auditNameQueries[entity]
	if !ok || len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	ph := make([]string, len(ids))
	for i, id := range ids {
		args[i] = id
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := tx.Query(ctx, fmt.Sprintf(q, strings.Join(ph, ", ")), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n nipp.AuditName
		if err := rows.Scan(&id, &n.Name, &n.NameEN, &n.Email, &n.Key); err != nil {
			return nil, mapError(err)
		}
		out[id] = n
	}
	return out, mapError(rows.Err())
}
