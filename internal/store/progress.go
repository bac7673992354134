package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
)

// Progress summaries (docs/ARCHITECTURE.md, "Progress summaries"). Each
// project's facts are computed from the base tables by one SQL text
// (factsSQL), used three ways: for one project by RefreshProjectProgress
// (the app's handlers, in the change's transaction: the difference from
// what the project was last counted as goes to the summaries), for every
// project by RebuildProgress (migration, demo loader, repair) and by
// VerifyProgress (the summaries as the base tables give them, compared
// with those kept).

// progressTable describes a summary: the fact that feeds it, its key
// columns (from the fact's k1, k2) and its value columns (from v0...).
type progressTable struct {
	fact string
	name string
	// dims are the dimension columns the summary keeps (nil:
	// progressDims, every one); a coarser summary of the same fact sums
	// over those it leaves out.
	dims   []string
	keys   []string
	intKey bool // k1 is an establishment id
	vals   []string
	// refcount: a row whose first value falls to 0 is deleted; else a row
	// all of whose values are 0.
	refcount bool
}

var progressTables = []progressTable{
	{fact: "output", name: "progress_outputs", keys: []string{"indicator_code"},
		vals: []string{"achieved", "committed", "achieved_projects", "committed_projects"}},
	{fact: "funding", name: "progress_funding", keys: []string{"source"}, vals: fundingVals},
	// The funding again without the activity type, and without the
	// provinces (migration 0018): what a national dashboard with no
	// activity filter reads, a few hundred rows instead of every cell.
	{fact: "funding", name: "progress_funding_years", dims: []string{"program_id", "year", "province_id", "orig_province_id"},
		keys: []string{"source"}, vals: fundingVals},
	{fact: "funding", name: "progress_funding_activities", dims: []string{"program_id", "year", "activity_type_code"},
		keys: []string{"source"}, vals: fundingVals},
	{fact: "reach", name: "progress_reach", keys: []string{"establishment_id"}, intKey: true,
		vals: []string{"projects", "prioritised"}, refcount: true},
	{fact: "group", name: "progress_reach_groups", keys: []string{"group_code", "establishment_id"}, intKey: true,
		vals: []string{"projects", "prioritised"}, refcount: true},
}

// progressDims are the dimension columns of the summaries (a coarser one
// keeps some of them, in this order).
var progressDims = []string{"program_id", "year", "activity_type_code", "province_id", "orig_province_id"}

var fundingVals = []string{"approved", "settled", "committed", "disbursed", "spent", "refunded", "contributed", "released"}

// dimCols are the summary's dimension columns.
func (t *progressTable) dimCols() []string {
	if t.dims == nil {
		return progressDims
	}
	return t.dims
}

const factVals = 8

