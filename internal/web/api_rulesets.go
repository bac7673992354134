package web

import (
	"errors"
	"io"
	"net/http"

	"nipp/internal/nipp"
	"nipp/internal/rulefile"
)

func (s *Server) apiRuleSets(w http.ResponseWriter, r *http.Request) {
	list, err := s.app.RuleSets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiList[nipp.RuleSetSummary]{Items: list})
}

func (s *Server) apiRuleSet(w http.ResponseWriter, r *http.Request) {
	rs, err := s.app.RuleSet(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rs)
}

// apiRuleSetLoad takes the file itself as the body (text or xlsx);
// ?dry_run=1 validates without storing. Problems come back as a list with
// section, line and column.
func (s *Server) apiRuleSetLoad(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxRuleSetFile+1))
	if err != nil {
		s.fail(w, r, nipp.Errorf(nipp.EINVALID, "err.web.cannot_read_body"))
		return
	}
	if len(data) > maxRuleSetFile {
		s.fail(w, r, nipp.Errorf(nipp.EINVALID, "err.web.file_too_large"))
		return
	}
	var rs *nipp.RuleSet
	dry := r.URL.Query().Get("dry_run") == "1"
	if dry {
		rs, err = s.app.PreviewRuleSet(r.Context(), data)
	} else {
		rs, err = s.app.LoadRuleSet(r.Context(), data, "api:"+nipp.PrincipalFrom(r.Context()).Email)
	}
	var ps rulefile.Problems
	if errors.As(err, &ps) {
		e := apiErrorOf(r, err)
		type problem struct {
			rulefile.Problem
			Code    string `json:"code"`
			Field   string `json:"field,omitempty"`
			Key     string `json:"key"`
			Message string `json:"message"`
		}
		l := L{Lang: lang(r)}
		out := make([]problem, len(ps))
		for i, p := range ps {
			out[i] = problem{Problem: p, Code: nipp.EINVALID, Field: p.Column, Key: p.Msg.Key, Message: l.Msg(p.Msg)}
		}
		writeJSON(w, statusOf(nipp.EINVALID), map[string]any{"error": map[string]any{"code": e.Code, "key": e.Key, "message": e.Message, "problems": out}})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if dry {
		status = http.StatusOK
	}
	writeJSON(w, status, rs)
}

// apiEligibility checks an establishment (public id) under a rule set:
// 200 with the priority groups, or 422 naming the rule that refuses it.
func (s *Server) apiEligibility(w http.ResponseWriter, r *http.Request) {
	res, err := s.app.CheckEligibilityByCode(r.Context(), r.PathValue("code"), r.URL.Query().Get("establishment"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
