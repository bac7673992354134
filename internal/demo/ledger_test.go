package demo_test

import (
	"context"
	"fmt"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// TestDemoLedgers: the demo's decided projects have ledgers whose kept
// balances are their entries' sums; settled projects reconcile to their
// settled amounts; nothing is advanced beyond 70% before acceptance; some
// entries are corrected by reversals and some reciprocal capital falls
// short.
func TestDemoLedgers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustLoad(t, db, demo.Size{Establishments: 600, Projects: 300, Seed: 7})
		ctx := context.Background()
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			sums, err := tx.LedgerBalancesFromEntries(ctx, 0)
			if err != nil {
				return err
			}
			if len(sums) < 100 {
				t.Fatalf("only %d projects have a ledger", len(sums))
			}
			for pid, want := range sums {
				got, err := tx.LedgerBalances(ctx, pid)
				if err != nil {
					return err
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("project %d: balances %+v, entries add up to %+v", pid, got, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		n := func(q string) int { return count(t, db, q) }
		if n(`SELECT COUNT(*) FROM ledger_entries WHERE kind = 'reversal'`) == 0 {
			t.Error("no correction in the demo ledgers")
		}
		if n(`SELECT COUNT(*) FROM ledger_entries WHERE kind = 'contribution'`) == 0 || n(`SELECT COUNT(*) FROM ledger_balances b JOIN projects p ON p.id = b.project_id
			WHERE p.state = 'settled' AND b.source = 'reciprocal' AND b.contributed < b.committed`) == 0 {
			t.Error("no reciprocal capital short of its promise")
		}
		// Settled projects reconcile and settle at their ledger's figures.
		if bad := n(`SELECT COUNT(*) FROM ledger_balances b JOIN projects p ON p.id = b.project_id
			JOIN budget_lines l ON l.project_id = p.id AND l.source = b.source
			WHERE p.state = 'settled' AND (CASE WHEN b.source = 'reciprocal' THEN b.contributed ELSE b.spent + b.adjusted END <> l.actual
			OR (b.source <> 'reciprocal' AND b.advanced + b.paid <> b.spent + b.adjusted + b.refunded)
			OR (b.source <> 'reciprocal' AND b.committed - b.released - b.advanced - b.paid <> 0))`); bad > 0 {
			t.Errorf("%d settled sources do not reconcile", bad)
		}
		// Advances never pass 70% of the approved amount (the shipped rule
		// sets' limit) nor a payment the approved amount.
		if bad := n(`SELECT COUNT(*) FROM ledger_balances WHERE source <> 'reciprocal' AND (advanced * 10 > committed * 7 OR advanced + paid > committed)`); bad > 0 {
			t.Errorf("%d sources over the advance limits", bad)
		}
		if bad := n(`SELECT COUNT(*) FROM ledger_entries e JOIN projects p ON p.id = e.project_id WHERE e.entry_date < p.decision_date`); bad > 0 {
			t.Errorf("%d entries dated before their approval", bad)
		}
	})
}
