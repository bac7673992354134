package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// The SQLite writer keeps its statements prepared; a long text (a lookup
// by a list of keys, one text per list length) is kept only once it has
// run before, so that texts used once do not fill the cache with large
// programs, while one used over and over (the import's INSERT) is parsed
// once.
func TestLongStatementsKeptWhenRepeated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.SQLite {
			t.Skip("the statement cache is SQLite's")
		}
		ctx := context.Background()
		// n placeholders: a text of about 3n bytes.
		text := func(n int, tag string) (string, []any) {
			ph := make([]string, n)
			args := make([]any, n)
			for i := range ph {
				ph[i], args[i] = "?", i
			}
			return `SELECT COUNT(*) /* ` + tag + ` */ FROM admin_units WHERE id IN (` + strings.Join(ph, ", ") + `)`, args
		}
		parses := func(q string, args []any) int64 {
			before := db.Prepares()
			err := db.WriteTx(ctx, func(tx *store.Tx) error {
				var n int64
				return tx.QueryRow(ctx, q, args...).Scan(&n)
			})
			if err != nil {
				t.Fatal(err)
			}
			return db.Prepares() - before
		}
		short, sargs := text(100, "short")
		long, largs := text(8000, "long")
		if len(short) > 16<<10 || len(long) <= 16<<10 || len(long) > 64<<10 {
			t.Fatalf("texts of %d and %d bytes", len(short), len(long))
		}
		// BEGIN and COMMIT are kept from the first transaction on.
		parses(`SELECT 1`, nil)
		if got := []int64{parses(short, sargs), parses(short, sargs), parses(short, sargs)}; got[1] != 0 || got[2] != 0 || got[0] == 0 {
			t.Errorf("a short text parsed %v times in three runs, want once then kept", got)
		}
		if got := []int64{parses(long, largs), parses(long, largs), parses(long, largs), parses(long, largs)}; got[0] == 0 || got[1] == 0 || got[2] != 0 || got[3] != 0 {
			t.Errorf("a long text parsed %v times in four runs, want run once, then kept on its second run", got)
		}
		// Long texts each run once are parsed each time and never kept.
		for i := range 5 {
			q, args := text(7000+i, "once "+strconv.Itoa(i))
			if got := parses(q, args); got == 0 {
				t.Errorf("long text %d: not parsed", i)
			}
		}
	})
}
