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

		// Establishment registry
		{"GET /establishments", nipp.PermRegistryRead, s.establishments},
		{"GET /establishments/duplicates", nipp.PermRegistryRead, s.establishmentDuplicates},
		{"GET /establishments/export.xlsx", nipp.PermRegistryRead, s.establishmentExportXLSX},
		{"GET /establishments/export.csv", nipp.PermRegistryRead, s.establishmentExportCSV},
		{"GET /establishments/new", nipp.PermRegistryWrite, s.establishmentNew},
		{"POST /establishments", nipp.PermRegistryWrite, s.establishmentCreate},
		{"GET /establishments/{id}", nipp.PermRegistryRead, s.establishment},
		{"GET /establishments/{id}/edit", nipp.PermRegistryWrite, s.establishmentEdit},
		{"POST /establishments/{id}", nipp.PermRegistryWrite, s.establishmentUpdate},
		{"POST /establishments/{id}/archive", nipp.PermRegistryWrite, s.establishmentArchive},
		{"POST /establishments/{id}/merge", nipp.PermRegistryWrite, s.establishmentMerge},
		{"POST /establishments/{id}/not-duplicate", nipp.PermRegistryWrite, s.establishmentNotDuplicate},
		{"GET /imports/establishments", nipp.PermRegistryWrite, s.establishmentImports},
		{"POST /imports/establishments", nipp.PermRegistryWrite, s.establishmentImportUpload},
		{"GET /imports/{job}", nipp.PermRegistryWrite, s.establishmentImportJob},
		{"POST /imports/{job}/mapping", nipp.PermRegistryWrite, s.establishmentImportMapping},
		{"POST /imports/{job}/apply", nipp.PermRegistryWrite, s.establishmentImportApply},
		{"POST /imports/{job}/cancel", nipp.PermRegistryWrite, s.establishmentImportCancel},
		{"GET /imports/{job}/errors.xlsx", nipp.PermRegistryWrite, s.establishmentImportErrors},

		// JSON API v1
		{"GET /api/v1/programs", nipp.PermPublic, s.apiPrograms},
		{"GET /api/v1/establishments", nipp.PermRegistryRead, s.apiEstablishments},
		{"POST /api/v1/establishments", nipp.PermRegistryWrite, s.apiEstablishmentCreate},
		{"GET /api/v1/establishments/{id}", nipp.PermRegistryRead, s.apiEstablishment},
		{"PUT /api/v1/establishments/{id}", nipp.PermRegistryWrite, s.apiEstablishmentUpdate},
		{"POST /api/v1/establishments/{id}/archive", nipp.PermRegistryWrite, s.apiEstablishmentArchive},
		{"POST /api/v1/establishments/{id}/merge", nipp.PermRegistryWrite, s.apiEstablishmentMerge},
	}
}

// notFound is the catch-all for unknown paths.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, nipp.Errorf(nipp.ENOTFOUND, "%s", L{lang(r)}.T("error.not_found")))
}
