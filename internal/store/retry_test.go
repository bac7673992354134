package store_test

import (
	"context"
	"sync"
	"testing"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// Two transactions that lock two rows in opposite orders deadlock on
// PostgreSQL; the engine aborts one (40P01). WriteTx runs the victim again,
// so both changes land and neither caller sees an error.
func TestWriteTxRetriesDeadlockVictim(t *testing.T) {
	if storetest.PostgresURL() == "" {
		t.Skip("PostgreSQL only (SQLite has one writer and cannot deadlock)")
	}
	db := storetest.OpenPostgres(t, storetest.Options{})
	ctx := context.Background()
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('t.a', '0'), ('t.b', '0')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var locked sync.WaitGroup
	locked.Add(2)
	var once [2]sync.Once
	run := func(i int, first, second string) error {
		return db.WriteTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE settings SET value = value || 'x' WHERE key = $1`, first); err != nil {
				return err
			}
			once[i].Do(locked.Done)
			locked.Wait() // both hold their first row: the second update deadlocks
			_, err := tx.Exec(ctx, `UPDATE settings SET value = value || 'x' WHERE key = $1`, second)
			return err
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- run(0, "t.a", "t.b") }()
	go func() { errs <- run(1, "t.b", "t.a") }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a deadlock victim reached the caller: %v", err)
		}
	}
	if db.Retries() == 0 {
		t.Error("no transaction was retried: the test did not make a deadlock")
	}
	var a, b string
	db.ReadTx(ctx, func(tx *store.Tx) error {
		tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = 't.a'`).Scan(&a)
		return tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = 't.b'`).Scan(&b)
	})
	if a != "0xx" || b != "0xx" {
		t.Errorf("after both transactions: a=%q b=%q, want 0xx each (no change lost or doubled)", a, b)
	}
}
