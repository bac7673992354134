package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
func (a *App) Program(ctx context.Context, code string) (*ProgramDetail, error) {
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var d *ProgramDetail
	err := a.db.ReadTx(ctx, func(tx *store.Tx) error {
		p, err := tx.FindProgramByCode(ctx, code)
		if err != nil {
			return err
		}
		revs, err := tx.FindTargetRevisions(ctx, p.ID)
		if err != nil {
			return err
		}
		d = &ProgramDetail{Program: p}
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
		return nil
	})
	return d, err
}

// Indicators lists the indicators targets are set for.
func (a *App) Indicators(ctx context.Context) ([]store.Indicator, error) {
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var out []store.Indicator
	err := a.db.ReadTx(ctx, func(tx *store.Tx) (err error) { out, err = tx.FindIndicators(ctx); return err })
	return out, err
}

// ReviseTargets adds a revision of a program's targets, decided by
// rev.DecisionNo of rev.DecisionDate. The old revisions stay as they were.
func (a *App) ReviseTargets(ctx context.Context, programCode string, rev *nipp.TargetRevision) (*nipp.TargetRevision, error) {
	if _, err := authorize(ctx, nipp.PermReferenceEdit); err != nil {
		return nil, err
	}
	err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
		p, err := tx.FindProgramByCode(ctx, programCode)
		if err != nil {
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
				return nipp.FieldError(t.IndicatorCode, "chỉ tiêu không có trong danh mục / unknown indicator")
			}
		}
		if err := nipp.ValidateRevision(p, rev); err != nil {
			return err
		}
		if err := tx.CreateTargetRevision(ctx, p.ID, rev); err != nil {
			return err
		}
		return audit(ctx, tx, nipp.ActionCreate, "target_revision", p.Code+"/"+strconv.Itoa(rev.Revision), nil, rev)
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
func (a *App) ImportTargets(ctx context.Context, programCode string, rev *nipp.TargetRevision, filename string, data []byte) (*nipp.TargetRevision, error) {
	if _, err := authorize(ctx, nipp.PermReferenceEdit); err != nil {
		return nil, err
	}
	var inds []store.Indicator
	var provinces []provinceName
	err := a.db.ReadTx(ctx, func(tx *store.Tx) (err error) {
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

func readTargets(filename string, data []byte, inds []store.Indicator, provinces []provinceName) ([]nipp.Target, error) {
	head := data[:min(len(data), 512)]
	format, err := tabular.DetectFormat(filename, head)
	if err != nil {
		return nil, nipp.FieldError("file", "%v", err)
	}
	r, err := tabular.Open(bytes.NewReader(data), int64(len(data)), format)
	if err != nil {
		return nil, nipp.FieldError("file", "%v", err)
	}
	defer r.Close()
	h, err := tabular.FindHeader(r, func(f string) string { return targetColumns[f] }, 2, 0)
	if err != nil {
		return nil, nipp.FieldError("file", "không tìm thấy dòng tiêu đề (chỉ tiêu, giá trị) / no header row (indicator, value) found")
	}
	ci, cv, cp, cy := h.Column("indicator"), h.Column("value"), h.Column("province"), h.Column("year")
	if ci < 0 || cv < 0 {
		return nil, nipp.FieldError("file", "cần cột chỉ tiêu và giá trị / the indicator and value columns are required")
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
			return nil, nipp.FieldError("file", "%v", err)
		}
		if tabular.IsTotalRow(cells) || tabular.IsSignatureRow(cells) {
			continue
		}
		bad := func(col int, format string, args ...any) {
			errs = append(errs, &tabular.RowError{Row: row, Col: col + 1, Err: fmt.Errorf(format, args...)})
		}
		n := len(errs)
		var t nipp.Target
		raw := tabular.Cell(cells, ci)
		if t.IndicatorCode = byKey[vntext.Fold(raw)]; t.IndicatorCode == "" {
			bad(ci, "chỉ tiêu %q không có trong danh mục / unknown indicator %q", raw, raw)
		}
		v, err := tabular.ParseInt(tabular.Cell(cells, cv))
		if err != nil || v < 0 {
			bad(cv, "giá trị %q không phải số nguyên không âm / value %q is not a non-negative whole number", tabular.Cell(cells, cv), tabular.Cell(cells, cv))
		}
		t.Value = v
		if cp >= 0 && tabular.Cell(cells, cp) != "" {
			raw := tabular.Cell(cells, cp)
			t.ProvinceCode = matchProvince(raw, provinces)
			if t.ProvinceCode == "" {
				bad(cp, "tỉnh %q không có (dùng mã hoặc tên của 34 tỉnh mới) / unknown province %q (use a code or name of the 34 provinces)", raw, raw)
			}
		}
		if cy >= 0 && tabular.Cell(cells, cy) != "" {
			y, err := strconv.Atoi(tabular.Cell(cells, cy))
			if err != nil || y < 2000 || y > 2100 {
				bad(cy, "năm %q không hợp lệ / invalid year %q", tabular.Cell(cells, cy), tabular.Cell(cells, cy))
			}
			t.Year = y
		}
		if len(errs) > n {
			continue
		}
		if prev, ok := seen[t.Key()]; ok {
			bad(ci, "lặp lại dòng %d / repeats row %d", prev, prev)
			continue
		}
		seen[t.Key()] = row
		out = append(out, t)
	}
	if len(errs) > 0 {
		return nil, &nipp.Error{Code: nipp.EINVALID, Message: fmt.Sprintf("Tệp có %d lỗi, không lưu gì / the file has %d problem(s); nothing was stored:\n%s", len(errs), len(errs), errs.Error()), Err: errs}
	}
	if len(out) == 0 {
		return nil, nipp.FieldError("file", "tệp không có dòng mục tiêu nào / the file has no target rows")
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