// factsSQL is the SELECT of every project's facts from the base tables:
// (project_id, fact, k1, k2, v0..v7), rows with a value only. one limits
// it to the project $1. For the group fact k1 is the group and k2 the
// establishment (as the table's keys).
func (tx *Tx) factsSQL(one bool) string {
	decided := sqlStates(nipp.DecidedStates())
	achieved := sqlStates(nipp.AchievedStates())
	committed := sqlStates(nipp.CommittedStates())
	only := func(col string) string {
		if one {
			return " AND " + col + " = $1"
		}
		return ""
	}
	sign := "CASE WHEN e.kind = 'reversal' THEN -e.amount ELSE e.amount END"
	measure := func(kinds ...string) string {
		return "CAST(SUM(CASE WHEN COALESCE(e.reverses_kind, e.kind) IN ('" + strings.Join(kinds, "', '") + "') THEN " + sign + " ELSE 0 END) AS BIGINT)"
	}
	yes := tx.boolSQL(true)
	q := `SELECT o.project_id AS project_id, 'output' AS fact, o.indicator_code AS k1, '' AS k2,
		CAST(CASE WHEN p.state IN (` + achieved + `) THEN COALESCE(o.actual, 0) ELSE 0 END AS BIGINT) AS v0,
		CAST(CASE WHEN p.state IN (` + committed + `) THEN o.planned ELSE 0 END AS BIGINT) AS v1,
		CAST(CASE WHEN p.state IN (` + achieved + `) AND o.actual > 0 THEN 1 ELSE 0 END AS BIGINT) AS v2,
		CAST(CASE WHEN p.state IN (` + committed + `) AND o.planned > 0 THEN 1 ELSE 0 END AS BIGINT) AS v3,
		CAST(0 AS BIGINT) AS v4, CAST(0 AS BIGINT) AS v5, CAST(0 AS BIGINT) AS v6, CAST(0 AS BIGINT) AS v7
	FROM project_outputs o JOIN projects p ON p.id = o.project_id WHERE p.state IN (` + decided + `)` + only("o.project_id") + `
	UNION ALL
	SELECT project_id, 'funding', source, '', CAST(SUM(a0) AS BIGINT), CAST(SUM(a1) AS BIGINT), CAST(SUM(a2) AS BIGINT),
		CAST(SUM(a3) AS BIGINT), CAST(SUM(a4) AS BIGINT), CAST(SUM(a5) AS BIGINT), CAST(SUM(a6) AS BIGINT), CAST(SUM(a7) AS BIGINT) FROM (
		SELECT b.project_id, b.source, COALESCE(b.approved, 0) AS a0,
			CASE WHEN p.state = 'settled' THEN COALESCE(b.actual, 0) ELSE 0 END AS a1, 0 AS a2, 0 AS a3, 0 AS a4, 0 AS a5, 0 AS a6, 0 AS a7
		FROM budget_lines b JOIN projects p ON p.id = b.project_id WHERE p.state IN (` + decided + `)` + only("b.project_id") + `
		UNION ALL
		SELECT e.project_id, e.source, 0, 0, ` + measure("commitment") + `, ` + measure("advance", "payment") + `, ` +
		measure("expenditure", "adjustment") + `, ` + measure("refund") + `, ` + measure("contribution") + `, ` + measure("release") + `
		FROM ledger_entries e WHERE 1 = 1` + only("e.project_id") + ` GROUP BY e.project_id, e.source
	) m GROUP BY project_id, source
	UNION ALL
	SELECT pb.project_id, 'reach', CAST(pb.establishment_id AS TEXT), '', 1,
		CASE WHEN EXISTS (SELECT 1 FROM project_beneficiary_groups g WHERE g.project_id = pb.project_id
			AND g.establishment_id = pb.establishment_id AND g.prioritised = ` + yes + `) THEN 1 ELSE 0 END, 0, 0, 0, 0, 0, 0
	FROM project_beneficiaries pb JOIN projects p ON p.id = pb.project_id WHERE p.state IN (` + decided + `)` + only("pb.project_id") + `
	UNION ALL
	SELECT g.project_id, 'group', g.group_code, CAST(g.establishment_id AS TEXT), 1, CASE WHEN g.prioritised = ` + yes + ` THEN 1 ELSE 0 END,
		0, 0, 0, 0, 0, 0
	FROM project_beneficiary_groups g JOIN projects p ON p.id = g.project_id WHERE p.state IN (` + decided + `)` + only("g.project_id")
	return `SELECT ` + factsCols + ` FROM (` + q + `) f WHERE ` + nonZero("f.v")
}

