// Package demo loads a deterministic, realistic demonstration data set:
// rural industrial establishments spread over the provinces and communes of
// both administrative generations, and national industry promotion
// projects with their beneficiaries, budgets and outputs.
//
// Everything goes through the store in ordinary SQL that both engines run.
// The loader streams: it holds one chunk of rows (about a thousand) and a
// bounded sample of establishments per province (to draw project
// beneficiaries from), so the same code loads a national-scale data set.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"nipp/internal/store"
)

// Size says how much data to load and from which seed.
type Size struct {
	Establishments, Projects int
	Seed                     int64
}

// Small is the data set for demonstrations and manual testing.
var Small = Size{Establishments: 3000, Projects: 400, Seed: 2025}

// maxEstablishments bounds a load so that its unique codes cannot run out.
const maxEstablishments = 5_000_000

// Stats counts what a load inserted.
type Stats struct{ Establishments, Projects int }

// Load inserts a demo data set into db: size.Establishments establishments,
// then size.Projects projects whose beneficiaries are among them. The same
// seed gives the same data (names, codes, amounts), on either engine.
//
// Rows go in chunks, each its own transaction: on error the chunks already
// committed stay and Stats counts them. Identifiers and tax codes are unique
// within a load; loading a second data set into the same database can
// collide with the first (always with the same seed) and fails with a
// unique-constraint error.
func Load(ctx context.Context, db *store.DB, size Size) (Stats, error) {
	var st Stats
	if size.Establishments < 0 || size.Projects < 0 {
		return st, fmt.Errorf("demo: negative size %+v", size)
	}
	if size.Establishments > maxEstablishments {
		// Tax codes are drawn from ten million per load.
		return st, fmt.Errorf("demo: at most %d establishments per load", maxEstablishments)
	}
	if size.Establishments == 0 && size.Projects == 0 {
		return st, nil
	}
	r, err := loadRefs(ctx, db)
	if err != nil {
		return st, err
	}
	eg := newEstGen(r, size.Seed, size.Projects)
	st.Establishments, err = eg.load(ctx, db, size.Establishments)
	if err != nil || size.Projects == 0 {
		return st, err
	}
	pg, err := newProjGen(r, eg, size.Seed)
	if err != nil {
		return st, err
	}
	st.Projects, err = pg.load(ctx, db, size.Projects)
	return st, err
}

// LoadIfEmpty loads size only when the database holds no establishments
// and no projects; otherwise it does nothing and returns zero Stats.
func LoadIfEmpty(ctx context.Context, db *store.DB, size Size) (Stats, error) {
	empty := true
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		for _, q := range []string{`SELECT id FROM establishments LIMIT 1`, `SELECT id FROM projects LIMIT 1`} {
			var id int64
			err := tx.QueryRow(ctx, q).Scan(&id)
			switch {
			case err == nil:
				empty = false
				return nil
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("demo: checking for data: %w", err)
	}
	if !empty {
		return Stats{}, nil
	}
	return Load(ctx, db, size)
}
