package benchkit

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"nipp/internal/demo"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// The benchmark harness at a small scale, on each engine, so that it cannot
// rot: a demo data set of a few hundred records, the server in this
// process, every phase of the JSON API load (a fraction of a second each)
// and every officer page, without an error. The full-scale runs are the
// commands in bench/ (figures in bench/RESULTS.md).
func TestHarnessSmallScale(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 300, Projects: 40, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		if err := flagDuplicates(ctx, db); err != nil {
			t.Fatal(err)
		}
		central, provincial, err := Accounts(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		fx, err := LoadFixtures(ctx, db, 20)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := InProcess(db)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Stop()

		res := RunAPI(ctx, srv.URL, APIConfig{Clients: 4, Dur: 200 * time.Millisecond, Central: central, Fixtures: fx})
		if len(res) != len(APIPhases(APIConfig{Central: central, Fixtures: fx})) {
			t.Fatalf("%d phases measured", len(res))
		}
		for _, r := range res {
			if r.Requests == 0 || r.Errors > 0 {
				t.Errorf("%s: %d requests, %d errors (%s)", r.Name, r.Requests, r.Errors, r.FirstErr)
			}
		}
		var out bytes.Buffer
		PrintAPI(&out, res)
		PrintAPIGoals(&out, res, 0, 0)
		if !strings.Contains(out.String(), "| project-list |") || !strings.Contains(out.String(), "search-word+province") {
			t.Errorf("the report lacks a phase:\n%s", out.String())
		}

		// The same phases driven by wrk, when it is installed (1 s each:
		// wrk's shortest run).
		if _, err := exec.LookPath("wrk"); err == nil {
			var log bytes.Buffer
			res, err := RunAPIWrk(ctx, srv.URL, APIConfig{Clients: 4, Dur: time.Second, Central: central, Fixtures: fx}, WrkConfig{Threads: 1, Log: &log})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != len(APIPhases(APIConfig{Central: central, Fixtures: fx})) {
				t.Fatalf("%d phases measured with wrk", len(res))
			}
			for _, r := range res {
				if r.Requests == 0 || r.Errors > 0 || r.Pct(50) <= 0 || r.Pct(99) < r.Pct(50) || r.ClientCPU <= 0 {
					t.Errorf("wrk, %s: %d requests, %d errors (%s), p50 %v, p99 %v, wrk CPU %v", r.Name, r.Requests, r.Errors, r.FirstErr, r.Pct(50), r.Pct(99), r.ClientCPU)
				}
			}
			if !strings.Contains(log.String(), "Requests/sec") || strings.Contains(log.String(), central.Token) {
				t.Errorf("wrk's log lacks its figures or shows the token:\n%s", log.String())
			}
		} else {
			t.Log("wrk is not installed: its run is skipped")
		}

		pages := RunPages(ctx, srv.URL, OfficerPages(central, provincial, fx, 2025), 2, nil)
		for _, p := range pages {
			if p.N != 2 || p.Errors > 0 {
				t.Errorf("%s: %d requests, %d errors (%s)", p.Name, p.N, p.Errors, p.Err)
			}
		}
		out.Reset()
		PrintPages(&out, pages)
		if strings.Count(out.String(), "\n") != len(pages)+2 {
			t.Errorf("the page table has the wrong rows:\n%s", out.String())
		}
	})
}

// The import benchmark at a small scale on each engine: a few hundred rows,
// CSV and .xlsx, into an empty database and into a small registry, each
// beside its bare loop; the registry keeps its size.
func TestImportHarnessSmallScale(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var res []ImportResult
		for i, ests := range []int{0, 300} {
			if ests > 0 {
				if _, err := demo.Load(ctx, db, demo.Size{Establishments: ests, Projects: 10, Seed: 3}); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range []string{"csv", "xlsx"} {
				r, err := RunImport(ctx, db, ImportConfig{Rows: 400, Format: f, Dir: t.TempDir(), Tag: fmt.Sprintf("t%d%s", i, f)})
				if err != nil {
					t.Fatal(err)
				}
				if r.Imported != 400 || r.Registry != ests || r.Loop <= 0 || r.Import <= 0 {
					t.Fatalf("%+v", r)
				}
				if runtime.GOOS == "linux" && (r.AtPeak.RSS <= 0 || r.AtPeak.Go <= 0 || r.AtPeak.Live <= 0 || r.AtPeak.RSS > r.PeakRSS) {
					t.Errorf("memory at the highest sample: %+v, peak %d", r.AtPeak, r.PeakRSS)
				}
				res = append(res, r)
			}
		}
		var out bytes.Buffer
		PrintImports(&out, res)
		PrintImportGoals(&out, res)
		t.Log("\n" + out.String())
		if strings.Count(out.String(), "| "+string(db.Dialect())+" |") != 4 || !strings.Contains(out.String(), "within 2x of CSV") {
			t.Errorf("the report lacks a row:\n%s", out.String())
		}
	})
}

// wrk's figures are read from its done hook's line; an error of any kind
// counts, and a run without the line is refused.
func TestParseWrk(t *testing.T) {
	out := "Running 1s test @ http://x\n  2 threads and 4 connections\n" +
		"nipp-wrk requests=3000 duration_us=1000000 bytes=9000 connect=0 read=1 write=0 status=2 timeout=0 max_us=9000 p50=1000 p75=1500 p90=2000 p95=3000 p99=5000 p99.9=8000\n"
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 3000 || r.RPS() != 3000 || r.Errors != 3 || r.Pct(95) != 3*time.Millisecond ||
		r.Pct(99) != 5*time.Millisecond || r.Pct(99.9) != 8*time.Millisecond || r.Pct(100) != 9*time.Millisecond {
		t.Errorf("%+v: p95 %v p99 %v", r, r.Pct(95), r.Pct(99))
	}
	if r.FirstErr != "read 1, status 2" {
		t.Errorf("errors: %q", r.FirstErr)
	}
	if _, err := parseWrk("Running 1s test\n"); err == nil {
		t.Error("output without figures accepted")
	}
}

// A bare loop that commits every N rows keeps every row (the last commit
// a partial one), and is refused beside an import, whose file holds the
// same tax codes.
func TestBareLoopCommitting(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if _, err := RunImport(ctx, db, ImportConfig{Rows: 10, Format: "csv", Dir: t.TempDir(), Tag: "c0", LoopCommit: 4}); err == nil {
			t.Fatal("a committing loop ran beside an import")
		}
		r, err := RunImport(ctx, db, ImportConfig{Rows: 250, Format: "csv", Dir: t.TempDir(), Tag: "c1", LoopOnly: true, LoopCommit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.ReadTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM establishments WHERE public_id LIKE 'cs-bench%'`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		if r.Loop <= 0 || n != 250 {
			t.Fatalf("loop %v, %d rows kept of 250", r.Loop, n)
		}
	})
}
