// Command pages measures the pages of a provincial and a central officer
// (issue 20: p95 under 50 ms at national scale, and none growing with a
// table it does not show): each page opened one request at a time by a
// signed-in officer, against `nipp serve` (built from this checkout) on a
// demo data set it loads once into -data or -db. Run it on a data set of
// 200,000 and of 2,000,000 establishments to compare.
//
//	go run ./bench/pages -data /tmp/nipp-200k -establishments 200000 -projects 20000
//	go run ./bench/pages -db 'postgres://root@127.0.0.1:5432/nipp_200k?sslmode=disable' -establishments 200000 -projects 20000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"nipp/bench/benchkit"
)

func main() {
	var d benchkit.Dataset
	flag.StringVar(&d.DataDir, "data", "", "SQLite data folder (kept; loaded when empty)")
	flag.StringVar(&d.DBURL, "db", "", "PostgreSQL URL of an existing database (loaded when empty)")
	flag.IntVar(&d.Establishments, "establishments", 200_000, "establishments in the data set")
	flag.IntVar(&d.Projects, "projects", 20_000, "projects in the data set")
	flag.BoolVar(&d.NoMigrate, "nomigrate", false, "use the database at its schema (to measure an older -nipp binary on a copy made before)")
	n := flag.Int("n", 40, "measured requests per page")
	year := flag.Int("year", 2026, "the plan's year")
	bin := flag.String("nipp", "", "nipp binary (default: built from this checkout)")
	only := flag.String("only", "", "measure only the pages whose name contains this text")
	flag.Parse()
	if (d.DataDir == "") == (d.DBURL == "") {
		fmt.Fprintln(os.Stderr, "give -data DIR or -db URL")
		os.Exit(2)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if err := run(ctx, d, *bin, *only, *n, *year); err != nil {
		fmt.Fprintln(os.Stderr, "pages:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, d benchkit.Dataset, bin, only string, n, year int) error {
	db, err := d.Open(ctx, os.Stderr)
	if err != nil {
		return err
	}
	central, provincial, err := benchkit.Accounts(ctx, db)
	if err != nil {
		db.Close()
		return err
	}
	fx, err := benchkit.LoadFixtures(ctx, db, 100)
	db.Close()
	if err != nil {
		return err
	}
	if bin == "" {
		tmp, err := os.MkdirTemp("", "nipp-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		if bin, err = benchkit.Build(ctx, tmp); err != nil {
			return err
		}
	}
	null, _ := os.Create(os.DevNull)
	defer null.Close()
	srv, err := benchkit.StartBinary(ctx, bin, d, null)
	if err != nil {
		return err
	}
	defer srv.Stop()
	time.Sleep(time.Second)
	idle := benchkit.MemoryOf(srv.PID)
	var cases []benchkit.PageCase
	for _, c := range benchkit.OfficerPages(central, provincial, fx, year) {
		if strings.Contains(c.Name, only) {
			cases = append(cases, c)
		}
	}
	res := benchkit.RunPages(ctx, srv.URL, cases, n, os.Stderr)
	mem := benchkit.MemoryOf(srv.PID)
	fmt.Printf("\n%s, %d establishments, %d projects; %d requests per page, one at a time\n\n", d.Engine(), d.Establishments, d.Projects, n)
	benchkit.PrintPages(os.Stdout, res)
	fmt.Printf("\nserve resident memory: idle %.0f MB, peak %.0f MB\n", float64(idle.RSS)/(1<<20), float64(mem.Peak)/(1<<20))
	return nil
}
