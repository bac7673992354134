package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"nipp/internal/nipp"
)

// The HTTP edge: every request body is bounded by its route before a byte
// is read, and every text input (path, query, form values, JSON strings) is
// checked once here for invalid UTF-8 and control characters, so handlers,
// the app and both databases only ever see clean text.

// formBodyLimit bounds the body of every route that declares no other limit
// in bodyLimits (routes.go): forms and JSON.
const formBodyLimit int64 = 1 << 20

// formMemory is what a parsed multipart form keeps in memory; larger file
// parts go to temporary files, which guard removes after the handler.
const formMemory int64 = 1 << 20

// bodyLimit returns the route's body limit.
func (s *Server) bodyLimit(pattern string) int64 {
	if n, ok := s.limits[pattern]; ok {
		return n
	}
	return formBodyLimit
}

// errBodyTooLarge is the 413 answer, in the user's language.
func errBodyTooLarge(r *http.Request, limit int64) error {
	return nipp.Errorf(nipp.ETOOLARGE, "input.too_large", nipp.Num(limit>>10))
}

// limitBody refuses a body whose declared length is over limit without
// reading it, and bounds any other body: reading past limit fails with
// *http.MaxBytesError and the server closes the connection.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request, limit int64) error {
	if r.ContentLength > limit {
		return errBodyTooLarge(r, limit)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	return nil
}

// parseForm reads a form body (URL-encoded or multipart) of an unsafe
// request whose body limit is in place, and checks every value.
func parseForm(r *http.Request, limit int64) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch ct {
	case "multipart/form-data":
		err = r.ParseMultipartForm(formMemory)
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	default:
		return nil
	}
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return errBodyTooLarge(r, limit)
		}
		return nipp.Errorf(nipp.EBADREQUEST, "input.bad_form")
	}
	if err := checkValues(r, r.PostForm, multiLine); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		if err := checkValues(r, r.MultipartForm.Value, multiLine); err != nil {
			return err
		}
		for field, fhs := range r.MultipartForm.File {
			for _, fh := range fhs {
				if err := checkText(r, field, fh.Filename, singleLine); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

type lineMode bool

const (
	singleLine lineMode = false
	multiLine  lineMode = true // tab, newline and carriage return allowed
)

// badText reports what is wrong with a text input: "" when it is valid
// UTF-8 without control characters (tab, newline and CR allowed in
// multi-line text), else the message key.
func badText(s string, mode lineMode) string {
	if !utf8.ValidString(s) {
		return "input.bad_utf8"
	}
	for _, c := range s {
		if unicode.IsControl(c) && !(mode == multiLine && (c == '\t' || c == '\n' || c == '\r')) {
			return "input.control"
		}
	}
	return ""
}

func checkText(r *http.Request, where, s string, mode lineMode) error {
	key := badText(s, mode)
	if key == "" {
		return nil
	}
	if where == "" {
		return nipp.Errorf(nipp.EBADREQUEST, key)
	}
	return &nipp.Error{Code: nipp.EBADREQUEST, Field: where, Msg: nipp.M(key)}
}

// checkValues checks the names and values of a form or query string.
func checkValues(r *http.Request, vs url.Values, mode lineMode) error {
	for k, vals := range vs {
		if err := checkText(r, "", k, singleLine); err != nil {
			return err
		}
		for _, v := range vals {
			if err := checkText(r, k, v, mode); err != nil {
				return err
			}
		}
	}
	return nil
}

// inputHygiene refuses, before anything else reads them, a path or query
// string that is not valid UTF-8, contains a control character or does not
// parse (400, in the user's language).
func (s *Server) inputHygiene(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkText(r, "", r.URL.Path, singleLine); err != nil {
			s.fail(w, r, err)
			return
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			s.fail(w, r, nipp.Errorf(nipp.EBADREQUEST, "input.bad_query"))
			return
		}
		if err := checkValues(r, q, singleLine); err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// unsafeMethod reports whether the method may change state.
func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// SafeNext returns next when it is a path on this site, else "/". It is the
// only check between a "next" parameter and a redirect. Browsers remove
// tabs and newlines from URLs and read a backslash as a slash, so
// "/\t/evil" and "/\\evil" both mean "//evil": another host.
func SafeNext(next string) string {
	if next == "" || next[0] != '/' || len(next) > 2048 || badText(next, singleLine) != "" {
		return "/"
	}
	// Percent-decoding must not reveal another meaning either ("/%2F/evil"
	// is harmless to browsers, but refuse what is ambiguous).
	dec, err := url.PathUnescape(strings.SplitN(next, "?", 2)[0])
	if err != nil {
		return "/"
	}
	for _, p := range []string{next, dec} {
		if len(p) < 1 || p[0] != '/' || strings.ContainsAny(p, "\\\t\n\r") || badText(p, singleLine) != "" {
			return "/"
		}
		if len(p) > 1 && (p[1] == '/' || p[1] == '\\') {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}
