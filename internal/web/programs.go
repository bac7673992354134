package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// maxTargetFile bounds an uploaded targets file.
const maxTargetFile = 8 << 20

type programView struct {
	Page
	P         *app.ProgramDetail
	CanEdit   bool
	Flash     string
	RowErrors app.RowErrors
	// Alloc is the allocation table in force: its rows with a value
	// (national, provinces, years); AllocT its indicators.
	Alloc  []allocRow
	AllocT *nipp.TargetTable
}

// withAllocation fills the view's allocation table.
func (s *Server) withAllocation(r *http.Request, v *programView) error {
	t, err := s.app.TargetTable(r.Context(), v.P.Code)
	if err != nil {
		return err
	}
	v.AllocT = t
	for _, row := range allocRows(v.L, t, nil, false) {
		if row.Any {
			v.Alloc = append(v.Alloc, row)
		}
	}
	return nil
}

func (s *Server) program(w http.ResponseWriter, r *http.Request) {
	d, err := s.app.Program(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &programView{Page: s.page(r, "programs.title"), P: d, CanEdit: d.EditableBy(nipp.PrincipalFrom(r.Context()))}
	v.PageTitle = v.L.Pick(d.NameVI, d.NameEN)
	if r.URL.Query().Get("saved") != "" && len(d.Revisions) > 0 {
		v.Flash = v.L.Tf("programs.saved", d.Revisions[0].Revision)
	}
	if err := s.withAllocation(r, v); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "programs_show", v)
}

type reviseRow struct {
	nipp.Indicator
	Value string
}

type reviseView struct {
	Page
	P            *app.ProgramDetail
	Rows         []reviseRow
	DecisionNo   string
	DecisionDate string
	Note         string
}

func (s *Server) programReviseForm(w http.ResponseWriter, r *http.Request) {
	s.renderRevise(w, r, http.StatusOK, nil, nil)
}

