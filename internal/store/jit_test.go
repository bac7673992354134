package store_test

import (
	"context"
	"testing"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// nipp's PostgreSQL sessions compile no queries (jit=off): a chunk's lookup
// of 20 ms, its cost overestimated after an import grew the table, was
// compiled for 1.3 s every chunk.
func TestPostgresSessionsDoNotCompileQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			t.Skip("PostgreSQL's JIT")
		}
		for _, pool := range []func(context.Context, func(*store.Tx) error) error{db.ReadTx, db.WriteTx} {
			var jit string
			if err := pool(context.Background(), func(tx *store.Tx) error {
				return tx.QueryRow(context.Background(), `SHOW jit`).Scan(&jit)
			}); err != nil {
				t.Fatal(err)
			}
			if jit != "off" {
				t.Errorf("jit = %q, want off", jit)
			}
		}
	})
}
