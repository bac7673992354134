package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/tabular"
	"nipp/internal/vntext"
)

// Targets where they are managed (issue 19): a program's targets laid out
// as the ministry's allocation table (a row per province, and year, a
// column per indicator, the national row first), entered in the program
// page's allocation form or imported from the ministry's .xlsx, each time
// a new revision (versioned as ReviseTargets).

// TargetTable returns the targets of a program's revision in force (the
// latest) laid out as the allocation table: the indicators with a target
// (every indicator when there are none yet), the national row, a row per
// province of the 34 (a local program: its own) and a row per province and
// year that has yearly targets. Public, as programs are.
func (a *App) TargetTable(ctx context.Context, programCode string) (_ *nipp.TargetTable, err error) {
	defer nipp.Wrap(&err, "app.TargetTable(%q)", programCode)
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var t *nipp.TargetTable
	err = a.read(ctx, func(tx *store.Tx) error {
		d, err := programDetail(ctx, tx, programCode)
		if err != nil {
			return err
		}
		names, err := tx.FindProgressNames(ctx)
		if err != nil {
			return err
		}
		units, err := tx.ProgressUnits(ctx)
		if err != nil {
			return err
		}
		t = targetTable(d.Program, names.Indicators, units)
		return nil
	})
	return t, err
}

// targetTable lays out p's targets in force.
func targetTable(p *nipp.Program, inds []nipp.IndicatorRef, units []store.ProgressUnit) *nipp.TargetTable {
	t := &nipp.TargetTable{Program: p.Code}
	var targets []nipp.Target
	if p.Targets != nil {
		t.Revision = &nipp.RevisionRef{Revision: p.Targets.Revision, DecisionNo: p.Targets.DecisionNo, DecisionDate: p.Targets.DecisionDate}
		targets = p.Targets.Targets
	}
	has := map[string]bool{}
	for _, tg := range targets {
		has[tg.IndicatorCode] = true
	}
	for _, in := range inds {
		if len(has) == 0 || has[in.Code] {
			t.Indicators = append(t.Indicators, in)
		}
	}
	rows := map[string]*nipp.TargetRow{}
	var order []string
	row := func(prov string, year int, vi, en string) *nipp.TargetRow {
		k := prov + "/" + strconv.Itoa(year)
		r := rows[k]
		if r == nil {
			r = &nipp.TargetRow{Province: prov, NameVI: vi, NameEN: en, Year: year, Values: map[string]int64{}}
			rows[k] = r
			order = append(order, k)
		}
		return r
	}
	row("", 0, "", "")
	names := map[string]store.ProgressUnit{}
	for _, u := range units {
		if u.Generation != 2025 {
			continue
		}
		names[u.Code] = u
		if p.Level != nipp.ProgramLocal || u.Code == p.ProvinceCode {
			row(u.Code, 0, u.NameVI, u.NameEN)
		}
	}
	for _, tg := range targets {
		if tg.Year != 0 {
			u := names[tg.ProvinceCode]
			row(tg.ProvinceCode, tg.Year, u.NameVI, u.NameEN)
		}
	}
	for _, tg := range targets {
		u := names[tg.ProvinceCode]
		row(tg.ProvinceCode, tg.Year, u.NameVI, u.NameEN).Values[tg.IndicatorCode] = tg.Value
	}
	// National row first, provinces by code, each province's years after
	// its whole-period row; national yearly rows after the national row.
	slices.SortStableFunc(order, func(x, y string) int {
		rx, ry := rows[x], rows[y]
		if rx.Province != ry.Province {
			if rx.Province == "" {
				return -1
			}
			if ry.Province == "" {
				return 1
			}
			return strings.Compare(rx.Province, ry.Province)
		}
		return rx.Year - ry.Year
	})
	for _, k := range order {
		t.Rows = append(t.Rows, *rows[k])
	}
	return t
}

