package app

import (
	"context"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// TakeAuditCheckpoint publishes the chain's head now, for an auditor or
// administrator (the button on /audit/verify). When the head has not moved
// since the last checkpoint, that one is returned and nothing is written
// (taken is false), so a double click adds nothing.
func (a *App) TakeAuditCheckpoint(ctx context.Context) (cp *nipp.AuditCheckpoint, taken bool, err error) {
	defer nipp.Wrap(&err, "app.TakeAuditCheckpoint()")
	p, err := authorize(ctx, nipp.PermAuditRead)
	if err != nil {
		return nil, false, err
	}
	return a.takeCheckpoint(ctx, p.Email, false)
}

// TakeAuditCheckpointAsSystem is TakeAuditCheckpoint for the operator at
// the command line (nipp audit checkpoint).
func (a *App) TakeAuditCheckpointAsSystem(ctx context.Context) (_ *nipp.AuditCheckpoint, _ bool, err error) {
	defer nipp.Wrap(&err, "app.TakeAuditCheckpointAsSystem()")
	return a.takeCheckpoint(ctx, "system", false)
}

// DailyAuditCheckpoint takes a checkpoint unless one was taken today
// (Vietnam's calendar day). Several nodes may call it at once: the head's
// lock serialises them, and the later ones find today's checkpoint.
func (a *App) DailyAuditCheckpoint(ctx context.Context) (_ *nipp.AuditCheckpoint, _ bool, err error) {
	defer nipp.Wrap(&err, "app.DailyAuditCheckpoint()")
	return a.takeCheckpoint(ctx, "system", true)
}

func (a *App) takeCheckpoint(ctx context.Context, by string, daily bool) (*nipp.AuditCheckpoint, bool, error) {
	var out *nipp.AuditCheckpoint
	taken := false
	err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
		out, taken = nil, false // WriteTx may run fn again on PostgreSQL
		seq, hash, err := tx.LockAuditHead(ctx)
		if err != nil {
			return err
		}
		last, err := tx.LastAuditCheckpoint(ctx)
		if err != nil {
			return err
		}
		if last != nil && (daily && sameDayInVietnam(last.At, tx.Now()) || !daily && last.Seq == seq && last.Hash == hash) {
			out = last
			return nil
		}
		if seq == 0 {
			if daily {
				return nil // an empty trail has no head to publish
			}
			return nipp.Errorf(nipp.ECONFLICT, "err.app.audit_nothing_to_checkpoint")
		}
		// Never publish a head the chain does not reach, nor one that no
		// longer reaches the last checkpoint (a truncated or rewritten past).
		if h, ok, err := tx.AuditEntryHash(ctx, seq); err != nil {
			return err
		} else if !ok || h != hash {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.audit_head_mismatch")
		}
		if last != nil {
			if h, ok, err := tx.AuditEntryHash(ctx, last.Seq); err != nil {
				return err
			} else if !ok || h != last.Hash || seq < last.Seq {
				return nipp.Errorf(nipp.ECONFLICT, "err.app.audit_checkpoint_unreached", last.Number)
			}
		}
		out = &nipp.AuditCheckpoint{Seq: seq, Hash: hash}
		taken = true
		return tx.InsertAuditCheckpoint(ctx, out, by)
	})
	if err != nil {
		return nil, false, err
	}
	return out, taken, nil
}

func sameDayInVietnam(a, b time.Time) bool {
	a, b = a.In(vietnam), b.In(vietnam)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// AuditCheckpointWorker takes the daily checkpoint: at start, then every
// interval (an hour in serve), until ctx ends.
func (a *App) AuditCheckpointWorker(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if cp, taken, err := a.DailyAuditCheckpoint(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("audit checkpoint", "err", err)
		} else if taken {
			a.log.Info("audit checkpoint taken", "number", cp.Number, "seq", cp.Seq, "hash", cp.Hash)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// MaxCheckpointPage bounds one page of the checkpoint list.
const MaxCheckpointPage = 200

// AuditCheckpoints returns one page of the checkpoints, newest first,
// below the number before (0: from the newest), and the cursor of the next
// page (0 at the end). Checkpoints are public.
func (a *App) AuditCheckpoints(ctx context.Context, before int64, limit int) (_ []*nipp.AuditCheckpoint, _ int64, err error) {
	defer nipp.Wrap(&err, "app.AuditCheckpoints(%v, %v)", before, limit)
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > MaxCheckpointPage {
		limit = 100
	}
	out := []*nipp.AuditCheckpoint{}
	err = a.read(ctx, func(tx *store.Tx) error {
		return tx.EachAuditCheckpoint(ctx, store.CheckpointFilter{Before: before, Limit: limit + 1}, func(c *nipp.AuditCheckpoint) error {
			out = append(out, c)
			return nil
		})
	})
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Number
	}
	return out, next, nil
}

// ExportAuditCheckpoints streams every checkpoint numbered above after,
// oldest first (the export an auditor keeps). Checkpoints are public.
func (a *App) ExportAuditCheckpoints(ctx context.Context, after int64, fn func(*nipp.AuditCheckpoint) error) (err error) {
	defer nipp.Wrap(&err, "app.ExportAuditCheckpoints(%v)", after)
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return err
	}
	return a.read(ctx, func(tx *store.Tx) error {
		return tx.EachAuditCheckpoint(ctx, store.CheckpointFilter{Ascending: true, After: after}, fn)
	})
}