// renderRevise shows the revision form, pre-filled with the targets in
// force (or with what was sent, after an error).
func (s *Server) renderRevise(w http.ResponseWriter, r *http.Request, status int, sent url.Values, failure error) {
	d, err := s.app.ProgramForEdit(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	inds, err := s.app.Indicators(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &reviseView{Page: s.page(r, "programs.new_revision"), P: d}
	current := map[string]int64{}
	if d.Targets != nil {
		for _, t := range d.Targets.Targets {
			if t.ProvinceCode == "" && t.Year == 0 {
				current[t.IndicatorCode] = t.Value
			}
		}
	}
	l := v.L
	for _, in := range inds {
		row := reviseRow{Indicator: in}
		if sent != nil {
			row.Value = sent.Get("value_" + in.Code)
		} else if val, ok := current[in.Code]; ok {
			row.Value = l.Num(val)
		}
		v.Rows = append(v.Rows, row)
	}
	if sent != nil {
		v.DecisionNo, v.DecisionDate, v.Note = sent.Get("decision_no"), sent.Get("decision_date"), sent.Get("note")
	}
	v.Refuse(failure)
	s.render(w, r, status, "programs_revise", v)
}

// revisionHeader reads the decision fields of a revision form.
func revisionHeader(r *http.Request) (*nipp.TargetRevision, error) {
	rev := &nipp.TargetRevision{DecisionNo: strings.TrimSpace(r.PostFormValue("decision_no")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	if ds := strings.TrimSpace(r.PostFormValue("decision_date")); ds != "" {
		t, err := tabular.ParseDate(ds)
		if err != nil {
			return nil, nipp.FieldError("decision_date", "err.web.invalid_date_dd_mm_yyyy")
		}
		rev.DecisionDate = nipp.DateOf(t)
	}
	return rev, nil
}

func (s *Server) programRevise(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, nipp.Errorf(nipp.EINVALID, "err.web.invalid_form"))
		return
	}
	code := r.PathValue("code")
	rev, err := revisionHeader(r)
	if err != nil {
		s.renderRevise(w, r, statusOf(nipp.ErrorCode(err)), r.PostForm, err)
		return
	}
	// Provincial and yearly targets are not on the form: they carry over.
	d, err := s.app.Program(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Targets != nil {
		for _, t := range d.Targets.Targets {
			if t.ProvinceCode != "" || t.Year != 0 {
				rev.Targets = append(rev.Targets, t)
			}
		}
	}
	var bad []*nipp.Error // every value that is no number, at once
	for key, vals := range r.PostForm {
		ind, ok := strings.CutPrefix(key, "value_")
		if !ok || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		n, err := tabular.ParseInt(vals[0])
		if err != nil {
			bad = append(bad, nipp.FieldError(ind, "err.web.not_whole_number", vals[0]))
			continue
		}
		rev.Targets = append(rev.Targets, nipp.Target{IndicatorCode: ind, Value: n})
	}
	if err := nipp.Join(bad...); err != nil {
		s.renderRevise(w, r, http.StatusUnprocessableEntity, r.PostForm, err)
		return
	}
	if _, err := s.app.ReviseTargets(r.Context(), code, rev); err != nil {
		if code := nipp.ErrorCode(err); code == nipp.EINVALID {
			s.renderRevise(w, r, statusOf(code), r.PostForm, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/programs/"+url.PathEscape(code)+"?saved=1", http.StatusSeeOther)
}

func (s *Server) programImport(w http.ResponseWriter, r *http.Request) {
	s.targetUpload(w, r, s.app.ImportTargets, "", func(code string, err error) {
		d, derr := s.app.Program(r.Context(), code)
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		v := &programView{Page: s.page(r, "programs.title"), P: d, CanEdit: d.EditableBy(nipp.PrincipalFrom(r.Context()))}
		v.PageTitle = v.L.Pick(d.NameVI, d.NameEN)
		if !errors.As(err, &v.RowErrors) {
			v.Refuse(err)
		}
		if err := s.withAllocation(r, v); err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "programs_show", v)
	})
}

// targetUpload is the path of both target imports (the targets of a
// revision, the allocation table): scope the program before the upload is
// parsed (guard has read the form, bounded by the route's limit, to check
// the CSRF token), read the file and the revision's header, import, and go
// back to the program page (at anchor) or hand a refusal to refused.
func (s *Server) targetUpload(w http.ResponseWriter, r *http.Request,
	importFn func(ctx context.Context, code string, rev *nipp.TargetRevision, name string, data []byte) (*nipp.TargetRevision, error),
	anchor string, refused func(code string, err error)) {
	code := r.PathValue("code")
	if _, err := s.app.ProgramForEdit(r.Context(), code); err != nil {
		s.fail(w, r, err)
		return
	}
	data, err := uploadedFile(r, "file", maxTargetFile)
	if err == nil {
		var rev *nipp.TargetRevision
		if rev, err = revisionHeader(r); err == nil {
			name := ""
			if _, fh, ferr := r.FormFile("file"); ferr == nil {
				name = fh.Filename
			}
			_, err = importFn(r.Context(), code, rev, name, data)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/programs/"+url.PathEscape(code)+"?saved=1"+anchor, http.StatusSeeOther)
		return
	}
	if nipp.ErrorCode(err) != nipp.EINVALID {
		s.fail(w, r, err)
		return
	}
	refused(code, err)
}

type programsListView struct {
	Page
	National  []*nipp.Program
	Local     []*nipp.Program
	Provinces []nipp.Province
	Province  string
	CanCreate bool
}

// programs lists the national programs, then the local ones (optionally of
// one province: ?province=01).
func (s *Server) programs(w http.ResponseWriter, r *http.Request) {
	province := strings.TrimSpace(r.URL.Query().Get("province"))
	list, err := s.app.ProgramList(r.Context(), nipp.ProgramFilter{Province: province})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	provinces, err := s.app.Provinces(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &programsListView{Page: s.page(r, "programs.list_title"), Provinces: provinces, Province: province,
		CanCreate: nipp.PrincipalFrom(r.Context()).Can(nipp.PermProgramEdit)}
	for _, p := range list {
		if p.Level == nipp.ProgramNational {
			v.National = append(v.National, p)
		} else {
			v.Local = append(v.Local, p)
		}
	}
	s.render(w, r, http.StatusOK, "programs_list", v)
}

type programFormView struct {
	Page
	Action    string
	Editing   bool
	In        programForm
	Provinces []nipp.Province
}

// programForm is the local program form as sent (strings, so that a
// refused form comes back as typed).
type programForm struct {
	Code, Province, NameVI, NameEN, StartYear, EndYear       string
	DecisionNo, DecisionDate, ApprovedBy, ApprovedByEN, Note string
	Version                                                  int
}

func programFormOf(p *nipp.Program, l L) programForm {
	f := programForm{Code: p.Code, Province: p.ProvinceCode, NameVI: p.NameVI, NameEN: p.NameEN,
		DecisionNo: p.DecisionNo, ApprovedBy: p.ApprovedBy, ApprovedByEN: p.ApprovedByEN, Note: p.Note, Version: p.Version}
	if p.StartYear != 0 {
		f.StartYear, f.EndYear = strconv.Itoa(p.StartYear), strconv.Itoa(p.EndYear)
	}
	if !p.DecisionDate.IsZero() {
		f.DecisionDate = p.DecisionDate.String()
	}
	return f
}

func readProgramForm(r *http.Request) programForm {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	v, _ := strconv.Atoi(g("version"))
	return programForm{Code: g("code"), Province: g("province"), NameVI: g("name_vi"), NameEN: g("name_en"), StartYear: g("start_year"), EndYear: g("end_year"),
		DecisionNo: g("decision_no"), DecisionDate: g("decision_date"), ApprovedBy: g("approved_by"), ApprovedByEN: g("approved_by_en"), Note: g("note"), Version: v}
}

// program converts the form. A year or date that does not parse is left
// zero for the use case to refuse, after it has checked the caller's scope.
func (f programForm) program() *nipp.Program {
	p := &nipp.Program{Code: f.Code, ProvinceCode: f.Province, NameVI: f.NameVI, NameEN: f.NameEN, DecisionNo: f.DecisionNo,
		ApprovedBy: f.ApprovedBy, ApprovedByEN: f.ApprovedByEN, Note: f.Note, Level: nipp.ProgramLocal}
	p.StartYear, _ = strconv.Atoi(f.StartYear)
	p.EndYear, _ = strconv.Atoi(f.EndYear)
	if t, err := tabular.ParseDate(f.DecisionDate); err == nil && f.DecisionDate != "" {
		p.DecisionDate = nipp.DateOf(t)
	}
	return p
}

func (s *Server) renderProgramForm(w http.ResponseWriter, r *http.Request, status int, v *programFormView, failure error) {
	provinces, err := s.app.Provinces(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A provincial officer picks among their own provinces only.
	pr := nipp.PrincipalFrom(r.Context())
	for _, p := range provinces {
		if pr.InProvince(p.Code) {
			v.Provinces = append(v.Provinces, p)
		}
	}
	v.Refuse(failure)
	s.render(w, r, status, "programs_form", v)
}

func (s *Server) programNew(w http.ResponseWriter, r *http.Request) {
	v := &programFormView{Page: s.page(r, "programs.new_local"), Action: "/programs"}
	// A new program starts this year, for five years (a program period).
	y := s.app.PlanYear()
	v.In.StartYear, v.In.EndYear = strconv.Itoa(y), strconv.Itoa(y+4)
	if p := nipp.PrincipalFrom(r.Context()); len(p.Provinces) == 1 {
		v.In.Province = p.Provinces[0]
	}
	s.renderProgramForm(w, r, http.StatusOK, v, nil)
}

func (s *Server) programCreate(w http.ResponseWriter, r *http.Request) {
	in := readProgramForm(r)
	p, err := s.app.CreateLocalProgram(r.Context(), in.program())
	if err != nil {
		if code := nipp.ErrorCode(err); code == nipp.EINVALID || code == nipp.ECONFLICT {
			s.renderProgramForm(w, r, statusOf(code), &programFormView{Page: s.page(r, "programs.new_local"), Action: "/programs", In: in}, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/programs/"+url.PathEscape(p.Code), http.StatusSeeOther)
}

func (s *Server) programEdit(w http.ResponseWriter, r *http.Request) {
	d, err := s.app.ProgramForEdit(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Level != nipp.ProgramLocal {
		s.fail(w, r, nipp.Errorf(nipp.EFORBIDDEN, "err.app.national_programs_reference_data_not"))
		return
	}
	v := &programFormView{Page: s.page(r, "programs.edit"), Action: "/programs/" + url.PathEscape(d.Code), Editing: true}
	v.In = programFormOf(d.Program, v.L)
	s.renderProgramForm(w, r, http.StatusOK, v, nil)
}

func (s *Server) programUpdate(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	in := readProgramForm(r)
	if _, err := s.app.UpdateLocalProgram(r.Context(), code, in.program(), in.Version); err != nil {
		if c := nipp.ErrorCode(err); c == nipp.EINVALID || c == nipp.ECONFLICT {
			in.Code = code
			if c == nipp.ECONFLICT {
				// Show what is stored now, with its version, beside the message.
				if d, derr := s.app.ProgramForEdit(r.Context(), code); derr == nil {
					in = programFormOf(d.Program, L{lang(r)})
				}
			}
			s.renderProgramForm(w, r, statusOf(c), &programFormView{Page: s.page(r, "programs.edit"), Action: "/programs/" + url.PathEscape(code), Editing: true, In: in}, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/programs/"+url.PathEscape(code), http.StatusSeeOther)
}
