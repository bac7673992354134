package web

import (
	"fmt"
	"net/http"
	"strings"

	"nipp/internal/nipp"
)

// navItem is one link of the main navigation. It names the route it opens
// (a pattern of the route table), and shows only to users who hold that
// route's permission, so the navigation never offers a page its user may
// not open.
type navItem struct {
	Route string // route-table pattern, e.g. "GET /establishments"
	Key   string // message key of the label
}

// navTable is the main navigation, in order, for every role.
var navTable = []navItem{
	{"GET /work", "nav.work"},
	{"GET /establishments", "nav.establishments"},
	{"GET /establishments/duplicates", "nav.duplicates"},
	{"GET /imports/establishments", "nav.imports"},
	{"GET /projects", "nav.projects"},
	{"GET /appraisal", "nav.appraisal"},
	{"GET /plans", "nav.plans"},
	{"GET /ledger", "nav.ledger"},
	{"GET /progress", "nav.progress"},
	{"GET /programs", "nav.programs"},
	{"GET /rule-sets", "nav.rulesets"},
	{"GET /organizations", "nav.orgs"},
	{"GET /audit", "nav.audit"},
	{"GET /admin/users", "nav.users"},
}

// navLink is a navigation link as the layout shows it.
type navLink struct {
	Href, Key string
	Perm      nipp.Permission
	Current   bool
}

// buildNav resolves the navigation table against the routes: each item
// takes its route's permission. An item without a route is a programming
// error.
func buildNav(routes []Route) ([]navLink, error) {
	perms := map[string]nipp.Permission{}
	for _, rt := range routes {
		perms[rt.Pattern] = rt.Perm
	}
	var out []navLink
	for _, it := range navTable {
		perm, ok := perms[it.Route]
		if !ok {
			return nil, fmt.Errorf("navigation: no route %q", it.Route)
		}
		_, path, _ := strings.Cut(it.Route, " ")
		out = append(out, navLink{Href: path, Key: it.Key, Perm: perm})
	}
	return out, nil
}

// navFor returns the links p may follow, the one of the current page (the
// longest matching path) marked.
func (s *Server) navFor(r *http.Request, p *nipp.Principal) []navLink {
	var out []navLink
	cur := -1
	for _, l := range s.nav {
		if !p.Can(l.Perm) {
			continue
		}
		if (r.URL.Path == l.Href || strings.HasPrefix(r.URL.Path, l.Href+"/")) && (cur < 0 || len(l.Href) > len(out[cur].Href)) {
			cur = len(out)
		}
		out = append(out, l)
	}
	if cur >= 0 {
		out[cur].Current = true
	}
	return out
}
