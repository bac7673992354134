package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"nipp/internal/nipp"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// afterMigration fills, in a migration's own transaction, what SQL alone
// would have to repeat: keyed by the migration's name without its number
// (numbers change when branches land), so "0016_progress" fills the
// progress summaries from the rows already there.
var afterMigration = map[string]func(*Tx, context.Context) error{
	"progress":            func(tx *Tx, ctx context.Context) error { return tx.rebuildProgress(ctx, false) },
	"dashboard_summaries": (*Tx).fill0018,
}

// migrationTopic is a migration's name without its number.
func migrationTopic(name string) string {
	_, topic, _ := strings.Cut(name, "_")
	return topic
}

// Migrations returns the embedded migrations of a dialect, in order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s/%s: name must start with a number and an underscore", dir, name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("two migrations numbered %d in %s", out[i].Version, dir)
		}
	}
	return out, nil
}

// SchemaVersion returns the highest applied migration (0 for an empty database).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	q := `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')`
	if db.dialect == Postgres {
		q = `SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations')`
	}
	if err := db.write.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return 0, mapError(err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := db.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, mapError(err)
	}
	return v, nil
}

// LatestVersion is the newest migration this binary knows.
func (db *DB) LatestVersion() (int, error) {
	ms, err := Migrations(db.dialect)
	if err != nil {
		return 0, err
	}
	if len(ms) == 0 {
		return 0, nil
	}
	return ms[len(ms)-1].Version, nil
}

// CheckSchema returns an error when the database schema is newer than this
// binary knows, or not fully migrated.
func (db *DB) CheckSchema(ctx context.Context) error {
	have, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	latest, err := db.LatestVersion()
	if err != nil {
		return err
	}
	if have > latest {
		return nipp.Errorf(nipp.EINVALID, "the database schema is at version %d but this nipp knows only up to %d; run a newer nipp", have, latest)
	}
	if have < latest {
		return nipp.Errorf(nipp.EINVALID, "the database schema is at version %d of %d; run `nipp migrate`", have, latest)
	}
	return nil
}

// Migrate applies pending migrations, each in its own transaction, then
// loads the embedded reference data (idempotently). It returns the versions
// applied. It refuses a schema newer than it knows.
func (db *DB) Migrate(ctx context.Context) ([]int, error) {
	ms, err := Migrations(db.dialect)
	if err != nil {
		return nil, err
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return nil, mapError(fmt.Errorf("create schema_migrations: %w", err))
	}
	if db.dialect == Postgres {
		// Several nodes may start at once: one migrates, the others wait.
		conn, err := db.write.Conn(ctx)
		if err != nil {
			return nil, mapError(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7405501)`); err != nil {
			return nil, mapError(err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7405501)`)
	}
	have, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if len(ms) > 0 && have > ms[len(ms)-1].Version {
		return nil, db.CheckSchema(ctx)
	}
	// Apply every migration not yet recorded, not only those above the
	// highest: migration numbers are reserved per feature branch, so a
	// lower number can land after a higher one.
	done := map[int]bool{}
	if have > 0 {
		rows, err := db.write.QueryContext(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return nil, mapError(err)
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, mapError(err)
			}
			done[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapError(err)
		}
	}
	var applied []int
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		err := db.WriteTx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if fill := afterMigration[migrationTopic(m.Name)]; fill != nil {
				if err := fill(tx, ctx); err != nil {
					return fmt.Errorf("migration %s: %w", m.Name, err)
				}
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.Version, m.Name, tx.Now().Format("2006-01-02T15:04:05Z"))
			return err
		})
		if err != nil {
			return applied, err
		}
		db.log.Info("migration applied", "version", m.Version, "name", m.Name)
		applied = append(applied, m.Version)
	}
	if err := db.LoadReferenceData(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}
