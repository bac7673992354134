package web_test

import (
	"net/url"

	"nipp/internal/nipp"
	"nipp/internal/web/webtest"
)

// projectRead: national roles see every project; provincial officers their
// provinces' projects and published ones; appraisers only projects of their
// council (the fixtures are assigned to none); the public none (published
// projects reach the public through the portal, not these pages).
func projectRead(r nipp.Role, own, published bool) bool {
	if r == nipp.RoleProvincial {
		return own || published
	}
	return r != nipp.RolePublic && r != nipp.RoleAppraiser && nipp.RoleHas(r, nipp.PermProjectRead)
}

// never: no role reaches the handler's success path for the fixture (the
// record the path names does not exist, or nobody sits on its council).

var authzProjects = map[string]authzEntry{
	"GET /projects":                                    {Allow: rolesWith(nipp.PermProjectRead)},
	"GET /projects/export.xlsx":                        {Allow: rolesWith(nipp.PermProjectRead)},
	"GET /projects/new":                                {Allow: rolesWith(nipp.PermProjectWrite)},
	"POST /projects":                                   {Allow: rolesWith(nipp.PermProjectWrite)},
	"GET /projects/{id}":                               {Record: "project", PublicID: true, Allow: projectRead},
	"GET /projects/{id}/edit":                          {Record: "project", PublicID: true, Allow: scopedWrite(nipp.PermProjectWrite)},
	"POST /projects/{id}":                              {Record: "project", PublicID: true, Allow: scopedWrite(nipp.PermProjectWrite)},
	"POST /projects/{id}/transitions/{action}":         {Path: "/projects/{id}/transitions/submit", Record: "project", PublicID: true, Form: projectVersionForm, Allow: scopedWrite(nipp.PermProjectWrite)},
	"POST /projects/{id}/beneficiaries":                {Record: "project", PublicID: true, Form: projectVersionForm, Allow: scopedWrite(nipp.PermProjectWrite)},
	"POST /projects/{id}/beneficiaries/{est}/delete":   {Path: "/projects/{id}/beneficiaries/none/delete", Record: "project", PublicID: true, Form: projectVersionForm, Allow: scopedWrite(nipp.PermProjectWrite)},
	"POST /projects/{id}/attachments":                  {Record: "project", PublicID: true, Allow: scopedWrite(nipp.PermProjectWrite)},
	"GET /projects/{id}/attachments/{att}":             {Path: "/projects/{id}/attachments/1", Record: "project", PublicID: true, Allow: never},
	"POST /projects/{id}/scores":                       {Record: "project", PublicID: true, Allow: never},
	"POST /projects/{id}/conflict":                     {Record: "project", PublicID: true, Allow: never},
	"GET /appraisal":                                   {Allow: rolesWith(nipp.PermProjectDecide)},
	"POST /appraisal":                                  {Allow: rolesWith(nipp.PermProjectDecide)},
	"GET /appraisal/{round}":                           {Path: "/appraisal/999", Allow: never},
	"POST /appraisal/{round}/councils":                 {Path: "/appraisal/999/councils", Allow: never},
	"POST /appraisal/councils/{council}/members":       {Path: "/appraisal/councils/999/members", Allow: never},
	"POST /appraisal/councils/{council}/projects":      {Path: "/appraisal/councils/999/projects", Allow: never},
	"GET /plans/{year}":                                {Path: "/plans/2026", Allow: rolesWith(nipp.PermProjectRead)},
	"GET /plans/{year}/export.xlsx":                    {Path: "/plans/2026/export.xlsx", Allow: rolesWith(nipp.PermProjectRead)},
	"POST /plans/{year}":                               {Path: "/plans/2026", Form: func(webtest.Record) url.Values { return url.Values{"ceiling": {"1000"}} }, Allow: rolesWith(nipp.PermProjectDecide)},
	"GET /api/v1/projects":                             {Allow: rolesWith(nipp.PermProjectRead)},
	"POST /api/v1/projects":                            {Allow: rolesWith(nipp.PermProjectWrite)},
	"GET /api/v1/projects/{id}":                        {Record: "project", PublicID: true, Allow: projectRead},
	"PUT /api/v1/projects/{id}":                        {Record: "project", PublicID: true, Allow: scopedWrite(nipp.PermProjectWrite)},
	"POST /api/v1/projects/{id}/transitions/{action}":  {Path: "/api/v1/projects/{id}/transitions/submit", Record: "project", PublicID: true, JSON: versionJSON, Allow: scopedWrite(nipp.PermProjectWrite)},
	"POST /api/v1/projects/{id}/beneficiaries":         {Record: "project", PublicID: true, JSON: versionJSON, Allow: scopedWrite(nipp.PermProjectWrite)},
	"DELETE /api/v1/projects/{id}/beneficiaries/{est}": {Path: "/api/v1/projects/{id}/beneficiaries/none", Record: "project", PublicID: true, Allow: scopedWrite(nipp.PermProjectWrite)},
	"POST /api/v1/projects/{id}/scores":                {Record: "project", PublicID: true, Allow: never},
	"POST /api/v1/projects/{id}/conflict":              {Record: "project", PublicID: true, JSON: func(webtest.Record) any { return map[string]string{"reason": "x"} }, Allow: never},
	"GET /api/v1/support-preview":                      {Path: "/api/v1/support-preview?activity_type=MACHINERY", Allow: rolesWith(nipp.PermProjectRead)},
	"GET /api/v1/plans/{year}":                         {Path: "/api/v1/plans/2026", Allow: rolesWith(nipp.PermProjectRead)},
	"PUT /api/v1/plans/{year}":                         {Path: "/api/v1/plans/2027", JSON: func(webtest.Record) any { return map[string]int64{"ceiling": 1000} }, Allow: rolesWith(nipp.PermProjectDecide)},
	"PUT /api/v1/settings/duplicate-support-years":     {JSON: func(webtest.Record) any { return map[string]int{"years": 3} }, Allow: rolesWith(nipp.PermReferenceEdit)},
}

func projectVersionForm(rec webtest.Record) url.Values {
	return url.Values{"version": {"1"}, "establishment": {"none"}}
}

func versionJSON(rec webtest.Record) any {
	return map[string]any{"version": 1}
}
