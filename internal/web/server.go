// Package web serves nipp over HTTP: server-rendered HTML pages and the
// JSON API under /api/v1/, from one route table in routes.go where every
// route declares the permission it needs.
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

//go:embed templates/*.html static
var assets embed.FS

// Config is what the server needs besides the use cases.
type Config struct {
	Version string
	// TLS reports whether the server is reached over HTTPS (Secure cookies).
	TLS bool
}

// Server holds the handlers' dependencies.
type Server struct {
	app     *app.App
	log     *slog.Logger
	cfg     Config
	pages   map[string]*template.Template
	metrics *metrics
	mux     *http.ServeMux
	routes  []Route
	refused *refusedStore
	limits  map[string]int64 // body limits by route pattern (bodyLimits)
	origins *http.CrossOriginProtection
	nav     []navLink // the main navigation, each link with its route's permission
	// apiCache keeps project-list answers by change stamp (api_cache.go),
	// registryCache the registry's (its own stamp, registryCacheSize).
	apiCache      apiCache
	registryCache apiCache
}

// New builds the server and its route table.
func New(a *app.App, log *slog.Logger, cfg Config) (*Server, error) {
	s := &Server{app: a, log: log, cfg: cfg, refused: newRefusedStore(),
		apiCache: apiCache{size: apiCacheSize}, registryCache: apiCache{size: registryCacheSize}}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.metrics = newMetrics()
	s.mux = http.NewServeMux()
	s.routes = s.routeTable()
	s.limits = bodyLimits()
	for pattern := range s.limits {
		if !slices.ContainsFunc(s.routes, func(rt Route) bool { return rt.Pattern == pattern }) {
			return nil, fmt.Errorf("body limit for %q, which is not a route", pattern)
		}
	}
	s.origins = http.NewCrossOriginProtection()
	if s.nav, err = buildNav(s.routes); err != nil {
		return nil, err
	}
	for _, rt := range s.routes {
		s.mux.Handle(rt.Pattern, s.guard(rt))
	}
	s.mux.HandleFunc("/", s.notFound)
	s.mux.HandleFunc("GET /static/", serveStatic)
	return s, nil
}

// Handler returns the whole HTTP handler with middleware.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	h = s.authenticate(h)
	h = s.inputHygiene(h)
	h = compress(h)
	h = s.securityHeaders(h)
	h = s.observe(h)
	h = s.recoverPanics(h)
	return h
}

// Routes returns the route table (for the authorization matrix test).
func (s *Server) Routes() []Route { return s.routes }

// Route is one entry of the route table.
type Route struct {
	Pattern string          // ServeMux pattern with method, e.g. "GET /api/v1/programs"
	Perm    nipp.Permission // what the principal needs
	Handler http.HandlerFunc
}

// IsAPI reports whether the route belongs to the JSON API.
func (rt Route) IsAPI() bool { return strings.Contains(rt.Pattern, " /api/") }

// guard runs before every route's handler, in this order: the route's body
// limit (bodyLimits; a declared length over it is refused unread), the
// route's permission (so the public cannot make a protected route read a
// body), then for state-changing requests the form (bounded, values
// checked) and the CSRF token. Temporary files of a multipart form are
// removed when the handler returns. Record-level scope (province,
// published) is enforced again in the app layer.
func (s *Server) guard(rt Route) http.Handler {
	limit := s.bodyLimit(rt.Pattern)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if route, ok := r.Context().Value(keyRoute).(*string); ok {
			*route = rt.Pattern
		}
		defer func() {
			if r.MultipartForm != nil {
				r.MultipartForm.RemoveAll()
			}
		}()
		if err := s.limitBody(w, r, limit); err != nil {
			s.refuseUnread(w, r, err)
			return
		}
		p := nipp.PrincipalFrom(r.Context())
		if !p.Can(rt.Perm) {
			if r.ContentLength != 0 {
				// Answer without reading the body: net/http would otherwise
				// read up to 256 KB of it to keep the connection.
				w.Header().Set("Connection", "close")
			}
			if p.Anonymous() {
				s.fail(w, r, nipp.Errorf(nipp.EUNAUTHORIZED, "err.app.please_sign"))
			} else {
				s.fail(w, r, nipp.Forbidden())
			}
			return
		}
		if unsafeMethod(r.Method) {
			if err := parseForm(r, limit); err != nil {
				s.refuseUnread(w, r, err)
				return
			}
			if err := s.checkCSRFToken(r); err != nil {
				s.fail(w, r, err)
				return
			}
			// A save: this request and, in a browser, the next few read
			// from the primary, so what was saved is what is shown.
			r = r.WithContext(app.WithOwnWrites(r.Context()))
			if p.TokenID == 0 {
				s.markOwnWrites(w)
			}
		}
		rt.Handler(w, r)
	})
}

