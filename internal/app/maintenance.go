package app

import (
	"context"
	"time"
)

// CountsWorker keeps the registry's totals cheap to read: every interval it
// folds the per-connection counter rows PostgreSQL's writers leave
// (store.CompactEstablishmentCounts), until ctx ends. Idempotent across
// nodes; nothing to do on SQLite.
func (a *App) CountsWorker(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := a.db.CompactEstablishmentCounts(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("compacting the registry's totals", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
