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
			text := planOf(t, db, s.q, s.args, "enable_seqscan")
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

// TestImportNextRowsReadInOrder: once a large job's rows are staged and its
// statistics refreshed (AnalyzeImportRows, between phases), the next rows
// of a chunk come from the primary key in order, not from a bitmap of
// every later row, sorted (PostgreSQL, with the statistics of the table
// before the rows: 1 s a chunk at 2,000,000 rows).
func TestImportNextRowsReadInOrder(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		j := &nipp.ImportJob{Kind: "establishments", FileName: "x.csv", State: nipp.ImportValidating}
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreateImportJob(ctx, j); err != nil {
				return err
			}
			// The statistics as of a table of few rows.
			if tx.Dialect() == store.Postgres {
				if _, err := tx.Exec(ctx, `ANALYZE import_rows`); err != nil {
					return err
				}
			}
			var rows []nipp.ImportRow
			for i := 1; i <= 30000; i++ {
				rows = append(rows, nipp.ImportRow{Row: i, Cells: []string{"Cơ sở", "x"}})
				if len(rows) == 1000 {
					if err := tx.StageImportRows(ctx, j.ID, rows); err != nil {
						return err
					}
					rows = rows[:0]
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.AnalyzeImportRows(ctx); err != nil {
			t.Fatal(err)
		}
		var seen []string
		var args [][]any
		db.SetQueryHook(func(q string, a []any) {
			if strings.Contains(q, "FROM import_rows") {
				seen, args = append(seen, q), append(args, append([]any(nil), a...))
			}
		})
		err = db.ReadTx(ctx, func(tx *store.Tx) error {
			_, err := tx.FindImportRowsUnvalidated(ctx, j.ID, 1000, 500)
			return err
		})
		db.SetQueryHook(nil)
		if err != nil || len(seen) != 1 {
			t.Fatalf("next rows: %v, %d statements", err, len(seen))
		}
		text := planOf(t, db, seen[0], args[0])
		if strings.Contains(text, "Bitmap") || strings.Contains(text, "Sort") || strings.Contains(text, "TEMP B-TREE") {
			t.Errorf("a chunk's next rows are read and sorted:\n%s", text)
		}
	})
}
