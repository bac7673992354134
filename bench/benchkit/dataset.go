// Package benchkit holds what the benchmark commands in bench/ share: a
// data set loaded once and kept (a SQLite folder or a PostgreSQL database),
// accounts and API tokens to measure with, the server under test (the
// nipp binary as a child process, or a handler in the same process for the
// small-scale run inside go test), a closed-loop load driver and the
// figures it prints.
package benchkit

import (
	"context"
	"fmt"
	"io"
	"time"

	"nipp/internal/demo"
	"nipp/internal/store"
)

// Dataset names a database and the demo data it must hold.
type Dataset struct {
	DataDir string // SQLite folder (when DBURL is empty)
	DBURL   string // PostgreSQL URL
	// Establishments and Projects: the demo data set's size (seed 1).
	Establishments, Projects int
	// NoMigrate uses the database at its schema (to measure an older
	// binary, which refuses a newer schema, on a copy of the data set
	// made before).
	NoMigrate bool
	// National loads with the national scale's options (demo.National:
	// plan years 2014-2030, fairs' participants as beneficiaries, bulk
	// load) at the sizes above, showing progress.
	National bool
}

// size is the demo data set the benchmark loads.
func (d Dataset) size(log io.Writer) demo.Size {
	if !d.National {
		return demo.Size{Establishments: d.Establishments, Projects: d.Projects, Seed: 1}
	}
	s := demo.National
	s.Establishments, s.Projects, s.Progress = d.Establishments, d.Projects, log
	return s
}

// Engine is "sqlite" or "postgres".
func (d Dataset) Engine() string {
	if d.DBURL != "" {
		return "postgres"
	}
	return "sqlite"
}

// Open opens and migrates the data set's database, loading the demo data
// when it is empty. A database that already holds other data is used as it
// is when it holds the requested number of establishments, and refused
// otherwise (so figures always name the size they were measured at).
func (d Dataset) Open(ctx context.Context, log io.Writer) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{DataDir: d.DataDir, URL: d.DBURL})
	if err != nil {
		return nil, err
	}
	if !d.NoMigrate {
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	var ests, projs int
	err = db.ReadTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM establishments`).Scan(&ests); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM projects`).Scan(&projs)
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	switch {
	case ests == 0 && projs == 0:
		start := time.Now()
		fmt.Fprintf(log, "loading %d establishments and %d projects into %s (%s)...\n", d.Establishments, d.Projects, db.Where, d.Engine())
		st, err := demo.Load(ctx, db, d.size(log))
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("loading the demo data: %w", err)
		}
		fmt.Fprintf(log, "loaded %d establishments and %d projects in %s\n", st.Establishments, st.Projects, time.Since(start).Round(time.Second))
		// PostgreSQL's autovacuum would gather statistics and set the
		// visibility maps (index-only scans) later; do it now so the first
		// figures do not depend on when it ran. SQLite gets none: nipp
		// never runs ANALYZE there, so its plans must not need statistics.
		if d.DBURL != "" {
			if err := db.RawExec(ctx, `VACUUM (ANALYZE)`); err != nil {
				db.Close()
				return nil, err
			}
		}
	case ests != d.Establishments || projs < d.Projects:
		db.Close()
		return nil, fmt.Errorf("%s holds %d establishments and %d projects, not the %d and %d asked for: use an empty database", db.Where, ests, projs, d.Establishments, d.Projects)
	}
	if err := flagDuplicates(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// flagDuplicates marks one establishment in 200 as a likely duplicate when
// none is (the demo data has no duplicates, and the duplicates review must
// have rows to show).
func flagDuplicates(ctx context.Context, db *store.DB) error {
	var flagged int
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT id FROM establishments WHERE review_duplicate = (1 = 1) LIMIT 1) x`).Scan(&flagged)
	})
	if err != nil || flagged > 0 {
		return err
	}
	if err := db.RawExec(ctx, `UPDATE establishments SET review_duplicate = (1 = 1) WHERE id % 200 = 0`); err != nil {
		return err
	}
	if db.Dialect() == store.Postgres {
		// The planner's figures and the visibility map after the change,
		// as after the load (else the partial indexes look empty).
		return db.RawExec(ctx, `VACUUM (ANALYZE) establishments`)
	}
	return nil
}
