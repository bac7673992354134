package app

import (
	"context"
	"fmt"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// The domain-event seam. A use case calls a.raise(ctx, tx, ev) for each
// change it makes, inside its write transaction; every handler whose event
// type matches runs there, in registration order, and an error from any of
// them rolls the whole change back. The audit trail is the first handler
// of every event; derived data (balances, summaries) registers its own.

// eventHandler is one registered handler.
type eventHandler struct {
	name string
	run  func(ctx context.Context, tx *store.Tx, ev nipp.Event) error
}

// on registers h for the events of type E: a concrete event type
// (nipp.ProjectTransitioned) or an interface (nipp.ProjectChange,
// nipp.Event for every event). name groups handlers, so a benchmark can
// measure a change without them (WithoutHandlers); "audit" is never
// skipped.
func on[E nipp.Event](a *App, name string, h func(ctx context.Context, tx *store.Tx, e E) error) {
	if a.skip[name] && name != "audit" {
		return
	}
	a.handlers = append(a.handlers, eventHandler{name: name, run: func(ctx context.Context, tx *store.Tx, ev nipp.Event) error {
		e, ok := ev.(E)
		if !ok {
			return nil
		}
		if err := h(ctx, tx, e); err != nil {
			return fmt.Errorf("event handler %s: %w", name, err)
		}
		return nil
	}})
}

// WithoutHandlers leaves out the named handler groups (never "audit").
// Benchmarks use it to measure what derived data costs a change.
func WithoutHandlers(names ...string) Option {
	return func(a *App) {
		if a.skip == nil {
			a.skip = map[string]bool{}
		}
		for _, n := range names {
			a.skip[n] = true
		}
	}
}

// WithEventHandler registers h for every event, after the built-in
// handlers (wiring and tests use it to follow changes).
func WithEventHandler(name string, h func(ctx context.Context, tx *store.Tx, ev nipp.Event) error) Option {
	return func(a *App) {
		a.extra = append(a.extra, func() { on(a, name, h) })
	}
}

// registerHandlers wires every area's handlers; an area adds one line.
// The audit entry comes first, handlers given as options last.
func (a *App) registerHandlers() {
	on(a, "audit", auditEvent)
	a.registerLedgerHandlers()
	a.registerProgressHandlers()
	for _, f := range a.extra {
		f()
	}
}

// raise runs the handlers of each event in tx.
func (a *App) raise(ctx context.Context, tx *store.Tx, evs ...nipp.Event) error {
	for _, ev := range evs {
		for _, h := range a.handlers {
			if err := h.run(ctx, tx, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// record raises a nipp.Recorded event: a change only the audit trail follows.
func (a *App) record(ctx context.Context, tx *store.Tx, action, entity, entityID string, before, after any) error {
	return a.raise(ctx, tx, nipp.Recorded{Audited: nipp.Audited{Action: action, Entity: entity, EntityID: entityID, Before: before, After: after}})
}
