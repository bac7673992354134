package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/tabular"
	"nipp/internal/vntext"
)

// ProgramDetail is a program with its target revisions.
type ProgramDetail struct {
	*nipp.Program
	// Revisions newest first; the first is in force (also Program.Targets).
	Revisions []*nipp.TargetRevision `json:"revisions"`
	// Changes[i] is what Revisions[i] changed from the revision before it.
	Changes [][]nipp.TargetChange `json:"changes"`
}

// Program returns a program with the revision of its targets in force and
// the history of revisions. Programs are public.
func (a *App) Program(ctx context.Context, code string) (_ *ProgramDetail, err error) {
	defer nipp.Wrap(&err, "app.Program(%q)", code)
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var d *ProgramDetail
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		d, err = programDetail(ctx, tx, code)
		return err
	})
	return d, err
}

// ProgramForEdit is Program for someone about to edit it or revise its
// targets: EFORBIDDEN unless the program is editable by the caller
// (nipp.Program.EditableBy).
func (a *App) ProgramForEdit(ctx context.Context, code string) (_ *ProgramDetail, err error) {
	defer nipp.Wrap(&err, "app.ProgramForEdit(%q)", code)
	pr, err := authorize(ctx, nipp.PermProgramEdit)
	if err != nil {
		return nil, err
	}
	var d *ProgramDetail
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		if d, err = programDetail(ctx, tx, code); err != nil {
			return err
		}
		return canEditProgram(pr, d.Program)
	})
	return d, err
}

func canEditProgram(pr *nipp.Principal, p *nipp.Program) error {
	if p.EditableBy(pr) {
		return nil
	}
	if p.Level == nipp.ProgramNational {
		return nipp.Errorf(nipp.EFORBIDDEN, "err.app.national_programs_revised_by_ministry")
	}
	return nipp.Errorf(nipp.EFORBIDDEN, "err.app.you_can_change_local_programs")
}

func programDetail(ctx context.Context, tx *store.Tx, code string) (*ProgramDetail, error) {
	p, err := tx.FindProgramByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	revs, err := tx.FindTargetRevisions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	d := &ProgramDetail{Program: p}
	for i := len(revs) - 1; i >= 0; i-- {
		var prev *nipp.TargetRevision
		if i > 0 {
			prev = revs[i-1]
		}
		d.Revisions = append(d.Revisions, revs[i])
		d.Changes = append(d.Changes, nipp.DiffTargets(prev, revs[i]))
	}
	if len(d.Revisions) > 0 {
		p.Targets = d.Revisions[0]
	}
	return d, nil
}

// ProgramList lists the programs f selects (national first, then local
// ones by province), each with the targets of its revision in force.
func (a *App) ProgramList(ctx context.Context, f nipp.ProgramFilter) (_ []*nipp.Program, err error) {
	defer nipp.Wrap(&err, "app.ProgramList()")
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var out []*nipp.Program
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindPrograms(ctx, f)
		return err
	})
	return out, err
}

