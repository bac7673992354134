package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"nipp/internal/app"
	"nipp/internal/demo"
	"nipp/internal/store"
	"nipp/internal/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// usageError is a bad command line; main exits 2 for it.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// config is nipp's whole configuration, built in run from flags and NIPP_*
// environment variables (flags win), validated before anything starts.
type config struct {
	Addr     string
	DataDir  string
	DBURL    string
	Replica  string // --db-replica: a read replica (PostgreSQL URL or SQLite file)
	Demo     bool
	LogLevel slog.Level
	LogJSON  bool
	TLS      bool
	Workers  int // background job workers of serve (--workers, NIPP_WORKERS)
	getenv   func(string) string
}

func usage() string {
	return `nipp — hệ thống quản lý khuyến công / industry promotion management

Usage (every command takes --data DIR and --db URL, anywhere after its words):
  nipp serve   [--addr 127.0.0.1:8080] [--data ./nipp-data] [--db postgres://...] [--db-replica URL|FILE] [--demo] [--workers 2]
  nipp migrate
  nipp demo [--scale small|national]   (national: 2,000,000 establishments, 200,000 projects, bulk-loaded; minutes)
  nipp user add --email ADDRESS --role admin|central|provincial|appraiser|auditor [--province CODE ...] [--password PW]
  nipp token create --email ADDRESS [--name NAME]
  nipp audit verify [--checkpoints FILE]   (FILE: checkpoints exported as CSV or JSON; exit 1 when one is no longer reached)
  nipp audit checkpoint                    (publish the chain's head now; serve also does it daily)
  nipp rollup verify [--repair]            (recompute the progress summaries; exit 1 on a difference; --repair rebuilds them)
  nipp rules load FILE [--check]   (a rule set in the text format of docs/RULESETS.md or .xlsx)
  nipp import establishments FILE [--atomic]   (.xlsx or .csv; rejected rows go to FILE.errors.xlsx)
  nipp version

Environment: NIPP_ADDR, NIPP_DATA, NIPP_DB, NIPP_DB_REPLICA, NIPP_WORKERS, NIPP_LOG_LEVEL (debug|info|warn|error), NIPP_LOG_FORMAT (text|json), NIPP_TLS (1 when served over HTTPS),
NIPP_ADMIN_EMAIL and NIPP_ADMIN_PASSWORD (the first administrator, created when there is no account).`
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stdout, usage())
		return usageError{"missing command (serve, migrate, demo, version)"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "nipp", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage())
		return nil
	}
	cfg := config{
		Addr:    envOr(getenv, "NIPP_ADDR", "127.0.0.1:8080"),
		DataDir: envOr(getenv, "NIPP_DATA", "./nipp-data"),
		DBURL:   getenv("NIPP_DB"),
		Replica: getenv("NIPP_DB_REPLICA"),
		LogJSON: getenv("NIPP_LOG_FORMAT") == "json",
		TLS:     getenv("NIPP_TLS") == "1",
		getenv:  getenv,
	}
	if w := getenv("NIPP_WORKERS"); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil {
			return usageError{"NIPP_WORKERS must be a whole number"}
		}
		cfg.Workers = n
	} else {
		cfg.Workers = 2
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(envOr(getenv, "NIPP_LOG_LEVEL", "info"))); err != nil {
		return usageError{"NIPP_LOG_LEVEL must be debug, info, warn or error"}
	}
	log := newLogger(cfg, stderr)
	switch cmd {
	case "user":
		return userCmd(ctx, cfg, log, rest, stdout)
	case "token":
		return tokenCmd(ctx, cfg, log, rest, stdout)
	case "audit":
		return auditCmd(ctx, cfg, log, rest, stdout)
	case "rollup":
		return rollupCmd(ctx, cfg, log, rest, stdout)
	case "rules":
		return rulesCmd(ctx, cfg, log, rest, stdout)
	case "import":
		return importCmd(ctx, cfg, log, rest, stdout)
	case "serve", "migrate", "demo":
	default:
		return usageError{fmt.Sprintf("unknown command %q (see `nipp help`)", cmd)}
	}
	fs := newFlagSet("nipp "+cmd, &cfg)
	if cmd == "serve" {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on")
		fs.BoolVar(&cfg.Demo, "demo", false, "load the demo data set into an empty database")
		fs.IntVar(&cfg.Workers, "workers", cfg.Workers, "background job workers (imports)")
	}
	scale := "small"
	if cmd == "demo" {
		fs.StringVar(&scale, "scale", scale, "small, or national (2,000,000 establishments, 200,000 projects; an empty database)")
	}
	if err := fs.Parse(rest); err != nil {
		return usageError{fmt.Sprintf("%s: %v (see `nipp help`)", cmd, err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q (see `nipp help`)", cmd, fs.Arg(0))}
	}
	if err := cfg.validate(); err != nil {
		return err
	}

	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, stdout)
	case "migrate":
		db, err := openDB(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer db.Close()
		applied, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s); schema version %d (%s)\n", len(applied), v, db.Where)
		return nil
	case "demo":
		db, err := openMigrated(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer db.Close()
		size := demo.Small
		switch scale {
		case "small":
		case "national":
			size = demo.National
			size.Progress = stdout
		default:
			return usageError{fmt.Sprintf("demo: --scale %q: small or national", scale)}
		}
		start := time.Now()
		var st demo.Stats
		if size.Bulk {
			st, err = demo.LoadIfEmpty(ctx, db, size)
			if err == nil && st.Establishments == 0 {
				return fmt.Errorf("demo --scale national loads into an empty database only; %s holds data", db.Where)
			}
		} else {
			st, err = demo.Load(ctx, db, size)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "demo data loaded: %d establishments, %d projects in %s\n", st.Establishments, st.Projects, time.Since(start).Round(time.Second))
		return nil
	}
	return nil
}

