package store_test

import (
	"context"
	"strings"
	"testing"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// ReadStatement runs one read statement outside a transaction; a second
// statement or a write in it is a programming error and panics, so it can
// never read two snapshots or write without a transaction.
func TestReadStatementRunsOneRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var n int64
		for _, read := range []func(context.Context, func(*store.Tx) error) error{db.ReadStatement, db.ReadPrimaryStatement} {
			if err := read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT COUNT(*) FROM admin_units`).Scan(&n)
			}); err != nil || n == 0 {
				t.Fatalf("one statement: %d units, %v", n, err)
			}
		}
		for name, fn := range map[string]func(tx *store.Tx) error{
			"a second statement": func(tx *store.Tx) error {
				tx.QueryRow(ctx, `SELECT 1`).Scan(&n)
				return tx.QueryRow(ctx, `SELECT 2`).Scan(&n)
			},
			"a write": func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE admin_units SET name_vi = name_vi WHERE id = 0`)
				return err
			},
		} {
			func() {
				defer func() {
					if p := recover(); p == nil || !strings.Contains(p.(string), "ReadStatement") {
						t.Errorf("%s in ReadStatement: %v", name, p)
					}
				}()
				db.ReadStatement(ctx, fn)
			}()
		}
	})
}
