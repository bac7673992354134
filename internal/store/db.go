// Package store keeps nipp's data in SQLite (embedded, the default) or
// PostgreSQL. SQL is hand-written in the subset both engines share; the few
// differences sit behind Dialect. Every use happens inside a transaction
// that carries the current time, of one of three kinds: WriteTx (the
// primary, read-write), ReadPrimaryTx (the primary, read-only: reads that
// must see what was just written) and ReadTx (read-only, served by the
// replica when one is configured, which may lag behind).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// Dialect names the database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Config says where the data lives.
type Config struct {
	// URL is a postgres:// URL; empty means SQLite in DataDir.
	URL string
	// DataDir holds the SQLite file (nipp.db) when URL is empty.
	DataDir string
	// ReplicaURL, when set, is a read replica that ReadTx uses: a
	// postgres:// URL when the primary is PostgreSQL, the path of a SQLite
	// file (a copy kept up to date by other means) when it is SQLite. It is
	// opened read-only and never migrated; it may lag behind the primary.
	ReplicaURL string
	Logger     *slog.Logger
	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// DB is a handle to the database. For SQLite it holds one writer
// connection and a pool of read-only connections; for PostgreSQL both
// point at one pool. replica is the pool ReadTx uses: a replica's when one
// is configured, else the primary's read pool.
type DB struct {
	dialect Dialect
	write   *sql.DB
	read    *sql.DB
	replica *sql.DB
	now     func() time.Time
	log     *slog.Logger
	metrics struct {
		retries  atomic.Int64
		prepares atomic.Int64 // SQLite statements parsed (stmtcache.go)
	}
	hook  atomic.Pointer[func(query string, args []any)]
	cache readCache // results kept by change stamp (readcache.go)
	// ruleSets keeps the rule sets read by id (they never change).
	ruleSets sync.Map
	// Where is a human description of the database (file path or host/db).
	Where string
}

// Open connects to the database and checks it can be reached. It does not
// migrate; call Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db := &DB{now: cfg.Now, log: cfg.Logger}
	if db.now == nil {
		db.now = time.Now
	}
	if db.log == nil {
		db.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if cfg.URL != "" {
		err = db.openPostgres(ctx, cfg.URL)
	} else {
		err = db.openSQLite(ctx, cfg.DataDir)
	}
	if err == nil {
		err = db.openReplica(ctx, cfg.ReplicaURL)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openReplica opens the read replica, or points ReadTx at the primary's
// read pool when there is none.
func (db *DB) openReplica(ctx context.Context, raw string) error {
	db.replica = db.read
	if raw == "" {
		return nil
	}
	var r *sql.DB
	var err error
	switch db.dialect {
	case Postgres:
		u, perr := url.Parse(raw)
		if perr != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return fmt.Errorf("the replica of a PostgreSQL database must be a PostgreSQL URL such as postgres://user@replica:5432/nipp")
		}
		if r, err = sql.Open("pgx", withoutJIT(u)); err != nil {
			return fmt.Errorf("cannot open the replica at %s: %w", u.Host+u.Path, err)
		}
		r.SetMaxOpenConns(20)
		r.SetMaxIdleConns(20) // as the primary's pool (openPostgres)
		r.SetConnMaxIdleTime(5 * time.Minute)
	default:
		if strings.Contains(raw, "://") {
			return fmt.Errorf("the replica of a SQLite database must be the path of a SQLite file")
		}
		if _, serr := os.Stat(raw); serr != nil {
			return fmt.Errorf("the replica %s cannot be read: %w", raw, unwrapPath(serr))
		}
		// As the primary's readers (openSQLite): statements kept prepared,
		// the same page cache, every connection kept open.
		if r, err = openSQLitePool(&db.metrics.prepares, "file:"+raw+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_time_format=sqlite"+
			"&_pragma=cache_size(-"+strconv.Itoa(readerCacheKB)+")"); err != nil {
			return fmt.Errorf("cannot open the replica %s: %w", raw, err)
		}
		r.SetMaxOpenConns(sqliteReaders())
		r.SetMaxIdleConns(sqliteReaders())
		r.SetConnMaxIdleTime(0)
	}
	db.replica = r
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := r.PingContext(pctx); err != nil {
		return fmt.Errorf("cannot reach the replica: %s", oneLine(err))
	}
	return nil
}

// withoutJIT is a PostgreSQL URL whose sessions do not compile queries
// (jit=off), unless the URL sets jit itself. nipp's statements read a few
// rows through indexes; PostgreSQL compiles a statement whose estimated
// cost passes jit_above_cost, and an estimate far off (a table grown by an
// import since its statistics: 82,000 rows expected, 1,000 read) made it
// compile an import chunk's lookup of 20 ms for 1.3 s, every chunk.
func withoutJIT(u *url.URL) string {
	q := u.Query()
	if !q.Has("jit") {
		q.Set("jit", "off")
	}
	c := *u
	c.RawQuery = q.Encode()
	return c.String()
}

func (db *DB) openPostgres(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("the database URL must look like postgres://user@host:5432/dbname")
	}
	db.dialect = Postgres
	db.Where = u.Host + u.Path
	pool, err := sql.Open("pgx", withoutJIT(u))
	if err != nil {
		return fmt.Errorf("cannot open PostgreSQL at %s: %w", db.Where, err)
	}
	// Every open connection stays open while idle (for 5 minutes): a new
	// one costs a server process and loses its prepared statements.
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db.write, db.read = pool, pool
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.PingContext(pctx); err != nil {
		return fmt.Errorf("cannot reach PostgreSQL at %s: %s", db.Where, oneLine(err))
	}
	return nil
}

func (db *DB) openSQLite(ctx context.Context, dir string) error {
	db.dialect = SQLite
	if dir == "" {
		dir = "nipp-data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cannot create the data folder %s: %w", dir, unwrapPath(err))
	}
	probe := filepath.Join(dir, ".write-test")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		return fmt.Errorf("the data folder %s is not writable: %w", dir, unwrapPath(err))
	}
	os.Remove(probe)
	path := filepath.Join(dir, "nipp.db")
	db.Where = path
	// Pragmas apply to every connection the pool opens. Each connection
	// has its own page cache (SQLite's default is 2 MB): readerCacheKB for
	// each reader, writerCacheKB for the writer (imports touch many index
	// pages). Larger reader caches bought no measurable CPU at 2,000,000
	// establishments (the file's pages sit in the OS cache; a miss costs a
	// read call) and cost resident memory at twice their size through the
	// allocator: 16 MB each took serve to 245 MB under search load, against
	// 99 MB at 2 MB and 140 MB at 4 MB (bench/RESULTS.md). Connections keep
	// their statements prepared (stmtcache.go).
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	w, err := openSQLitePool(&db.metrics.prepares, "file:"+path+"?"+common+"&_pragma=journal_mode(WAL)&_txlock=immediate"+
		"&_pragma=cache_size(-"+strconv.Itoa(writerCacheKB)+")&_pragma=wal_autocheckpoint("+strconv.Itoa(walCheckpointPages)+")")
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	db.write = w
	if err := w.PingContext(ctx); err != nil {
		return fmt.Errorf("cannot open the SQLite database %s: %w", path, err)
	}
	r, err := openSQLitePool(&db.metrics.prepares, "file:"+path+"?"+common+"&_pragma=query_only(1)"+
		"&_pragma=cache_size(-"+strconv.Itoa(readerCacheKB)+")")
	if err != nil {
		return fmt.Errorf("cannot open %s: %w", path, err)
	}
	// Readers: as many as can run at once on the machine's cores with some
	// waiting on the disk, and all of them kept open between requests
	// (database/sql would otherwise keep 2 and open the others again on
	// every burst, parsing the schema and starting with a cold cache).
	r.SetMaxOpenConns(sqliteReaders())
	r.SetMaxIdleConns(sqliteReaders())
	r.SetConnMaxIdleTime(0)
	db.read = r
	return nil
}

