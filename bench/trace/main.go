// Command trace shows where one page's time goes: it serves the data set
// from this process, opens the page once as a central or provincial officer
// (after one unmeasured visit), and lists every statement the request ran
// with its arguments, its time when run again alone (rows read to the end)
// and its plan (EXPLAIN QUERY PLAN / EXPLAIN).
//
//	go run ./bench/trace -data /tmp/nipp-200k -as central '/establishments?q=gom'
//
// With -n N it then opens the page N times more and prints their p50 and
// p95 (the whole request, rendering included); -cpuprofile FILE writes a
// CPU profile of those N visits.
//
//	go run ./bench/trace -data /tmp/nat-sqlite -establishments 2000000 -projects 200000 -n 20 -cpuprofile /tmp/dash.prof /programs/NIPP-2021-2025/progress
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"nipp/bench/benchkit"
	"nipp/internal/store"
)

func main() {
	var d benchkit.Dataset
	flag.StringVar(&d.DataDir, "data", "", "SQLite data folder")
	flag.StringVar(&d.DBURL, "db", "", "PostgreSQL URL")
	flag.IntVar(&d.Establishments, "establishments", 200_000, "establishments in the data set")
	flag.IntVar(&d.Projects, "projects", 20_000, "projects in the data set")
	as := flag.String("as", "central", "central or provincial (province 01)")
	plans := flag.Bool("plans", true, "print each statement's plan")
	flag.IntVar(&repeat, "n", 0, "open the page this many times more and print p50 and p95")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "with -n: write a CPU profile of the repeated visits to this file")
	flag.Parse()
	if flag.NArg() != 1 || (d.DataDir == "") == (d.DBURL == "") {
		fmt.Fprintln(os.Stderr, "usage: trace -data DIR|-db URL [-as central|provincial] PATH")
		os.Exit(2)
	}
	if err := run(context.Background(), d, *as, flag.Arg(0), *plans); err != nil {
		fmt.Fprintln(os.Stderr, "trace:", err)
		os.Exit(1)
	}
}

var (
	repeat     int
	cpuProfile string
)

type stmt struct {
	query string
	args  []any
}

func run(ctx context.Context, d benchkit.Dataset, as, path string, plans bool) error {
	db, err := d.Open(ctx, os.Stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	central, provincial, err := benchkit.Accounts(ctx, db)
	if err != nil {
		return err
	}
	who := central
	if as == "provincial" {
		who = provincial
	}
	srv, err := benchkit.InProcess(db)
	if err != nil {
		return err
	}
	defer srv.Stop()
	hc := benchkit.Client(1)
	t1 := time.Now()
	if _, err := benchkit.Get(ctx, hc, srv.URL, benchkit.Request{Path: path, Session: who.Session}); err != nil {
		return err
	}
	fmt.Printf("first visit (nothing kept yet, statements not yet prepared): %s\n", time.Since(t1).Round(time.Microsecond))
	var mu sync.Mutex
	var seen []stmt
	db.SetQueryHook(func(q string, args []any) {
		mu.Lock()
		seen = append(seen, stmt{q, append([]any(nil), args...)})
		mu.Unlock()
	})
	t0 := time.Now()
	body, err := benchkit.Get(ctx, hc, srv.URL, benchkit.Request{Path: path, Session: who.Session})
	total := time.Since(t0)
	db.SetQueryHook(nil)
	if err != nil {
		return err
	}
	fmt.Printf("GET %s as %s: %s, %d bytes, %d statements\n", path, as, total.Round(time.Microsecond), len(body), len(seen))
	var sum time.Duration
	for i, s := range seen {
		var took time.Duration
		var rows int
		var plan []string
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			t := time.Now()
			r, err := tx.Query(ctx, s.query, s.args...)
			if err != nil {
				return err
			}
			for r.Next() {
				rows++
			}
			r.Close()
			took = time.Since(t)
			if !plans {
				return nil
			}
			plan, err = store.Explain(ctx, tx, s.query, s.args...)
			return err
		})
		sum += took
		fmt.Printf("\n#%d %s (%d rows)\n  %s\n  args %v\n", i+1, took.Round(time.Microsecond), rows, oneLine(s.query), s.args)
		if err != nil {
			fmt.Printf("  error: %v\n", err)
		}
		for _, l := range plan {
			fmt.Printf("    %s\n", l)
		}
	}
	fmt.Printf("\nstatements alone: %s of %s\n", sum.Round(time.Microsecond), total.Round(time.Microsecond))
	if repeat <= 0 {
		return nil
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	times := make([]time.Duration, repeat)
	for i := range times {
		t := time.Now()
		if _, err := benchkit.Get(ctx, hc, srv.URL, benchkit.Request{Path: path, Session: who.Session}); err != nil {
			return err
		}
		times[i] = time.Since(t)
	}
	slices.Sort(times)
	pct := func(p int) time.Duration { return times[min(len(times)-1, (len(times)*p+99)/100-1)] }
	fmt.Printf("%d visits more: p50 %s, p95 %s\n", repeat, pct(50).Round(time.Microsecond), pct(95).Round(time.Microsecond))
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
