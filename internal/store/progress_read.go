package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
)

// Reading the progress summaries: every statement here reads progress_*
// tables and reference tables (programs, admin_units, regions,
// activity_types, indicators, targets), never the projects or what hangs
// on them (TestDashboardReadsOnlySummaries).

// ProgressFilter is a resolved nipp.ProgressQuery: ids instead of codes.
type ProgressFilter struct {
	ProgramID int64
	From, To  int
	// Gen is nipp.Gen63 or nipp.Gen34: which province column the scope
	// and the breakdown by province read.
	Gen int
	// ProvinceID is the scope's unit (generation per Gen), 0 for none;
	// Region a region code ("" for none).
	ProvinceID int64
	Region     string
	Activity   string
	Indicator  string
}

// provinceCol is the summaries' province column of the filter's map.
func (f ProgressFilter) provinceCol() string {
	if f.Gen == nipp.Gen63 {
		return "orig_province_id"
	}
	return "province_id"
}

// where is the filter's WHERE clause over a summary (no alias); scoped
// false leaves the scope out (rank among provinces).
func (f ProgressFilter) where(args *[]any, scoped bool, keyCol string) string {
	arg := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	conds := []string{"program_id = " + arg(f.ProgramID), "year BETWEEN " + arg(f.From) + " AND " + arg(f.To)}
	if scoped && f.ProvinceID != 0 {
		conds = append(conds, f.provinceCol()+" = "+arg(f.ProvinceID))
	}
	if scoped && f.ProvinceID == 0 && f.Region != "" {
		conds = append(conds, f.provinceCol()+" IN (SELECT id FROM admin_units WHERE level = 'province' AND region_code = "+arg(f.Region)+")")
	}
	if f.Activity != "" {
		conds = append(conds, "activity_type_code = "+arg(f.Activity))
	}
	if f.Indicator != "" && keyCol == "indicator_code" {
		conds = append(conds, "indicator_code = "+arg(f.Indicator))
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// ProgressProgram is a program with whether it is published.
type ProgressProgram struct {
	*nipp.Program
	Published bool
}

// ResolveProgress resolves a query's codes: the program (ENOTFOUND when
// unknown), the scope's province of the query's map and region, the
// activity type and indicator (EINVALID naming the field when unknown).
// q must be resolved against the program (nipp.ProgressQuery.Resolve)
// by the caller after this returns the program; the filter's years are
// filled from q as it is then.
func (tx *Tx) ResolveProgress(ctx context.Context, q *nipp.ProgressQuery) (_ *ProgressProgram, _ *ProgressFilter, err error) {
	defer nipp.Wrap(&err, "store.ResolveProgress(%q)", q.Program)
	p, err := tx.FindProgramByCode(ctx, q.Program)
	if err != nil {
		return nil, nil, err
	}
	pp := &ProgressProgram{Program: p}
	if err := tx.QueryRow(ctx, `SELECT published FROM programs WHERE id = $1`, p.ID).Scan(&pp.Published); err != nil {
		return nil, nil, mapError(err)
	}
	f := &ProgressFilter{ProgramID: p.ID, Gen: q.Gen, Region: q.Region, Activity: q.Activity, Indicator: q.Indicator}
	if f.Gen == 0 {
		f.Gen = nipp.Gen34
	}
	var errs []*nipp.Error
	if q.Province != "" {
		id, err := tx.ProvinceID(ctx, q.Province, nipp.UnitGeneration(f.Gen))
		if err != nil {
			if nipp.ErrorCode(err) != nipp.ENOTFOUND {
				return nil, nil, err
			}
			errs = append(errs, nipp.FieldError("province", "err.store.no_province", q.Province))
		}
		f.ProvinceID = id
	}
	exists := func(field, q2, code, key string) error {
		if code == "" {
			return nil
		}
		var n int
		if err := tx.QueryRow(ctx, q2, code).Scan(&n); err != nil {
			return mapError(err)
		}
		if n == 0 {
			errs = append(errs, nipp.FieldError(field, key, code))
		}
		return nil
	}
	if q.Province == "" {
		if err := exists("region", `SELECT COUNT(*) FROM regions WHERE code = $1`, q.Region, "err.store.no_region"); err != nil {
			return nil, nil, err
		}
	}
	if err := exists("activity_type", `SELECT COUNT(*) FROM activity_types WHERE code = $1`, q.Activity, "err.store.no_activity_type"); err != nil {
		return nil, nil, err
	}
	if err := exists("indicator", `SELECT COUNT(*) FROM indicators WHERE code = $1`, q.Indicator, "err.app.unknown_indicator_2"); err != nil {
		return nil, nil, err
	}
	if len(errs) > 0 {
		return nil, nil, nipp.Join(errs...)
	}
	return pp, f, nil
}

// ProgressCell is one row of a summary grouped by province, activity type
// and year: Key is the indicator (outputs) or source (funding); Values
// in the summary's column order.
type ProgressCell struct {
	ProvinceID int64
	Activity   string
	Year       int
	Key        string
	Values     []int64
}

// ProgressOutputCells returns the output summary in the filter's scope,
// grouped by province (of the map), activity type, year and indicator.
// scoped false reads every province (ranks).
func (tx *Tx) ProgressOutputCells(ctx context.Context, f ProgressFilter, scoped bool) (_ []ProgressCell, err error) {
	defer nipp.Wrap(&err, "store.ProgressOutputCells(%v)", f.ProgramID)
	return tx.progressCells(ctx, tableOf("output"), f, scoped)
}

// ProgressFundingCells returns the funding summary in the filter's scope,
// grouped by province, activity type, year and source.
func (tx *Tx) ProgressFundingCells(ctx context.Context, f ProgressFilter) (_ []ProgressCell, err error) {
	defer nipp.Wrap(&err, "store.ProgressFundingCells(%v)", f.ProgramID)
	return tx.progressCells(ctx, tableOf("funding"), f, true)
}

// ProgressFundingCoarse returns the funding of the whole country with no
// activity filter from the coarser summaries: by province (of the map),
// year and source (Activity ""), and by activity type, year and source
// (ProvinceID 0). A few hundred rows where ProgressFundingCells reads
// every cell.
func (tx *Tx) ProgressFundingCoarse(ctx context.Context, f ProgressFilter) (byProvince, byActivity []ProgressCell, err error) {
	defer nipp.Wrap(&err, "store.ProgressFundingCoarse(%v)", f.ProgramID)
	if f.ProvinceID != 0 || f.Region != "" || f.Activity != "" {
		return nil, nil, nipp.Internal(errors.New("the coarse funding summaries serve the whole country with no activity filter"))
	}
	for i := range progressTables {
		t := &progressTables[i]
		switch t.name {
		case "progress_funding_years":
			byProvince, err = tx.progressCells(ctx, t, f, true)
		case "progress_funding_activities":
			byActivity, err = tx.progressCells(ctx, t, f, true)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return byProvince, byActivity, nil
}

// progressCells reads a summary's rows in the filter's scope as kept (the
// caller sums them into its breakdowns): a summary without the activity
// type gives Activity "", one without provinces ProvinceID 0.
func (tx *Tx) progressCells(ctx context.Context, t *progressTable, f ProgressFilter, scoped bool) ([]ProgressCell, error) {
	var args []any
	where := f.where(&args, scoped, t.keys[0])
	pc := f.provinceCol()
	if !slices.Contains(t.dimCols(), pc) {
		pc = "0"
	}
	ac := "activity_type_code"
	if !slices.Contains(t.dimCols(), ac) {
		ac = "''"
	}
	q := `SELECT ` + pc + `, ` + ac + `, year, ` + t.keys[0] + `, ` + strings.Join(t.vals, ", ") + ` FROM ` + t.name + where
	// A province's dashboard reads every province's outputs for its ranks,
	// and the country's dashboard beside it (the page's map) the same
	// cells: read once per snapshot (4,461 rows, 7-8 ms at national scale).
	key := fmt.Sprintf("cells %s %#v", q, args)
	if v, ok := tx.memo(key); ok {
		return v.([]ProgressCell), nil
	}
	var out []ProgressCell
	err := tx.each(ctx, q, args, func(scan func(...any) error) error {
		c := ProgressCell{Values: make([]int64, len(t.vals))}
		dest := []any{&c.ProvinceID, &c.Activity, &c.Year, &c.Key}
		for i := range c.Values {
			dest = append(dest, &c.Values[i])
		}
		if err := scan(dest...); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err == nil {
		tx.keep(key, out)
	}
	return out, err
}

// ReachCount is a count of distinct establishments: by a breakdown's key
// (a province id, an activity type, a year or a group; "" for the total).
type ReachCount struct {
	Key            string
	Establishments int64
	Prioritised    int64
}

// ProgressReach counts the distinct establishments reached in the scope,
// in total (by "") or by "province", "activity" or "year".
func (tx *Tx) ProgressReach(ctx context.Context, f ProgressFilter, by string) (_ []ReachCount, err error) {
	defer nipp.Wrap(&err, "store.ProgressReach(%v, %q)", f.ProgramID, by)
	col := map[string]string{"": "''", "province": "CAST(" + f.provinceCol() + " AS TEXT)", "activity": "activity_type_code",
		"year": "CAST(year AS TEXT)"}[by]
	return tx.reachCounts(ctx, "progress_reach", col, f)
}

// ProgressReachCounts reads the kept distinct counts of a program at a
// grain ("all", "year", "p34", "p63", "activity"), by grain key (a year,
// a unit id, an activity type; "" for all): a few rows, whatever the
// number of establishments.
func (tx *Tx) ProgressReachCounts(ctx context.Context, programID int64, grain string) (_ []ReachCount, err error) {
	defer nipp.Wrap(&err, "store.ProgressReachCounts(%v, %q)", programID, grain)
	var out []ReachCount
	err = tx.each(ctx, `SELECT grain_key, establishments, prioritised FROM progress_reach_counts WHERE program_id = $1 AND grain = $2 ORDER BY grain_key`,
		[]any{programID, grain}, func(scan func(...any) error) error {
			var r ReachCount
			if err := scan(&r.Key, &r.Establishments, &r.Prioritised); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	return out, err
}

// ProgressReachGroups counts, per priority group, the distinct
// establishments in it and those prioritised in it.
func (tx *Tx) ProgressReachGroups(ctx context.Context, f ProgressFilter) (_ []ReachCount, err error) {
	defer nipp.Wrap(&err, "store.ProgressReachGroups(%v)", f.ProgramID)
	return tx.reachCounts(ctx, "progress_reach_groups", "group_code", f)
}

func (tx *Tx) reachCounts(ctx context.Context, table, col string, f ProgressFilter) ([]ReachCount, error) {
	var args []any
	where := f.where(&args, true, "")
	group := " GROUP BY " + col + " ORDER BY 1"
	if col == "''" {
		group = "" // the total: one row
	}
	var out []ReachCount
	err := tx.each(ctx, `SELECT `+col+`, COUNT(DISTINCT establishment_id), COUNT(DISTINCT CASE WHEN prioritised > 0 THEN establishment_id END)
		FROM `+table+where+group, args, func(scan func(...any) error) error {
		var r ReachCount
		if err := scan(&r.Key, &r.Establishments, &r.Prioritised); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// ProgressUnit is a province of either generation as the dashboards name
// it, with its region.
type ProgressUnit struct {
	ID                 int64
	Code               string
	Generation         int
	NameVI, NameEN     string
	Region             string
	RegionVI, RegionEN string
	// Successor is, for a province of the 63, the code of the province of
	// the 34 it went into (its own code for a 2025 unit).
	Successor string
}

// ProgressUnits returns every province of both generations with its
// region (97 rows of reference data).
func (tx *Tx) ProgressUnits(ctx context.Context) (_ []ProgressUnit, err error) {
	defer nipp.Wrap(&err, "store.ProgressUnits()")
	const key = "progress units"
	if v, ok := tx.memo(key); ok {
		return v.([]ProgressUnit), nil
	}
	var out []ProgressUnit
	defer func() {
		if err == nil {
			tx.keep(key, out)
		}
	}()
	err = tx.each(ctx, `SELECT u.id, u.code, u.generation, u.name_vi, u.name_en, COALESCE(u.region_code, ''), COALESCE(r.name_vi, ''), COALESCE(r.name_en, ''),
		COALESCE((SELECT n.code FROM admin_unit_successors s JOIN admin_units n ON n.id = s.new_id WHERE s.old_id = u.id ORDER BY n.code LIMIT 1), u.code)
		FROM admin_units u LEFT JOIN regions r ON r.code = u.region_code WHERE u.level = 'province' ORDER BY u.generation, u.code`, nil,
		func(scan func(...any) error) error {
			var u ProgressUnit
			if err := scan(&u.ID, &u.Code, &u.Generation, &u.NameVI, &u.NameEN, &u.Region, &u.RegionVI, &u.RegionEN, &u.Successor); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	return out, err
}

// ProgressNames are the names of activity types and indicators (in
// display order) and regions.
type ProgressNames struct {
	Activities []nipp.ActivityProgress // Code and names only
	Indicators []nipp.IndicatorRef
	Regions    map[string][2]string
}

// FindProgressNames reads the names the dashboards show.
func (tx *Tx) FindProgressNames(ctx context.Context) (_ *ProgressNames, err error) {
	defer nipp.Wrap(&err, "store.FindProgressNames()")
	n := &ProgressNames{Regions: map[string][2]string{}}
	if err := tx.each(ctx, `SELECT code, name_vi, name_en FROM activity_types ORDER BY sort, code`, nil, func(scan func(...any) error) error {
		var a nipp.ActivityProgress
		if err := scan(&a.Code, &a.NameVI, &a.NameEN); err != nil {
			return err
		}
		n.Activities = append(n.Activities, a)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := tx.each(ctx, `SELECT code, name_vi, name_en, unit_vi, unit_en FROM indicators ORDER BY sort, code`, nil, func(scan func(...any) error) error {
		var i nipp.IndicatorRef
		if err := scan(&i.Code, &i.NameVI, &i.NameEN, &i.UnitVI, &i.UnitEN); err != nil {
			return err
		}
		n.Indicators = append(n.Indicators, i)
		return nil
	}); err != nil {
		return nil, err
	}
	err = tx.each(ctx, `SELECT code, name_vi, name_en FROM regions`, nil, func(scan func(...any) error) error {
		var c, vi, en string
		if err := scan(&c, &vi, &en); err != nil {
			return err
		}
		n.Regions[c] = [2]string{vi, en}
		return nil
	})
	return n, err
}

// FindRegionName returns a region's names (ENOTFOUND when unknown).
func (tx *Tx) FindRegionName(ctx context.Context, code string) (vi, en string, err error) {
	defer nipp.Wrap(&err, "store.FindRegionName(%q)", code)
	err = tx.QueryRow(ctx, `SELECT name_vi, name_en FROM regions WHERE code = $1`, code).Scan(&vi, &en)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nipp.Errorf(nipp.ENOTFOUND, "err.store.no_region", code)
	}
	return vi, en, mapError(err)
}
