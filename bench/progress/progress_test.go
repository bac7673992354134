// Package progress benchmarks the progress summaries (issue 19) on the
// national data set (`nipp demo --scale national`, or loaded here when the
// database is empty): the national dashboard of a program against the same
// figures computed by plain GROUP BYs over the base tables in the same run,
// a province's dashboard and review, an establishment search (a word
// without diacritics and a province, first page), and a project's
// acceptance with and without the summary handlers.
//
//	NIPP_BENCH_DATA=/tmp/nat-sqlite go test ./bench/progress -run '^$' -bench Progress -benchtime 1x -timeout 90m
//	NIPP_BENCH_DB='postgres://root@127.0.0.1:5432/nipp_national?sslmode=disable' go test ./bench/progress -run '^$' -bench Progress -benchtime 1x -timeout 90m
//
// TestProgressBenchSmall runs the same harness at a small scale inside the
// test suite, so it cannot rot. Figures: bench/RESULTS.md.
package progress_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"nipp/bench/benchkit"
	"nipp/internal/app"
	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestProgressBenchSmall: the harness at a small scale, on the national
// path's data (demo.National's options).
func TestProgressBenchSmall(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		size := demo.National
		size.Establishments, size.Projects = 3000, 600
		if _, err := demo.Load(context.Background(), db, size); err != nil {
			t.Fatal(err)
		}
		run(t, db, testOut{t}, 3, 2)
		// The harness leaves the summaries in step with the projects it
		// accepted without their handlers.
		n, err := app.New(db, slog.New(slog.DiscardHandler)).VerifyRollupsAsSystem(context.Background(), nil)
		if err != nil || n != 0 {
			t.Errorf("after the harness: %v, %d differences", err, n)
		}
	})
}

func BenchmarkProgress(b *testing.B) {
	d := benchkit.Dataset{DataDir: os.Getenv("NIPP_BENCH_DATA"), DBURL: os.Getenv("NIPP_BENCH_DB"),
		Establishments: demo.National.Establishments, Projects: demo.National.Projects, National: true}
	if (d.DataDir == "") == (d.DBURL == "") {
		b.Skip("set NIPP_BENCH_DATA (SQLite folder) or NIPP_BENCH_DB (PostgreSQL URL)")
	}
	// A national data set that has taken imports since its load.
	if n, err := strconv.Atoi(os.Getenv("NIPP_BENCH_ESTABLISHMENTS")); err == nil && n > 0 {
		d.Establishments = n
	}
	db, err := d.Open(context.Background(), os.Stdout)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	reps, accepts := 40, 20
	if n, err := strconv.Atoi(os.Getenv("NIPP_BENCH_REPS")); err == nil && n > 0 {
		reps, accepts = n, max(1, n/2)
	}
	for range b.N {
		run(b, db, os.Stdout, reps, accepts)
	}
}

// timings are one measure's durations.
type timings []time.Duration

func (ts timings) pct(p int) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// measure runs fn reps times (after one run to warm the caches).
func measure(tb testing.TB, reps int, fn func() error) timings {
	tb.Helper()
	if err := fn(); err != nil {
		tb.Fatal(err)
	}
	ts := make(timings, 0, reps)
	for range reps {
		start := time.Now()
		if err := fn(); err != nil {
			tb.Fatal(err)
		}
		ts = append(ts, time.Since(start))
	}
	return ts
}

const program = "NIPP-2021-2025"

