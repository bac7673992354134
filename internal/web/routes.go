package web

import (
	"net/http"

	"nipp/internal/nipp"
)

// routeTable is every route nipp serves, HTML and JSON alike, each with the
// permission it needs. The authorization matrix test walks this table; a
// route missing here does not exist.
func (s *Server) routeTable() []Route {
	return []Route{
		// Operations
		{"GET /healthz", nipp.PermPublic, s.healthz},
		{"GET /readyz", nipp.PermPublic, s.readyz},
		{"GET /metrics", nipp.PermPublic, s.metricsHandler},

		// Public pages
		{"GET /{$}", nipp.PermPublic, s.home},

		// Accounts
		{"GET /login", nipp.PermPublic, s.loginForm},
		{"POST /login", nipp.PermPublic, s.login},
		{"POST /logout", nipp.PermPublic, s.logout},

		// JSON API v1
		{"GET /api/v1/programs", nipp.PermPublic, s.apiPrograms},
	}
}

// notFound is the catch-all for unknown paths.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, nipp.Errorf(nipp.ENOTFOUND, "%s", L{lang(r)}.T("error.not_found")))
}
