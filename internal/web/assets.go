package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// Static assets are served under a name that carries a hash of their
// content (nipp.3f2a9c1b07.css), cached by browsers for a year: a deploy
// that changes a file changes its name, so no client runs a stale script.
// Templates name assets with {{asset "nipp.css"}}. The plain name is still
// answered (revalidated on every use) for anything that links it directly.

type staticAsset struct {
	name, hashed, ctype, etag string
	body, gz                  []byte
}

type staticSet struct {
	byName, byHashed map[string]*staticAsset
}

var (
	staticOnce  sync.Once
	staticFiles *staticSet
)

// statics loads and hashes the embedded assets once per process.
func statics() *staticSet {
	staticOnce.Do(func() {
		sub, err := fs.Sub(assets, "static")
		if err != nil {
			panic(err)
		}
		staticFiles, err = loadStatics(sub)
		if err != nil {
			panic(err)
		}
	})
	return staticFiles
}

func loadStatics(fsys fs.FS) (*staticSet, error) {
	set := &staticSet{byName: map[string]*staticAsset{}, byHashed: map[string]*staticAsset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(p)
		a := &staticAsset{name: p, hashed: strings.TrimSuffix(p, ext) + "." + h + ext, body: body, etag: `"` + h + `"`}
		if a.ctype = mime.TypeByExtension(ext); a.ctype == "" {
			a.ctype = http.DetectContentType(body)
		}
		if compressible(a.ctype) {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			a.gz = buf.Bytes()
		}
		set.byName[p], set.byHashed[a.hashed] = a, a
		return nil
	})
	return set, err
}

// assetURL is the template function "asset": the content-hashed address of
// a static file. An unknown name is a programming error caught when the
// page renders (every page is rendered by the tests).
func assetURL(name string) (string, error) {
	a, ok := statics().byName[name]
	if !ok {
		return "", &fs.PathError{Op: "asset", Path: name, Err: fs.ErrNotExist}
	}
	return "/static/" + a.hashed, nil
}

// serveStatic answers GET /static/{name}, by hashed name (immutable, a year)
// or by plain name (revalidated with its ETag), gzipped when asked.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	set := statics()
	a, immutable := set.byHashed[name]
	if !immutable {
		if a = set.byName[name]; a == nil {
			http.NotFound(w, r)
			return
		}
	}
	h := w.Header()
	if immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("ETag", a.etag)
	h.Set("Content-Type", a.ctype)
	h.Add("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if a.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	w.Write(body)
}

// compressible reports whether a content type is text worth compressing
// (not images, archives or .xlsx, which are zip files already).
func compressible(ctype string) bool {
	ct, _, _ := strings.Cut(ctype, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch ct {
	case "application/json", "application/javascript", "text/javascript", "image/svg+xml", "application/geo+json":
		return true
	}
	return strings.HasPrefix(ct, "text/")
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// compress gzips responses whose type is compressible text (pages, JSON,
// CSV) for clients that accept it. The decision is taken when the handler
// sets its status, from the Content-Type it set; responses already encoded,
// without a body, of other types, or whose Content-Length is set and under
// minGzipSize (writeJSON sets it) pass through untouched. Streamed
// exports keep streaming: Flush flushes the compressor first.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || !acceptsGzip(r) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Accept-Encoding")
		cw := &gzipWriter{ResponseWriter: w}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// minGzipSize is the smallest body worth compressing: under it the answer
// fits in one packet as it is, and gzip's fixed cost (building its Huffman
// tables, about 40 µs whatever the size) buys no transfer time.
const minGzipSize = 1400

var gzipPool = sync.Pool{New: func() any { zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return zw }}

type gzipWriter struct {
	http.ResponseWriter
	zw      *gzip.Writer
	decided bool
}

func (g *gzipWriter) WriteHeader(code int) {
	if !g.decided {
		g.decided = true
		h := g.Header()
		if code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified &&
			h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) && !small(h.Get("Content-Length")) {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			g.zw = gzipPool.Get().(*gzip.Writer)
			g.zw.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

// small reports whether a declared Content-Length is under minGzipSize.
func small(contentLength string) bool {
	n, err := strconv.Atoi(contentLength)
	return err == nil && n < minGzipSize
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipWriter) Flush() {
	if g.zw != nil {
		g.zw.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

func (g *gzipWriter) close() {
	if g.zw != nil {
		g.zw.Close()
		g.zw.Reset(io.Discard)
		gzipPool.Put(g.zw)
		g.zw = nil
	}
}
