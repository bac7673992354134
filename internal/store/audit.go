package store

import (
	"context"

	"nipp/internal/nipp"
)

// AppendAudit appends e to the hash chain in the current transaction. The
// UPDATE of audit_head takes its row lock first, so concurrent writers are
// serialised and the chain stays linear on both engines.
func (tx *Tx) AppendAudit(ctx context.Context, e *nipp.AuditEntry) error {
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
		e.Seq, e.At, nullInt(e.UserID), e.Actor, e.RemoteAddr, e.Action, e.Entity, e.EntityID, e.Before, e.After, e.PrevHash, e.Hash); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, e.Hash)
	return err
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}
