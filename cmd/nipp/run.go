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
	Demo     bool
	LogLevel slog.Level
	LogJSON  bool
	TLS      bool
	getenv   func(string) string
}

func usage() string {
	return `nipp — hệ thống quản lý khuyến công / industry promotion management

Usage:
  nipp serve   [--addr 127.0.0.1:8080] [--data ./nipp-data] [--db postgres://...] [--demo]
  nipp migrate [--data DIR] [--db URL]
  nipp demo    [--data DIR] [--db URL]
  nipp user add --email ADDRESS --role admin|central|provincial|appraiser|auditor [--province CODE ...] [--password PW]
  nipp token create --email ADDRESS [--name NAME]
  nipp audit verify
  nipp rules load FILE [--check]   (a rule set in the text format of docs/RULESETS.md or .xlsx)
  nipp import establishments FILE [--atomic]   (.xlsx or .csv; rejected rows go to FILE.errors.xlsx)
  nipp version

Environment: NIPP_ADDR, NIPP_DATA, NIPP_DB, NIPP_LOG_LEVEL (debug|info|warn|error), NIPP_LOG_FORMAT (text|json), NIPP_TLS (1 when served over HTTPS),
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
	sub := []string(nil)
	if (cmd == "user" || cmd == "token" || cmd == "audit" || cmd == "rules" || cmd == "import") && len(rest) > 0 {
		// nipp user add, token create, audit verify, rules load, import establishments [flags]: the subcommand keeps its own flags; --data
		// and --db come from the environment.
		sub, rest = rest, nil
	}
	fs := flag.NewFlagSet("nipp "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := config{
		Addr:    envOr(getenv, "NIPP_ADDR", "127.0.0.1:8080"),
		DataDir: envOr(getenv, "NIPP_DATA", "./nipp-data"),
		DBURL:   getenv("NIPP_DB"),
		LogJSON: getenv("NIPP_LOG_FORMAT") == "json",
		TLS:     getenv("NIPP_TLS") == "1",
		getenv:  getenv,
	}
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data folder for the SQLite database and files")
	fs.StringVar(&cfg.DBURL, "db", cfg.DBURL, "PostgreSQL URL (postgres://...) instead of SQLite")
	if cmd == "serve" {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on")
		fs.BoolVar(&cfg.Demo, "demo", false, "load the demo data set into an empty database")
	}
	if err := fs.Parse(rest); err != nil {
		return usageError{fmt.Sprintf("%s: %v (see `nipp help`)", cmd, err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q (see `nipp help`)", cmd, fs.Arg(0))}
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(envOr(getenv, "NIPP_LOG_LEVEL", "info"))); err != nil {
		return usageError{"NIPP_LOG_LEVEL must be debug, info, warn or error"}
	}
	if cfg.DBURL != "" && !strings.HasPrefix(cfg.DBURL, "postgres://") && !strings.HasPrefix(cfg.DBURL, "postgresql://") {
		return usageError{"--db must be a PostgreSQL URL such as postgres://user@localhost:5432/nipp"}
	}
	log := newLogger(cfg, stderr)

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
		v, _ := db.SchemaVersion(ctx)
		fmt.Fprintf(stdout, "applied %d migration(s); schema version %d (%s)\n", len(applied), v, db.Where)
		return nil
	case "user":
		return userCmd(ctx, cfg, log, sub, stdout)
	case "token":
		return tokenCmd(ctx, cfg, log, sub, stdout)
	case "audit":
		return auditCmd(ctx, cfg, log, sub, stdout)
	case "rules":
		return rulesCmd(ctx, cfg, log, sub, stdout)
	case "import":
		return importCmd(ctx, cfg, log, sub, stdout)
	case "demo":
		db, err := openMigrated(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer db.Close()
		st, err := demo.Load(ctx, db, demo.Small)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "demo data loaded: %d establishments, %d projects\n", st.Establishments, st.Projects)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q (see `nipp help`)", cmd)}
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
	db, err := store.Open(ctx, store.Config{URL: cfg.DBURL, DataDir: cfg.DataDir, Logger: log})
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
	go func() { a.ImportWorker(wctx, 2*time.Second); close(workerDone) }()
	// Stop the worker and wait for it before the database closes.
	defer func() { stopWorker(); <-workerDone }()
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
