package web

import (
	"net/http"
	"strconv"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

// apiProjects answers a page of the project list. The answer is kept
// (gzipped) per scope and query with the projects' change stamp read before
// the list: while the stamp has not moved, nothing the list shows has
// changed, and the kept answer is sent again (api_cache.go).
func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request) {
	key := scopeKey(nipp.PrincipalFrom(r.Context())) + "?" + r.URL.RawQuery
	s.serveKept(w, r, &s.apiCache, key, s.app.ProjectsStamp, func() (any, error) {
		items, next, err := s.app.Projects(r.Context(), projectFilterFrom(r.URL.Query()))
		if err != nil {
			return nil, err
		}
		out := apiList[*nipp.Project]{Items: items}
		if out.Items == nil {
			out.Items = []*nipp.Project{}
		}
		if next > 0 {
			out.Next = strconv.FormatInt(next, 10)
		}
		return out, nil
	})
}

// apiProject answers a project's detail from the detail kept at the
// project's current stamp (app.KeptProject: the principal and whether they
// may see the project are checked on every call). The answer is kept
// encoded with the detail, per variant: the parts that differ by user (the
// actions allowed, and which members' scores the appraisal shows), named
// from the view itself, so that no one is sent another user's answer.
// It is the JSON object of those parts followed by the parts the same for
// everyone (attachments, history, project, encoded once and kept gzipped):
// the keys in the order encoding/json gives a map's, as if encoded whole.
func (s *Server) apiProject(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.KeptProject(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	allowed := []string{}
	for _, t := range v.Allowed {
		allowed = append(allowed, t.Action)
	}
	var variant strings.Builder
	variant.WriteString(strings.Join(allowed, ","))
	if v.Appraisal == nil {
		variant.WriteString("|-")
	} else {
		variant.WriteString("|members")
		for _, m := range v.Appraisal.Members {
			variant.WriteString(":" + strconv.FormatInt(m.UserID, 10))
		}
	}
	enc, err := v.Detail.Encoded(variant.String(), func() ([]byte, error) {
		var parts []byte // the parts' encoding: just made, else kept compressed
		gz, err := v.Detail.Parts(func(base *app.ProjectView) ([]byte, error) {
			plain, err := encodePlain(map[string]any{"project": base.Project, "history": base.Events, "attachments": base.Attachments})
			if err != nil {
				return nil, err
			}
			parts = plain
			return gzipped(plain)
		})
		if err != nil {
			return nil, err
		}
		if parts == nil {
			if parts, err = gunzip(gz); err != nil {
				return nil, err
			}
		}
		own := map[string]any{"allowed_actions": allowed}
		if v.Appraisal != nil { // omitted before the project is assigned to a council
			own["appraisal"] = v.Appraisal
		}
		head, err := encodePlain(own) // {...}\n
		if err != nil {
			return nil, err
		}
		plain := make([]byte, 0, len(head)+len(parts))
		plain = append(append(append(plain, head[:len(head)-2]...), ','), parts[1:]...)
		return encodeAnswer(plain)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeEncoded(w, r, enc)
}

func (s *Server) apiProjectCreate(w http.ResponseWriter, r *http.Request) {
	var in nipp.ProjectInput
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.app.CreateProject(r.Context(), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiProjectUpdate(w http.ResponseWriter, r *http.Request) {
	var in nipp.ProjectInput
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.app.UpdateProject(r.Context(), r.PathValue("id"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiProjectTransition(w http.ResponseWriter, r *http.Request) {
	var in nipp.TransitionInput
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.app.Transition(r.Context(), r.PathValue("id"), r.PathValue("action"), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiProjectAddBeneficiary(w http.ResponseWriter, r *http.Request) {
	var in app.AddBeneficiaryInput
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, prior, err := s.app.AddBeneficiary(r.Context(), r.PathValue("id"), in)
	if err != nil {
		if len(prior) > 0 {
			writeJSON(w, statusOf(nipp.ErrorCode(err)), map[string]any{
				"error":         apiErrorOf(r, err),
				"prior_support": prior,
			})
			return
		}
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"project": p, "prior_support": prior})
}

func (s *Server) apiProjectRemoveBeneficiary(w http.ResponseWriter, r *http.Request) {
	p, err := s.app.RemoveBeneficiary(r.Context(), r.PathValue("id"), r.PathValue("est"), atoiDefault(r.URL.Query().Get("version"), 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiProjectScore(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Scores map[int64]int `json:"scores"`
	}
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.app.ScoreProject(r.Context(), r.PathValue("id"), in.Scores); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiProjectConflict(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.app.DeclareConflict(r.Context(), r.PathValue("id"), in.Reason); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// apiSupportPreview computes the allowed state support of a budget being
// typed: ?activity_type=&area_category=&project=&national=&local=&reciprocal=...
func (s *Server) apiSupportPreview(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var lines []nipp.BudgetLine
	for _, src := range nipp.FundingSources() {
		a, err := parseAmount("budget."+src, q.Get(src))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if a > 0 {
			lines = append(lines, nipp.BudgetLine{Source: src, Planned: a})
		}
	}
	pv, err := s.app.PreviewSupport(r.Context(), q.Get("project"), q.Get("activity_type"), q.Get("area_category"), lines)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Sources by name and the refusal in the request's language.
	type capJSON struct {
		nipp.PinnedCap
		SourceName    string `json:"funding_source_name"`
		AllowedText   string `json:"allowed_text"`
		RequestedText string `json:"requested_text"`
	}
	out := struct {
		*app.SupportPreview
		Caps      []capJSON `json:"caps"`
		TotalText string    `json:"total_cost_text"`
		Error     string    `json:"error,omitempty"`
		Refusal   *apiError `json:"refusal,omitempty"`
	}{SupportPreview: pv, Caps: []capJSON{}}
	l := L{Lang: lang(r)}
	for _, c := range pv.Caps {
		out.Caps = append(out.Caps, capJSON{PinnedCap: c, SourceName: l.Code("source", c.FundingSource), AllowedText: l.VND(c.Allowed), RequestedText: l.VND(c.Requested)})
	}
	out.TotalText = l.VND(pv.TotalCost)
	if pv.Refusal != nil {
		e := apiErrorOf(r, pv.Refusal)
		out.Error, out.Refusal = e.Message, &e
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request) {
	pl, err := s.app.AnnualPlan(r.Context(), atoiDefault(r.PathValue("year"), 0))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pl)
}

func (s *Server) apiPlanCeiling(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Ceiling int64  `json:"ceiling"`
		Note    string `json:"note"`
		Version int    `json:"version"`
	}
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	year := atoiDefault(r.PathValue("year"), 0)
	if err := s.app.SetPlanCeiling(r.Context(), year, in.Ceiling, in.Note, in.Version); err != nil {
		s.fail(w, r, err)
		return
	}
	s.apiPlan(w, r)
}

func (s *Server) apiDuplicateYears(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Years int `json:"years"`
	}
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.app.SetDuplicateSupportYears(r.Context(), in.Years); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}
