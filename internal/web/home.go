package web

import (
	"net/http"

	"nipp/internal/nipp"
)

type homeView struct {
	Page
	Programs []*nipp.Program
}

// home lists the programs and the targets of their revision in force.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	programs, err := s.app.Programs(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", &homeView{Page: s.page(r, "home.title"), Programs: programs})
}

func (s *Server) apiPrograms(w http.ResponseWriter, r *http.Request) {
	programs, err := s.app.Programs(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiList[*nipp.Program]{Items: programs})
}
