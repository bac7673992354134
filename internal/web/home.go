package web

import (
	"net/http"

	"nipp/internal/nipp"
)

type homeView struct {
	Page
	National, Local []*nipp.Program
}

// home lists the programs and the targets of their revision in force.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	programs, err := s.app.Programs(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &homeView{Page: s.page(r, "home.title")}
	for _, p := range programs {
		if p.Level == nipp.ProgramNational {
			v.National = append(v.National, p)
		} else {
			v.Local = append(v.Local, p)
		}
	}
	s.render(w, r, http.StatusOK, "home", v)
}

// apiPrograms lists programs: ?level=national|local, ?province=01 (local
// programs of that province, national ones unaffected).
func (s *Server) apiPrograms(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := nipp.ProgramFilter{Level: q.Get("level"), Province: q.Get("province")}
	if f.Level != "" && f.Level != nipp.ProgramNational && f.Level != nipp.ProgramLocal {
		s.fail(w, r, nipp.FieldError("level", "err.web.level_national_local"))
		return
	}
	programs, err := s.app.ProgramList(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiList[*nipp.Program]{Items: programs})
}
