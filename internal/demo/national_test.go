package demo_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"nipp/internal/app"
	"nipp/internal/demo"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// TestNationalPathSmall runs the national scale's path (demo.National's
// options: plan years 2014-2030, fairs' participants as beneficiaries, the
// bulk load with triggers off and derived data rebuilt) at a small size on
// both engines, so that it cannot rot: the derived data equals what the
// triggers and handlers would have kept, and the triggers are back.
func TestNationalPathSmall(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var out bytes.Buffer
		size := demo.National
		size.Establishments, size.Projects, size.Progress = 3000, 600, &out
		mustLoad(t, db, size)
		for _, want := range []string{"bulk load", "establishments: 3000 of 3000 (100%)", "projects (budgets, outputs, beneficiaries, timelines): 600 of 600", "ledgers and balances: done"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("progress does not say %q:\n%s", want, out.String())
			}
		}
		// The years asked for, and fairs with tens of beneficiaries.
		if lo, hi := count(t, db, `SELECT MIN(year) FROM projects`), count(t, db, `SELECT MAX(year) FROM projects`); lo != 2014 || hi != 2030 {
			t.Errorf("plan years %d-%d, want 2014-2030", lo, hi)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM (SELECT project_id FROM project_beneficiaries GROUP BY project_id HAVING COUNT(*) >= 20) x`); n == 0 {
			t.Errorf("no project has 20 beneficiaries or more")
		}
		// Counts as the triggers keep them.
		if n := count(t, db, `SELECT COUNT(*) FROM (SELECT province_id, status, published, review_duplicate, SUM(n) AS n FROM establishment_counts
				GROUP BY province_id, status, published, review_duplicate) c
			FULL OUTER JOIN (SELECT province_id, status, published, review_duplicate, COUNT(*) AS n FROM establishments
				GROUP BY province_id, status, published, review_duplicate) e
			ON c.province_id = e.province_id AND c.status = e.status AND c.published = e.published AND c.review_duplicate = e.review_duplicate
			WHERE c.n IS NULL OR e.n IS NULL OR c.n <> e.n`); n != 0 {
			t.Errorf("%d establishment counts differ from the table", n)
		}
		// Each province row of a project carries the project's state.
		if n := count(t, db, `SELECT COUNT(*) FROM project_provinces pp JOIN projects p ON p.id = pp.project_id
			WHERE pp.state IS NULL OR pp.state <> p.state`); n != 0 {
			t.Errorf("%d project provinces without their project's state", n)
		}
		// The text indexes hold every row (SQLite's FTS5 checks itself).
		if db.Dialect() == store.SQLite {
			for _, fts := range []string{"establishments_fts", "projects_fts"} {
				if err := db.RawExec(ctx, `INSERT INTO `+fts+`(`+fts+`, rank) VALUES ('integrity-check', 1)`); err != nil {
					t.Errorf("%s: %v", fts, err)
				}
			}
			if n := count(t, db, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('establishments', 'projects', 'budget_lines')`); n < 12 {
				t.Errorf("%d triggers on the bulk-loaded tables after the load", n)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM meta WHERE key = 'bulk_load_triggers'`); n != 0 {
				t.Errorf("the bulk load's mark is left")
			}
		} else if n := count(t, db, `SELECT COUNT(*) FROM pg_trigger WHERE tgname IN ('establishment_counts_ins', 'establishment_counts_del') AND tgenabled = 'O'`); n != 2 {
			t.Errorf("the counts trigger is not enabled again")
		}
		// The triggers work again: a new establishment is counted.
		before := count(t, db, `SELECT COALESCE(SUM(n), 0) FROM establishment_counts`)
		if err := db.RawExec(ctx, `INSERT INTO establishments (public_id, name, name_fold, legal_form, province_id, orig_province_id, commune_id, recorded_on, created_at, updated_at)
			SELECT 'cs-bulk-after', 'Cơ sở sau khi nạp', 'co so sau khi nap', legal_form, province_id, orig_province_id, commune_id, recorded_on, created_at, updated_at
			FROM establishments WHERE id = (SELECT MIN(id) FROM establishments)`); err != nil {
			t.Fatal(err)
		}
		if after := count(t, db, `SELECT COALESCE(SUM(n), 0) FROM establishment_counts`); after != before+1 {
			t.Errorf("counts %d after an insert, want %d", after, before+1)
		}
		// Ledger balances and progress summaries: built by their rebuild,
		// equal to what the base tables give.
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			want, err := tx.LedgerBalancesFromEntries(ctx, 0)
			if err != nil {
				return err
			}
			if len(want) == 0 {
				t.Errorf("no ledgers")
			}
			for pid, bs := range want {
				for _, b := range bs {
					got, err := tx.LedgerBalance(ctx, pid, b.Source)
					if err != nil {
						return err
					}
					if got != b {
						t.Errorf("project %d %s: balance %+v, entries give %+v", pid, b.Source, got, b)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var ds []nipp.RollupDifference
		_, err = app.New(db, slog.New(slog.DiscardHandler)).VerifyRollupsAsSystem(ctx, func(d nipp.RollupDifference) error {
			ds = append(ds, d)
			return nil
		})
		if err != nil || len(ds) != 0 {
			t.Errorf("progress summaries: %v, %d differences (%+v)", err, len(ds), ds)
		}
		// A second national load into the same database is refused.
		if st, err := demo.LoadIfEmpty(ctx, db, size); err != nil || st.Establishments != 0 {
			t.Errorf("second load: %+v %v", st, err)
		}
	})
}
