package web_test

import (
	"net/url"
	"strconv"

	"nipp/internal/nipp"
	"nipp/internal/web/webtest"
)

// registryRead: roles with registry.read see published records, national
// roles everything, a provincial officer their own province's records.
func registryRead(r nipp.Role, own, published bool) bool {
	return nipp.RoleHas(r, nipp.PermRegistryRead) && r != nipp.RolePublic &&
		(published || nationalScope(r) || (own && r == nipp.RoleProvincial))
}

var (
	regRead  = rolesWith(nipp.PermRegistryRead)
	regWrite = rolesWith(nipp.PermRegistryWrite)
	estWrite = scopedWrite(nipp.PermRegistryWrite)
)

func versionForm(rec webtest.Record) url.Values {
	return url.Values{"version": {strconv.Itoa(rec.Version)}}
}

// confirmedForm is versionForm with the page's "I confirm" box ticked.
func confirmedForm(rec webtest.Record) url.Values {
	v := versionForm(rec)
	v.Set("confirm", "1")
	return v
}

var authzRegistry = map[string]authzEntry{
	"GET /api/v1/communes":                     {Path: "/api/v1/communes?province=08&q=tan", Allow: allowAll},
	"GET /establishments":                      {Allow: regRead},
	"GET /establishments/duplicates":           {Allow: regRead},
	"GET /establishments/export.xlsx":          {Allow: regRead},
	"GET /establishments/export.csv":           {Allow: regRead},
	"GET /establishments/new":                  {Allow: regWrite},
	"POST /establishments":                     {Allow: regWrite},
	"GET /establishments/{id}":                 {Record: "establishment", PublicID: true, Allow: registryRead},
	"GET /establishments/{id}/edit":            {Record: "establishment", PublicID: true, Allow: estWrite},
	"POST /establishments/{id}":                {Record: "establishment", PublicID: true, Form: versionForm, Allow: estWrite},
	"POST /establishments/{id}/archive":        {Record: "establishment", PublicID: true, Form: confirmedForm, Allow: estWrite},
	"POST /establishments/{id}/merge":          {Record: "establishment", PublicID: true, Form: func(rec webtest.Record) url.Values { return url.Values{"into": {rec.PublicID}} }, Allow: estWrite},
	"POST /establishments/{id}/not-duplicate":  {Record: "establishment", PublicID: true, Allow: estWrite},
	"GET /imports/establishments":              {Allow: regWrite},
	"POST /imports/establishments":             {Allow: regWrite},
	"GET /imports/{job}":                       {Path: "/imports/999999", Allow: never},
	"POST /imports/{job}/mapping":              {Path: "/imports/999999/mapping", Allow: never},
	"POST /imports/{job}/apply":                {Path: "/imports/999999/apply", Allow: never},
	"POST /imports/{job}/cancel":               {Path: "/imports/999999/cancel", Allow: never},
	"GET /imports/{job}/errors.xlsx":           {Path: "/imports/999999/errors.xlsx", Allow: never},
	"GET /api/v1/establishments":               {Allow: regRead},
	"POST /api/v1/establishments":              {Allow: regWrite},
	"GET /api/v1/establishments/{id}":          {Record: "establishment", PublicID: true, Allow: registryRead},
	"PUT /api/v1/establishments/{id}":          {Record: "establishment", PublicID: true, JSON: func(rec webtest.Record) any { return map[string]any{"version": rec.Version} }, Allow: estWrite},
	"POST /api/v1/establishments/{id}/archive": {Record: "establishment", PublicID: true, JSON: func(rec webtest.Record) any { return map[string]any{"version": rec.Version} }, Allow: estWrite},
	"POST /api/v1/establishments/{id}/merge":   {Record: "establishment", PublicID: true, JSON: func(rec webtest.Record) any { return map[string]any{"into": rec.PublicID} }, Allow: estWrite},
}
