package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// TestCommonWordWalkStartsAtItsFirstName checks the plan of a common word's
// registry page and capped count, nationwide and in a province: each walks
// the name index from the bound establishment_words gives (an index range,
// "name_fold>?" / "ROW(name_fold, id) > ROW(...)"), not from the start of
// the order (at national scale the first "gom" is the 112,889th name).
func TestCommonWordWalkStartsAtItsFirstName(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p01 := loadSearchRegistry(ctx, t, db)
		type stmt struct {
			q    string
			args []any
		}
		for _, f := range []store.EstablishmentFilter{
			{Scope: store.Scope{All: true}, Query: "gốm", Limit: 50},
			{Scope: store.Scope{ProvinceIDs: []int64{p01}, OwnOnly: true}, Query: "co so", Limit: 20},
		} {
			var mu sync.Mutex
			var seen []stmt
			db.SetQueryHook(func(q string, args []any) {
				if strings.Contains(q, "FROM establishments e") && !strings.HasPrefix(q, "SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT e.name_fold") {
					mu.Lock()
					seen = append(seen, stmt{q, append([]any(nil), args...)})
					mu.Unlock()
				}
			})
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				_, first, _, err := tx.FindEstablishmentsPage(ctx, f)
				if err != nil {
					return err
				}
				f.CountCap, f.CountFrom = 1000, first
				_, err = tx.CountEstablishments(ctx, f)
				return err
			})
			db.SetQueryHook(nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != 2 {
				t.Fatalf("%d statements on establishments, want the page and the count", len(seen))
			}
			for _, s := range seen {
				var plan []string
				err := db.ReadTx(ctx, func(tx *store.Tx) error {
					if tx.Dialect() == store.Postgres {
						// 2,000 rows: priced as a registry's, where reading
						// a province's rows and sorting them is the dear plan.
						for _, set := range []string{"enable_seqscan", "enable_bitmapscan", "enable_sort"} {
							if _, err := tx.Exec(ctx, `SET LOCAL `+set+` = off`); err != nil {
								return err
							}
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
				if !strings.Contains(text, "name_fold>?") && !strings.Contains(text, "ROW(name_fold, id) > ROW(") {
					t.Errorf("a common word's walk does not start at its bound:\n%.120s\n%s", s.q, text)
				}
			}
		}
	})
}
