package store_test

import (
	"context"
	"log/slog"
	"testing"

	"nipp/internal/app"
	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// TestDashboardSummariesMigration: migration 0018 widens the grains, fills
// the kept counts of its grains (a province by year and activity type,
// the priority groups) and the coarser funding summaries from the
// summaries a database already has. Here they are taken away from a demo
// data set first, then the migration runs again: every kept count and sum
// comes back as the base tables give it.
func TestDashboardSummariesMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 300, Projects: 120, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		one := func(q string) int64 {
			var n int64
			if err := db.ReadTx(ctx, func(tx *store.Tx) error { return tx.QueryRow(ctx, q).Scan(&n) }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		added := `('p34_year', 'p63_year', 'p34_activity', 'p63_activity', 'group', 'group_p34', 'group_p63')`
		counts := `SELECT COUNT(*) FROM progress_reach_counts WHERE grain IN ` + added
		before := one(counts)
		money := `SELECT (SELECT SUM(approved) FROM progress_funding_years) + (SELECT SUM(approved) FROM progress_funding_activities)`
		approved := one(`SELECT SUM(approved) FROM progress_funding`)
		if before == 0 || one(money) != 2*approved || approved == 0 {
			t.Fatalf("the demo data set has no kept counts (%d) or funding (%d) to take away", before, approved)
		}
		storetest.MustExec(t, db, `DELETE FROM progress_reach_counts WHERE grain IN `+added)
		storetest.MustExec(t, db, `DELETE FROM progress_reach_grains WHERE grain IN `+added)
		storetest.MustExec(t, db, `DROP TABLE progress_funding_years`)
		storetest.MustExec(t, db, `DROP TABLE progress_funding_activities`)
		if err := db.ReapplyMigration(ctx, "0018_dashboard_summaries"); err != nil {
			t.Fatal(err)
		}
		if got := one(counts); got != before {
			t.Errorf("%d kept counts of the new grains after the migration, want %d", got, before)
		}
		if got := one(money); got != 2*approved {
			t.Errorf("the coarser funding summaries hold %d approved after the migration, want twice %d", got, approved)
		}
		var ds []nipp.RollupDifference
		_, err := app.New(db, slog.New(slog.DiscardHandler)).VerifyRollupsAsSystem(ctx, func(d nipp.RollupDifference) error {
			ds = append(ds, d)
			return nil
		})
		if err != nil || len(ds) > 0 {
			t.Errorf("verify after the migration: %v %+v", err, ds)
		}
	})
}
