package store_test

import (
	"context"
	"strings"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// TestLedgerMigrationBackfill: migration 0014 gives the projects decided
// before the ledger existed their commitments (one per approved budget
// line, dated and documented by the decision), their heads, balances and
// roll-up. The backfill is run again here on demo projects whose ledgers
// are emptied first.
func TestLedgerMigrationBackfill(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 300, Projects: 120, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		ms, err := store.Migrations(db.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		var backfill string
		for _, m := range ms {
			if strings.HasSuffix(m.Name, "_ledger") {
				_, backfill, _ = strings.Cut(m.SQL, "-- Projects decided before the ledger existed")
			}
		}
		if backfill == "" {
			t.Fatal("no backfill in the ledger migration")
		}
		for _, q := range []string{`DELETE FROM ledger_rollup`, `DELETE FROM ledger_balances`, `DELETE FROM ledger_heads`,
			`UPDATE ledger_entries SET reverses_id = NULL, kind = 'expenditure' WHERE kind = 'reversal'`, `DELETE FROM ledger_entries`} {
			storetest.MustExec(t, db, q)
		}
		if err := db.RawExec(ctx, "-- "+backfill); err != nil {
			t.Fatal(err)
		}
		one := func(q string) int64 {
			var n int64
			if err := db.ReadTx(ctx, func(tx *store.Tx) error { return tx.QueryRow(ctx, q).Scan(&n) }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		decided := `p.state IN ('approved', 'in_implementation', 'accepted', 'settled') AND p.decision_date IS NOT NULL AND b.approved > 0`
		lines := one(`SELECT COUNT(*) FROM budget_lines b JOIN projects p ON p.id = b.project_id WHERE ` + decided)
		approved := one(`SELECT COALESCE(SUM(b.approved), 0) FROM budget_lines b JOIN projects p ON p.id = b.project_id WHERE ` + decided)
		if lines == 0 {
			t.Fatal("no decided project to backfill")
		}
		if got := one(`SELECT COUNT(*) FROM ledger_entries e JOIN projects p ON p.id = e.project_id
			WHERE e.kind = 'commitment' AND e.entry_date = p.decision_date AND e.doc_no = p.decision_no`); got != lines {
			t.Errorf("%d commitments from the decisions, want %d", got, lines)
		}
		for _, q := range []string{`SELECT SUM(committed) FROM ledger_balances`, `SELECT SUM(committed) FROM ledger_rollup`} {
			if got := one(q); got != approved {
				t.Errorf("%s = %d, want %d", q, got, approved)
			}
		}
		if got := one(`SELECT COUNT(*) FROM ledger_heads h WHERE h.entries <> (SELECT COUNT(*) FROM ledger_entries e WHERE e.project_id = h.project_id)`); got != 0 {
			t.Errorf("%d heads do not count their entries", got)
		}
	})
}