// SQLite page caches, in KB (see openSQLite): together well within
// serve's memory budget of 150 MB.
const (
	readerCacheKB = 4 << 10
	writerCacheKB = 16 << 10
)

// walCheckpointPages is how large the WAL grows (in 4 KB pages, 40 MB)
// before a commit copies it into the database. SQLite's default, 1,000
// pages, copied an import's index pages back every few chunks: a page the
// chunks keep changing is now copied once per 10,000 pages written
// (bench/RESULTS.md, "The national file, again").
const walCheckpointPages = 10000

// sqliteReaders is the size of SQLite's pool of read connections.
func sqliteReaders() int { return max(4, runtime.NumCPU()) }

// oneLine flattens a multi-line driver error into one sentence.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Close releases all connections.
func (db *DB) Close() error {
	var errs []error
	if db.replica != nil && db.replica != db.read {
		errs = append(errs, db.replica.Close())
	}
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	return errors.Join(errs...)
}

// Dialect returns the engine in use.
func (db *DB) Dialect() Dialect { return db.dialect }

// Now returns the database handle's notion of the current time, in UTC
// truncated to microseconds (the precision both engines keep).
func (db *DB) Now() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// Ping checks the database can be reached.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	if err := db.read.PingContext(ctx); err != nil {
		return err
	}
	return db.replica.PingContext(ctx)
}

