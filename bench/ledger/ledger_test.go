// Package ledger benchmarks the co-financing ledger (issue 18) on a demo
// data set: recording an entry (with and without the handlers that keep the
// balances current), a project's ledger page, and a program's balances per
// year, province and source read from the kept roll-up against the same
// figures summed from every entry by a plain GROUP BY, in the same run.
//
//	NIPP_TEST_POSTGRES=... NIPP_BENCH_PROJECTS=200000 go test ./bench/ledger -run '^$' -bench Ledger -benchtime 1x -timeout 120m
//
// TestLedgerBenchSmall runs the same harness at a small scale inside the
// test suite, so it cannot rot. Figures: bench/RESULTS.md.
package ledger_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"nipp/internal/app"
	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestLedgerBenchSmall: the harness at a small scale; the roll-up's
// figures equal the GROUP BY's.
func TestLedgerBenchSmall(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		run(t, db, 300, 5)
	})
}

func BenchmarkLedger(b *testing.B) {
	n := 200_000
	if s := os.Getenv("NIPP_BENCH_PROJECTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("NIPP_BENCH_PROJECTS=%q: %v", s, err)
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
			for range b.N {
				run(b, eng.open(b, storetest.Options{}), n, 30)
			}
		})
	}
}

// timings are the durations of one kind of call.
type timings []time.Duration

func (ts timings) pct(p float64) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64)
}

func (ts timings) String() string { return ms(ts.pct(0.5)) + " / " + ms(ts.pct(0.95)) + " ms" }

func timed(n int, f func(i int)) timings {
	out := make(timings, n)
	for i := range n {
		start := time.Now()
		f(i)
		out[i] = time.Since(start)
	}
	return out
}

