package store_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"nipp/internal/demo"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// Each statement of a detail's first read (ReadProjectDetail: keyed by the
// project's public id, the project's id found by a subquery) reads its
// tables through their indexes on both engines: no full scan of the
// projects or of any table of their parts.
func TestProjectDetailReadUsesIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.Size{Establishments: 300, Projects: 80, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		var id string
		if err := db.ReadTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT p.public_id FROM projects p WHERE (SELECT COUNT(*) FROM project_beneficiaries b WHERE b.project_id = p.id) >= 2
				AND EXISTS (SELECT 1 FROM budget_lines b WHERE b.project_id = p.id) ORDER BY p.id LIMIT 1`).Scan(&id)
		}); err != nil {
			t.Fatal(err)
		}
		type stmt struct {
			q    string
			args []any
		}
		var mu sync.Mutex
		var seen []stmt
		db.SetQueryHook(func(q string, args []any) {
			mu.Lock()
			seen = append(seen, stmt{q, append([]any(nil), args...)})
			mu.Unlock()
		})
		d, err := db.ReadProjectDetail(ctx, id, false)
		db.SetQueryHook(nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Project.Beneficiaries) < 2 || len(d.Project.Budget) == 0 || len(d.Events) == 0 {
			t.Fatalf("the detail of %s: %d beneficiaries, %d budget lines, %d events", id, len(d.Project.Beneficiaries), len(d.Project.Budget), len(d.Events))
		}
		if len(seen) != 6 {
			t.Fatalf("%d statements, 6 expected", len(seen))
		}
		tables := `projects|project_stamps|budget_lines|project_outputs|project_caps|project_beneficiaries|project_beneficiary_groups|establishments|project_transitions|project_attachments|appraisal_assignments|project_provinces`
		full := regexp.MustCompile(`(SCAN (` + tables + `)\b)|(Seq Scan on (` + tables + `)\b)`)
		for _, s := range seen {
			plan := planOf(t, db, s.q, s.args, "enable_seqscan")
			if m := full.FindString(plan); m != "" {
				t.Errorf("%s: %s\n%s\n%s", db.Dialect(), m, strings.Join(strings.Fields(s.q), " ")[:120], plan)
			}
		}
	})
}