// Tx is a transaction. Store methods hang off it so a use case can make
// several changes and the audit entry atomically.
type Tx struct {
	tx    querier
	db    *DB
	now   time.Time
	write bool
	// single: a ReadStatement's, which runs one statement outside a
	// transaction; a second statement or a write is a programming error.
	single bool
	ran    int
	// memos keeps, in a read-only transaction, what one statement read
	// for a later one in the same snapshot (memo, keep): a registry
	// search's bound and route for the count after its page; the
	// progress summaries a province's dashboard and the country's beside
	// it both read.
	memos map[string]any
}

// querier is what a Tx runs statements on: its transaction, or a pool for
// ReadStatement.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Now is the time the transaction started; every timestamp it writes uses it.
func (tx *Tx) Now() time.Time { return tx.now }

// Dialect returns the engine in use.
func (tx *Tx) Dialect() Dialect { return tx.db.dialect }

// customPlan marks a statement whose best plan depends on its values: a
// text search, where a rare word is read through the text index and a
// common one along the list's order. pgx prepares every statement it runs,
// and after five runs PostgreSQL may switch to a generic plan made without
// the values (which walks a whole index for a rare word); with these
// arguments pgx sends an unnamed statement instead, planned for each run's
// values (its description is still cached: one round trip). SQLite plans
// by the values already (it prepares again when a bound value would change
// the plan).
func (tx *Tx) customPlan(args []any) []any {
	if tx.db.dialect != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...)
}

// CustomPlanned reports whether a statement's arguments (as a query hook
// sees them) ask for a plan made for their values on every run (customPlan).
func CustomPlanned(args []any) bool {
	if len(args) == 0 {
		return false
	}
	_, ok := args[0].(pgx.QueryExecMode)
	return ok
}

// boolSQL writes a boolean constant as the engine spells it in a partial
// index's condition (1/0 on SQLite, TRUE/FALSE on PostgreSQL), for
// conditions that must match such an index.
func (tx *Tx) boolSQL(b bool) string {
	switch {
	case tx.db.dialect == SQLite && b:
		return "1"
	case tx.db.dialect == SQLite:
		return "0"
	case b:
		return "TRUE"
	}
	return "FALSE"
}

// WriteTx runs fn in a read-write transaction, committing when fn returns
// nil and rolling back otherwise. On PostgreSQL a transaction chosen as the
// victim of a deadlock or a serialization failure is run again (fn from the
// start, in a new transaction), a few times with a growing pause, so that
// users never see the engine's own conflict resolution; fn must therefore
// do nothing outside the transaction that cannot be repeated.
func (db *DB) WriteTx(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; ; attempt++ {
		err = db.runTx(ctx, db.write, true, fn)
		if err == nil || db.dialect != Postgres || !retryable(err) || attempt == maxTxAttempts-1 {
			return err
		}
		db.metrics.retries.Add(1)
		pause := time.Duration(5<<attempt)*time.Millisecond + time.Duration(rand.N(5))*time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// maxTxAttempts bounds WriteTx's runs of one transaction.
const maxTxAttempts = 5

// Retries returns how many write transactions were run again after a
// deadlock or serialization failure since the handle was opened.
func (db *DB) Retries() int64 { return db.metrics.retries.Load() }

// Prepares returns how many statements SQLite parsed since the handle was
// opened (kept prepared or run once); 0 on PostgreSQL. Tests use it to show
// that work done per row reuses its statements.
func (db *DB) Prepares() int64 { return db.metrics.prepares.Load() }

// ReadTx runs fn in a read-only transaction (a consistent snapshot) that
// the replica serves when one is configured: it may not yet show what was
// just committed. Use it for lists, pages and exports.
func (db *DB) ReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.runTx(ctx, db.replica, false, fn)
}

// ReadPrimaryTx runs fn in a read-only transaction on the primary, so it
// sees every committed write: for reads that must see one's own writes
// (the session and token behind a request, the page shown right after a
// save, a worker's own progress).
func (db *DB) ReadPrimaryTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.runTx(ctx, db.read, false, fn)
}

