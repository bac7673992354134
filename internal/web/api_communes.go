package web

import (
	"net/http"
	"strconv"

	"nipp/internal/app"
)

// apiCommunes answers GET /api/v1/communes?province=CODE&q=TEXT[&limit=N]:
// up to 20 communes for an address field (2025 communes and, marked former,
// pre-2025 ones with their successors), or without q every 2025 commune of
// the province. Public reference data.
func (s *Server) apiCommunes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("limit"))
	items, err := s.app.CommuneSuggestions(r.Context(), q.Get("province"), q.Get("q"), n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if items == nil {
		items = []app.CommuneSuggestion{}
	}
	writeJSON(w, http.StatusOK, apiList[app.CommuneSuggestion]{Items: items})
}
