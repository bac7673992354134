package demo

import (
	"context"
	"fmt"
	"strings"

	"nipp/internal/store"
)

// maxParams keeps every statement well under both engines' limits on bound
// parameters (SQLite 32,766, PostgreSQL 65,535).
const maxParams = 30000

// sqliteParams is the size of a statement on SQLite. Its parameters are
// written "?" (tx.Placeholder): SQLite resolves each numbered parameter
// ($n) by a linear search of those before it, so a statement of n of them
// costs O(n²) to bind (25,000 took seconds; at 400 the search was still 8%
// of a national load's CPU).
const sqliteParams = 4000

// valuesSQL returns "INSERT INTO table (cols) VALUES ($1, ...), ..." for
// rows rows.
func valuesSQL(tx *store.Tx, table string, cols []string, rows int) string {
	var b strings.Builder
	b.Grow(32 + 8*len(cols)*rows)
	b.WriteString("INSERT INTO ")
	b.WriteString(table)
	b.WriteString(" (")
	b.WriteString(strings.Join(cols, ", "))
	b.WriteString(") VALUES ")
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteString(tx.Placeholder(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// insertRows inserts args, len(cols) values per row, in as few multi-row
// statements as the parameter limit allows.
func insertRows(ctx context.Context, tx *store.Tx, table string, cols []string, args []any) error {
	return insertReturning(ctx, tx, table, cols, args, "", nil)
}

// insertReturning is insertRows with a RETURNING clause; scanRow is called
// for every returned row.
func insertReturning(ctx context.Context, tx *store.Tx, table string, cols []string, args []any,
	returning string, scanRow func(scan func(...any) error) error) error {
	if len(args)%len(cols) != 0 {
		return fmt.Errorf("demo: %d values for %d columns of %s", len(args), len(cols), table)
	}
	limit := maxParams
	if tx.Dialect() == store.SQLite {
		limit = sqliteParams
	}
	per := max(1, limit/len(cols))
	total := len(args) / len(cols)
	for start := 0; start < total; start += per {
		n := min(per, total-start)
		q := valuesSQL(tx, table, cols, n)
		part := args[start*len(cols) : (start+n)*len(cols)]
		if returning == "" {
			if _, err := tx.Exec(ctx, q, part...); err != nil {
				return fmt.Errorf("inserting into %s: %w", table, err)
			}
			continue
		}
		rows, err := tx.Query(ctx, q+" RETURNING "+returning, part...)
		if err != nil {
			return fmt.Errorf("inserting into %s: %w", table, err)
		}
		for rows.Next() {
			if err := scanRow(rows.Scan); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("inserting into %s: %w", table, err)
		}
	}
	return nil
}
