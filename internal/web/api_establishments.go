package web

import (
	"errors"
	"fmt"
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

// apiEstablishments answers a page of the registry (a search, a filter).
// The answer is kept (gzipped) per scope and query with the registry's
// change stamp read before the page (migration 0025): while the stamp has
// not moved, no establishment and no unit name has changed, and the kept
// answer is sent again (api_cache.go). A search costs 2-4 ms of CPU at
// national scale (its route, its words' bound, a page walked); a kept
// answer a statement.
func (s *Server) apiEstablishments(w http.ResponseWriter, r *http.Request) {
	q := estQuery(r)
	q.NoTotal = true // the API pages by cursor and shows no count
	key := fmt.Sprintf("%s|%#v", scopeKey(nipp.PrincipalFrom(r.Context())), q)
	s.serveKept(w, r, &s.registryCache, key, s.app.RegistryStamp, func() (any, error) {
		page, err := s.app.Establishments(r.Context(), q)
		if err != nil {
			return nil, err
		}
		out := apiList[*nipp.Establishment]{Items: page.Items, Next: page.Next}
		if out.Items == nil {
			out.Items = []*nipp.Establishment{}
		}
		return out, nil
	})
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
