package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// Search pages give exactly the records a brute-force scan finds, in name
// order, whether the query is common (walked along the name index) or rare
// (driven by the full-text index), on both engines.
func TestSearchMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p01 := loadSearchRegistry(ctx, t, db)
		// Names written after the load that sort before every match the
		// load made (a walk starts at establishment_words' bound, which
		// the triggers must move): new records, from several writers at
		// once; renamed ones; and a name_fold that is not folded text
		// (SQLite records it under the word '').
		errs := make(chan error, 3)
		for i := range 3 {
			go func() {
				errs <- db.WriteTx(ctx, func(tx *store.Tx) error {
					for j := range 2 {
						e := &nipp.Establishment{Name: fmt.Sprintf("A gốm mới %d %d", i, j), LegalForm: nipp.LegalHousehold,
							Status: nipp.EstActive, RecordedOn: nipp.NewDate(2026, 1, 2)}
						if err := tx.CreateEstablishment(ctx, &store.EstablishmentRow{Establishment: e, ProvinceID: p01, OrigProvinceID: p01}); err != nil {
							return err
						}
					}
					return nil
				})
			}()
		}
		for range 3 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{
			`UPDATE establishments SET name = 'Ă may tre ' || id, name_fold = 'a may tre ' || id
				WHERE id IN (SELECT id FROM establishments WHERE name_fold NOT LIKE '%may%' ORDER BY id LIMIT 2)`,
			`UPDATE establishments SET name_fold = '0-gom.x' WHERE id = (SELECT MAX(id) FROM establishments WHERE name_fold NOT LIKE '%gom%')`,
		} {
			if err := db.RawExec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		type rec struct {
			fold string
			id   int64
		}
		var all []rec
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT name_fold, id FROM establishments WHERE status <> 'archived'`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var r rec
				if err := rows.Scan(&r.fold, &r.id); err != nil {
					return err
				}
				all = append(all, r)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(all, func(a, b rec) int {
			if c := strings.Compare(a.fold, b.fold); c != 0 {
				return c
			}
			return int(a.id - b.id)
		})
		// A common word, a medium one, two words, a short word, a rare full name, no match.
		rare := strings.Fields(all[len(all)/2].fold)
		queries := []string{"co so", "gốm", "may tre", "an", strings.Join(rare, " "), "zzzqqq"}
		for _, q := range queries {
			var want []int64
			toks := store.SearchTokens(q)
			for _, r := range all {
				ok := true
				for _, tk := range toks {
					ok = ok && strings.Contains(r.fold, tk)
				}
				if ok {
					want = append(want, r.id)
				}
			}
			var got []int64
			var after store.Cursor
			for page := 0; page < 200; page++ {
				var items []int64
				var next store.Cursor
				err := db.ReadTx(ctx, func(tx *store.Tx) error {
					es, nx, err := tx.FindEstablishments(ctx, store.EstablishmentFilter{Scope: store.Scope{All: true}, Query: q, After: after, Limit: 50})
					for _, e := range es {
						items = append(items, e.ID)
					}
					next = nx
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, items...)
				if next.IsZero() {
					break
				}
				after = next
			}
			if !slices.Equal(got, want) {
				t.Errorf("query %q: %d results, want %d (first difference at %d)", q, len(got), len(want), firstDiff(got, want))
			}
			// The capped count of the first page, from its first item
			// (CountFrom), as the registry page asks for it.
			for _, capN := range []int{3, 1000} {
				var n int64
				err := db.ReadTx(ctx, func(tx *store.Tx) error {
					f := store.EstablishmentFilter{Scope: store.Scope{All: true}, Query: q, Limit: 50}
					_, first, _, err := tx.FindEstablishmentsPage(ctx, f)
					if err != nil {
						return err
					}
					f.CountCap, f.CountFrom = capN, first
					n, err = tx.CountEstablishments(ctx, f)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				if w := min(int64(len(want)), int64(capN+1)); n != w {
					t.Errorf("query %q: count capped at %d from the first match: %d, want %d", q, capN, n, w)
				}
			}
		}
	})
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// loadSearchRegistry loads the search tests' registry (2,000 demo
// establishments) and returns the id of province 01.
func loadSearchRegistry(ctx context.Context, t *testing.T, db *store.DB) int64 {
	t.Helper()
	if _, err := demo.Load(ctx, db, demo.Size{Establishments: 2000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	var p01 int64
	if err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
		p01, err = tx.ProvinceID(ctx, "01", store.Gen2025)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return p01
}
