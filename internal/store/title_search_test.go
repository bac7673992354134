package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// Title searches give exactly the projects a brute-force scan finds, newest
// first, page after page, whether the words are common (walked from the
// newest) or rare (from the text index), on both engines.
func TestTitleSearchMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 300, Projects: 600, Seed: 9}); err != nil {
			t.Fatal(err)
		}
		type rec struct {
			id         int64
			fold, code string
		}
		var all []rec
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT id, title_fold, code FROM projects ORDER BY id DESC`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var r rec
				if err := rows.Scan(&r.id, &r.fold, &r.code); err != nil {
					return err
				}
				all = append(all, r)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		rare := all[len(all)/2].fold
		for _, q := range []string{"mo hinh", "gốm", "dao tao nghe", "an", rare, "zzzqqq", all[7].code} {
			var want []int64
			toks := store.SearchTokens(q)
			for _, r := range all {
				ok := r.code == q
				if !ok {
					ok = true
					for _, tk := range toks {
						ok = ok && strings.Contains(r.fold, tk)
					}
				}
				if ok {
					want = append(want, r.id)
				}
			}
			var got []int64
			var after int64
			for page := 0; page < 100; page++ {
				var ps []*nipp.Project
				err := db.ReadTx(ctx, func(tx *store.Tx) (err error) {
					ps, err = tx.FindProjects(ctx, nipp.ProjectFilter{Query: q, After: after, Limit: 20})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range ps {
					got = append(got, p.ID)
				}
				if len(ps) < 20 {
					break
				}
				after = ps[len(ps)-1].ID
			}
			if !slices.Equal(got, want) {
				t.Errorf("query %q: %d results, want %d (first difference at %d)", q, len(got), len(want), firstDiff(got, want))
			}
		}
	})
}
