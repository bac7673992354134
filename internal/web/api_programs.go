package web

import (
	"encoding/json"
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
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<20)).Decode(&rev); err != nil {
		s.fail(w, r, nipp.Errorf(nipp.EINVALID, "JSON không hợp lệ / invalid JSON: %v", err))
		return
	}
	out, err := s.app.ReviseTargets(r.Context(), r.PathValue("code"), &rev)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}
