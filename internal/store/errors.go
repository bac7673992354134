package store

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"nipp/internal/nipp"
)

// Driver error classes, decided by SQLSTATE or SQLite extended result code,
// never by matching message text.
const (
	classUnique = iota + 1
	classForeignKey
	classCheck
	classNotNull
	classBusy
)

func classify(err error) int {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return classUnique
		case "23503":
			return classForeignKey
		case "23514":
			return classCheck
		case "23502":
			return classNotNull
		case "40001", "40P01", "55P03":
			return classBusy
		}
		return 0
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return classUnique
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return classForeignKey
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return classCheck
		case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return classNotNull
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return classBusy
		}
	}
	return 0
}

// retryable reports whether a PostgreSQL transaction failed only because the
// engine chose it as the victim of a deadlock (40P01) or a serialization
// failure (40001): running it again can succeed.
func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

// IsUniqueViolation reports whether err comes from a unique constraint.
func IsUniqueViolation(err error) bool { return classify(err) == classUnique }

// mapError turns driver errors into application errors with a code; the
// driver error stays wrapped for the log.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var ae *nipp.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &nipp.Error{Code: nipp.ENOTFOUND, Msg: nipp.M("err.store.record_not_found"), Err: err}
	}
	switch classify(err) {
	case classUnique:
		return &nipp.Error{Code: nipp.ECONFLICT, Msg: nipp.M("err.store.record_exists"), Err: err}
	case classForeignKey:
		return &nipp.Error{Code: nipp.EINVALID, Msg: nipp.M("err.store.reference_missing"), Err: err}
	case classCheck, classNotNull:
		return &nipp.Error{Code: nipp.EINVALID, Msg: nipp.M("err.store.invalid_data"), Err: err}
	case classBusy:
		return &nipp.Error{Code: nipp.ECONFLICT, Msg: nipp.M("err.store.busy"), Err: err}
	}
	return nipp.Internal(err)
}

// NotFound returns an ENOTFOUND error naming what was missing: an entity
// kind (shown by its name, catalog "entity.<what>") and optionally the key
// that was looked up (a code, a date).
func NotFound(what string, key ...any) error {
	if len(key) > 0 {
		return nipp.Errorf(nipp.ENOTFOUND, "err.store.not_found_key", nipp.NameOf("entity", what), key[0])
	}
	return nipp.Errorf(nipp.ENOTFOUND, "err.store.not_found", nipp.NameOf("entity", what))
}

// ScanOne scans a single row, turning "no rows" into ENOTFOUND naming what.
func ScanOne(row *sql.Row, what string, dest ...any) error {
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFound(what)
	}
	return mapError(err)
}

// notFoundOr turns "no rows" into ENOTFOUND naming what, and maps others.
func notFoundOr(err error, what string, key ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return NotFound(what, key...)
	}
	return mapError(err)
}
