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
