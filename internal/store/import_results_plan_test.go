package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// TestImportResultsReadTheirBatch checks the plan of the statements that
// record a batch's validation results and undo records: each must read
// the batch's rows of import_rows by row number, not every staged row of
// the job (from 100 rows in the VALUES on, SQLite walked the whole job and
// a national file's validation grew quadratic).
func TestImportResultsReadTheirBatch(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var mu sync.Mutex
		type stmt struct {
			q    string
			args []any
		}
		var seen []stmt
		db.SetQueryHook(func(q string, args []any) {
			if strings.HasPrefix(q, "UPDATE import_rows") {
				mu.Lock()
				seen = append(seen, stmt{q, append([]any(nil), args...)})
				mu.Unlock()
			}
		})
		ok := true
		var rows []nipp.ImportRow
		var nums []int
		var undos []string
		for i := 0; i < 100; i++ {
			rows = append(rows, nipp.ImportRow{Row: 5001 + i, Valid: &ok, Record: "{}", DupKey: "k"})
			nums, undos = append(nums, 5001+i), append(undos, "{}")
		}
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := tx.SetImportRowResults(ctx, 1, rows); err != nil {
				return err
			}
			return tx.SetImportRowUndos(ctx, 1, nums, undos)
		})
		db.SetQueryHook(nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 2 {
			t.Fatalf("%d UPDATEs of import_rows, want 2", len(seen))
		}
		for _, s := range seen {
			var plan []string
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				if tx.Dialect() == store.Postgres {
					if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
						return err
					}
				}
				var err error
				plan, err = store.Explain(ctx, tx, s.q, s.args...)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(plan, "\n")
			// SQLite: "SEARCH import_rows USING ... (job_id=? AND row_num>? ...)"
			// or "(job_id=? AND row_num=?)"; PostgreSQL: an index condition
			// on row_num.
			if !strings.Contains(text, "row_num>") && !strings.Contains(text, "row_num=") && !strings.Contains(text, "row_num =") &&
				!strings.Contains(text, "row_num >=") {
				t.Errorf("the batch's UPDATE reads every staged row of the job:\n%s\n%s", s.q[:80], text)
			}
		}
	})
}
