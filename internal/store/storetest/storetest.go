// Package storetest opens fresh, migrated databases for tests: SQLite
// always, PostgreSQL whenever NIPP_TEST_POSTGRES holds a URL. Each engine is
// migrated once per test binary into a template; each test gets a copy.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"nipp/internal/store"
)

// PostgresURL returns the URL of the test PostgreSQL server, or "".
func PostgresURL() string { return os.Getenv("NIPP_TEST_POSTGRES") }

// Options adjust the database a test gets.
type Options struct {
	// Now fixes the clock; nil means time.Now.
	Now func() time.Time
}

// Each runs fn once per available engine, as subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	EachWith(t, Options{}, fn)
}

// EachWith is Each with options.
func EachWith(t *testing.T, opt Options, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t, opt)) })
	if PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t, opt)) })
	}
}

var (
	sqliteOnce sync.Once
	sqliteTmpl string
	sqliteErr  error
	pgOnce     sync.Once
	pgTmpl     string
	pgErr      error
)

// OpenSQLite returns a fresh migrated SQLite database in t.TempDir().
func OpenSQLite(t testing.TB, opt Options) *store.DB {
	t.Helper()
	ctx := context.Background()
	sqliteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nipp-tmpl-")
		if err != nil {
			sqliteErr = err
			return
		}
		db, err := store.Open(ctx, store.Config{DataDir: dir})
		if err != nil {
			sqliteErr = err
			return
		}
		if _, err := db.Migrate(ctx); err != nil {
			sqliteErr = err
			db.Close()
			return
		}
		if err := db.Checkpoint(ctx); err != nil {
			sqliteErr = err
		}
		db.Close()
		sqliteTmpl = filepath.Join(dir, "nipp.db")
	})
	if sqliteErr != nil {
		t.Fatalf("preparing the SQLite template: %v", sqliteErr)
	}
	dir := t.TempDir()
	if err := copyFile(sqliteTmpl, filepath.Join(dir, "nipp.db")); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, store.Config{DataDir: dir, Now: opt.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenPostgres returns a fresh migrated PostgreSQL database (a copy of a
// template), dropped when the test ends. It fails the test when
// NIPP_TEST_POSTGRES is unset.
func OpenPostgres(t testing.TB, opt Options) *store.DB {
	t.Helper()
	pgOnce.Do(func() {
		ctx := context.Background()
		admin, err := store.OpenAdmin(ctx, requirePostgres(t))
		if err != nil {
			pgErr = err
			return
		}
		defer admin.Close()
		name := "nipp_tmpl_" + randomSuffix()
		if err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			pgErr = err
			return
		}
		db, err := store.Open(ctx, store.Config{URL: withDB(PostgresURL(), name)})
		if err != nil {
			pgErr = err
			return
		}
		_, pgErr = db.Migrate(ctx)
		db.Close()
		pgTmpl = name
	})
	if pgErr != nil {
		t.Fatalf("preparing the PostgreSQL template: %v", pgErr)
	}
	return newPostgres(t, "nipp_t_", " TEMPLATE "+pgTmpl, opt)
}

// OpenEmptyPostgres returns a new, empty (unmigrated) PostgreSQL database,
// dropped when the test ends.
func OpenEmptyPostgres(t testing.TB) *store.DB {
	t.Helper()
	return newPostgres(t, "nipp_e_", "", Options{})
}

func requirePostgres(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		t.Fatal("NIPP_TEST_POSTGRES is not set")
	}
	return base
}

// newPostgres creates a database (with the given CREATE DATABASE suffix,
// e.g. a TEMPLATE clause), opens it, and drops it when the test ends.
func newPostgres(t testing.TB, prefix, create string, opt Options) *store.DB {
	t.Helper()
	base := requirePostgres(t)
	ctx := context.Background()
	admin, err := store.OpenAdmin(ctx, base)
	if err != nil {
		t.Fatalf("connecting to the test PostgreSQL: %v", err)
	}
	defer admin.Close()
	name := prefix + randomSuffix()
	if err := admin.Exec(ctx, "CREATE DATABASE "+name+create); err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	db, err := store.Open(ctx, store.Config{URL: withDB(base, name), Now: opt.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if a, err := store.OpenAdmin(context.Background(), base); err == nil {
			a.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			a.Close()
		}
	})
	return db
}

// DropTemplates removes the PostgreSQL template database; call it from
// TestMain after m.Run.
func DropTemplates() {
	if pgTmpl == "" {
		return
	}
	if a, err := store.OpenAdmin(context.Background(), PostgresURL()); err == nil {
		a.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgTmpl+" WITH (FORCE)")
		a.Close()
	}
}

// Main is a TestMain body for packages using storetest.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	DropTemplates()
	if sqliteTmpl != "" {
		os.RemoveAll(filepath.Dir(sqliteTmpl))
	}
	return code
}

func withDB(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// MustExec runs SQL directly, for tests that tamper with data.
func MustExec(t testing.TB, db *store.DB, q string, args ...any) {
	t.Helper()
	if err := db.RawExec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// EachWithLaggingReplica runs fn once per available engine over a database
// with a read replica (store.Config.ReplicaURL) that is a copy of the
// primary taken when setup returned and never updated afterwards: a
// replica that lags behind every later write. SQLite's replica is a second
// file, PostgreSQL's a second database.
func EachWithLaggingReplica(t *testing.T, setup func(t testing.TB, db *store.DB), fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteWithReplica(t, setup)) })
	if PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, postgresWithReplica(t, setup)) })
	}
}

func sqliteWithReplica(t testing.TB, setup func(t testing.TB, db *store.DB)) *store.DB {
	t.Helper()
	ctx := context.Background()
	db := OpenSQLite(t, Options{})
	setup(t, db)
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	primary := db.Where
	replica := filepath.Join(filepath.Dir(primary), "replica.db")
	if err := copyFile(primary, replica); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, err := store.Open(ctx, store.Config{DataDir: filepath.Dir(primary), ReplicaURL: replica})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	return out
}

func postgresWithReplica(t testing.TB, setup func(t testing.TB, db *store.DB)) *store.DB {
	t.Helper()
	OpenPostgres(t, Options{}) // prepares the template
	base := requirePostgres(t)
	ctx := context.Background()
	admin, err := store.OpenAdmin(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "nipp_p_" + randomSuffix()
	if err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+pgTmpl); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(base, name) })
	db, err := store.Open(ctx, store.Config{URL: withDB(base, name)})
	if err != nil {
		t.Fatal(err)
	}
	setup(t, db)
	db.Close()
	// CREATE DATABASE ... TEMPLATE copies the primary as it is now.
	if err := admin.Exec(ctx, "CREATE DATABASE "+name+"_r TEMPLATE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(base, name+"_r") })
	out, err := store.Open(ctx, store.Config{URL: withDB(base, name), ReplicaURL: withDB(base, name+"_r")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	return out
}

func dropDatabase(base, name string) {
	if a, err := store.OpenAdmin(context.Background(), base); err == nil {
		a.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		a.Close()
	}
}
