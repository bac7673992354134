package web_test

import (
	"net/url"

	"nipp/internal/nipp"
	"nipp/internal/web/webtest"
)

// authzRules: rule sets, eligibility, programs and targets, organisations.
// Bodies are incomplete on purpose: an allowed call answers 422 and changes
// nothing.
var authzRules = map[string]authzEntry{
	"GET /programs/{code}":                 {Path: "/programs/NIPP-2021-2025", Allow: allowAll},
	"GET /programs/{code}/revisions/new":   {Path: "/programs/NIPP-2021-2025/revisions/new", Allow: rolesWith(nipp.PermReferenceEdit)},
	"POST /programs/{code}/revisions":      {Path: "/programs/NIPP-2026-2030/revisions", Allow: rolesWith(nipp.PermReferenceEdit), Form: func(webtest.Record) url.Values { return url.Values{"value_MACHINES": {"1"}} }},
	"POST /programs/{code}/targets/import": {Path: "/programs/NIPP-2026-2030/targets/import", Allow: rolesWith(nipp.PermReferenceEdit)},

	"GET /organizations":        {Allow: allowAll},
	"GET /organizations/{code}": {Path: "/organizations/CUC-KC", Allow: allowAll},

	"GET /rule-sets":                 {Allow: allowAll},
	"GET /rule-sets/new":             {Allow: rolesWith(nipp.PermReferenceEdit)},
	"POST /rule-sets/preview":        {Allow: rolesWith(nipp.PermReferenceEdit)},
	"POST /rule-sets":                {Allow: rolesWith(nipp.PermReferenceEdit), Form: func(webtest.Record) url.Values { return url.Values{"content": {"W3J1bGVfc2V0XQo="}} }},
	"GET /rule-sets/{code}":          {Path: "/rule-sets/ND45-2012", Allow: allowAll},
	"GET /rule-sets/{code}/download": {Path: "/rule-sets/ND45-2012/download", Allow: allowAll},

	"GET /api/v1/programs/{code}":            {Path: "/api/v1/programs/NIPP-2021-2025", Allow: allowAll},
	"POST /api/v1/programs/{code}/revisions": {Path: "/api/v1/programs/NIPP-2026-2030/revisions", Allow: rolesWith(nipp.PermReferenceEdit), JSON: func(webtest.Record) any { return map[string]any{} }},
	"GET /api/v1/organizations":              {Allow: allowAll},
	"GET /api/v1/organizations/{code}":       {Path: "/api/v1/organizations/CUC-KC?on=2024-01-01", Allow: allowAll},
	"GET /api/v1/rule-sets":                  {Allow: allowAll},
	"POST /api/v1/rule-sets":                 {Allow: rolesWith(nipp.PermReferenceEdit), JSON: func(webtest.Record) any { return map[string]any{} }},
	"GET /api/v1/rule-sets/{code}":           {Path: "/api/v1/rule-sets/ND235-2025", Allow: allowAll},
	// Eligibility reads the establishment: signed-in readers of the registry,
	// published ones or within their provinces (an appraiser has none).
	"GET /api/v1/rule-sets/{code}/eligibility": {Path: "/api/v1/rule-sets/ND45-2012/eligibility?establishment={id}", Record: "establishment", PublicID: true,
		Allow: func(r nipp.Role, own, pub bool) bool {
			return r != nipp.RolePublic && (pub || nationalScope(r) || (r == nipp.RoleProvincial && own))
		}},
}