// groupBy computes the national dashboard's figures the plain way, from the
// base tables: per indicator achieved (accepted and settled projects'
// actual outputs) and committed (approved and started projects' planned
// outputs) by today's province, by activity type and by year; state funding
// by year and source; establishments reached.
func groupBy(ctx context.Context, db *store.DB) error {
	decided := "'approved', 'in_implementation', 'accepted', 'settled'"
	qs := []string{
		`SELECT p.province_id, o.indicator_code,
			SUM(CASE WHEN p.state IN ('accepted', 'settled') THEN COALESCE(o.actual, 0) ELSE 0 END),
			SUM(CASE WHEN p.state IN ('approved', 'in_implementation') THEN o.planned ELSE 0 END)
		FROM projects p JOIN programs g ON g.id = p.program_id JOIN project_outputs o ON o.project_id = p.id
		WHERE g.code = $1 AND p.state IN (` + decided + `) GROUP BY p.province_id, o.indicator_code`,
		`SELECT p.activity_type_code, o.indicator_code,
			SUM(CASE WHEN p.state IN ('accepted', 'settled') THEN COALESCE(o.actual, 0) ELSE 0 END),
			SUM(CASE WHEN p.state IN ('approved', 'in_implementation') THEN o.planned ELSE 0 END)
		FROM projects p JOIN programs g ON g.id = p.program_id JOIN project_outputs o ON o.project_id = p.id
		WHERE g.code = $1 AND p.state IN (` + decided + `) GROUP BY p.activity_type_code, o.indicator_code`,
		`SELECT p.year, o.indicator_code,
			SUM(CASE WHEN p.state IN ('accepted', 'settled') THEN COALESCE(o.actual, 0) ELSE 0 END),
			SUM(CASE WHEN p.state IN ('approved', 'in_implementation') THEN o.planned ELSE 0 END)
		FROM projects p JOIN programs g ON g.id = p.program_id JOIN project_outputs o ON o.project_id = p.id
		WHERE g.code = $1 AND p.state IN (` + decided + `) GROUP BY p.year, o.indicator_code`,
		`SELECT p.year, b.source, SUM(COALESCE(b.approved, 0)), SUM(COALESCE(b.actual, 0))
		FROM projects p JOIN programs g ON g.id = p.program_id JOIN budget_lines b ON b.project_id = p.id
		WHERE g.code = $1 AND p.state IN (` + decided + `) GROUP BY p.year, b.source`,
		`SELECT COUNT(DISTINCT b.establishment_id), COUNT(DISTINCT b.establishment_id), 0, 0
		FROM projects p JOIN programs g ON g.id = p.program_id JOIN project_beneficiaries b ON b.project_id = p.id
		WHERE g.code = $1 AND p.state IN (` + decided + `)`,
	}
	return db.ReadTx(ctx, func(tx *store.Tx) error {
		for _, q := range qs {
			rows, err := tx.Query(ctx, q, program)
			if err != nil {
				return err
			}
			for rows.Next() {
				var a, b any
				var x, y int64
				if err := rows.Scan(&a, &b, &x, &y); err != nil {
					rows.Close()
					return err
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
}

// run measures everything once the data set is loaded; reps runs per read
// measure, accepts acceptances with and without the summary handlers.
func run(tb testing.TB, db *store.DB, out io.Writer, reps, accepts int) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	a := app.New(db, log)
	as := func(role nipp.Role, provinces ...string) context.Context {
		u, _, err := a.CreateUserAsSystem(ctx, nipp.NewUser{Email: fmt.Sprintf("bench-%s-%d@progress.nipp", role, time.Now().UnixNano()),
			Name: "bench", Role: role, Provinces: provinces, Password: "bench progress password"})
		if err != nil {
			tb.Fatal(err)
		}
		return nipp.WithPrincipal(ctx, &nipp.Principal{UserID: u.ID, Email: u.Email, Role: role, Provinces: provinces})
	}
	central := as(nipp.RoleCentral)
	fmt.Fprintf(out, "engine %s, program %s\n", db.Dialect(), program)

	national := nipp.ProgressQuery{Program: program, Scope: nipp.ScopeNational}
	dash := measure(tb, reps, func() error { _, err := a.ProgramDashboard(central, national); return err })
	fmt.Fprintf(out, "national dashboard (summaries): p50 %s, p95 %s\n", ms(dash.pct(50)), ms(dash.pct(95)))
	plain := measure(tb, reps, func() error { return groupBy(ctx, db) })
	fmt.Fprintf(out, "same figures by GROUP BY over the base tables: p50 %s, p95 %s (%.1fx the dashboard's p50)\n",
		ms(plain.pct(50)), ms(plain.pct(95)), float64(plain.pct(50))/float64(max(dash.pct(50), 1)))

	prov := nipp.ProgressQuery{Program: program, Scope: nipp.ScopeProvince, Province: "01"}
	pd := measure(tb, reps, func() error { _, err := a.ProgramDashboard(central, prov); return err })
	rv := measure(tb, reps, func() error { _, err := a.ProgramReview(central, prov); return err })
	fmt.Fprintf(out, "province 01 dashboard: p50 %s, p95 %s; review (use case, before the .xlsx writer): p50 %s, p95 %s\n",
		ms(pd.pct(50)), ms(pd.pct(95)), ms(rv.pct(50)), ms(rv.pct(95)))

	for _, who := range []struct {
		name string
		ctx  context.Context
	}{{"central officer", central}, {"provincial officer of 01", as(nipp.RoleProvincial, "01")}} {
		se := measure(tb, reps, func() error {
			_, err := a.Establishments(who.ctx, app.EstablishmentQuery{Province: "01", Query: "gom", Limit: 50})
			return err
		})
		fmt.Fprintf(out, "search \"gom\" in province 01, first page, as %s: p50 %s, p95 %s\n", who.name, ms(se.pct(50)), ms(se.pct(95)))
	}

	// Acceptances: projects being implemented under the program, half
	// accepted with every handler, half without the progress summaries'.
	ids := implementing(tb, db, 2*accepts)
	if len(ids) < 2 {
		fmt.Fprintf(out, "acceptance: no projects being implemented to accept\n")
		return
	}
	bare := app.New(db, log, app.WithoutHandlers("progress"))
	var behind []int64 // projects accepted without the handlers
	accept := func(ap *app.App, id string) error {
		v, err := ap.Project(central, id)
		if err != nil {
			return err
		}
		if ap == bare {
			behind = append(behind, v.ID)
		}
		in := nipp.TransitionInput{Version: v.Version, ActualOutputs: map[string]int64{}}
		for _, o := range v.Outputs {
			in.ActualOutputs[o.IndicatorCode] = o.Planned
		}
		_, err = ap.Transition(central, id, nipp.ActAccept, in)
		return err
	}
	half := len(ids) / 2
	var with, without timings
	for i := range half {
		for _, c := range []struct {
			ap *app.App
			ts *timings
			id string
		}{{a, &with, ids[2*i]}, {bare, &without, ids[2*i+1]}} {
			start := time.Now()
			if err := accept(c.ap, c.id); err != nil {
				tb.Fatalf("accepting %s: %v", c.id, err)
			}
			*c.ts = append(*c.ts, time.Since(start))
		}
	}
	fmt.Fprintf(out, "acceptance: with the summary handlers p50 %s, without p50 %s (ratio %.2f; %d each)\n",
		ms(with.pct(50)), ms(without.pct(50)), float64(with.pct(50))/float64(max(without.pct(50), 1)), half)
	// Put the summaries back in step with the projects accepted without
	// their handlers: count each again, as the handler would have (a
	// repair would recompute every summary: minutes at national scale).
	if err := db.WriteTx(ctx, func(tx *store.Tx) error {
		for _, id := range behind {
			if err := tx.RefreshProjectProgress(ctx, id); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
}

// implementing returns up to n national projects of the program being
// implemented whose acceptance waits on the central agency.
func implementing(tb testing.TB, db *store.DB, n int) []string {
	var ids []string
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(context.Background(), `SELECT p.public_id FROM projects p JOIN programs g ON g.id = p.program_id
			WHERE g.code = $1 AND p.state = 'in_implementation' ORDER BY p.id LIMIT `+fmt.Sprint(n), program)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// testOut writes the small run's figures to the test log.
type testOut struct{ t *testing.T }

func (o testOut) Write(p []byte) (int, error) { o.t.Log(string(p)); return len(p), nil }