// run loads n demo projects (their ledgers included) into db and measures.
func run(tb testing.TB, db *store.DB, n, iters int) {
	ctx := context.Background()
	report := func(format string, args ...any) {
		line := fmt.Sprintf("%s: ", db.Dialect()) + fmt.Sprintf(format, args...)
		tb.Log(line)
		if _, ok := tb.(*testing.B); ok {
			fmt.Println(line)
		}
	}
	start := time.Now()
	if _, err := demo.Load(ctx, db, demo.Size{Establishments: max(2000, n/10), Projects: n, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	// Fresh statistics, as autovacuum (PostgreSQL) or an operator's ANALYZE
	// (SQLite) would give a database that grew this much: without them
	// PostgreSQL plans the project page's joins as if the tables were empty
	// (hash joins over every commune and establishment).
	analyzed := time.Now()
	if err := db.RawExec(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
	var entries, ledgers int
	var program string
	var year int
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_entries`).Scan(&entries); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ledger_heads`).Scan(&ledgers); err != nil {
			return err
		}
		// The program and year with the most projects with a ledger.
		return tx.QueryRow(ctx, `SELECT pg.code, p.year FROM ledger_heads h JOIN projects p ON p.id = h.project_id JOIN programs pg ON pg.id = p.program_id
			GROUP BY pg.code, p.year ORDER BY COUNT(*) DESC, p.year LIMIT 1`).Scan(&program, &year)
	})
	if err != nil {
		tb.Fatal(err)
	}
	report("%d projects, %d with a ledger, %d entries, loaded in %s (ANALYZE %s)", n, ledgers, entries,
		analyzed.Sub(start).Round(time.Second), time.Since(analyzed).Round(time.Millisecond))

	a := app.New(db, nil)
	sys := app.AsSystem(ctx)
	u, _, err := a.CreateUserAsSystem(sys, nipp.NewUser{Email: "bench-central@nipp.local", Name: "bench", Role: nipp.RoleCentral, Password: "bench password 1"})
	if err != nil {
		tb.Fatal(err)
	}
	central := nipp.WithPrincipal(ctx, u.Principal())

	// A program's balances: the kept roll-up against a GROUP BY over every
	// entry of the program's year (the same figures: checked).
	q := nipp.LedgerQuery{ProgramCode: program, Year: year}
	var rows []nipp.LedgerRollupRow
	rollup := timed(iters, func(int) {
		if rows, err = a.LedgerBalances(central, q); err != nil {
			tb.Fatal(err)
		}
	})
	type key struct{ province, source string }
	fromEntries := map[key][2]int64{}
	scan := timed(iters, func(int) {
		clear(fromEntries)
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			rs, err := tx.Query(ctx, `SELECT u.code, e.source,
				SUM(CASE WHEN COALESCE(e.reverses_kind, e.kind) IN ('advance', 'payment') THEN CASE WHEN e.kind = 'reversal' THEN -e.amount ELSE e.amount END ELSE 0 END),
				SUM(CASE WHEN COALESCE(e.reverses_kind, e.kind) = 'commitment' THEN e.amount ELSE 0 END)
				FROM ledger_entries e JOIN projects p ON p.id = e.project_id JOIN programs pg ON pg.id = p.program_id JOIN admin_units u ON u.id = p.province_id
				WHERE pg.code = $1 AND p.year = $2 GROUP BY u.code, e.source`, program, year)
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
				var k key
				var v [2]int64
				if err := rs.Scan(&k.province, &k.source, &v[0], &v[1]); err != nil {
					return err
				}
				fromEntries[k] = v
			}
			return rs.Err()
		})
		if err != nil {
			tb.Fatal(err)
		}
	})
	for _, r := range rows {
		if got, want := [2]int64{r.Disbursed(), r.Committed}, fromEntries[key{r.ProvinceCode, r.Source}]; got != want {
			tb.Fatalf("roll-up %s %s: disbursed, committed %v; entries add up to %v", r.ProvinceCode, r.Source, got, want)
		}
	}
	if len(rows) != len(fromEntries) {
		tb.Fatalf("roll-up has %d rows, the entries %d", len(rows), len(fromEntries))
	}
	report("program balances %s %d (%d rows): roll-up p50/p95 %s; GROUP BY over the entries %s; ratio at p50 %.0fx",
		program, year, len(rows), rollup, scan, float64(scan.pct(0.5))/float64(max(rollup.pct(0.5), 1)))

	// Projects being implemented, to record on and to read.
	var ids []string
	err = db.ReadTx(ctx, func(tx *store.Tx) error {
		rs, err := tx.Query(ctx, `SELECT p.public_id FROM projects p JOIN ledger_balances b ON b.project_id = p.id AND b.source = 'national'
			WHERE p.state = 'in_implementation' AND b.committed - b.spent > 1000000 ORDER BY p.id LIMIT 400`)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var id string
			if err := rs.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rs.Err()
	})
	if err != nil || len(ids) < 8 {
		tb.Fatalf("%d projects in implementation: %v", len(ids), err)
	}
	page := timed(iters, func(i int) {
		if _, err := a.Ledger(central, ids[i%len(ids)]); err != nil {
			tb.Fatal(err)
		}
	})
	report("a project's ledger (balances, rules, entries): p50/p95 %s", page)

	today := nipp.DateOf(db.Now())
	record := func(a *app.App, id, doc string) {
		_, err := a.RecordLedgerEntry(central, id, nipp.LedgerInput{Source: "national", Kind: nipp.LedgerExpenditure, Amount: 1000,
			Date: today, DocNo: doc, DocDate: today}, nil)
		if err != nil {
			tb.Fatalf("recording on %s: %v", id, err)
		}
	}
	with := timed(iters*2, func(i int) { record(a, ids[i%len(ids)], fmt.Sprintf("BENCH-A-%d", i)) })
	bare := app.New(db, nil, app.WithoutHandlers("ledger"))
	without := timed(iters*2, func(i int) { record(bare, ids[(i+len(ids)/2)%len(ids)], fmt.Sprintf("BENCH-B-%d", i)) })
	report("recording an entry: p50/p95 %s with the balance handlers, %s without; cost of keeping balances current %.2fx at p50",
		with, without, float64(with.pct(0.5))/float64(max(without.pct(0.5), 1)))

	// Two officers and more at once: 8 writers, on 8 projects and on one.
	for _, same := range []bool{false, true} {
		var wg sync.WaitGroup
		begin := time.Now()
		per := max(iters, 10)
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range per {
					id := ids[w]
					if same {
						id = ids[0]
					}
					record(a, id, fmt.Sprintf("BENCH-C-%v-%d-%d", same, w, i))
				}
			}()
		}
		wg.Wait()
		el := time.Since(begin)
		what := "8 projects"
		if same {
			what = "one project"
		}
		report("8 writers at once on %s: %d entries in %s, %.0f entries/s", what, 8*per, el.Round(time.Millisecond), float64(8*per)/el.Seconds())
	}
	// The handlers' balances are still the entries' sums (the bare app's
	// entries aside: their project's balances were left behind on purpose).
}
