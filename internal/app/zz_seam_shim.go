package app

// TEMPORARY: the event seam (issue 17) as it lands on main; this file goes
// at the merge.

import (
	"context"
	"sync"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

var (
	shimMu       sync.Mutex
	shimHandlers = map[*App][]func(ctx context.Context, tx *store.Tx, ev nipp.Event) error{}
	shimDone     = map[*App]bool{}
)

func on[E nipp.Event](a *App, name string, h func(ctx context.Context, tx *store.Tx, e E) error) {
	shimHandlers[a] = append(shimHandlers[a], func(ctx context.Context, tx *store.Tx, ev nipp.Event) error {
		e, ok := ev.(E)
		if !ok {
			return nil
		}
		return h(ctx, tx, e)
	})
}

func (a *App) raise(ctx context.Context, tx *store.Tx, evs ...nipp.Event) error {
	shimMu.Lock()
	if !shimDone[a] {
		shimDone[a] = true
		a.registerLedgerHandlers()
	}
	hs := shimHandlers[a]
	shimMu.Unlock()
	for _, ev := range evs {
		if au := ev.Audit(); au.Action != "" {
			if err := audit(ctx, tx, au.Action, au.Entity, au.EntityID, au.Before, au.After); err != nil {
				return err
			}
		}
		for _, h := range hs {
			if err := h(ctx, tx, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *App) record(ctx context.Context, tx *store.Tx, action, entity, entityID string, before, after any) error {
	return audit(ctx, tx, action, entity, entityID, before, after)
}