// ReadStatement runs fn, which runs exactly one read statement, outside a
// transaction (as ReadTx, on the replica when there is one): one statement
// sees one snapshot by itself, and it saves BEGIN and COMMIT (two round
// trips to PostgreSQL) on the hottest reads: a token's check, the change
// stamp of a kept answer. A second statement or a write in fn panics.
func (db *DB) ReadStatement(ctx context.Context, fn func(tx *Tx) error) error {
	return fn(&Tx{tx: db.replica, db: db, now: db.Now(), single: true})
}

// ReadPrimaryStatement is ReadStatement on the primary (as ReadPrimaryTx).
func (db *DB) ReadPrimaryStatement(ctx context.Context, fn func(tx *Tx) error) error {
	return fn(&Tx{tx: db.read, db: db, now: db.Now(), single: true})
}

// HasReplica reports whether ReadTx is served by a replica.
func (db *DB) HasReplica() bool { return db.replica != db.read }

func (db *DB) runTx(ctx context.Context, pool *sql.DB, write bool, fn func(tx *Tx) error) (err error) {
	opts := &sql.TxOptions{}
	if !write && db.dialect == Postgres {
		opts.ReadOnly = true
		opts.Isolation = sql.LevelRepeatableRead
	}
	stx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return mapError(fmt.Errorf("begin: %w", err))
	}
	tx := &Tx{tx: stx, db: db, now: db.Now(), write: write}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
		if err != nil {
			stx.Rollback()
			return
		}
		if cerr := stx.Commit(); cerr != nil {
			err = mapError(fmt.Errorf("commit: %w", cerr))
		}
	}()
	return fn(tx)
}

// SetQueryHook makes every statement run through a transaction call fn
// with its text and arguments first (nil removes it). Tests count and
// explain statements with it (a list must not query once per item, hot
// statements must use their indexes); it is not for production use.
func (db *DB) SetQueryHook(fn func(query string, args []any)) {
	if fn == nil {
		db.hook.Store(nil)
		return
	}
	db.hook.Store(&fn)
}

func (tx *Tx) observe(query string, args []any) {
	if tx.single {
		if tx.ran++; tx.ran > 1 {
			panic("store: a second statement in ReadStatement: " + query)
		}
	}
	if h := tx.db.hook.Load(); h != nil {
		(*h)(query, args)
	}
}

// Exec runs a statement.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.single {
		panic("store: a write in ReadStatement: " + query)
	}
	tx.observe(query, args)
	res, err := tx.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	return res, nil
}

// Query runs a query returning rows.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx.observe(query, args)
	rows, err := tx.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	return rows, nil
}

// QueryRow runs a query returning at most one row. Scan errors are raw;
// use ScanOne to get ENOTFOUND.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	tx.observe(query, args)
	return tx.tx.QueryRowContext(ctx, query, args...)
}

// InsertID runs an INSERT ... RETURNING id and returns the id.
func (tx *Tx) InsertID(ctx context.Context, query string, args ...any) (int64, error) {
	if !strings.Contains(strings.ToUpper(query), "RETURNING") {
		query += " RETURNING id"
	}
	var id int64
	if tx.single {
		panic("store: a write in ReadStatement: " + query)
	}
	tx.observe(query, args)
	if err := tx.tx.QueryRowContext(ctx, query, args...).Scan(&id); err != nil {
		return 0, mapError(err)
	}
	return id, nil
}

// memo returns what the transaction kept under key (only a read-only
// transaction keeps anything: a write could change it).
func (tx *Tx) memo(key string) (any, bool) {
	v, ok := tx.memos[key]
	return v, ok
}

// keep keeps v under key for the rest of a read-only transaction; what
// is kept is shared by its readers, which must not change it.
func (tx *Tx) keep(key string, v any) {
	if tx.write {
		return
	}
	if tx.memos == nil {
		tx.memos = map[string]any{}
	}
	tx.memos[key] = v
}
