package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// Targets allocated to provinces (issue 19): the allocation table on the
// program page, its form (/programs/{code}/allocation), the import of the
// ministry's .xlsx and the export of the table.

// allocCell is one input of the allocation form.
type allocCell struct {
	Field     string // nipp.TargetCellField
	Value     string // as shown (grouped) or as typed
	Indicator nipp.IndicatorRef
}

// allocRow is one row of the allocation table as pages show it.
type allocRow struct {
	Province       string // "" for the national row
	NameVI, NameEN string
	Year           int
	Cells          []allocCell
	Any            bool // some cell has a value
}

type allocationView struct {
	Page
	P         *app.ProgramDetail
	T         *nipp.TargetTable
	Rows      []allocRow
	Based     int // the revision the form was filled from
	CanEdit   bool
	RowErrors app.RowErrors
}

// allocRows lays out t's rows with their values (from sent, for a refused
// form, else from the table).
func allocRows(l L, t *nipp.TargetTable, sent url.Values, wholePeriodOnly bool) []allocRow {
	var out []allocRow
	for _, r := range t.Rows {
		if wholePeriodOnly && r.Year != 0 {
			continue
		}
		ar := allocRow{Province: r.Province, NameVI: r.NameVI, NameEN: r.NameEN, Year: r.Year}
		for _, in := range t.Indicators {
			c := allocCell{Field: nipp.TargetCellField(in.Code, r.Province, r.Year), Indicator: in}
			if v, ok := r.Values[in.Code]; ok {
				c.Value = l.Num(v)
				ar.Any = true
			}
			if sent != nil {
				c.Value = sent.Get(c.Field)
			}
			ar.Cells = append(ar.Cells, c)
		}
		out = append(out, ar)
	}
	return out
}

func (s *Server) programAllocation(w http.ResponseWriter, r *http.Request) {
	s.renderAllocation(w, r, http.StatusOK, nil, nil)
}

// renderAllocation shows the allocation form, filled from the revision in
// force (or with what was sent, after a refusal).
func (s *Server) renderAllocation(w http.ResponseWriter, r *http.Request, status int, sent url.Values, failure error) {
	code := r.PathValue("code")
	d, err := s.app.ProgramForEdit(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.app.TargetTable(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &allocationView{Page: s.page(r, "alloc.title"), P: d, T: t, CanEdit: true}
	v.PageTitle = v.L.T("alloc.title") + ": " + v.L.Pick(d.NameVI, d.NameEN)
	var form url.Values
	if sent != nil && r.URL.Path == "/programs/"+code+"/allocation" {
		form = sent
	}
	v.Rows = allocRows(v.L, t, form, true)
	if t.Revision != nil {
		v.Based = t.Revision.Revision
	}
	if !errors.As(failure, &v.RowErrors) {
		v.Refuse(failure)
	}
	s.render(w, r, status, "programs_allocation", v)
}

func (s *Server) programAllocate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, nipp.Errorf(nipp.EINVALID, "err.web.invalid_form"))
		return
	}
	code := r.PathValue("code")
	if _, err := s.app.ProgramForEdit(r.Context(), code); err != nil {
		s.fail(w, r, err)
		return
	}
	shown, err := s.app.TargetTable(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var bad []*nipp.Error
	rev, err := revisionHeader(r)
	if err != nil {
		bad = append(bad, err.(*nipp.Error))
		rev = &nipp.TargetRevision{}
	}
	// The form's table: the whole-period rows it showed, the values typed.
	t := &nipp.TargetTable{Program: code, Indicators: shown.Indicators}
	if based, err := strconv.Atoi(r.PostFormValue("based_on")); err == nil && based > 0 {
		t.Revision = &nipp.RevisionRef{Revision: based}
	}
	for _, sr := range shown.Rows {
		if sr.Year != 0 {
			continue
		}
		row := nipp.TargetRow{Province: sr.Province, Values: map[string]int64{}}
		for _, in := range shown.Indicators {
			f := nipp.TargetCellField(in.Code, sr.Province, 0)
			raw := strings.TrimSpace(r.PostFormValue(f))
			if raw == "" {
				continue
			}
			n, err := tabular.ParseInt(raw)
			if err != nil {
				bad = append(bad, nipp.FieldError(f, "err.web.not_whole_number", raw))
				continue
			}
			row.Values[in.Code] = n
		}
		t.Rows = append(t.Rows, row)
	}
	if err := nipp.Join(bad...); err != nil {
		s.renderAllocation(w, r, http.StatusUnprocessableEntity, r.PostForm, err)
		return
	}
	if _, err := s.app.AllocateTargets(r.Context(), code, rev, t); err != nil {
		if c := nipp.ErrorCode(err); c == nipp.EINVALID || c == nipp.ECONFLICT {
			s.renderAllocation(w, r, statusOf(c), r.PostForm, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/programs/"+url.PathEscape(code)+"?saved=1#allocation", http.StatusSeeOther)
}

func (s *Server) programAllocationImport(w http.ResponseWriter, r *http.Request) {
	s.targetUpload(w, r, s.app.ImportTargetTable, "#allocation", func(_ string, err error) {
		s.renderAllocation(w, r, http.StatusUnprocessableEntity, r.PostForm, err)
	})
}

// programTargetsExport writes the allocation table in force as .xlsx, in
// the layout the import reads back (province, year when any, one column
// per indicator with its unit).
func (s *Server) programTargetsExport(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	t, err := s.app.TargetTable(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := L{lang(r)}
	years := false
	for _, row := range t.Rows {
		years = years || row.Year != 0
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="targets-%s.xlsx"`, strings.ToLower(code)))
	xw, err := tabular.NewXLSXWriter(w, "Phân bổ mục tiêu")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	head := []any{"Tỉnh/thành phố"}
	if years {
		head = append(head, "Năm")
	}
	for _, in := range t.Indicators {
		head = append(head, in.NameVI+" ("+in.UnitVI+")")
	}
	if err := xw.Write(head); err != nil {
		s.log.Error("targets export", "err", err)
		return
	}
	for _, row := range allocRows(l, t, nil, false) {
		if !row.Any {
			continue
		}
		name := row.NameVI
		if row.Province == "" {
			name = "Cả nước"
		}
		cells := []any{name}
		if years {
			var y any
			if row.Year != 0 {
				y = tabular.Plain(row.Year)
			}
			cells = append(cells, y)
		}
		for _, in := range t.Indicators {
			for _, tr := range t.Rows {
				if tr.Province == row.Province && tr.Year == row.Year {
					if v, ok := tr.Values[in.Code]; ok {
						cells = append(cells, v)
					} else {
						cells = append(cells, nil)
					}
				}
			}
		}
		if err := xw.Write(cells); err != nil {
			s.log.Error("targets export", "err", err)
			return
		}
	}
	if err := xw.Close(); err != nil {
		s.log.Error("targets export", "err", err)
	}
}