// refuseUnread answers err and closes the connection, so that the rest of
// a refused body is never read.
func (s *Server) refuseUnread(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Connection", "close")
	s.fail(w, r, err)
}

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyLang
	keyRoute // *string: the matched route pattern, filled in by guard for logs and metrics
)

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// lang returns the request's UI language: ?lang=, then the lang cookie,
// then Vietnamese.
func lang(r *http.Request) string {
	if l, ok := r.Context().Value(keyLang).(string); ok {
		return l
	}
	return "vi"
}

func pickLang(r *http.Request) string {
	for _, l := range langs {
		if r.URL.Query().Get("lang") == l {
			return l
		}
	}
	// The JSON API answers in the request's Accept-Language; pages keep
	// the language the user chose (cookie), Vietnamese first.
	if strings.HasPrefix(r.URL.Path, "/api/") {
		if l := acceptLanguage(r.Header.Get("Accept-Language")); l != "" {
			return l
		}
	}
	if c, err := r.Cookie("lang"); err == nil {
		for _, l := range langs {
			if c.Value == l {
				return l
			}
		}
	}
	return langs[0]
}

// statusOf maps an application error code to an HTTP status. It is the
// only place that does so, for HTML and JSON alike.
func statusOf(code string) int {
	switch code {
	case nipp.EINVALID:
		return http.StatusUnprocessableEntity
	case nipp.ENOTFOUND:
		return http.StatusNotFound
	case nipp.ECONFLICT:
		return http.StatusConflict
	case nipp.EFORBIDDEN:
		return http.StatusForbidden
	case nipp.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case nipp.ETOOMANY:
		return http.StatusTooManyRequests
	case nipp.EBADREQUEST:
		return http.StatusBadRequest
	case nipp.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// fail reports err to the user (HTML page or JSON) and, for internal
// errors, logs the whole error once.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := nipp.ErrorCode(err)
	status := statusOf(code)
	if code == nipp.EINTERNAL {
		s.log.Error("request failed", "request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, map[string]any{"error": apiErrorOf(r, err)})
		return
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		target := "/login?next=" + urlQueryEscape(r.URL.RequestURI())
		if sessionExpired(r) {
			target += "&expired=1"
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	s.render(w, r, status, "error", &errorView{Page: s.page(r, "error.title"), Message: L{Lang: lang(r)}.Err(err), Status: status})
}

type errorView struct {
	Page
	Message string
	Status  int
}

// Page is the part of every view the layout needs.
//
// Its field names are the frame's own (PageTitle, BuildVersion): a view
// embeds Page beside a record, and render refuses a view where a frame name
// would hide a record's field (see frame.go).
type Page struct {
	L            L
	PageTitle    string
	User         *nipp.Principal
	CSRF         string
	Path         string
	BuildVersion string
	// LangURL is this page's address in the other language (path and
	// query kept, lang switched).
	LangURL string
	// Errs are a refused form's problems (see Problems); the layout lists
	// them, the form shows each beside its field.
	Errs Problems
	// RefusedURL, when set, is where this page can be asked for again with
	// GET (a refused form, see refused.go); static/address.js shows it in
	// the address bar.
	RefusedURL string
	Nav        []navLink // the links of the main navigation the user may follow

	titleKey   string
	refusedErr error
	// sentAction and sentValues are the refused form as the user sent it
	// (a POST answered 4xx): its path and values (render records them).
	sentAction string
	sentValues url.Values
}

// Refuse records err's problems on the page, translated.
func (p *Page) Refuse(err error) { p.Errs, p.refusedErr = p.L.Problems(err), err }

// SentTo returns the refused form that posted to action, as the user sent
// it: its problems, to show each beside its field, and the values typed,
// to keep them. A page with several forms asks each by its action; a form
// that was not the one sent gets an empty Sent (its defaults, no problems).
func (p *Page) SentTo(action string) Sent {
	if p.sentAction == "" || p.sentAction != action {
		return Sent{}
	}
	return Sent{On: true, Errs: p.Errs, values: p.sentValues}
}

// Sent is a refused form as the user sent it (see Page.SentTo).
type Sent struct {
	On     bool // this form was the one sent
	Errs   Problems
	values url.Values
}

// Or is the value sent for name when this form was sent, else def (what
// the form shows when it is first opened).
func (s Sent) Or(name, def string) string {
	if s.On {
		return s.values.Get(name)
	}
	return def
}

// Checked reports whether a checkbox or radio of name with value was
// ticked when this form was sent, else def.
func (s Sent) Checked(name, value string, def bool) bool {
	if s.On {
		return slices.Contains(s.values[name], value)
	}
	return def
}

func (s *Server) page(r *http.Request, titleKey string) Page {
	l := L{Lang: lang(r)}
	p := nipp.PrincipalFrom(r.Context())
	return Page{L: l, PageTitle: l.T(titleKey), titleKey: titleKey, User: p, CSRF: csrfToken(r), Path: r.URL.Path, BuildVersion: s.cfg.Version, LangURL: langURL(r, l.Lang), Nav: s.navFor(r, p)}
}

// langURL is the request's address (path and query) with lang set to the
// other language.
func langURL(r *http.Request, current string) string {
	other := "en"
	if current == "en" {
		other = "vi"
	}
	return r.URL.Path + "?" + withLang(r, other)
}

// render executes a page template into a buffer first, so a template error
// never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	if page := framePage(view); page != nil && r.Method == http.MethodPost && status >= 400 && status < 500 {
		page.sentAction, page.sentValues = r.URL.Path, sentValues(r)
	}
	s.keepRefused(r, status, name, view)
	s.renderPage(w, r, status, name, view)
}

// sentValues are a form's values as sent, without the CSRF token (the
// values of a multipart form too, not its files).
func sentValues(r *http.Request) url.Values {
	out := url.Values{}
	add := func(v url.Values) {
		for k, vs := range v {
			if k != "csrf_token" {
				out[k] = append(out[k], vs...)
			}
		}
	}
	add(r.PostForm)
	if r.MultipartForm != nil && len(r.PostForm) == 0 {
		add(r.MultipartForm.Value)
	}
	return out
}

func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("unknown template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if clash := frameClashes(reflect.TypeOf(view)); len(clash) > 0 {
		s.log.Error("page frame hides view fields", "name", name, "fields", clash)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout", view); err != nil {
		s.log.Error("template failed", "name", name, "request_id", requestID(r.Context()), "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, buf.String())
}

func parsePages() (map[string]*template.Template, error) {
	layout, err := template.New("layout").Funcs(templateFuncs()).ParseFS(assets, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(assets, n, "templates/_*.html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"add":          func(a, b int) int { return a + b },
		"sub":          func(a, b int) int { return a - b },
		"has":          slices.Contains[[]string],
		"colname":      tabular.ColumnName,
		"decodeMsg":    nipp.DecodeMsg,
		"totalCost":    TotalCost,
		"stateSupport": StateSupport,
		"asset":        assetURL,
		"errid":        errorID,
	}
}

// metrics are the server's Prometheus collectors, in their own registry
// (no global state).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inflight prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "nipp_http_requests_total", Help: "HTTP requests by route and status."}, []string{"method", "route", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "nipp_http_request_duration_seconds", Help: "HTTP request duration by route.", Buckets: prometheus.DefBuckets}, []string{"method", "route"})
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "nipp_http_requests_in_flight", Help: "Requests being served."})
	m.reg.MustRegister(m.requests, m.duration, m.inflight, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// acceptLanguage returns the first of langs an Accept-Language header
// names (by primary tag, in the header's order; weights are not ranked),
// or "".
func acceptLanguage(h string) string {
	for _, part := range strings.Split(h, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		for _, l := range langs {
			if primary == l {
				return l
			}
		}
	}
	return ""
}
