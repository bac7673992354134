package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Admin is a connection to a PostgreSQL server's maintenance database, for
// creating and dropping databases (tests, setup).
type Admin struct{ db *sql.DB }

// OpenAdmin connects with the given URL.
func OpenAdmin(ctx context.Context, url string) (*Admin, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return &Admin{db: db}, nil
}

// Exec runs a statement outside any transaction.
func (a *Admin) Exec(ctx context.Context, q string) error {
	_, err := a.db.ExecContext(ctx, q)
	return err
}

// Close closes the connection.
func (a *Admin) Close() error { return a.db.Close() }

// Checkpoint folds the SQLite write-ahead log into the database file.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	_, err := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// RawExec runs a statement outside the use-case layer. Only tests and
// maintenance commands use it.
func (db *DB) RawExec(ctx context.Context, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%w", mapError(err))
	}
	return nil
}
