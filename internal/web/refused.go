package web

import (
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"
)

// A refused form (409, 422) is rendered in answer to its POST, so the
// address bar holds the POST's URL: reloading or switching the language
// would ask that URL with GET, which is another page or none. So the
// refused page is also kept for a short while under /refused/{id}: its
// language switch points there, and static/address.js puts that address
// in the address bar (history.replaceState), so a reload shows the same
// form, values and problems, in the language asked for. Entries live in
// this process's memory, bounded and short-lived, and belong to the
// browser that submitted (its CSRF cookie); when one is gone (expired,
// another node, a restart), /refused/{id} sends the user back to the page
// the form came from.

const (
	refusedTTL = 30 * time.Minute
	refusedMax = 500 // views can be large (a project form holds its option lists)
)

type refusedPage struct {
	owner  string // the submitting browser's CSRF token
	name   string // template
	view   any    // the view as rendered (a pointer to a struct embedding Page)
	status int
	at     time.Time
}

type refusedStore struct {
	mu    sync.Mutex
	pages map[string]refusedPage
	order []string
}

func newRefusedStore() *refusedStore { return &refusedStore{pages: map[string]refusedPage{}} }

func (rs *refusedStore) put(p refusedPage) string {
	id := newID() + newID()
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for len(rs.order) > 0 && (len(rs.order) >= refusedMax || time.Since(rs.pages[rs.order[0]].at) > refusedTTL) {
		delete(rs.pages, rs.order[0])
		rs.order = rs.order[1:]
	}
	rs.pages[id] = p
	rs.order = append(rs.order, id)
	return id
}

func (rs *refusedStore) get(id, owner string) (refusedPage, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	p, ok := rs.pages[id]
	if !ok || p.owner == "" || p.owner != owner || time.Since(p.at) > refusedTTL {
		return refusedPage{}, false
	}
	return p, true
}

// keepRefused stores a refused form's page and points its language switch
// and address at /refused/{id}.
func (s *Server) keepRefused(r *http.Request, status int, name string, view any) {
	if r.Method != http.MethodPost || (status != http.StatusUnprocessableEntity && status != http.StatusConflict) {
		return
	}
	page := framePage(view)
	if page == nil {
		return
	}
	owner := csrfToken(r)
	if owner == "" {
		return
	}
	// Back is the page the form came from (same-site Referer), else the
	// form's own path.
	back := r.URL.Path
	if ref, err := http.NewRequest(http.MethodGet, r.Referer(), nil); err == nil && ref.URL.Host == r.Host {
		back = SafeNext(ref.URL.RequestURI())
		// A form sent again from a refused page: back is where that page
		// came from (refused pages never nest).
		if strings.HasPrefix(ref.URL.Path, "/refused/") {
			back = SafeNext(ref.URL.Query().Get("back"))
		}
	}
	id := s.refused.put(refusedPage{owner: owner, name: name, view: view, status: status, at: time.Now()})
	page.RefusedURL = "/refused/" + id
	if back != "" {
		page.RefusedURL += "?back=" + urlQueryEscape(back)
	}
	page.LangURL = page.RefusedURL + sep(page.RefusedURL) + "lang=" + otherLang(page.L.Lang)
}

// refusedForm shows a kept refused form again, in the request's language.
func (s *Server) refusedForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.refused.get(r.PathValue("id"), csrfToken(r))
	if !ok {
		http.Redirect(w, r, SafeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
		return
	}
	// A copy of the view, its frame redone for this request.
	orig := reflect.ValueOf(p.view)
	if orig.Kind() != reflect.Pointer {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	cp := reflect.New(orig.Elem().Type())
	cp.Elem().Set(orig.Elem())
	view := cp.Interface()
	page := framePage(view)
	old := page.L
	page.L = L{Lang: lang(r)}
	if page.titleKey != "" && page.PageTitle == old.T(page.titleKey) {
		page.PageTitle = page.L.T(page.titleKey)
	}
	page.CSRF = csrfToken(r)
	page.User = s.page(r, "").User
	page.Errs = page.L.Problems(page.refusedErr)
	page.LangURL = r.URL.Path + "?" + withLang(r, otherLang(page.L.Lang))
	page.RefusedURL = r.URL.RequestURI()
	w.Header().Set("Cache-Control", "no-store")
	s.renderPage(w, r, p.status, p.name, view)
}

// framePage returns the Page a view embeds (nil when none).
func framePage(view any) *Page {
	v := reflect.ValueOf(view)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Page")
	if !f.IsValid() || f.Type() != reflect.TypeFor[Page]() || !f.CanAddr() {
		return nil
	}
	return f.Addr().Interface().(*Page)
}

func otherLang(l string) string {
	if l == "en" {
		return "vi"
	}
	return "en"
}

func sep(u string) string {
	for i := range len(u) {
		if u[i] == '?' {
			return "&"
		}
	}
	return "?"
}

func withLang(r *http.Request, l string) string {
	q := r.URL.Query()
	q.Set("lang", l)
	return q.Encode()
}