// newFlagSet is the flag set of every command and subcommand: it holds the
// flags all of them take (--data, --db); the command adds its own.
func newFlagSet(name string, cfg *config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data folder for the SQLite database and files")
	fs.StringVar(&cfg.DBURL, "db", cfg.DBURL, "PostgreSQL URL (postgres://...) instead of SQLite")
	fs.StringVar(&cfg.Replica, "db-replica", cfg.Replica, "a read replica for lists and pages: a PostgreSQL URL, or a SQLite file's path")
	return fs
}

// parseArgs parses flags and positional arguments in any order (nipp rules
// load FILE --check, nipp rules load --check FILE) and returns the
// positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// validate checks what flags and environment cannot check alone.
func (cfg config) validate() error {
	if cfg.DBURL != "" && !strings.HasPrefix(cfg.DBURL, "postgres://") && !strings.HasPrefix(cfg.DBURL, "postgresql://") {
		return usageError{"--db must be a PostgreSQL URL such as postgres://user@localhost:5432/nipp"}
	}
	if cfg.Workers < 1 || cfg.Workers > 64 {
		return usageError{"--workers (NIPP_WORKERS) must be between 1 and 64"}
	}
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func openDB(ctx context.Context, cfg config, log *slog.Logger) (*store.DB, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, store.Config{URL: cfg.DBURL, DataDir: cfg.DataDir, ReplicaURL: cfg.Replica, Logger: log})
	if err != nil {
		return nil, err
	}
	return db, nil
}

func openMigrated(ctx context.Context, cfg config, log *slog.Logger) (*store.DB, error) {
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// serveMemoryLimit is the Go runtime's soft memory limit for serve when
// GOMEMLIMIT does not set one: the collector works harder as the Go heap
// nears it, instead of letting it grow to twice what is live (the goal:
// serve under 150 MB resident at national scale, of which SQLite's page
// caches and statements take 60-70 MB; bench/RESULTS.md). The runtime
// keeps the collector under half the CPU even above the limit.
const serveMemoryLimit = 64 << 20

// setServeMemoryLimit applies serveMemoryLimit unless GOMEMLIMIT is set (the
// runtime has read it then) and returns the limit in force. main calls it
// for serve (not run, which tests call in their own process).
func setServeMemoryLimit(getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	return debug.SetMemoryLimit(-1)
}

func serve(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, unwrapNet(err))
	}
	defer ln.Close()
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Demo {
		st, err := demo.LoadIfEmpty(ctx, db, demo.Small)
		if err != nil {
			return err
		}
		if st.Establishments > 0 {
			log.Info("demo data loaded", "establishments", st.Establishments, "projects", st.Projects)
		}
	}
	// Uploaded files live beside the data, whatever the database engine.
	a := app.New(db, log, app.WithFilesDir(filepath.Join(cfg.DataDir, "files")))
	adminEmail := envOr(cfg.getenv, "NIPP_ADMIN_EMAIL", "admin@nipp.local")
	created, otp, err := a.EnsureAdmin(ctx, adminEmail, cfg.getenv("NIPP_ADMIN_PASSWORD"))
	if err != nil {
		return fmt.Errorf("creating the first administrator %s: %s", adminEmail, cliMessage(err))
	}
	if created && otp != "" {
		fmt.Fprintf(stdout, "first start: administrator %s created with one-time password %s (shown once; change it after signing in)\n", adminEmail, otp)
	} else if created {
		fmt.Fprintf(stdout, "first start: administrator %s created with the password in NIPP_ADMIN_PASSWORD\n", adminEmail)
	}
	srv, err := web.New(a, log, web.Config{Version: version, TLS: cfg.TLS})
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // large imports
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Background jobs are database rows; the worker resumes unfinished ones
	// after a restart.
	wctx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan struct{})
	go func() { a.RunJobWorkers(wctx, cfg.Workers); close(workerDone) }()
	// The chain's head is published at least daily (idempotent across nodes).
	checkpointDone := make(chan struct{})
	go func() { a.AuditCheckpointWorker(wctx, time.Hour); close(checkpointDone) }()
	// The registry's totals stay a sum over a few hundred rows.
	countsDone := make(chan struct{})
	go func() { a.CountsWorker(wctx, 10*time.Minute); close(countsDone) }()
	// Stop the workers and wait for them before the database closes.
	defer func() { stopWorker(); <-workerDone; <-checkpointDone; <-countsDone }()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "nipp %s serving on http://%s (%s database: %s)\n", version, ln.Addr(), db.Dialect(), db.Where)
	log.Info("serving", "addr", ln.Addr().String(), "database", string(db.Dialect()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func unwrapNet(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

// cliMessage is an error's message on the command line (English, like the
// rest of the command line's output).
func cliMessage(err error) string { return web.Message("en", err) }