// CreateLocalProgram adds a province's local industry promotion program
// (level "local"; p.ProvinceCode a 2025 province code). Central officers
// may create one for any province, provincial officers for their own only.
// Targets are not part of it: they come as revisions (ReviseTargets).
func (a *App) CreateLocalProgram(ctx context.Context, p *nipp.Program) (_ *nipp.Program, err error) {
	defer nipp.Wrap(&err, "app.CreateLocalProgram()")
	pr, err := authorize(ctx, nipp.PermProgramEdit)
	if err != nil {
		return nil, err
	}
	p.Level = nipp.ProgramLocal
	p.ProvinceCode = strings.TrimSpace(p.ProvinceCode)
	if p.ProvinceCode != "" && !p.EditableBy(pr) {
		return nil, canEditProgram(pr, p)
	}
	if err := nipp.ValidateLocalProgram(p); err != nil {
		return nil, err
	}
	p.Targets = nil
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateProgram(ctx, p); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionCreate, "program", p.Code, nil, p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateLocalProgram changes a local program's name, period, decision,
// approving body and note, if it is still at version (else ECONFLICT, the
// other change kept). Its code, level and province do not change.
func (a *App) UpdateLocalProgram(ctx context.Context, code string, in *nipp.Program, version int) (_ *nipp.Program, err error) {
	defer nipp.Wrap(&err, "app.UpdateLocalProgram(%q, %v)", code, version)
	pr, err := authorize(ctx, nipp.PermProgramEdit)
	if err != nil {
		return nil, err
	}
	var out *nipp.Program
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindProgramByCode(ctx, code)
		if err != nil {
			return err
		}
		if err := canEditProgram(pr, before); err != nil {
			return err
		}
		if before.Level != nipp.ProgramLocal {
			return nipp.Errorf(nipp.EFORBIDDEN, "err.app.national_programs_reference_data_not")
		}
		p := *before
		p.NameVI, p.NameEN, p.StartYear, p.EndYear = in.NameVI, in.NameEN, in.StartYear, in.EndYear
		p.DecisionNo, p.DecisionDate, p.ApprovedBy, p.ApprovedByEN, p.Note = in.DecisionNo, in.DecisionDate, in.ApprovedBy, in.ApprovedByEN, in.Note
		if err := nipp.ValidateLocalProgram(&p); err != nil {
			return err
		}
		// Targets set for years outside a shortened period would no longer fit.
		revs, err := tx.FindTargetRevisions(ctx, p.ID)
		if err != nil {
			return err
		}
		if n := len(revs); n > 0 {
			for _, t := range revs[n-1].Targets {
				if t.Year != 0 && !p.InPeriod(t.Year) {
					return nipp.FieldError("end_year", "err.app.targets_force_have_year_outside", t.Year)
				}
			}
		}
		if err := tx.UpdateProgram(ctx, &p, version); err != nil {
			return err
		}
		out = &p
		return a.record(ctx, tx, nipp.ActionUpdate, "program", p.Code, before, &p)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Indicators lists the indicators targets are set for.
func (a *App) Indicators(ctx context.Context) (_ []nipp.Indicator, err error) {
	defer nipp.Wrap(&err, "app.Indicators()")
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var out []nipp.Indicator
	err = a.read(ctx, func(tx *store.Tx) (err error) { out, err = tx.FindIndicators(ctx); return err })
	return out, err
}

// ReviseTargets adds a revision of a program's targets, decided by
// rev.DecisionNo of rev.DecisionDate. The old revisions stay as they were.
// National programs are revised by the ministry, a local one also by its
// province's officers (nipp.Program.EditableBy).
func (a *App) ReviseTargets(ctx context.Context, programCode string, rev *nipp.TargetRevision) (_ *nipp.TargetRevision, err error) {
	defer nipp.Wrap(&err, "app.ReviseTargets(%q)", programCode)
	pr, err := authorize(ctx, nipp.PermProgramEdit)
	if err != nil {
		return nil, err
	}
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		p, err := tx.FindProgramByCode(ctx, programCode)
		if err != nil {
			return err
		}
		if err := canEditProgram(pr, p); err != nil {
			return err
		}
		inds, err := tx.FindIndicators(ctx)
		if err != nil {
			return err
		}
		known := map[string]bool{}
		for _, i := range inds {
			known[i.Code] = true
		}
		for _, t := range rev.Targets {
			if !known[t.IndicatorCode] {
				return nipp.FieldError(t.IndicatorCode, "err.app.unknown_indicator")
			}
		}
		if err := nipp.ValidateRevision(p, rev); err != nil {
			return err
		}
		if err := tx.CreateTargetRevision(ctx, p.ID, rev); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionCreate, "target_revision", p.Code+"/"+strconv.Itoa(rev.Revision), nil, rev)
	})
	if err != nil {
		return nil, err
	}
	return rev, nil
}

// RowErrors lists every problem of an import, by row and column; as an
// error it is EINVALID (see ImportTargets).
type RowErrors []*tabular.RowError

