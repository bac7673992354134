package web_test

import (
	"nipp/internal/nipp"
)

// progressReadable: the progress of a program is read by every signed-in
// role when the program is published; an unpublished one by national roles
// and those who may edit it (a local program's province officers)
// (nipp.ProgramReadableBy).
func progressReadable(r nipp.Role, own, published bool) bool {
	if r == nipp.RolePublic {
		return false
	}
	return published || nationalScope(r) || (own && nipp.RoleHas(r, nipp.PermProgramEdit))
}

// authzProgress: the dashboards, the review report and their workbooks,
// called on a local program of the officer's own province or another one,
// published or not. GET /progress sends a signed-in user on to the
// national program's dashboard.
var authzProgress = map[string]authzEntry{
	"GET /progress":                             {Allow: signedIn},
	"GET /programs/{code}/progress":             {Record: "program", Allow: progressReadable},
	"GET /programs/{code}/progress/export.xlsx": {Record: "program", Allow: progressReadable},
	"GET /programs/{code}/review":               {Record: "program", Allow: progressReadable},
	"GET /programs/{code}/review/export.xlsx":   {Record: "program", Allow: progressReadable},
}
