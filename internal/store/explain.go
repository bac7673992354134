package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"nipp/internal/nipp"
)

// Explain returns the plan the engine chooses for a statement with these
// arguments, one line per step: SQLite's EXPLAIN QUERY PLAN (indented by
// level) or PostgreSQL's EXPLAIN (a custom plan, for these values). For
// tests of query plans and for bench/trace.
func Explain(ctx context.Context, tx *Tx, query string, args ...any) ([]string, error) {
	if tx.Dialect() == Postgres {
		return explainLines(ctx, tx, `EXPLAIN `+query, args...)
	}
	rows, err := tx.Query(ctx, `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	depth := map[int64]int{}
	var out []string
	for rows.Next() {
		var id, parent, unused int64
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		depth[id] = depth[parent] + 1
		out = append(out, strings.Repeat("  ", depth[id]-1)+detail)
	}
	return out, rows.Err()
}

// ExplainGeneric returns PostgreSQL's generic plan of a statement: the plan
// a prepared statement (pgx prepares every statement it runs) switches to
// after five runs when it costs no more than the custom ones, chosen
// without looking at the arguments. The arguments are written into an
// EXECUTE as literals. On SQLite, whose plans never depend on the values,
// it is Explain, as it is for statements run with customPlan.
func ExplainGeneric(ctx context.Context, tx *Tx, query string, args ...any) ([]string, error) {
	if tx.Dialect() != Postgres || CustomPlanned(args) {
		// SQLite, and statements planned for their values every run.
		return Explain(ctx, tx, query, args...)
	}
	lits := make([]string, len(args))
	for i, a := range args {
		l, err := sqlLiteral(a)
		if err != nil {
			return nil, err
		}
		lits[i] = l
	}
	if _, err := tx.Exec(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `PREPARE nipp_explain AS `+query); err != nil {
		return nil, err
	}
	defer tx.Exec(ctx, `DEALLOCATE nipp_explain`)
	exec := `EXPLAIN EXECUTE nipp_explain`
	if len(lits) > 0 {
		exec += `(` + strings.Join(lits, ", ") + `)`
	}
	return explainLines(ctx, tx, exec)
}

func explainLines(ctx context.Context, tx *Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// sqlLiteral writes an argument as a PostgreSQL literal (ExplainGeneric).
func sqlLiteral(a any) (string, error) {
	switch v := a.(type) {
	case nil:
		return "NULL", nil
	case bool:
		if v {
			return "TRUE", nil
		}
		return "FALSE", nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'", nil
	case time.Time:
		return "'" + v.UTC().Format(time.RFC3339Nano) + "'", nil
	case nipp.Date:
		return "'" + v.String() + "'", nil
	case []string:
		return arrayLiteral(v, func(s string) (string, error) { return sqlLiteral(s) })
	case []int64:
		return arrayLiteral(v, func(n int64) (string, error) { return sqlLiteral(n) })
	}
	return "", fmt.Errorf("store: no literal for %T", a)
}

// arrayLiteral writes a slice as ARRAY[...] of its elements' literals.
func arrayLiteral[T any](vals []T, lit func(T) (string, error)) (string, error) {
	if len(vals) == 0 {
		return "'{}'", nil // typed by the parameter (ARRAY[] has no type)
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		l, err := lit(v)
		if err != nil {
			return "", err
		}
		out[i] = l
	}
	return "ARRAY[" + strings.Join(out, ", ") + "]", nil
}