// nonZero is "p0 <> 0 OR p1 <> 0 ..." over the fact values.
func nonZero(prefix string) string {
	parts := make([]string, factVals)
	for i := range parts {
		parts[i] = prefix + strconv.Itoa(i) + " <> 0"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// factsCols are the columns of a fact row (factsSQL names its first
// branch's columns so).
const factsCols = "project_id, fact, k1, k2, v0, v1, v2, v3, v4, v5, v6, v7"

// factsFrom is factsSQL as a derived table.
func (tx *Tx) factsFrom(one bool) string {
	return `(` + tx.factsSQL(one) + `) facts`
}

// progressDimsOf are a project's dimensions.
type progressDimsOf struct {
	Program  int64
	Year     int
	Activity string
	Province int64
	Orig     int64
}

func (d progressDimsOf) args() []any { return []any{d.Program, d.Year, d.Activity, d.Province, d.Orig} }

// argsOf are the values of some dimension columns.
func (d progressDimsOf) argsOf(cols []string) []any {
	all := d.args()
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = all[slices.Index(progressDims, c)]
	}
	return out
}

type factKey struct{ fact, k1, k2 string }

type factRow [factVals]int64

// RefreshProjectProgress counts a project's facts again and moves the
// summaries by the difference from what it was last counted as, in tx.
// Handlers call it after any change to a project, its outputs, budget,
// beneficiaries or ledger. A project that never counted and is not decided
// costs two reads.
func (tx *Tx) RefreshProjectProgress(ctx context.Context, projectID int64) (err error) {
	defer nipp.Wrap(&err, "store.RefreshProjectProgress(%v)", projectID)
	var cur progressDimsOf
	var state string
	if err := tx.QueryRow(ctx, `SELECT program_id, year, activity_type_code, province_id, orig_province_id, state FROM projects WHERE id = $1`,
		projectID).Scan(&cur.Program, &cur.Year, &cur.Activity, &cur.Province, &cur.Orig, &state); err != nil {
		return notFoundOr(err, "project")
	}
	var old progressDimsOf
	err = tx.QueryRow(ctx, `SELECT program_id, year, activity_type_code, province_id, orig_province_id FROM progress_projects WHERE project_id = $1`,
		projectID).Scan(&old.Program, &old.Year, &old.Activity, &old.Province, &old.Orig)
	counted := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return mapError(err)
	}
	if !counted && !nipp.ProjectState(state).Decided() {
		return nil
	}
	before, err := tx.readFacts(ctx, `SELECT `+factsCols+` FROM progress_project_facts WHERE project_id = $1`, projectID)
	if err != nil {
		return err
	}
	after, err := tx.readFacts(ctx, `SELECT `+factsCols+` FROM `+tx.factsFrom(true), projectID)
	if err != nil {
		return err
	}
	// The summaries' difference, keyed with each side's dimensions.
	type delta struct {
		dims progressDimsOf
		key  factKey
		v    factRow
	}
	var ds []delta
	if old == cur {
		for _, k := range unionKeys(before, after) {
			b, a := before[k], after[k]
			var d factRow
			changed := false
			for i := range d {
				d[i] = a[i] - b[i]
				changed = changed || d[i] != 0
			}
			if changed {
				ds = append(ds, delta{cur, k, d})
			}
		}
	} else {
		for _, k := range unionKeys(before, nil) {
			b := before[k]
			var d factRow
			for i := range d {
				d[i] = -b[i]
			}
			ds = append(ds, delta{old, k, d})
		}
		for _, k := range unionKeys(after, nil) {
			ds = append(ds, delta{cur, k, after[k]})
		}
	}
	for _, d := range ds {
		if err := tx.applyFactDelta(ctx, d.dims, d.key, d.v); err != nil {
			return err
		}
	}
	// What the project counts as now.
	if len(after) == 0 {
		_, err := tx.Exec(ctx, `DELETE FROM progress_projects WHERE project_id = $1`, projectID)
		return err
	}
	if !counted || old != cur {
		if _, err := tx.Exec(ctx, `INSERT INTO progress_projects (project_id, program_id, year, activity_type_code, province_id, orig_province_id)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id) DO UPDATE SET program_id = excluded.program_id, year = excluded.year,
			activity_type_code = excluded.activity_type_code, province_id = excluded.province_id, orig_province_id = excluded.orig_province_id`,
			append([]any{projectID}, cur.args()...)...); err != nil {
			return err
		}
	}
	for _, k := range unionKeys(before, after) {
		a, ok := after[k]
		switch {
		case !ok:
			if _, err := tx.Exec(ctx, `DELETE FROM progress_project_facts WHERE project_id = $1 AND fact = $2 AND k1 = $3 AND k2 = $4`,
				projectID, k.fact, k.k1, k.k2); err != nil {
				return err
			}
		case a != before[k]:
			args := []any{projectID, k.fact, k.k1, k.k2}
			for _, v := range a {
				args = append(args, v)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO progress_project_facts (`+factsCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
				ON CONFLICT (project_id, fact, k1, k2) DO UPDATE SET v0 = excluded.v0, v1 = excluded.v1, v2 = excluded.v2, v3 = excluded.v3,
				v4 = excluded.v4, v5 = excluded.v5, v6 = excluded.v6, v7 = excluded.v7`, args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// readFacts reads (project_id, fact, k1, k2, v0..v7) rows by key.
func (tx *Tx) readFacts(ctx context.Context, q string, args ...any) (map[factKey]factRow, error) {
	out := map[factKey]factRow{}
	err := tx.each(ctx, q, args, func(scan func(...any) error) error {
		var pid int64
		var k factKey
		var v factRow
		if err := scan(&pid, &k.fact, &k.k1, &k.k2, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]); err != nil {
			return err
		}
		out[k] = v
		return nil
	})
	return out, err
}

// unionKeys returns the keys of a and b, sorted (summary rows are always
// written in one order, so two writers never wait for each other in a
// circle).
func unionKeys(a, b map[factKey]factRow) []factKey {
	var ks []factKey
	for k := range a {
		ks = append(ks, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			ks = append(ks, k)
		}
	}
	slices.SortFunc(ks, func(x, y factKey) int {
		return strings.Compare(x.fact+"\x00"+x.k1+"\x00"+x.k2, y.fact+"\x00"+y.k1+"\x00"+y.k2)
	})
	return ks
}

// tableOf is the summary of a fact with every dimension.
func tableOf(fact string) *progressTable {
	for i := range progressTables {
		if progressTables[i].fact == fact {
			return &progressTables[i]
		}
	}
	return nil
}

// keyArgs are a fact's key values as its summary's key columns.
func (t *progressTable) keyArgs(k factKey) ([]any, error) {
	raw := []string{k.k1, k.k2}[:len(t.keys)]
	out := make([]any, len(raw))
	for i, r := range raw {
		out[i] = r
		if t.keys[i] == "establishment_id" {
			n, err := strconv.ParseInt(r, 10, 64)
			if err != nil {
				return nil, nipp.Internal(fmt.Errorf("progress fact %s: establishment %q", t.fact, r))
			}
			out[i] = n
		}
	}
	return out, nil
}

// applyFactDelta adds d to the row of each summary of the fact, and moves
// the grains of a reach or group fact.
func (tx *Tx) applyFactDelta(ctx context.Context, dims progressDimsOf, k factKey, d factRow) error {
	found := false
	for i := range progressTables {
		if t := &progressTables[i]; t.fact == k.fact {
			found = true
			if err := tx.applyTableDelta(ctx, t, dims, k, d); err != nil {
				return err
			}
		}
	}
	if !found {
		return nipp.Internal(fmt.Errorf("progress fact %q", k.fact))
	}
	keys, err := tableOf(k.fact).keyArgs(k)
	if err != nil {
		return err
	}
	switch k.fact {
	case "reach":
		return tx.applyGrains(ctx, dims, "", keys[0].(int64), d[0], d[1])
	case "group":
		return tx.applyGrains(ctx, dims, keys[0].(string), keys[1].(int64), d[0], d[1])
	}
	return nil
}

// applyTableDelta adds d to one summary row (creating it), refusing a sum
// that would leave int64, and deletes the row when it no longer counts.
func (tx *Tx) applyTableDelta(ctx context.Context, t *progressTable, dims progressDimsOf, k factKey, d factRow) error {
	keys, err := t.keyArgs(k)
	if err != nil {
		return err
	}
	args := append(dims.argsOf(t.dimCols()), keys...)
	cols := append(slices.Clone(t.dimCols()), t.keys...)
	nk := len(cols)
	var sets, guards, ph []string
	for i := range cols {
		ph = append(ph, "$"+strconv.Itoa(i+1))
	}
	for i, c := range t.vals {
		args = append(args, d[i])
		ph = append(ph, "$"+strconv.Itoa(nk+i+1))
		sets = append(sets, c+" = "+t.name+"."+c+" + excluded."+c)
		guards = append(guards, t.name+"."+c+" <= "+strconv.FormatInt(math.MaxInt64-max(d[i], 0), 10)+" AND "+
			t.name+"."+c+" >= "+strconv.FormatInt(math.MinInt64-min(d[i], 0), 10))
	}
	res, err := tx.Exec(ctx, `INSERT INTO `+t.name+` (`+strings.Join(cols, ", ")+`, `+strings.Join(t.vals, ", ")+`) VALUES (`+strings.Join(ph, ", ")+`)
		ON CONFLICT (`+strings.Join(cols, ", ")+`) DO UPDATE SET `+strings.Join(sets, ", ")+` WHERE `+strings.Join(guards, " AND "), args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nipp.Errorf(nipp.EINVALID, "err.store.progress_out_of_range")
	}
	shrank := false
	for _, v := range d {
		shrank = shrank || v < 0
	}
	if !shrank {
		return nil
	}
	var conds []string
	for i, c := range cols {
		conds = append(conds, c+" = $"+strconv.Itoa(i+1))
	}
	gone := t.vals[0] + " = 0"
	if !t.refcount {
		var zs []string
		for _, c := range t.vals {
			zs = append(zs, c+" = 0")
		}
		gone = strings.Join(zs, " AND ")
	}
	_, err = tx.Exec(ctx, `DELETE FROM `+t.name+` WHERE `+strings.Join(conds, " AND ")+` AND `+gone, args[:nk]...)
	return err
}

// Reach grains: progress_reach_grains and progress_reach_counts (see the
// migrations 0016 and 0018) keep distinct establishments per program and
// grain exact: the grains of progress_reach's rows, and those of the
// priority groups (progress_reach_groups' rows).
var (
	reachGrains = []string{"all", "year", "p34", "p63", "activity", "p34_year", "p63_year", "p34_activity", "p63_activity"}
	groupGrains = []string{"group", "group_p34", "group_p63"}
	// grains0018 are the grains migration 0018 added (fill0018).
	grains0018 = []string{"p34_year", "p63_year", "p34_activity", "p63_activity", "group", "group_p34", "group_p63"}
)

// grainKey is a cell's key at a grain; group is the priority group of a
// group grain.
func grainKey(grain, group string, d progressDimsOf) string {
	switch grain {
	case "year":
		return strconv.Itoa(d.Year)
	case "p34":
		return strconv.FormatInt(d.Province, 10)
	case "p63":
		return strconv.FormatInt(d.Orig, 10)
	case "activity":
		return d.Activity
	case "p34_year":
		return strconv.FormatInt(d.Province, 10) + "/" + strconv.Itoa(d.Year)
	case "p63_year":
		return strconv.FormatInt(d.Orig, 10) + "/" + strconv.Itoa(d.Year)
	case "p34_activity":
		return strconv.FormatInt(d.Province, 10) + "/" + d.Activity
	case "p63_activity":
		return strconv.FormatInt(d.Orig, 10) + "/" + d.Activity
	case "group":
		return group
	case "group_p34":
		return group + "/" + strconv.FormatInt(d.Province, 10)
	case "group_p63":
		return group + "/" + strconv.FormatInt(d.Orig, 10)
	}
	return ""
}

// grainKeySQL is the same over a progress_reach or progress_reach_groups
// row (alias r).
var grainKeySQL = map[string]string{"all": "''", "year": "CAST(r.year AS TEXT)", "p34": "CAST(r.province_id AS TEXT)",
	"p63": "CAST(r.orig_province_id AS TEXT)", "activity": "r.activity_type_code",
	"p34_year": "CAST(r.province_id AS TEXT) || '/' || CAST(r.year AS TEXT)", "p63_year": "CAST(r.orig_province_id AS TEXT) || '/' || CAST(r.year AS TEXT)",
	"p34_activity": "CAST(r.province_id AS TEXT) || '/' || r.activity_type_code",
	"p63_activity": "CAST(r.orig_province_id AS TEXT) || '/' || r.activity_type_code",
	"group":        "r.group_code", "group_p34": "r.group_code || '/' || CAST(r.province_id AS TEXT)",
	"group_p63": "r.group_code || '/' || CAST(r.orig_province_id AS TEXT)"}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// applyGrains moves an establishment's count at every grain of a cell
// (the reach grains, or with group the grains of that priority group) by
// (projects, prioritised), and the grain's distinct counts when the
// establishment's count leaves or reaches 0.
func (tx *Tx) applyGrains(ctx context.Context, d progressDimsOf, group string, est, dp, dq int64) error {
	grains := reachGrains
	if group != "" {
		grains = groupGrains
	}
	for _, g := range grains {
		key := grainKey(g, group, d)
		var np, nq int64
		if err := tx.QueryRow(ctx, `INSERT INTO progress_reach_grains (program_id, grain, grain_key, establishment_id, projects, prioritised)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (program_id, grain, grain_key, establishment_id) DO UPDATE SET
			projects = progress_reach_grains.projects + excluded.projects, prioritised = progress_reach_grains.prioritised + excluded.prioritised
			RETURNING projects, prioritised`, d.Program, g, key, est, dp, dq).Scan(&np, &nq); err != nil {
			return mapError(err)
		}
		if np == 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM progress_reach_grains WHERE program_id = $1 AND grain = $2 AND grain_key = $3 AND establishment_id = $4`,
				d.Program, g, key, est); err != nil {
				return err
			}
		}
		de := b2i(np > 0) - b2i(np-dp > 0)
		dr := b2i(nq > 0) - b2i(nq-dq > 0)
		if de == 0 && dr == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO progress_reach_counts (program_id, grain, grain_key, establishments, prioritised) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (program_id, grain, grain_key) DO UPDATE SET establishments = progress_reach_counts.establishments + excluded.establishments,
			prioritised = progress_reach_counts.prioritised + excluded.prioritised`, d.Program, g, key, de, dr); err != nil {
			return err
		}
		if de < 0 || dr < 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM progress_reach_counts WHERE program_id = $1 AND grain = $2 AND grain_key = $3
				AND establishments = 0 AND prioritised = 0`, d.Program, g, key); err != nil {
				return err
			}
		}
	}
	return nil
}

// grainsSQL is the SELECT of progress_reach_grains' rows of some grains
// from summary rows (from: a table or derived table of progress_reach's
// columns for reachGrains, of progress_reach_groups' for groupGrains).
func grainsSQL(from string, grains []string) string {
	var parts []string
	for _, g := range grains {
		k := grainKeySQL[g]
		group := "r.program_id, " + k + ", r.establishment_id"
		if g == "all" {
			group = "r.program_id, r.establishment_id" // PostgreSQL refuses a constant in GROUP BY
		}
		parts = append(parts, `SELECT r.program_id, '`+g+`' AS grain, `+k+` AS grain_key, r.establishment_id,
			CAST(SUM(r.projects) AS BIGINT) AS projects, CAST(SUM(r.prioritised) AS BIGINT) AS prioritised
			FROM `+from+` r GROUP BY `+group)
	}
	return strings.Join(parts, " UNION ALL ")
}

// allGrainsSQL is grainsSQL of every grain, from the reach rows and the
// group rows.
func allGrainsSQL(reach, groups string) string {
	return grainsSQL(reach, reachGrains) + " UNION ALL " + grainsSQL(groups, groupGrains)
}

// fill0018 fills what migration 0018 added: the rows and counts of its
// grains, from progress_reach and progress_reach_groups, and the coarser
// funding summaries, from the projects' kept facts.
func (tx *Tx) fill0018(ctx context.Context) error {
	in := "('" + strings.Join(grains0018, "', '") + "')" // constants
	var added []string
	for _, g := range reachGrains {
		if slices.Contains(grains0018, g) {
			added = append(added, g)
		}
	}
	for _, t := range progressTables {
		if t.dims != nil {
			if _, err := tx.Exec(ctx, `DELETE FROM `+t.name); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, t.fillSQL()); err != nil {
				return err
			}
		}
	}
	for _, q := range []string{
		`DELETE FROM progress_reach_counts WHERE grain IN ` + in,
		`DELETE FROM progress_reach_grains WHERE grain IN ` + in,
		`INSERT INTO progress_reach_grains (program_id, grain, grain_key, establishment_id, projects, prioritised) ` +
			grainsSQL("progress_reach", added) + ` UNION ALL ` + grainsSQL("progress_reach_groups", groupGrains),
		`INSERT INTO progress_reach_counts (program_id, grain, grain_key, establishments, prioritised) ` +
			countsSQL(`(SELECT * FROM progress_reach_grains WHERE grain IN `+in+`)`),
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// countsSQL is the SELECT of progress_reach_counts' rows from grain rows.
func countsSQL(grains string) string {
	return `SELECT g.program_id, g.grain, g.grain_key, CAST(COUNT(*) AS BIGINT) AS establishments,
		CAST(SUM(CASE WHEN g.prioritised > 0 THEN 1 ELSE 0 END) AS BIGINT) AS prioritised
		FROM ` + grains + ` g GROUP BY g.program_id, g.grain, g.grain_key`
}

// ProjectsCountingEstablishment returns the projects whose kept facts name
// an establishment (a merge counts them again).
func (tx *Tx) ProjectsCountingEstablishment(ctx context.Context, establishmentID int64) (_ []int64, err error) {
	defer nipp.Wrap(&err, "store.ProjectsCountingEstablishment(%v)", establishmentID)
	id := strconv.FormatInt(establishmentID, 10)
	var out []int64
	err = tx.each(ctx, `SELECT DISTINCT project_id FROM progress_project_facts WHERE (k1 = $1 AND fact = 'reach') OR (k2 = $1 AND fact = 'group')
		ORDER BY project_id`, []any{id}, func(scan func(...any) error) error {
		var p int64
		if err := scan(&p); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// summarySQL is the SELECT of a summary's rows from a set of facts with
// their projects' dimensions (from: a FROM clause giving columns f.* of
// factsCols and d.* of progressDims).
func summarySQL(t progressTable, from string) string {
	var keys, named []string
	for i, k := range t.keys {
		c := "f.k" + strconv.Itoa(i+1)
		if k == "establishment_id" {
			c = "CAST(" + c + " AS BIGINT)"
		}
		keys = append(keys, c)
		named = append(named, c+" AS "+k)
	}
	var sums, nz []string
	for i, c := range t.vals {
		s := "CAST(SUM(f.v" + strconv.Itoa(i) + ") AS BIGINT)"
		sums = append(sums, s+" AS "+c)
		nz = append(nz, s+" <> 0")
	}
	dims := "d." + strings.Join(t.dimCols(), ", d.")
	having := strings.Join(nz, " OR ")
	if t.refcount {
		having = nz[0]
	}
	return `SELECT ` + dims + `, ` + strings.Join(named, ", ") + `, ` + strings.Join(sums, ", ") + from + ` AND f.fact = '` + t.fact + `'
		GROUP BY ` + dims + `, ` + strings.Join(keys, ", ") + ` HAVING ` + having
}

// fillSQL is the INSERT of a summary's rows from the projects' kept facts
// (progress_project_facts with their dimensions in progress_projects).
func (t progressTable) fillSQL() string {
	return `INSERT INTO ` + t.name + ` (` + strings.Join(t.dimCols(), ", ") + `, ` + strings.Join(t.keys, ", ") + `, ` + strings.Join(t.vals, ", ") + `) ` +
		summarySQL(t, ` FROM progress_project_facts f JOIN progress_projects d ON d.project_id = f.project_id WHERE 1 = 1`)
}

// RebuildProgress recomputes every summary and every project's kept facts
// from the base tables (on migrating, after the demo loader's bulk
// writes, and as the repair).
func (tx *Tx) RebuildProgress(ctx context.Context) (err error) {
	defer nipp.Wrap(&err, "store.RebuildProgress()")
	return tx.rebuildProgress(ctx, true)
}

// rebuildProgress is RebuildProgress; all false leaves out the grains and
// summaries of migration 0018 (for migration 0016, whose tables do not
// take them yet: 0018 fills them).
func (tx *Tx) rebuildProgress(ctx context.Context, all bool) error {
	grains := allGrainsSQL("progress_reach", "progress_reach_groups")
	if !all {
		grains = grainsSQL("progress_reach", slices.DeleteFunc(slices.Clone(reachGrains), func(g string) bool { return slices.Contains(grains0018, g) }))
	}
	stmts := []string{`DELETE FROM progress_project_facts`, `DELETE FROM progress_projects`, `DELETE FROM progress_reach_counts`,
		`DELETE FROM progress_reach_grains`}
	// The summaries of migration 0016 (all false) or every one.
	tables := slices.DeleteFunc(slices.Clone(progressTables), func(t progressTable) bool { return !all && t.dims != nil })
	for _, t := range tables {
		stmts = append(stmts, `DELETE FROM `+t.name)
	}
	stmts = append(stmts,
		`INSERT INTO progress_projects (project_id, program_id, year, activity_type_code, province_id, orig_province_id)
		SELECT p.id, p.program_id, p.year, p.activity_type_code, p.province_id, p.orig_province_id FROM projects p
		WHERE p.id IN (SELECT project_id FROM `+tx.factsFrom(false)+`)`,
		`INSERT INTO progress_project_facts (`+factsCols+`) SELECT `+factsCols+` FROM `+tx.factsFrom(false))
	for _, t := range tables {
		stmts = append(stmts, t.fillSQL())
	}
	stmts = append(stmts,
		`INSERT INTO progress_reach_grains (program_id, grain, grain_key, establishment_id, projects, prioritised) `+grains,
		`INSERT INTO progress_reach_counts (program_id, grain, grain_key, establishments, prioritised) `+countsSQL("progress_reach_grains"))
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// VerifyProgress recomputes every summary from the base tables and hands
// each difference from the kept rows to each, by table, row and column, in
// a stable order, as they are read (memory does not grow with their
// number); it returns how many there were. Kept facts of projects (the
// handlers' bookkeeping) are checked too, as the table
// progress_project_facts.
func (tx *Tx) VerifyProgress(ctx context.Context, each func(nipp.RollupDifference) error) (n int, err error) {
	defer nipp.Wrap(&err, "store.VerifyProgress()")
	want := `(SELECT ` + factsCols + ` FROM ` + tx.factsFrom(false) + `)`
	diff := func(table string, cols []string, nk int, kept, want string) error {
		m, err := tx.diffRows(ctx, table, cols, nk, kept, want, each)
		n += m
		return err
	}
	// Kept facts per project against the base tables.
	cols := append([]string{"project_id", "fact", "k1", "k2"}, "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7")
	if err := diff("progress_project_facts", cols, 4,
		`SELECT `+factsCols+` FROM progress_project_facts`, `SELECT `+factsCols+` FROM `+want+` w`); err != nil {
		return n, err
	}
	for _, t := range progressTables {
		cols := append(append(slices.Clone(t.dimCols()), t.keys...), t.vals...)
		from := ` FROM ` + want + ` f JOIN projects d ON d.id = f.project_id WHERE 1 = 1`
		// projects' columns are named as the summaries' dimensions.
		if err := diff(t.name, cols, len(t.dimCols())+len(t.keys), `SELECT `+strings.Join(cols, ", ")+` FROM `+t.name,
			summarySQL(t, from)); err != nil {
			return n, err
		}
	}
	// The grains, from the reach and group rows as the base tables give
	// them.
	wantOf := func(fact string) string {
		return `(` + summarySQL(*tableOf(fact), ` FROM `+want+` f JOIN projects d ON d.id = f.project_id WHERE 1 = 1`) + `)`
	}
	wantAll := allGrainsSQL(wantOf("reach"), wantOf("group"))
	for _, c := range []struct {
		table, kept, want string
		cols              []string
		nk                int
	}{
		{"progress_reach_grains", `SELECT program_id, grain, grain_key, establishment_id, projects, prioritised FROM progress_reach_grains`,
			wantAll, []string{"program_id", "grain", "grain_key", "establishment_id", "projects", "prioritised"}, 4},
		{"progress_reach_counts", `SELECT program_id, grain, grain_key, establishments, prioritised FROM progress_reach_counts`,
			countsSQL(`(` + wantAll + `)`), []string{"program_id", "grain", "grain_key", "establishments", "prioritised"}, 3},
	} {
		if err := diff(c.table, c.cols, c.nk, c.kept, c.want); err != nil {
			return n, err
		}
	}
	return n, nil
}

// diffRows compares the rows of kept and want (same columns, the first nk
// the key, named as cols in both) and hands each difference to each (nil:
// only count them). Only the rows that differ travel, paired by key in
// the database: each side EXCEPT the other, joined in full, in key order.
func (tx *Tx) diffRows(ctx context.Context, table string, cols []string, nk int, kept, want string,
	each func(nipp.RollupDifference) error) (int, error) {
	var on, order, sel []string
	for i, c := range cols {
		if i < nk {
			on = append(on, "k."+c+" = w."+c)
			order = append(order, "COALESCE(k."+c+", w."+c+")")
		}
		sel = append(sel, "k."+c)
	}
	for _, c := range cols {
		sel = append(sel, "w."+c)
	}
	kept, want = `SELECT * FROM (`+kept+`) k0`, `SELECT * FROM (`+want+`) w0`
	q := `WITH k AS (` + kept + ` EXCEPT ` + want + `), w AS (` + want + ` EXCEPT ` + kept + `)
		SELECT ` + strings.Join(sel, ", ") + ` FROM k FULL OUTER JOIN w ON ` + strings.Join(on, " AND ") + `
		ORDER BY ` + strings.Join(order, ", ")
	n := 0
	err := tx.each(ctx, q, nil, func(scan func(...any) error) error {
		vals := make([]sql.NullString, 2*len(cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := scan(ptrs...); err != nil {
			return err
		}
		kr, wr := vals[:len(cols)], vals[len(cols):]
		kok, wok := kr[0].Valid, wr[0].Valid // key columns are NOT NULL
		keyOf := kr
		if !kok {
			keyOf = wr
		}
		keys := make([]string, nk)
		for i := range keys {
			keys[i] = keyOf[i].String
		}
		key := rowKey(cols[:nk], keys)
		for i := nk; i < len(cols); i++ {
			d := nipp.RollupDifference{Table: table, Key: key, Column: cols[i], Kept: "-", Want: "-"}
			if kok {
				d.Kept = kr[i].String
			}
			if wok {
				d.Want = wr[i].String
			}
			if kok && wok && d.Kept == d.Want {
				continue
			}
			n++
			if each != nil {
				if err := each(d); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return n, err
}

func rowKey(cols, vals []string) string {
	parts := make([]string, len(cols))
	for i := range cols {
		parts[i] = cols[i] + "=" + vals[i]
	}
	return strings.Join(parts, " ")
}
