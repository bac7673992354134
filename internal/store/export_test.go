package store

import (
	"context"
	"fmt"
)

// ReapplyMigration runs a migration's SQL and its fill again, in one write
// transaction (tests of what a migration does to a database that already
// has rows).
func (db *DB) ReapplyMigration(ctx context.Context, name string) error {
	ms, err := Migrations(db.Dialect())
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Name != name {
			continue
		}
		return db.WriteTx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			if fill := afterMigration[migrationTopic(m.Name)]; fill != nil {
				return fill(tx, ctx)
			}
			return nil
		})
	}
	return fmt.Errorf("no migration %s", name)
}

// PipelineForTest runs queries as ReadProjectDetail runs its statements on
// PostgreSQL (pipeline, on the primary's read pool), calling row with each
// row of the i-th query.
func (db *DB) PipelineForTest(ctx context.Context, queries []string, row func(i int, scan func(...any) error) error) error {
	var stmts []stmt
	for i, q := range queries {
		stmts = append(stmts, stmt{query: q, row: func(scan func(...any) error) error { return row(i, scan) }})
	}
	return db.pipeline(ctx, db.read, stmts)
}

// SetReadConnsForTest bounds the primary's read pool's open connections.
func (db *DB) SetReadConnsForTest(n int) { db.read.SetMaxOpenConns(n) }
