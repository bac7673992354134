package web_test

import (
	"net/url"
	"strconv"

	"nipp/internal/nipp"
	"nipp/internal/web/webtest"
)

// authzAccounts: sign-in, own account, API tokens, user administration and
// the audit trail.
var authzAccounts = map[string]authzEntry{
	// Signing in with another account's valid credentials succeeds for anyone.
	"GET /login": {Allow: allowAll},
	"POST /login": {Fresh: true, Allow: allowAll, Form: func(webtest.Record) url.Values {
		return url.Values{"email": {matrixLoginEmail}, "password": {webtest.Password}}
	}},
	"POST /logout":          {Fresh: true, Allow: allowAll},
	"GET /account":          {Allow: signedIn},
	"GET /account/password": {Allow: signedIn},
	"POST /account/password": {Allow: signedIn, Form: func(webtest.Record) url.Values {
		return url.Values{"current_password": {"not the password"}, "password": {"whatever new one"}, "confirm": {"whatever new one"}}
	}},
	"GET /account/tokens":  {Allow: signedIn},
	"POST /account/tokens": {Allow: signedIn, Form: func(webtest.Record) url.Values { return url.Values{"name": {"matrix"}} }},
	// Someone else's token: only an administrator may revoke it.
	"POST /account/tokens/{id}/revoke": {Record: "token", Allow: adminOnly},

	"GET /admin/users":     {Allow: adminOnly},
	"GET /admin/users/new": {Allow: adminOnly},
	"POST /admin/users": {Allow: adminOnly, Form: func(webtest.Record) url.Values {
		return url.Values{"email": {"not an address"}, "role": {"provincial"}}
	}},
	"GET /admin/users/{id}": {Record: "user", Allow: adminOnly},
	// A stale version: allowed (409), nothing changes.
	"POST /admin/users/{id}/active":         {Record: "user", Allow: adminOnly, Form: staleVersion},
	"POST /admin/users/{id}":                {Record: "user", Allow: adminOnly, Form: staleVersion},
	"POST /admin/users/{id}/reset-password": {Record: "user", Allow: adminOnly, Form: staleVersion},

	"GET /audit":             {Allow: rolesWith(nipp.PermAuditRead)},
	"GET /audit/export.xlsx": {Allow: rolesWith(nipp.PermAuditRead)},
	"GET /audit/verify":      {Allow: rolesWith(nipp.PermAuditRead)},

	"GET /api/v1/account": {Allow: signedIn},
	"POST /api/v1/account/password": {Allow: signedIn, JSON: func(webtest.Record) any {
		return map[string]string{"current_password": "nope", "new_password": "whatever new one"}
	}},
	"GET /api/v1/audit":        {Allow: rolesWith(nipp.PermAuditRead)},
	"GET /api/v1/audit/verify": {Allow: rolesWith(nipp.PermAuditRead)},
}

// matrixLoginEmail is the account the matrix test creates for POST /login.
const matrixLoginEmail = "matrix-login@test.nipp"

func staleVersion(rec webtest.Record) url.Values {
	return url.Values{"version": {strconv.Itoa(rec.Version + 100)}, "active": {"1"}}
}