func (es RowErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// ImportTargets reads targets from a .xlsx or .csv file (columns:
// indicator code or name, value, optional province code or name, optional
// year) and adds them as a new revision decided by rev's decision. With any
// row wrong nothing is stored, and the error (EINVALID) wraps RowErrors.
func (a *App) ImportTargets(ctx context.Context, programCode string, rev *nipp.TargetRevision, filename string, data []byte) (_ *nipp.TargetRevision, err error) {
	defer nipp.Wrap(&err, "app.ImportTargets(%q, %q)", programCode, filename)
	pr, err := authorize(ctx, nipp.PermProgramEdit)
	if err != nil {
		return nil, err
	}
	var inds []nipp.Indicator
	var provinces []provinceName
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		// Scope first: a file is not read for a program the caller may not revise.
		p, err := tx.FindProgramByCode(ctx, programCode)
		if err != nil {
			return err
		}
		if err := canEditProgram(pr, p); err != nil {
			return err
		}
		if inds, err = tx.FindIndicators(ctx); err != nil {
			return err
		}
		provinces, err = findProvinceNames(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	targets, err := readTargets(filename, data, inds, provinces)
	if err != nil {
		return nil, err
	}
	rev.Targets = targets
	return a.ReviseTargets(ctx, programCode, rev)
}

type provinceName struct{ code, fold string }

func findProvinceNames(ctx context.Context, tx *store.Tx) ([]provinceName, error) {
	rows, err := tx.Query(ctx, `SELECT code, name_fold FROM admin_units WHERE level = 'province' AND generation = 2025`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []provinceName
	for rows.Next() {
		var p provinceName
		if err := rows.Scan(&p.code, &p.fold); err != nil {
			return nil, nipp.Internal(err)
		}
		out = append(out, p)
	}
	return out, nipp.Internal(rows.Err())
}

var targetColumns = map[string]string{
	"indicator": "indicator", "chi tieu": "indicator", "ma chi tieu": "indicator", "ten chi tieu": "indicator", "indicator code": "indicator",
	"value": "value", "gia tri": "value", "muc tieu": "value", "target": "value",
	"province": "province", "tinh": "province", "tinh/thanh pho": "province", "ma tinh": "province",
	"year": "year", "nam": "year",
}

// FileProblem names why a file cannot be read as a spreadsheet (the
// errors of tabular.DetectFormat and tabular.Open, which speak English
// only), as a message of the catalog, under field.
func FileProblem(field string, err error) error {
	key := "err.file.unreadable"
	switch {
	case errors.Is(err, tabular.ErrOldExcel):
		key = "err.file.old_excel"
	case errors.Is(err, tabular.ErrHTMLSheet):
		key = "err.file.html_sheet"
	case errors.Is(err, tabular.ErrODS):
		key = "err.file.ods"
	case errors.Is(err, tabular.ErrNotXLSX):
		key = "err.file.not_xlsx"
	case errors.Is(err, tabular.ErrUnknownFormat):
		key = "err.file.unknown_format"
	}
	return nipp.FieldError(field, key)
}

func readTargets(filename string, data []byte, inds []nipp.Indicator, provinces []provinceName) ([]nipp.Target, error) {
	head := data[:min(len(data), 512)]
	format, err := tabular.DetectFormat(filename, head)
	if err != nil {
		return nil, FileProblem("file", err)
	}
	r, err := tabular.Open(bytes.NewReader(data), int64(len(data)), format)
	if err != nil {
		return nil, FileProblem("file", err)
	}
	defer r.Close()
	h, err := tabular.FindHeader(r, func(f string) string { return targetColumns[f] }, 2, 0)
	if err != nil {
		return nil, nipp.FieldError("file", "err.app.no_header_row_indicator_value")
	}
	ci, cv, cp, cy := h.Column("indicator"), h.Column("value"), h.Column("province"), h.Column("year")
	if ci < 0 || cv < 0 {
		return nil, nipp.FieldError("file", "err.app.indicator_value_columns_required")
	}
	byKey := map[string]string{}
	for _, i := range inds {
		byKey[vntext.Fold(i.Code)] = i.Code
		byKey[vntext.Fold(i.NameVI)] = i.Code
		byKey[vntext.Fold(i.NameEN)] = i.Code
	}
	var out []nipp.Target
	var errs RowErrors
	seen := map[string]int{}
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
		if tabular.IsTotalRow(cells) || tabular.IsSignatureRow(cells) {
			continue
		}
		bad := func(col int, key string, args ...any) {
			errs = append(errs, &tabular.RowError{Row: row, Col: col + 1, Err: nipp.Errorf(nipp.EINVALID, key, args...)})
		}
		n := len(errs)
		var t nipp.Target
		raw := tabular.Cell(cells, ci)
		if t.IndicatorCode = byKey[vntext.Fold(raw)]; t.IndicatorCode == "" {
			bad(ci, "err.app.unknown_indicator_2", raw)
		}
		v, err := tabular.ParseInt(tabular.Cell(cells, cv))
		if err != nil || v < 0 {
			bad(cv, "err.app.value_not_non_negative_whole", tabular.Cell(cells, cv))
		}
		t.Value = v
		if cp >= 0 && tabular.Cell(cells, cp) != "" {
			raw := tabular.Cell(cells, cp)
			t.ProvinceCode = matchProvince(raw, provinces)
			if t.ProvinceCode == "" {
				bad(cp, "err.app.unknown_province_use_code_name", raw)
			}
		}
		if cy >= 0 && tabular.Cell(cells, cy) != "" {
			y, err := strconv.Atoi(tabular.Cell(cells, cy))
			if err != nil || y < 2000 || y > 2100 {
				bad(cy, "err.app.invalid_year_2", tabular.Cell(cells, cy))
			}
			t.Year = y
		}
		if len(errs) > n {
			continue
		}
		if prev, ok := seen[t.Key()]; ok {
			bad(ci, "err.app.repeats_row", prev)
			continue
		}
		seen[t.Key()] = row
		out = append(out, t)
	}
	if len(errs) > 0 {
		return nil, &nipp.Error{Code: nipp.EINVALID, Msg: nipp.M("err.app.file_problems", nipp.Num(len(errs))), Err: errs}
	}
	if len(out) == 0 {
		return nil, nipp.FieldError("file", "err.app.file_has_no_target_rows")
	}
	return out, nil
}

func matchProvince(raw string, provinces []provinceName) string {
	f := vntext.Fold(raw)
	for _, prefix := range []string{"tinh ", "thanh pho ", "tp. ", "tp "} {
		f = strings.TrimPrefix(f, prefix)
	}
	for _, p := range provinces {
		if p.code == raw || p.fold == f || (len(raw) == 1 && p.code == "0"+raw) {
			return p.code
		}
	}
	return ""
}
