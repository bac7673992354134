package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/rulefile"
)

// maxRuleSetFile bounds an uploaded rule-set file; real ones are a few KB.
const maxRuleSetFile = 2 << 20

type ruleSetsView struct {
	Page
	RuleSets []nipp.RuleSetSummary
	Today    nipp.Date
	CanEdit  bool
}

// InForce reports whether a listed set applies today.
func (v *ruleSetsView) InForce(r nipp.RuleSetSummary) bool {
	return !v.Today.Before(r.ValidFrom) && (r.ValidTo.IsZero() || !v.Today.After(r.ValidTo))
}

func (s *Server) ruleSets(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.RuleSets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "rulesets_list", &ruleSetsView{Page: s.page(r, "rulesets.title"), RuleSets: list,
		Today: nipp.Today(time.Now()), CanEdit: nipp.PrincipalFrom(r.Context()).Can(nipp.PermReferenceEdit)})
}

type ruleSetView struct {
	Page
	RuleSet  *nipp.RuleSet
	Flash    string
	Preview  bool   // an upload not stored yet
	Content  string // base64 of the previewed file, sent back to confirm
	Problems rulefile.Problems
}

// Pct formats basis points as a percentage in the page's language.
func (v *ruleSetView) Pct(bp int) string {
	s := rulefile.Pct(bp)
	if v.L.Lang != "en" {
		s = replaceDot(s)
	}
	return s + "%"
}

func replaceDot(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '.' {
			b[i] = ','
		}
	}
	return string(b)
}

func (s *Server) ruleSet(w http.ResponseWriter, r *http.Request) {
	rs, err := s.app.RuleSet(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &ruleSetView{Page: s.page(r, "rulesets.title"), RuleSet: rs}
	v.PageTitle = rs.Code
	if r.URL.Query().Get("loaded") == "1" {
		v.Flash = v.L.T("rulesets.loaded_ok")
	}
	s.render(w, r, http.StatusOK, "rulesets_show", v)
}

// ruleSetDownload serves a rule set as a file: the text format or the
// xlsx form (the template for a new set).
func (s *Server) ruleSetDownload(w http.ResponseWriter, r *http.Request) {
	rs, err := s.app.RuleSet(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	name := rs.Code
	if r.URL.Query().Get("format") == "xlsx" {
		err = rulefile.XLSX(&b, rs)
		name += ".xlsx"
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	} else {
		err = rulefile.Text(&b, rs)
		name += ".txt"
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	if err != nil {
		s.fail(w, r, nipp.Internal(err))
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+url.PathEscape(name)+`"`)
	w.Write(b.Bytes())
}

func (s *Server) ruleSetNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "rulesets_new", &ruleSetView{Page: s.page(r, "rulesets.new")})
}

// ruleSetPreview checks an uploaded file and shows what would be loaded,
// or every problem; nothing is stored.
func (s *Server) ruleSetPreview(w http.ResponseWriter, r *http.Request) {
	data, err := uploadedFile(r, "file", maxRuleSetFile)
	if err != nil {
		s.formFail(w, r, err, func(status int, _ string) {
			v := &ruleSetView{Page: s.page(r, "rulesets.new")}
			v.Refuse(err)
			s.render(w, r, status, "rulesets_new", v)
		})
		return
	}
	v := &ruleSetView{Page: s.page(r, "rulesets.preview_title")}
	rs, err := s.app.PreviewRuleSet(r.Context(), data)
	if err != nil {
		if errors.As(err, &v.Problems) {
			v.PageTitle = v.L.T("rulesets.new")
			s.render(w, r, http.StatusUnprocessableEntity, "rulesets_new", v)
			return
		}
		s.fail(w, r, err)
		return
	}
	v.RuleSet, v.Preview, v.Content = rs, true, base64.StdEncoding.EncodeToString(data)
	s.render(w, r, http.StatusOK, "rulesets_show", v)
}

// ruleSetCreate loads the previewed file (sent back as content) or an
// uploaded one.
func (s *Server) ruleSetCreate(w http.ResponseWriter, r *http.Request) {
	var data []byte
	var err error
	if c := r.PostFormValue("content"); c != "" {
		data, err = base64.StdEncoding.DecodeString(c)
		if err != nil {
			s.fail(w, r, nipp.FieldError("content", "err.web.resent_file_invalid"))
			return
		}
	} else if data, err = uploadedFile(r, "file", maxRuleSetFile); err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := s.app.LoadRuleSet(r.Context(), data, "upload:"+nipp.PrincipalFrom(r.Context()).Email)
	if err != nil {
		v := &ruleSetView{Page: s.page(r, "rulesets.new")}
		if errors.As(err, &v.Problems) {
			s.render(w, r, http.StatusUnprocessableEntity, "rulesets_new", v)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/rule-sets/"+url.PathEscape(rs.Code)+"?loaded=1", http.StatusSeeOther)
}

// uploadedFile reads a multipart file field of at most limit bytes.
func uploadedFile(r *http.Request, field string, limit int64) ([]byte, error) {
	if err := r.ParseMultipartForm(limit); err != nil {
		return nil, nipp.FieldError(field, "err.web.upload_cannot_read_too_large")
	}
	f, _, err := r.FormFile(field)
	if err != nil {
		return nil, nipp.FieldError(field, "err.web.choose_file")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nipp.Internal(err)
	}
	if int64(len(data)) > limit {
		return nil, nipp.FieldError(field, "err.web.file_too_large")
	}
	return data, nil
}
