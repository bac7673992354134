package web_test

import "nipp/internal/nipp"

// authzWork: the work page (any signed-in user) and the plan of the current
// year (a redirect, for those who read projects).
var authzWork = map[string]authzEntry{
	"GET /work":  {Allow: signedIn},
	"GET /plans": {Allow: rolesWith(nipp.PermProjectRead)},
}
