package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
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
	Error     string
}

func (s *Server) program(w http.ResponseWriter, r *http.Request) {
	d, err := s.app.Program(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &programView{Page: s.page(r, "programs.title"), P: d, CanEdit: nipp.PrincipalFrom(r.Context()).Can(nipp.PermReferenceEdit)}
	v.Title = v.L.Pick(d.NameVI, d.NameEN)
	if r.URL.Query().Get("saved") != "" && len(d.Revisions) > 0 {
		v.Flash = v.L.Tf("programs.saved", d.Revisions[0].Revision)
	}
	s.render(w, r, http.StatusOK, "programs_show", v)
}

type reviseRow struct {
	store.Indicator
	Value string
}

type reviseView struct {
	Page
	P            *app.ProgramDetail
	Rows         []reviseRow
	DecisionNo   string
	DecisionDate string
	Note         string
	Error        string
}

func (s *Server) programReviseForm(w http.ResponseWriter, r *http.Request) {
	s.renderRevise(w, r, http.StatusOK, nil, nil)
}

// renderRevise shows the revision form, pre-filled with the targets in
// force (or with what was sent, after an error).
func (s *Server) renderRevise(w http.ResponseWriter, r *http.Request, status int, sent url.Values, failure error) {
	d, err := s.app.Program(r.Context(), r.PathValue("code"))
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
	if failure != nil {
		v.Error = nipp.ErrorMessage(failure)
	}
	s.render(w, r, status, "programs_revise", v)
}

// revisionHeader reads the decision fields of a revision form.
func revisionHeader(r *http.Request) (*nipp.TargetRevision, error) {
	rev := &nipp.TargetRevision{DecisionNo: strings.TrimSpace(r.PostFormValue("decision_no")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	if ds := strings.TrimSpace(r.PostFormValue("decision_date")); ds != "" {
		t, err := tabular.ParseDate(ds)
		if err != nil {
			return nil, nipp.FieldError("decision_date", "ngày không hợp lệ (dd/mm/yyyy) / invalid date (dd/mm/yyyy)")
		}
		rev.DecisionDate = nipp.DateOf(t)
	}
	return rev, nil
}

func (s *Server) programRevise(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, nipp.Errorf(nipp.EINVALID, "biểu mẫu không hợp lệ / invalid form"))
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
	for key, vals := range r.PostForm {
		ind, ok := strings.CutPrefix(key, "value_")
		if !ok || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		n, err := tabular.ParseInt(vals[0])
		if err != nil {
			s.renderRevise(w, r, http.StatusUnprocessableEntity, r.PostForm, nipp.FieldError(ind, "%q không phải số nguyên / %q is not a whole number", vals[0], vals[0]))
			return
		}
		rev.Targets = append(rev.Targets, nipp.Target{IndicatorCode: ind, Value: n})
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
	code := r.PathValue("code")
	data, err := uploadedFile(r, "file", maxTargetFile)
	if err == nil {
		var rev *nipp.TargetRevision
		if rev, err = revisionHeader(r); err == nil {
			name := ""
			if _, fh, ferr := r.FormFile("file"); ferr == nil {
				name = fh.Filename
			}
			_, err = s.app.ImportTargets(r.Context(), code, rev, name, data)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/programs/"+url.PathEscape(code)+"?saved=1", http.StatusSeeOther)
		return
	}
	if nipp.ErrorCode(err) != nipp.EINVALID {
		s.fail(w, r, err)
		return
	}
	d, derr := s.app.Program(r.Context(), code)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	v := &programView{Page: s.page(r, "programs.title"), P: d, CanEdit: true}
	v.Title = v.L.Pick(d.NameVI, d.NameEN)
	if !errors.As(err, &v.RowErrors) {
		v.Error = nipp.ErrorMessage(err)
	}
	s.render(w, r, http.StatusUnprocessableEntity, "programs_show", v)
}
