package store_test

import (
	"context"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// PostgreSQL's first read of a detail sends its statements at once
// (ReadProjectDetail's pipeline): they run in one repeatable-read, read-only
// transaction (one start time, one isolation level), each statement's rows
// go to its own reader, and a statement that fails is reported and leaves
// no transaction open on the connection, which the next read uses as
// usual (rather than open another: a new server process, its prepared
// statements lost).
func TestPipelineOneTransaction(t *testing.T) {
	if storetest.PostgresURL() == "" {
		t.Skip("NIPP_TEST_POSTGRES not set")
	}
	db := storetest.OpenPostgres(t, storetest.Options{})
	db.SetReadConnsForTest(1) // every pipeline on the same connection
	ctx := context.Background()
	queries := []string{`SELECT CAST(now() AS TEXT), current_setting('transaction_isolation'), current_setting('transaction_read_only')`,
		`SELECT CAST(g AS TEXT), '', '' FROM generate_series(1, 3) g`, `SELECT pg_sleep(0.02), '', ''`,
		`SELECT CAST(now() AS TEXT), '', ''`, `SELECT CAST(pg_backend_pid() AS TEXT), '', ''`}
	run := func() [][]string {
		t.Helper()
		got := make([][]string, len(queries))
		if err := db.PipelineForTest(ctx, queries, func(i int, scan func(...any) error) error {
			var a, b, c string
			if err := scan(&a, &b, &c); err != nil {
				return err
			}
			got[i] = append(got[i], a+"|"+b+"|"+c)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	// oneTx reports whether the first and the last statement ran in one
	// read-only repeatable-read transaction (now() is its start).
	oneTx := func(got [][]string) bool {
		return len(got[0]) == 1 && len(got[3]) == 1 && got[0][0] == strings.TrimSuffix(got[3][0], "||")+"|repeatable read|on"
	}
	got := run()
	if !oneTx(got) {
		t.Fatalf("first and last statement: %q and %q, one read-only repeatable-read transaction expected", got[0], got[3])
	}
	if strings.Join(got[1], ",") != "1||,2||,3||" {
		t.Fatalf("the second statement's rows: %q", got[1])
	}
	err := db.PipelineForTest(ctx, []string{`SELECT 1`, `SELECT 1 / (SELECT COUNT(*) - COUNT(*) FROM admin_units)`, `SELECT 2`},
		func(int, func(...any) error) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "division by zero") {
		t.Fatalf("a failing statement: %v", err)
	}
	again := run()
	if again[0][0] == got[0][0] || !oneTx(again) {
		t.Fatalf("after a failed pipeline: %q and %q (before %q)", again[0], again[3], got[0])
	}
	if again[4][0] != got[4][0] {
		t.Fatalf("the failed pipeline's connection was dropped: server process %s, then %s", got[4][0], again[4][0])
	}
	var n int
	if err := db.ReadTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM admin_units`).Scan(&n)
	}); err != nil || n == 0 {
		t.Fatalf("a read transaction after the pipelines: %d, %v", n, err)
	}
}

// ReadProjectDetail answers ENOTFOUND for a public id no project has, on
// both engines.
func TestReadProjectDetailNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, primary := range []bool{false, true} {
			if _, err := db.ReadProjectDetail(context.Background(), "da-nosuchproj", primary); nipp.ErrorCode(err) != nipp.ENOTFOUND {
				t.Fatalf("a missing project (primary %v): %v", primary, err)
			}
		}
	})
}
