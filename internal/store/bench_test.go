package store_test

import (
	"context"
	"testing"
	"time"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// BenchmarkMigrateFresh measures what a first start costs: every migration
// and the reference data (14,000+ administrative units and their mapping)
// into an empty database, on SQLite and (with NIPP_TEST_POSTGRES) PostgreSQL.
func BenchmarkMigrateFresh(b *testing.B) {
	ctx := context.Background()
	b.Run("sqlite", func(b *testing.B) {
		for b.Loop() {
			db, err := store.Open(ctx, store.Config{DataDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
	if storetest.PostgresURL() == "" {
		return
	}
	b.Run("postgres", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			db := storetest.OpenEmptyPostgres(b)
			b.StartTimer()
			start := time.Now()
			if _, err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/migrate")
		}
	})
}
