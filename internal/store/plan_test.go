package store_test

import (
	"context"
	"strings"
	"testing"

	"nipp/internal/store"
)

// planOf returns the plan of q with args on db, one step a line; on
// PostgreSQL with the planner settings named in off turned off for it
// (the tests' tables are small: "enable_seqscan" prices their full scans
// as a registry's would be).
func planOf(t *testing.T, db *store.DB, q string, args []any, off ...string) string {
	t.Helper()
	ctx := context.Background()
	var plan []string
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		if tx.Dialect() == store.Postgres {
			for _, set := range off {
				if _, err := tx.Exec(ctx, `SET LOCAL `+set+` = off`); err != nil {
					return err
				}
			}
		}
		var err error
		plan, err = store.Explain(ctx, tx, q, args...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
