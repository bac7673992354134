// Package demo loads a deterministic, realistic demonstration data set:
// rural industrial establishments spread over the provinces and communes of
// both administrative generations, and national industry promotion
// projects with their beneficiaries, budgets and outputs.
//
// Everything goes through the store in ordinary SQL that both engines run.
// The loader streams: it holds one chunk of rows (about a thousand) and a
// bounded sample of establishments per province (to draw project
// beneficiaries from), so the same code loads a national-scale data set.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Size says how much data to load and from which seed.
type Size struct {
	Establishments, Projects int
	Seed                     int64
	// FromYear and ToYear bound the projects' plan years (0: 2021 to
	// 2026); a year needs a national program that covers it.
	FromYear, ToYear int
	// EventBeneficiaries lists every establishment taking part in a trade
	// fair, a product award or a managers' training as a beneficiary of
	// it (reviews count "establishments supported at trade fairs"), so
	// that such projects have tens of beneficiaries rather than a few.
	EventBeneficiaries bool
	// Bulk writes the base tables with the triggers that keep derived
	// data switched off and builds that data once at the end
	// (store.BulkLoad): for an empty database only.
	Bulk bool
	// Progress, when set, is told each stage's progress.
	Progress io.Writer
}

// Small is the data set for demonstrations and manual testing.
var Small = Size{Establishments: 3000, Projects: 400, Seed: 2025}

// National is the national scale of issue 19: two million establishments
// over the provinces, 200,000 projects of the programs from 2014 to 2030
// (no program of the reference data covers 2011-2013) with their budgets,
// outputs, about a million beneficiary links and the ledgers of the
// decided ones, bulk-loaded.
var National = Size{Establishments: 2_000_000, Projects: 200_000, Seed: 2025, FromYear: 2014, ToYear: 2030, EventBeneficiaries: true, Bulk: true}

// maxEstablishments bounds a load so that its unique codes cannot run out.
const maxEstablishments = 5_000_000

// Stats counts what a load inserted.
type Stats struct{ Establishments, Projects int }

// Load inserts a demo data set into db: size.Establishments establishments,
// then size.Projects projects whose beneficiaries are among them. The same
// seed gives the same data (names, codes, amounts), on either engine.
//
// Rows go in chunks, each its own transaction: on error the chunks already
// committed stay and Stats counts them. Identifiers and tax codes are unique
// within a load; loading a second data set into the same database can
// collide with the first (always with the same seed) and fails with a
// unique-constraint error.
func Load(ctx context.Context, db *store.DB, size Size) (Stats, error) {
	var st Stats
	if size.Establishments < 0 || size.Projects < 0 {
		return st, fmt.Errorf("demo: negative size %+v", size)
	}
	if size.Establishments > maxEstablishments {
		// Tax codes are drawn from ten million per load.
		return st, fmt.Errorf("demo: at most %d establishments per load", maxEstablishments)
	}
	if size.Establishments == 0 && size.Projects == 0 {
		return st, nil
	}
	pr := newProgress(size.Progress)
	load := func() error {
		r, err := loadRefs(ctx, db)
		if err != nil {
			return err
		}
		eg := newEstGen(r, size.Seed, size.Projects)
		st.Establishments, err = eg.load(ctx, db, size.Establishments, pr)
		if err != nil || size.Projects == 0 {
			return err
		}
		pg, err := newProjGen(r, eg, size)
		if err != nil {
			return err
		}
		if st.Projects, err = pg.load(ctx, db, size.Projects, pr); err != nil {
			return err
		}
		pr.stage("rule sets and beneficiaries' groups", 0)
		return pinRuleSets(ctx, db)
	}
	var err error
	if size.Bulk {
		pr.note("bulk load: base tables with their triggers off, derived data rebuilt after")
		err = db.BulkLoad(ctx, func() error { return load() })
		pr.stage("counts and text indexes rebuilt", 0)
	} else {
		err = load()
	}
	if err != nil || size.Projects == 0 {
		return st, err
	}
	err = loadLedgers(ctx, db, size.Seed, pr)
	pr.stage("ledgers and balances", 0)
	if err == nil && size.Bulk && db.Dialect() == store.Postgres {
		// The planner's statistics of tables filled in minutes
		// (autovacuum would gather them later; plans before are wrong:
		// bench/RESULTS.md, the ledger), and their visibility maps: until
		// a table is vacuumed an index-only scan reads the table for every
		// entry (a word in a province's registry: 1 s instead of 20 ms at
		// national scale, bench/RESULTS.md).
		err = db.RawExec(ctx, `VACUUM (ANALYZE)`)
		pr.stage("statistics and visibility maps (VACUUM ANALYZE)", 0)
	}
	return st, err
}