// AllocateTargets stores a new target revision from an allocation table
// entered in the form (decision number and date in rev, the values in t),
// versioned as ReviseTargets: national programs by the ministry, a local
// one also by its province's officers. The table's cells replace, for its
// indicators, the targets of the rows it shows; yearly targets and other
// indicators carry over (nipp.TargetTable.Merge). t.Revision names the
// revision the form was filled from: another revision made meanwhile is
// ECONFLICT (nothing is overwritten unseen). Every problem at once, each
// naming its cell (nipp.TargetCellField).
func (a *App) AllocateTargets(ctx context.Context, programCode string, rev *nipp.TargetRevision, t *nipp.TargetTable) (_ *nipp.TargetRevision, err error) {
	defer nipp.Wrap(&err, "app.AllocateTargets(%q)", programCode)
	pr, err := authorize(ctx, nipp.PermProgramEdit)
	if err != nil {
		return nil, err
	}
	var prev []nipp.Target
	err = a.read(ctx, func(tx *store.Tx) error {
		d, err := programDetail(ctx, tx, programCode)
		if err != nil {
			return err
		}
		if err := canEditProgram(pr, d.Program); err != nil {
			return err
		}
		cur := 0
		if d.Targets != nil {
			cur, prev = d.Targets.Revision, d.Targets.Targets
		}
		based := 0
		if t.Revision != nil {
			based = t.Revision.Revision
		}
		if based != cur {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.targets_revised_meanwhile", cur)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var errs []*nipp.Error
	for _, r := range t.Rows {
		for code, v := range r.Values {
			if v < 0 {
				errs = append(errs, nipp.FieldError(nipp.TargetCellField(code, r.Province, r.Year), "err.nipp.target_cannot_negative"))
			}
		}
	}
	if err := nipp.Join(errs...); err != nil {
		return nil, err
	}
	rev.Targets = t.Merge(prev)
	return a.ReviseTargets(ctx, programCode, rev)
}

// ImportTargetTable reads the ministry's allocation table from a .xlsx
// (or .csv) file and stores it as a new revision decided by rev: rows are
// provinces by code or name of either map (a province of the 63 adds to
// its successor of the 34: Hà Giang and Tuyên Quang become Tuyên Quang's
// allocation) and a national row ("Cả nước", "Toàn quốc", "Tổng cộng");
// columns are indicators by code or name (a unit in brackets is allowed)
// and optionally the year. The file's indicators replace those of its rows
// in the revision in force; the rest carries over. A wrong cell is
// reported by row and column as the registry import does (RowErrors inside
// EINVALID), and nothing is stored.
func (a *App) ImportTargetTable(ctx context.Context, programCode string, rev *nipp.TargetRevision, filename string, data []byte) (_ *nipp.TargetRevision, err error) {
	defer nipp.Wrap(&err, "app.ImportTargetTable(%q, %q)", programCode, filename)
	pr, err := authorize(ctx, nipp.PermProgramEdit)
	if err != nil {
		return nil, err
	}
	var d *ProgramDetail
	var names *store.ProgressNames
	var units []store.ProgressUnit
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		// Scope first: a file is not read for a program the caller may not revise.
		if d, err = programDetail(ctx, tx, programCode); err != nil {
			return err
		}
		if err := canEditProgram(pr, d.Program); err != nil {
			return err
		}
		if names, err = tx.FindProgressNames(ctx); err != nil {
			return err
		}
		units, err = tx.ProgressUnits(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	t, err := readAllocation(filename, data, d.Program, names.Indicators, units)
	if err != nil {
		return nil, err
	}
	var prev []nipp.Target
	if d.Targets != nil {
		prev = d.Targets.Targets
		t.Revision = &nipp.RevisionRef{Revision: d.Targets.Revision}
	}
	rev.Targets = t.Merge(prev)
	return a.ReviseTargets(ctx, programCode, rev)
}

// allocationColumns are the allocation table's own columns (folded titles).
var allocationColumns = map[string]string{
	"tinh": "province", "tinh/thanh pho": "province", "tinh, thanh pho": "province", "tinh/tp": "province", "tinh, tp": "province",
	"tinh thanh pho": "province", "tinh tp": "province", "dia phuong": "province", "ten tinh": "province", "ma tinh": "province", "don vi": "province",
	"province": "province", "province/city": "province",
	"nam": "year", "year": "year",
}

// nationalRows are the folded labels of the national row.
var nationalRows = []string{"ca nuoc", "toan quoc", "tong cong", "tong", "tong so", "cong", "national", "total", "nationwide", "whole country"}

// indicatorMatcher recognises an indicator column by code or name (folded
// titles: punctuation is gone), followed or not by its unit ("... (máy
// móc thiết bị)"), or by the start of its name (12 letters at least).
func indicatorMatcher(inds []nipp.IndicatorRef) func(string) string {
	return func(f string) string {
		for _, in := range inds {
			for _, n := range []string{vntext.Fold(in.Code), vntext.Fold(in.NameVI), vntext.Fold(in.NameEN)} {
				units := []string{vntext.Fold(in.UnitVI), vntext.Fold(in.UnitEN)}
				if f == n || f == n+" "+units[0] || f == n+" "+units[1] || (len(f) >= 12 && strings.HasPrefix(n, f)) {
					return "ind:" + in.Code
				}
			}
		}
		return ""
	}
}

// readAllocation reads an allocation table into a TargetTable of the
// program (rows: national, provinces of the 34, with years).
func readAllocation(filename string, data []byte, p *nipp.Program, inds []nipp.IndicatorRef, units []store.ProgressUnit) (*nipp.TargetTable, error) {
	format, err := tabular.DetectFormat(filename, data[:min(len(data), 512)])
	if err != nil {
		return nil, FileProblem("file", err)
	}
	r, err := tabular.Open(bytes.NewReader(data), int64(len(data)), format)
	if err != nil {
		return nil, FileProblem("file", err)
	}
	defer r.Close()
	isInd := indicatorMatcher(inds)
	h, err := tabular.FindHeader(r, func(f string) string {
		if k := allocationColumns[f]; k != "" {
			return k
		}
		return isInd(f)
	}, 2, 0)
	cp, cy := h.Column("province"), h.Column("year")
	var cols []int
	for i, k := range h.Keys {
		if strings.HasPrefix(k, "ind:") {
			cols = append(cols, i)
		}
	}
	if err != nil || cp < 0 || len(cols) == 0 {
		return nil, nipp.FieldError("file", "err.app.allocation_columns_required")
	}
	t := &nipp.TargetTable{Program: p.Code}
	byInd := map[string]nipp.IndicatorRef{}
	for _, in := range inds {
		byInd[in.Code] = in
	}
	for _, c := range cols {
		t.Indicators = append(t.Indicators, byInd[strings.TrimPrefix(h.Keys[c], "ind:")])
	}
	// Province names and codes: the 34 first, then the 63 (to their
	// successor).
	type place struct{ key, code string } // key: the unit named; code: the 34's
	var match []struct {
		fold, code string
		p          place
	}
	for _, gen := range []int{2025, 2008} {
		for _, u := range units {
			if u.Generation != gen {
				continue
			}
			succ := u.Code
			if gen == 2008 {
				succ = u.Successor
			}
			pl := place{strconv.Itoa(gen) + "/" + u.Code, succ}
			match = append(match, struct {
				fold, code string
				p          place
			}{vntext.Fold(u.NameVI), u.Code, pl})
		}
	}
	find := func(raw string) (place, bool) {
		f := vntext.Fold(raw)
		if slices.Contains(nationalRows, f) {
			return place{"national", ""}, true
		}
		for _, prefix := range []string{"tinh ", "thanh pho ", "tp. ", "tp "} {
			f = strings.TrimPrefix(f, prefix)
		}
		code := raw
		if len(code) == 1 {
			code = "0" + code
		}
		for _, m := range match {
			if m.fold == f || m.code == code {
				return m.p, true
			}
		}
		return place{}, false
	}
	rows := map[string]*nipp.TargetRow{}
	var order []string
	seen := map[string]int{}
	var errs RowErrors
	for {
		row, cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var re *tabular.RowError
			if errors.As(err, &re) {
				errs = append(errs, re)
				break
			}
			return nil, FileProblem("file", err)
		}
		if tabular.IsBlank(cells) {
			continue
		}
		if tabular.IsSignatureRow(cells) {
			break
		}
		bad := func(col int, key string, args ...any) {
			errs = append(errs, &tabular.RowError{Row: row, Col: col + 1, Err: nipp.Errorf(nipp.EINVALID, key, args...)})
		}
		n := len(errs)
		raw := tabular.Cell(cells, cp)
		pl, ok := find(raw)
		if !ok {
			bad(cp, "err.app.unknown_province_use_code_name", raw)
		} else if p.Level == nipp.ProgramLocal && pl.code != "" && pl.code != p.ProvinceCode {
			bad(cp, "err.nipp.local_program_has_targets_its", p.ProvinceCode)
		}
		year := 0
		if cy >= 0 && tabular.Cell(cells, cy) != "" {
			y, err := strconv.Atoi(tabular.Cell(cells, cy))
			if err != nil || !p.InPeriod(y) {
				bad(cy, "err.app.allocation_year_outside", tabular.Cell(cells, cy), p.StartYear, p.EndYear)
			}
			year = y
		}
		values := map[string]int64{}
		for i, c := range cols {
			s := tabular.Cell(cells, c)
			if s == "" {
				continue
			}
			v, err := tabular.ParseInt(s)
			if err != nil || v < 0 {
				bad(c, "err.app.value_not_non_negative_whole", s)
				continue
			}
			values[t.Indicators[i].Code] = v
		}
		if len(errs) > n {
			continue
		}
		key := pl.key + "/" + strconv.Itoa(year)
		if prev, ok := seen[key]; ok {
			bad(cp, "err.app.repeats_row", prev)
			continue
		}
		seen[key] = row
		k := pl.code + "/" + strconv.Itoa(year)
		tr := rows[k]
		if tr == nil {
			tr = &nipp.TargetRow{Province: pl.code, Year: year, Values: map[string]int64{}}
			rows[k] = tr
			order = append(order, k)
		}
		for code, v := range values {
			s, ok := nipp.AddVND(tr.Values[code], v) // a province of the 34 adds those of the 63 it took in
			if !ok {
				bad(cp, "err.app.allocation_sum_too_large")
			}
			tr.Values[code] = s
		}
	}
	if len(errs) > 0 {
		return nil, &nipp.Error{Code: nipp.EINVALID, Msg: nipp.M("err.app.file_problems", nipp.Num(len(errs))), Err: errs}
	}
	if len(order) == 0 {
		return nil, nipp.FieldError("file", "err.app.file_has_no_target_rows")
	}
	for _, k := range order {
		t.Rows = append(t.Rows, *rows[k])
	}
	return t, nil
}
