package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// An import does a bounded amount of work per row: its statements are the
// same few texts whatever the number of rows (so SQLite parses a bounded
// number of them: not one per row), and it runs a few statements a chunk
// (lookups, multi-row inserts and updates, one audit entry), not a dozen
// lookups, an insert and four audit statements a row. Measured on a file of N and of 4N rows: new records
// with and without tax codes, and records already stored (updated or
// unchanged).
func TestImportPreparesBoundedStatements(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		a := New(db, nil)
		// Records the files will name again.
		var seed strings.Builder
		seed.WriteString("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường,Mã số thuế,Địa chỉ\n")
		for i := range 100 {
			fmt.Fprintf(&seed, "Cơ sở đã có số %d,HKD,Hà Nội,Phường Ba Đình,,Số %d\n", i, i)
		}
		if j := importCSV(t, a, ctx, "seed.csv", seed.String(), false); j.Imported != 100 {
			t.Fatalf("seed: %+v", j)
		}
		// The chunk lookups that PostgreSQL must plan for each chunk's
		// values: a generic plan, cached while the registry was small, reads
		// the whole table ever after (store.pgArray).
		chunkLookups := []string{"e.tax_code = ANY(", "unnest($1::bigint[], $2::text[])", "WHERE id = ANY($1::bigint[])", "dup_key = ANY("}
		seen, generic := map[string]bool{}, map[string]bool{}
		type measure struct {
			rows, statements, texts int
			prepares                int64
		}
		run := func(n int, tag string) measure {
			var csv strings.Builder
			csv.WriteString("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường,Mã số thuế,Địa chỉ\n")
			for i := range n {
				switch {
				case i < 50:
					fmt.Fprintf(&csv, "Cơ sở đã có số %d,HKD,Hà Nội,Phường Ba Đình,,Số %d%s\n", i, i, tag) // updated
				case i < 100:
					fmt.Fprintf(&csv, "Cơ sở đã có số %d,HKD,Hà Nội,Phường Ba Đình,,Số %d\n", i, i) // unchanged
				case i%3 == 0:
					fmt.Fprintf(&csv, "Công ty TNHH thử %s số %d,,Hà Nội,Phường Ba Đình,%010d,\n", tag, i, 100000000+len(tag)*1000000+i)
				default:
					fmt.Fprintf(&csv, "Cơ sở thử %s số %d,HKD,Hà Nội,Phường Ba Đình,,\n", tag, i)
				}
			}
			var mu sync.Mutex
			texts := map[string]bool{}
			m := measure{rows: n}
			db.SetQueryHook(func(q string, args []any) {
				mu.Lock()
				texts[q] = true
				m.statements++
				for _, l := range chunkLookups {
					if strings.Contains(q, l) {
						seen[l] = true
						if !store.CustomPlanned(args) {
							generic[l] = true
						}
					}
				}
				mu.Unlock()
			})
			before := db.Prepares()
			j := importCSV(t, a, ctx, tag+".csv", csv.String(), false)
			m.prepares = db.Prepares() - before
			db.SetQueryHook(nil)
			m.texts = len(texts)
			if j.State != nipp.ImportDone || j.Imported != n-100 || j.Updated != 50 || j.Unchanged != 50 || j.RejectedRows != 0 {
				t.Fatalf("%s: %s imported %d updated %d unchanged %d rejected %d", tag, j.State, j.Imported, j.Updated, j.Unchanged, j.RejectedRows)
			}
			t.Logf("%d rows: %d statements (%.2f a row), %d distinct texts, %d parsed by SQLite", n, m.statements, float64(m.statements)/float64(n), m.texts, m.prepares)
			return m
		}
		small := run(600, "a")
		large := run(2400, "bb")
		if db.Dialect() == store.Postgres {
			for _, l := range chunkLookups {
				if !seen[l] || generic[l] {
					t.Errorf("chunk lookup %q: run %v, with a generic plan %v (want run, each planned for its chunk's values)", l, seen[l], generic[l])
				}
			}
		}
		if large.texts > small.texts+5 || large.texts > 80 {
			t.Errorf("distinct statements grow with the rows: %d for %d rows, %d for %d", small.texts, small.rows, large.texts, large.rows)
		}
		if db.Dialect() == store.SQLite && (large.prepares > small.prepares+10 || large.prepares > 100) {
			t.Errorf("SQLite parsed %d statements for %d rows, %d for %d: not bounded", small.prepares, small.rows, large.prepares, large.rows)
		}
		if per := float64(large.statements) / float64(large.rows); per > 0.5 {
			t.Errorf("%.2f statements a row (want a few a chunk, not several a row)", per)
		}
	})
}
