package web

import (
	"errors"
	"net/http"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

func asAmbiguous(err error, target **app.AmbiguousCommuneError) bool { return errors.As(err, target) }

// failAPI reports an ambiguous commune with its candidates, others as usual.
func (s *Server) failAPI(w http.ResponseWriter, r *http.Request, err error) {
	var amb *app.AmbiguousCommuneError
	if asAmbiguous(err, &amb) {
		e := apiErrorOf(r, err)
		e.Field, e.Candidates = "commune", amb.Candidates
		writeJSON(w, statusOf(nipp.EINVALID), map[string]any{"error": e})
		return
	}
	s.fail(w, r, err)
}

func (s *Server) apiEstablishments(w http.ResponseWriter, r *http.Request) {
	q := estQuery(r)
	q.NoTotal = true // the API pages by cursor and shows no count
	page, err := s.app.Establishments(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiList[*nipp.Establishment]{Items: page.Items, Next: page.Next})
}

type apiEstDetail struct {
	*nipp.Establishment
	Support    any      `json:"support"`
	Duplicates []string `json:"likely_duplicates,omitempty"`
}

func (s *Server) apiEstablishment(w http.ResponseWriter, r *http.Request) {
	d, err := s.app.Establishment(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := apiEstDetail{Establishment: d.Establishment, Support: d.Support}
	for _, x := range d.Duplicates {
		out.Duplicates = append(out.Duplicates, x.PublicID)
	}
	if out.Support == nil {
		out.Support = []any{}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiEstablishmentCreate(w http.ResponseWriter, r *http.Request) {
	var in nipp.EstablishmentInput
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.app.CreateEstablishment(r.Context(), in)
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

func (s *Server) apiEstablishmentUpdate(w http.ResponseWriter, r *http.Request) {
	var in nipp.EstablishmentInput
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.app.UpdateEstablishment(r.Context(), r.PathValue("id"), in)
	if err != nil {
		s.failAPI(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiEstablishmentArchive(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Version int `json:"version"`
	}
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.app.ArchiveEstablishment(r.Context(), r.PathValue("id"), in.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiEstablishmentMerge(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Into string `json:"into"`
	}
	if err := readJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.app.MergeEstablishments(r.Context(), r.PathValue("id"), strings.TrimSpace(in.Into))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
