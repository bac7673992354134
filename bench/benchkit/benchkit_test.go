package benchkit

import (
	"bytes"
	"context"
	"fmt"
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
