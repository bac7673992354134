package web

import (
	"net/http"

	"nipp/internal/nipp"
)

func (s *Server) apiProgram(w http.ResponseWriter, r *http.Request) {
	d, err := s.app.Program(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// apiProgramRevise adds a target revision: {"decision_no", "decision_date",
// "note", "targets": [{"indicator", "province", "year", "value"}]}.
func (s *Server) apiProgramRevise(w http.ResponseWriter, r *http.Request) {
	var rev nipp.TargetRevision
	if err := readJSON(r, &rev); err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.app.ReviseTargets(r.Context(), r.PathValue("code"), &rev)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

// programJSON is a local program as the API takes it.
type programJSON struct {
	Code         string    `json:"code"`
	Province     string    `json:"province"`
	NameVI       string    `json:"name_vi"`
	NameEN       string    `json:"name_en"`
	StartYear    int       `json:"start_year"`
	EndYear      int       `json:"end_year"`
	DecisionNo   string    `json:"decision_no"`
	DecisionDate nipp.Date `json:"decision_date"`
	ApprovedBy   string    `json:"approved_by"`
	ApprovedByEN string    `json:"approved_by_en"`
	Note         string    `json:"note"`
	Version      int       `json:"version"`
}

func (j programJSON) program() *nipp.Program {
	return &nipp.Program{Code: j.Code, ProvinceCode: j.Province, NameVI: j.NameVI, NameEN: j.NameEN, StartYear: j.StartYear, EndYear: j.EndYear,
		DecisionNo: j.DecisionNo, DecisionDate: j.DecisionDate, ApprovedBy: j.ApprovedBy, ApprovedByEN: j.ApprovedByEN, Note: j.Note, Level: nipp.ProgramLocal}
}

func decodeProgram(w http.ResponseWriter, r *http.Request) (programJSON, error) {
	var j programJSON
	err := readJSON(r, &j)
	return j, err
}

// apiProgramCreate adds a local program (programJSON; no targets: those
// are revisions, POST /api/v1/programs/{code}/revisions).
func (s *Server) apiProgramCreate(w http.ResponseWriter, r *http.Request) {
	j, err := decodeProgram(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.app.CreateLocalProgram(r.Context(), j.program())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

// apiProgramUpdate changes a local program; "version" is the one the
// client read (a stale one is 409).
func (s *Server) apiProgramUpdate(w http.ResponseWriter, r *http.Request) {
	j, err := decodeProgram(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.app.UpdateLocalProgram(r.Context(), r.PathValue("code"), j.program(), j.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
