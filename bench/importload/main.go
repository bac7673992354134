// Command importload measures the establishment import against the
// engine's own limit (issue 20): files of -rows rows (CSV and .xlsx) into
// an empty database and into a registry of -establishments (the bench data
// set, loaded when missing), each beside a bare loop of one prepared
// INSERT of the same rows into the same table in one transaction, in the
// same run; with the process's peak resident memory during each import.
//
//	go run ./bench/importload -data /tmp/nipp-200k -rows 20000
//	go run ./bench/importload -db 'postgres://root@127.0.0.1:5432/nipp_200k?sslmode=disable' -rows 20000
//	go run ./bench/importload -data /tmp/nat-sqlite -establishments 2000000 -projects 200000 -rows 2000000 -formats csv -into empty
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"nipp/bench/benchkit"
	"nipp/internal/store"
)

func main() {
	var d benchkit.Dataset
	flag.StringVar(&d.DataDir, "data", "", "SQLite data folder of the populated registry")
	flag.StringVar(&d.DBURL, "db", "", "PostgreSQL URL of the populated registry (an empty database is created beside it)")
	flag.IntVar(&d.Establishments, "establishments", 200_000, "establishments of the populated registry")
	flag.IntVar(&d.Projects, "projects", 20_000, "projects of the populated registry")
	rows := flag.Int("rows", 20_000, "rows in each imported file")
	formats := flag.String("formats", "csv,xlsx", "file formats")
	into := flag.String("into", "empty,registry", "where each file is imported: an empty database, the registry, or both")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	heapProf := flag.String("heapprofile", "", "write Go's heap profile at the import's highest resident memory to this file")
	noLoop := flag.Bool("noloop", false, "skip the bare loops (no ratio): the import alone")
	loopOnly := flag.Bool("looponly", false, "the bare loops alone (the engine's limit), no import")
	loopCommit := flag.Int("loopcommit", 0, "with -looponly: commit the bare loop every N rows, as the import commits its chunks")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
		// Interrupted (a long run looked at part way), the profile so far
		// is still written.
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt)
		go func() {
			<-stop
			pprof.StopCPUProfile()
			f.Close()
			fmt.Fprintln(os.Stderr, "interrupted: profile written")
			os.Exit(1)
		}()
	}
	if (d.DataDir == "") == (d.DBURL == "") {
		fmt.Fprintln(os.Stderr, "give -data DIR or -db URL")
		os.Exit(2)
	}
	if err := run(context.Background(), d, *rows, strings.Split(*formats, ","), strings.Split(*into, ","), *noLoop, *loopOnly, *loopCommit, *heapProf); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, d benchkit.Dataset, rows int, formats, into []string, noLoop, loopOnly bool, loopCommit int, heapProf string) error {
	tmp, err := os.MkdirTemp("", "nipp-importload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	populated, err := d.Open(ctx, os.Stdout)
	if err != nil {
		return err
	}
	defer populated.Close()
	var res []benchkit.ImportResult
	for _, f := range formats {
		if !slices.Contains(into, "empty") {
			break
		}
		fmt.Fprintf(os.Stderr, "importing %d rows (%s) into an empty database...\n", rows, f)
		empty, dropEmpty, err := openEmpty(ctx, d, populated, tmp+"/empty-"+f)
		if err != nil {
			return err
		}
		r, err := benchkit.RunImport(ctx, empty, benchkit.ImportConfig{Rows: rows, Format: f, Dir: tmp, Tag: "e" + f, Keep: true, NoLoop: noLoop, LoopOnly: loopOnly, LoopCommit: loopCommit, HeapProfile: heapProf})
		dropEmpty()
		if err != nil {
			return err
		}
		res = append(res, r)
	}
	for _, f := range formats {
		if !slices.Contains(into, "registry") {
			break
		}
		fmt.Fprintf(os.Stderr, "importing %d rows (%s) into the registry...\n", rows, f)
		r, err := benchkit.RunImport(ctx, populated, benchkit.ImportConfig{Rows: rows, Format: f, Dir: tmp, Tag: "p" + f, NoLoop: noLoop, LoopOnly: loopOnly, LoopCommit: loopCommit, HeapProfile: heapProf,
			Measured: func(r benchkit.ImportResult) {
				benchkit.PrintImports(os.Stdout, []benchkit.ImportResult{r})
				fmt.Fprintln(os.Stderr, "deleting the imported rows again...")
			}})
		if err != nil {
			return err
		}
		res = append(res, r)
	}
	benchkit.PrintImports(os.Stdout, res)
	benchkit.PrintImportGoals(os.Stdout, res)
	return nil
}

// openEmpty opens an empty, migrated database of the same engine: a
// folder under tmp, or a PostgreSQL database created beside d's.
func openEmpty(ctx context.Context, d benchkit.Dataset, beside *store.DB, tmp string) (*store.DB, func(), error) {
	if d.DBURL == "" {
		db, err := store.Open(ctx, store.Config{DataDir: tmp})
		if err == nil {
			_, err = db.Migrate(ctx)
		}
		return db, func() { db.Close() }, err
	}
	u, err := url.Parse(d.DBURL)
	if err != nil {
		return nil, nil, err
	}
	name := fmt.Sprintf("nipp_importload_%d_%d", os.Getpid(), time.Now().UnixNano()%1000000)
	if err := beside.RawExec(ctx, `CREATE DATABASE `+name); err != nil {
		return nil, nil, err
	}
	u.Path = "/" + name
	db, err := store.Open(ctx, store.Config{URL: u.String()})
	if err == nil {
		_, err = db.Migrate(ctx)
	}
	drop := func() {
		if db != nil {
			db.Close()
		}
		beside.RawExec(ctx, `DROP DATABASE IF EXISTS `+name)
	}
	return db, drop, err
}
