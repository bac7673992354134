package app_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"nipp/internal/app"
	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// BenchmarkEstablishmentSearch measures the registry search the list page
// and the API use (App.Establishments: folded text query, filters, scope,
// keyset page of 50) over a demo data set of NIPP_BENCH_ESTABLISHMENTS
// establishments (default 200,000), on SQLite and, with NIPP_TEST_POSTGRES,
// on PostgreSQL. The data set loads once per engine, only when the
// benchmark is selected (-bench). Besides ns/op it reports the median and
// 95th percentile of single searches (p50-ms, p95-ms) and the rows on the
// page (rows).
//
//	go test ./internal/app -run '^$' -bench EstablishmentSearch -benchtime 50x
func BenchmarkEstablishmentSearch(b *testing.B) {
	n := 200_000
	if s := os.Getenv("NIPP_BENCH_ESTABLISHMENTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("NIPP_BENCH_ESTABLISHMENTS=%q: %v", s, err)
		}
	}
	engines := []struct {
		name string
		open func(testing.TB, storetest.Options) *store.DB
	}{{"sqlite", storetest.OpenSQLite}}
	if storetest.PostgresURL() != "" {
		engines = append(engines, struct {
			name string
			open func(testing.TB, storetest.Options) *store.DB
		}{"postgres", storetest.OpenPostgres})
	}
	for _, eng := range engines {
		b.Run(eng.name, func(b *testing.B) {
			ctx := context.Background()
			db := eng.open(b, storetest.Options{})
			start := time.Now()
			if _, err := demo.Load(ctx, db, demo.Size{Establishments: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d establishments loaded in %s", eng.name, n, time.Since(start).Round(time.Second))
			benchSearches(b, ctx, db)
		})
	}
}

func benchSearches(b *testing.B, ctx context.Context, db *store.DB) {
	a := app.New(db, nil)
	central := nipp.WithPrincipal(ctx, &nipp.Principal{UserID: 1, Role: nipp.RoleCentral})
	provincial := nipp.WithPrincipal(ctx, &nipp.Principal{UserID: 2, Role: nipp.RoleProvincial, Provinces: []string{"01"}})

	// A rare name: the full name of one record in the middle of the set.
	var rare string
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `SELECT MAX(id) FROM establishments`).Scan(&id); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT name FROM establishments WHERE id <= $1 ORDER BY id DESC LIMIT 1`, id/2).Scan(&rare)
	})
	if err != nil {
		b.Fatal(err)
	}
	// The second page of a common word.
	first, err := a.Establishments(central, app.EstablishmentQuery{Query: "gốm"})
	if err != nil || first.Next == "" {
		b.Fatalf("first page of gốm: %v (next %q)", err, first.Next)
	}

	cases := []struct {
		name string
		ctx  context.Context
		q    app.EstablishmentQuery
	}{
		{"list-first-page", central, app.EstablishmentQuery{}},
		{"common-word", central, app.EstablishmentQuery{Query: "gốm"}},
		{"common-word+province", central, app.EstablishmentQuery{Query: "gốm", Province: "01"}},
		{"common-word-page-2", central, app.EstablishmentQuery{Query: "gốm", After: first.Next}},
		{"two-words-no-diacritics+province", central, app.EstablishmentQuery{Query: "may tre dan", Province: "01"}},
		{"rare-name", central, app.EstablishmentQuery{Query: rare}},
		{"short-word", central, app.EstablishmentQuery{Query: "an", Province: "79"}},
		{"no-match", central, app.EstablishmentQuery{Query: "xyzzy plugh"}},
		{"no-match+province", central, app.EstablishmentQuery{Query: "xyzzy", Province: "01"}},
		{"provincial-own-list", provincial, app.EstablishmentQuery{}},
		{"provincial-own-common-word", provincial, app.EstablishmentQuery{Query: "gốm"}},
		{"provincial-own-rare-name", provincial, app.EstablishmentQuery{Query: rare}},
		{"provincial-with-others-list", provincial, app.EstablishmentQuery{IncludeOthers: true}},
		{"provincial-with-others-common-word", provincial, app.EstablishmentQuery{Query: "gốm", IncludeOthers: true}},
		{"provincial-with-others-rare-name", provincial, app.EstablishmentQuery{Query: rare, IncludeOthers: true}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			rows, total := 0, int64(0)
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				page, err := a.Establishments(c.ctx, c.q)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
				rows, total = len(page.Items), page.Total
			}
			b.StopTimer()
			slices.Sort(times)
			b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
			b.ReportMetric(ms(times[min(len(times)-1, len(times)*95/100)]), "p95-ms")
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(total), "total")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
