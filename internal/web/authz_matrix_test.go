package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// The authorization matrix: every route of Server.Routes() x every role x a
// record in the officer's own or another province x published or not. Each
// route needs an entry, keyed by its pattern exactly as in routes.go; a
// route without one fails the test. Each feature area keeps its entries in
// its own file (authz_<area>_test.go) and lists its table here.
var authzTables = []map[string]authzEntry{authzCore, authzAccounts, authzRules, authzRegistry, authzProjects, authzPrograms, authzMessages, authzAudit, authzWork, authzLedger, authzProgress}

// authzEntry says how to call one route and who may.
type authzEntry struct {
	// Path is the request path; empty means the pattern's path. "{id}" is
	// replaced by the fixture record's id (or public id, see PublicID).
	Path string
	// Record names the fixture that fills {id}: "establishment", "project",
	// "program" (a local program; fills {code}),
	// "user" (a provincial officer's account), "token" (another user's API
	// token), or "" when the route has no record. Routes with a record are
	// called for own/other province x published/unpublished; others once.
	Record   string
	PublicID bool
	// Form builds the body of an HTML POST (the CSRF token is added);
	// JSON builds the body of an API call. Either may be nil.
	Form func(rec webtest.Record) url.Values
	JSON func(rec webtest.Record) any
	// Multipart builds a second body for an API route that also takes
	// files: the route is called once with JSON and once multipart, and
	// both answers must agree with Allow.
	Multipart func(rec webtest.Record) (url.Values, []webtest.FilePart)
	// Allow is the expected outcome. role is nipp.RolePublic for the
	// anonymous public; own reports whether the record is in the provincial
	// officer's province (for other roles: the same two records).
	Allow func(role nipp.Role, own, published bool) bool
	// Fresh sends the request from a newly signed-in client (for requests
	// that end the session, such as logout).
	Fresh bool
}

// Expectation helpers.
var (
	allowAll  = func(nipp.Role, bool, bool) bool { return true }
	signedIn  = func(r nipp.Role, _, _ bool) bool { return r != nipp.RolePublic }
	adminOnly = func(r nipp.Role, _, _ bool) bool { return r == nipp.RoleAdmin }
	// never is for routes whose fixture the matrix does not build (import
	// jobs, attachments, councils): a request for an unknown one is refused
	// to everyone; the allowed paths are tested in the feature's own tests.
	never = func(nipp.Role, bool, bool) bool { return false }
)

// rolesWith allows the roles that hold perm, whatever the record.
func rolesWith(perm nipp.Permission) func(nipp.Role, bool, bool) bool {
	return func(r nipp.Role, _, _ bool) bool { return nipp.RoleHas(r, perm) }
}

// nationalScope reports whether a role sees every province.
func nationalScope(r nipp.Role) bool {
	return (&nipp.Principal{UserID: 1, Role: r}).AllProvinces()
}

// scopedRead: published records are public; unpublished ones need perm and
// the province in scope.
func scopedRead(perm nipp.Permission) func(nipp.Role, bool, bool) bool {
	return func(r nipp.Role, own, published bool) bool {
		return published || (nipp.RoleHas(r, perm) && r != nipp.RolePublic && (nationalScope(r) || own))
	}
}

// scopedWrite: perm and the province in scope, published or not.
func scopedWrite(perm nipp.Permission) func(nipp.Role, bool, bool) bool {
	return func(r nipp.Role, own, _ bool) bool {
		return r != nipp.RolePublic && nipp.RoleHas(r, perm) && (nationalScope(r) || own)
	}
}

var authzCore = map[string]authzEntry{
	"GET /healthz":         {Allow: allowAll},
	"GET /readyz":          {Allow: allowAll},
	"GET /metrics":         {Allow: allowAll},
	"GET /{$}":             {Path: "/", Allow: allowAll},
	"GET /api/v1/programs": {Allow: allowAll},
}

func lookupAuthz(pattern string) (authzEntry, bool) {
	for _, t := range authzTables {
		if e, ok := t[pattern]; ok {
			return e, true
		}
	}
	return authzEntry{}, false
}

// denied decides by status: 401, 403, 404 or a redirect to the sign-in page.
func denied(r *webtest.Response) bool {
	switch r.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	case http.StatusSeeOther, http.StatusFound, http.StatusTemporaryRedirect:
		return strings.HasPrefix(r.Header.Get("Location"), "/login")
	}
	return false
}

var matrixRoles = []nipp.Role{nipp.RoleAdmin, nipp.RoleCentral, nipp.RoleProvincial, nipp.RoleAppraiser, nipp.RoleAuditor, nipp.RolePublic}

func TestAuthorizationMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		signIn := func(role nipp.Role) *webtest.Client {
			switch role {
			case nipp.RolePublic:
				return env.Anonymous()
			case nipp.RoleProvincial:
				return env.As(role, webtest.OwnProvince)
			}
			return env.As(role)
		}
		// The account POST /login signs in with.
		if _, _, err := env.App.CreateUserAsSystem(t.Context(), nipp.NewUser{Email: matrixLoginEmail, Role: nipp.RoleAuditor, Password: webtest.Password}); err != nil {
			t.Fatal(err)
		}
		clients := map[nipp.Role]*webtest.Client{}
		for _, r := range matrixRoles {
			clients[r] = signIn(r)
		}
		province := map[bool]string{true: webtest.OwnProvince, false: webtest.OtherProvince}
		records := map[string]map[[2]bool]webtest.Record{}
		fixture := func(kind string, own, pub bool) webtest.Record {
			if records[kind] == nil {
				records[kind] = map[[2]bool]webtest.Record{}
			}
			key := [2]bool{own, pub}
			if rec, ok := records[kind][key]; ok {
				return rec
			}
			var rec webtest.Record
			switch kind {
			case "establishment":
				rec = webtest.InsertEstablishment(t, db, province[own], pub)
			case "project":
				rec = webtest.InsertProject(t, db, province[own], pub)
			case "program":
				rec = webtest.InsertLocalProgram(t, db, province[own], pub)
			case "user":
				u := env.CreateUser(nipp.RoleProvincial, province[own])
				rec = webtest.Record{ID: u.ID, Province: province[own], Version: u.Version}
			case "token":
				u := env.CreateUser(nipp.RoleProvincial, province[own])
				tok, _, err := env.App.CreateTokenAsSystem(t.Context(), u.Email, "matrix")
				if err != nil {
					t.Fatal(err)
				}
				rec = webtest.Record{ID: tok.ID, Province: province[own]}
			default:
				t.Fatalf("unknown fixture %q", kind)
			}
			records[kind][key] = rec
			return rec
		}

		patterns := map[string]bool{}
		for _, rt := range env.Server.Routes() {
			patterns[rt.Pattern] = true
			e, ok := lookupAuthz(rt.Pattern)
			if !ok {
				t.Errorf("route %q has no entry in the authorization matrix: add one to an authz_*_test.go table (see docs/ARCHITECTURE.md)", rt.Pattern)
				continue
			}
			if e.Allow == nil {
				t.Errorf("route %q: entry has no Allow", rt.Pattern)
				continue
			}
			method, path, _ := strings.Cut(rt.Pattern, " ")
			if e.Path != "" {
				path = e.Path
			}
			if strings.Contains(strings.NewReplacer("{id}", "", "{code}", "").Replace(path), "{") {
				t.Errorf("route %q: path %q has wildcards; set Path", rt.Pattern, path)
				continue
			}
			combos := [][2]bool{{true, true}}
			if e.Record != "" {
				combos = [][2]bool{{true, true}, {true, false}, {false, true}, {false, false}}
			}
			for _, role := range matrixRoles {
				for _, c := range combos {
					own, pub := c[0], c[1]
					var rec webtest.Record
					p := path
					if e.Record != "" {
						rec = fixture(e.Record, own, pub)
						id := strconv.FormatInt(rec.ID, 10)
						if e.PublicID {
							id = rec.PublicID
						}
						p = strings.ReplaceAll(p, "{id}", id)
						p = strings.ReplaceAll(p, "{code}", rec.Code)
					}
					cl := clients[role]
					if e.Fresh {
						cl = signIn(role)
					}
					name := rt.Pattern + " as " + roleName(role)
					if e.Record != "" {
						name += " own=" + strconv.FormatBool(own) + " published=" + strconv.FormatBool(pub)
					}
					resps := map[string]*webtest.Response{name: send(cl, method, p, e, rec)}
					if e.Multipart != nil {
						fields, files := e.Multipart(rec)
						resps[name+" (multipart)"] = cl.SendMultipart(p, fields, files...)
					}
					for name, resp := range resps {
						if resp.Status >= 500 {
							t.Errorf("%s: status %d: %.300s", name, resp.Status, resp.Body)
							continue
						}
						want := e.Allow(role, own, pub)
						if got := !denied(resp); got != want {
							t.Errorf("%s: allowed=%v (status %d, location %q), want allowed=%v", name, got, resp.Status, resp.Header.Get("Location"), want)
						}
					}
				}
			}
		}
		// Entries for routes that no longer exist are mistakes too.
		for _, tab := range authzTables {
			for pattern := range tab {
				if !patterns[pattern] {
					t.Errorf("authorization matrix entry %q matches no route", pattern)
				}
			}
		}
	})
}

func roleName(r nipp.Role) string {
	if r == nipp.RolePublic {
		return "anonymous"
	}
	return string(r)
}

func send(c *webtest.Client, method, path string, e authzEntry, rec webtest.Record) *webtest.Response {
	isAPI := strings.HasPrefix(path, "/api/")
	switch {
	case method == http.MethodGet:
		return c.Get(path)
	case isAPI:
		var body any = map[string]any{}
		if e.JSON != nil {
			body = e.JSON(rec)
		}
		return c.SendJSON(method, path, body)
	default:
		var form url.Values
		if e.Form != nil {
			form = e.Form(rec)
		}
		if method != http.MethodPost {
			form = cloneValues(form)
		}
		return c.PostForm(path, form)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// The fixture helpers insert what they say, where they say.
func TestAuthzFixtures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, own := range []bool{true, false} {
			for _, pub := range []bool{true, false} {
				prov := webtest.OtherProvince
				if own {
					prov = webtest.OwnProvince
				}
				e, p := webtest.InsertEstablishment(t, db, prov, pub), webtest.InsertProject(t, db, prov, pub)
				for table, id := range map[string]int64{"establishments": e.ID, "projects": p.ID} {
					var code string
					var published bool
					err := db.ReadTx(t.Context(), func(tx *store.Tx) error {
						return tx.QueryRow(t.Context(), `SELECT a.code, x.published FROM `+table+` x JOIN admin_units a ON a.id = x.province_id WHERE x.id = $1`, id).Scan(&code, &published)
					})
					if err != nil || code != prov || published != pub {
						t.Errorf("%s %d: province %q published %v, err %v; want %q %v", table, id, code, published, err, prov, pub)
					}
				}
			}
		}
	})
}
