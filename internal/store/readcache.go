package store

import (
	"context"
	"sync"
)

// Results that add up many rows (the year's plan, project totals) are kept
// in memory, each with the change stamp (migration 0013: a number that
// grows with every change to the tables they read, kept by triggers) read in
// the same snapshot as the result. A read transaction reads the stamp and
// uses a kept result only when the stamp is the same: nothing it read has
// changed since, whichever node changed it. Write transactions never use
// it (they may hold changes of their own).

// readCacheSize bounds the kept results (a plan is a few KB).
const readCacheSize = 512

type readCache struct {
	mu sync.Mutex
	m  map[string]*cached
}

type cached struct {
	stamp int64
	done  chan struct{} // closed once v and err are set
	v     any
	err   error
}

// ProjectsStamp is the change stamp of the project tables in tx's
// snapshot: it grows with every committed change to what project lists,
// totals and plans show.
func (tx *Tx) ProjectsStamp(ctx context.Context) (int64, error) { return tx.projectsStamp(ctx) }

func (tx *Tx) projectsStamp(ctx context.Context) (int64, error) {
	return tx.changeStamp(ctx, "projects")
}

// RegistryStamp is the registry's change stamp in tx's snapshot
// (migration 0025): it grows with every committed change to the
// establishments and to the names of the units they lie in.
func (tx *Tx) RegistryStamp(ctx context.Context) (int64, error) {
	return tx.changeStamp(ctx, "registry")
}

// changeStamp sums the rows of change stamp name (one per connection that
// moved it on PostgreSQL, until compaction folds them).
func (tx *Tx) changeStamp(ctx context.Context, name string) (int64, error) {
	var n int64
	err := tx.QueryRow(ctx, `SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM change_stamps WHERE name = $1`, name).Scan(&n)
	return n, mapError(err)
}

// keptProjects returns the result kept for key at the current projects
// stamp, or computes it (once: concurrent readers at the same stamp wait
// for the first) and keeps it. In a write transaction it only computes.
func (tx *Tx) keptProjects(ctx context.Context, key string, compute func() (any, error)) (any, error) {
	if tx.write {
		return compute()
	}
	stamp, err := tx.projectsStamp(ctx)
	if err != nil {
		return nil, err
	}
	c := &tx.db.cache
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*cached{}
	}
	if e, ok := c.m[key]; ok && e.stamp == stamp {
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil {
			return e.v, nil
		}
		return compute() // the first reader failed (its own context, perhaps)
	}
	e := &cached{stamp: stamp, done: make(chan struct{})}
	if len(c.m) >= readCacheSize {
		for k := range c.m { // drop any one: the map's order is random
			delete(c.m, k)
			break
		}
	}
	c.m[key] = e
	c.mu.Unlock()
	e.v, e.err = compute()
	close(e.done)
	if e.err != nil {
		c.mu.Lock()
		if c.m[key] == e {
			delete(c.m, key)
		}
		c.mu.Unlock()
	}
	return e.v, e.err
}
