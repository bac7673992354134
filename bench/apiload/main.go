// Command apiload measures the JSON API under load (issue 20): the first
// page of the project list, a project's detail, and registry searches, each
// from 32 clients in a closed loop over loopback, beside /healthz (the
// server's floor) in the same run, against `nipp serve` (built from this
// checkout) on a demo data set it loads once into -data or -db. It prints
// each phase's requests a second, latency percentiles and errors, the
// server's resident memory idle and under load, and each goal of the issue
// as met or missed. With -wrk the load comes from wrk (Debian's `wrk`,
// -wrkthreads threads, -c connections) instead of the Go client in this
// process, which takes a share of the cores it measures; the machine's load
// average is printed before and after.
//
//	go run ./bench/apiload -data /tmp/nipp-200k -establishments 200000 -projects 20000
//	go run ./bench/apiload -wrk -data /tmp/nipp-200k -establishments 200000 -projects 20000
//	go run ./bench/apiload -db 'postgres://root@127.0.0.1:5432/nipp_200k?sslmode=disable' -establishments 200000 -projects 20000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
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
	clients := flag.Int("c", 32, "concurrent clients")
	dur := flag.Duration("d", 10*time.Second, "measured time per phase")
	warm := flag.Duration("warm", 2*time.Second, "unmeasured warm-up per phase")
	bin := flag.String("nipp", "", "nipp binary (default: built from this checkout)")
	serverLog := flag.String("log", "", "server log file (default: discarded)")
	cpuProfile := flag.String("cpuprofile", "", "serve from this process (no memory figures) and write a CPU profile of the whole run to this file")
	only := flag.String("only", "", "run only the phases whose name contains this text (and healthz)")
	noHealthz := flag.Bool("nohealthz", false, "leave /healthz out (to profile the other phases alone)")
	useWrk := flag.Bool("wrk", false, "drive the load with wrk (on PATH, or -wrkbin) instead of the Go client")
	var wrk benchkit.WrkConfig
	flag.StringVar(&wrk.Bin, "wrkbin", "", "wrk binary (default: wrk on PATH)")
	flag.IntVar(&wrk.Threads, "wrkthreads", 2, "wrk threads (-t)")
	flag.Parse()
	if *useWrk {
		wrk.Log = os.Stderr
	} else {
		wrk = benchkit.WrkConfig{}
	}
	if (d.DataDir == "") == (d.DBURL == "") {
		fmt.Fprintln(os.Stderr, "give -data DIR or -db URL")
		os.Exit(2)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if err := run(ctx, d, wrk, *noHealthz, *bin, *serverLog, *cpuProfile, *only, *clients, *warm, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "apiload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, d benchkit.Dataset, wrk benchkit.WrkConfig, noHealthz bool, bin, serverLog, cpuProfile, only string, clients int, warm, dur time.Duration) error {
	db, err := d.Open(ctx, os.Stderr)
	if err != nil {
		return err
	}
	central, _, err := benchkit.Accounts(ctx, db)
	if err != nil {
		db.Close()
		return err
	}
	fx, err := benchkit.LoadFixtures(ctx, db, 2000)
	if err != nil {
		db.Close()
		return err
	}
	cfg := benchkit.APIConfig{Clients: clients, Warm: warm, Dur: dur, Central: central, Fixtures: fx, Progress: os.Stderr, Only: only, NoHealthz: noHealthz}
	if cpuProfile != "" {
		defer db.Close()
		srv, err := benchkit.InProcess(db)
		if err != nil {
			return err
		}
		defer srv.Stop()
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		res, err := runLoad(ctx, srv.URL, cfg, wrk)
		pprof.StopCPUProfile()
		benchkit.PrintAPI(os.Stdout, res)
		return err
	}
	db.Close()
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
	logw, err := os.Create(os.DevNull)
	if serverLog != "" {
		logw, err = os.Create(serverLog)
	}
	if err != nil {
		return err
	}
	defer logw.Close()
	srv, err := benchkit.StartBinary(ctx, bin, d, logw)
	if err != nil {
		return err
	}
	defer srv.Stop()
	time.Sleep(2 * time.Second)
	idle := benchkit.MemoryOf(srv.PID)
	var peak int64
	load0 := loadAverage()
	fmt.Fprintf(os.Stderr, "%s, %d establishments, %d projects, %d clients, %s per phase (+%s warm-up), %s; load average %s\n",
		d.Engine(), d.Establishments, d.Projects, clients, dur, warm, driver(wrk), load0)
	cfg.MemoryPID, cfg.PeakMemory = srv.PID, &peak
	res, err := runLoad(ctx, srv.URL, cfg, wrk)
	if err != nil {
		return err
	}
	load1 := loadAverage()
	after := benchkit.MemoryOf(srv.PID)
	heap := benchkit.GoMemory(ctx, srv.URL)
	time.Sleep(3 * time.Second)
	idleAfter := benchkit.MemoryOf(srv.PID)
	fmt.Printf("\n%s, %d establishments, %d projects; %d clients, %s per phase after %s warm-up; %s; binary %s\n",
		d.Engine(), d.Establishments, d.Projects, clients, dur, warm, driver(wrk), filepath.Base(bin))
	fmt.Printf("load average (1, 5, 15 min) before: %s; after: %s\n\n", load0, load1)
	benchkit.PrintAPI(os.Stdout, res)
	fmt.Printf("\nserve resident memory: idle %s MB, peak under load %s MB (sampled %s MB), idle after %s MB; %s\n",
		mb(idle.RSS), mb(after.Peak), mb(peak), mb(idleAfter.RSS), heap)
	fmt.Println()
	benchkit.PrintAPIGoals(os.Stdout, res, idle.RSS, after.Peak)
	return nil
}

// runLoad drives the phases with wrk when wrk.Log is set, else with the
// Go client.
func runLoad(ctx context.Context, base string, cfg benchkit.APIConfig, wrk benchkit.WrkConfig) ([]benchkit.Result, error) {
	if wrk.Log != nil {
		return benchkit.RunAPIWrk(ctx, base, cfg, wrk)
	}
	return benchkit.RunAPI(ctx, base, cfg), nil
}

func driver(wrk benchkit.WrkConfig) string {
	if wrk.Log != nil {
		return fmt.Sprintf("load from wrk -t%d", wrk.Threads)
	}
	return "load from the Go client in this process"
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func mb(b int64) string { return fmt.Sprintf("%.0f", float64(b)/(1<<20)) }