// pinRuleSets gives every demo project without one the rule set it would
// have been checked under, as the projects use case does: the set in force
// on its decision date, or on 1 January of its year while undecided.
func pinRuleSets(ctx context.Context, db *store.DB) error {
	return db.WriteTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT DISTINCT year FROM projects WHERE rule_set_id IS NULL AND decision_date IS NULL`)
		if err != nil {
			return err
		}
		var years []int
		for rows.Next() {
			var y int
			if err := rows.Scan(&y); err != nil {
				rows.Close()
				return err
			}
			years = append(years, y)
		}
		rows.Close()
		for _, y := range years {
			rs, err := tx.FindRuleSetInForce(ctx, nipp.NewDate(y, time.January, 1))
			if nipp.ErrorCode(err) == nipp.ENOTFOUND {
				continue
			}
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE projects SET rule_set_id = $1 WHERE rule_set_id IS NULL AND decision_date IS NULL AND year = $2`, rs.ID, y); err != nil {
				return err
			}
		}
		sets, err := tx.Query(ctx, `SELECT id, valid_from, valid_to FROM rule_sets ORDER BY valid_from`)
		if err != nil {
			return err
		}
		type span struct {
			id       int64
			from, to nipp.Date
		}
		var spans []span
		for sets.Next() {
			var sp span
			if err := sets.Scan(&sp.id, &sp.from, &sp.to); err != nil {
				sets.Close()
				return err
			}
			if sp.to.IsZero() {
				sp.to = nipp.NewDate(9999, time.December, 31)
			}
			spans = append(spans, sp)
		}
		sets.Close()
		for _, sp := range spans {
			if _, err := tx.Exec(ctx, `UPDATE projects SET rule_set_id = $1 WHERE rule_set_id IS NULL AND decision_date >= $2 AND decision_date <= $3`, sp.id, sp.from, sp.to); err != nil {
				return err
			}
		}
		return recordGroups(ctx, tx)
	})
}

// recordGroups records each beneficiary's priority groups (registry facts)
// and those its project's rule set prioritises, as adding a beneficiary
// through the projects use case does.
func recordGroups(ctx context.Context, tx *store.Tx) error {
	type row struct {
		project, est, ruleSet int64
		groups                []string
	}
	rows, err := tx.Query(ctx, `SELECT b.project_id, b.establishment_id, COALESCE(p.rule_set_id, 0),
			e.women_owned, e.ethnic_minority_owned, e.craft_village, e.artisan
		FROM project_beneficiaries b JOIN projects p ON p.id = b.project_id JOIN establishments e ON e.id = b.establishment_id
		WHERE NOT EXISTS (SELECT 1 FROM project_beneficiary_groups g WHERE g.project_id = b.project_id AND g.establishment_id = b.establishment_id)`)
	if err != nil {
		return err
	}
	var todo []row
	for rows.Next() {
		var r row
		var b nipp.Beneficiary
		var village string
		if err := rows.Scan(&r.project, &r.est, &r.ruleSet, &b.WomenOwned, &b.EthnicMinorityOwned, &village, &b.Artisan); err != nil {
			rows.Close()
			return err
		}
		b.CraftVillage = village != ""
		if r.groups = b.PriorityGroups(); len(r.groups) > 0 {
			todo = append(todo, r)
		}
	}
	rows.Close()
	// The rows SetBeneficiaryGroups would write (none exist yet), in
	// multi-row statements: at national scale a statement per row took
	// over an hour on PostgreSQL.
	sets := map[int64]*nipp.RuleSet{}
	var args []any
	for _, r := range todo {
		sort.Strings(r.groups)
		var prio []string
		if r.ruleSet != 0 {
			rs, ok := sets[r.ruleSet]
			if !ok {
				if rs, err = tx.FindRuleSetByID(ctx, r.ruleSet); err != nil {
					return err
				}
				sets[r.ruleSet] = rs
			}
			prio = rs.Prioritised(r.groups)
		}
		for _, g := range slices.Compact(r.groups) {
			args = append(args, r.project, r.est, g, slices.Contains(prio, g))
		}
	}
	return insertRows(ctx, tx, "project_beneficiary_groups", []string{"project_id", "establishment_id", "group_code", "prioritised"}, args)
}

// LoadIfEmpty loads size only when the database holds no establishments
// and no projects; otherwise it does nothing and returns zero Stats.
func LoadIfEmpty(ctx context.Context, db *store.DB, size Size) (Stats, error) {
	empty := true
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		for _, q := range []string{`SELECT id FROM establishments LIMIT 1`, `SELECT id FROM projects LIMIT 1`} {
			var id int64
			err := tx.QueryRow(ctx, q).Scan(&id)
			switch {
			case err == nil:
				empty = false
				return nil
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("demo: checking for data: %w", err)
	}
	if !empty {
		return Stats{}, nil
	}
	return Load(ctx, db, size)
}
