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

// TestGroupReachMigration: migration 0018 widens the grains and fills the
// priority groups' kept counts from the summaries a database already has.
// Here they are taken away from a demo data set first, then the migration
// runs again: every kept count comes back as the base tables give it.
func TestGroupReachMigration(t *testing.T) {
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
		groups := `SELECT COUNT(*) FROM progress_reach_counts WHERE grain IN ('group', 'group_p34', 'group_p63')`
		before := one(groups)
		if before == 0 || one(`SELECT COUNT(*) FROM progress_reach_counts WHERE grain = 'all'`) == 0 {
			t.Fatalf("the demo data set has no kept group counts (%d) to take away", before)
		}
		storetest.MustExec(t, db, `DELETE FROM progress_reach_counts WHERE grain IN ('group', 'group_p34', 'group_p63')`)
		storetest.MustExec(t, db, `DELETE FROM progress_reach_grains WHERE grain IN ('group', 'group_p34', 'group_p63')`)
		if err := db.ReapplyMigration(ctx, "0018_group_reach"); err != nil {
			t.Fatal(err)
		}
		if got := one(groups); got != before {
			t.Errorf("%d kept group counts after the migration, want %d", got, before)
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
