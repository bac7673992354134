package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"nipp/internal/nipp"
)

// apiCache keeps JSON answers that only a change to one group of tables
// alters (the project list: 'projects'; the registry's lists and
// searches: 'registry'), gzipped, each with that change stamp read before
// it was computed: an answer kept with stamp S shows at least everything
// committed by S, so while the stamp is S it is as fresh as a new one, on
// one node or many (the stamp lives in the database). Answers are kept per
// scope (scopeKey) and query, so no one is sent what their role and
// provinces would not show them; the route's permission is checked before,
// as for any request.
type apiCache struct {
	mu sync.Mutex
	m  map[string]*apiAnswer
	// size bounds the kept answers (apiCacheSize, registryCacheSize).
	size int
}

type apiAnswer struct {
	stamp int64
	gz    []byte
}

// apiCacheSize bounds the kept project lists (a page gzipped is about
// 12 KB); registryCacheSize the registry's answers (a page of 50 about 7
// KB): 1,024 of them, about 7 MB, hold thirty searches in each of the 34
// provinces.
const (
	apiCacheSize      = 256
	registryCacheSize = 1024
)

// scopeKey names what a principal may see of the projects: national roles
// everything, provincial officers their provinces and published projects,
// appraisers their councils' projects (per user).
func scopeKey(p *nipp.Principal) string {
	switch {
	case p.AllProvinces():
		return "all"
	case p.Role == nipp.RoleAppraiser:
		return "appraiser:" + strconv.FormatInt(p.UserID, 10)
	}
	provs := slices.Clone(p.Provinces)
	slices.Sort(provs)
	return string(p.Role) + ":" + strings.Join(provs, ",")
}

// serveKept answers from c the answer kept for key at the stamp read now
// (stamp, before anything else is read), or computes it, sends it and
// keeps it with that stamp. A failure is answered as usual, and not kept.
func (s *Server) serveKept(w http.ResponseWriter, r *http.Request, c *apiCache, key string,
	stamp func(context.Context) (int64, error), compute func() (any, error)) {
	st, err := stamp(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c.serve(w, r, key, st) {
		return
	}
	v, err := compute()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c.keep(w, r, key, st, v)
}

// serve sends the answer kept for key if it was kept with stamp.
func (c *apiCache) serve(w http.ResponseWriter, r *http.Request, key string, stamp int64) bool {
	c.mu.Lock()
	a := c.m[key]
	c.mu.Unlock()
	if a == nil || a.stamp != stamp {
		return false
	}
	writeGzipped(w, r, a.gz)
	return true
}

// keep writes v as the answer (as writeJSON) and keeps it for key.
func (c *apiCache) keep(w http.ResponseWriter, r *http.Request, key string, stamp int64, v any) {
	plain, err := encodePlain(v)
	if err != nil {
		writeJSON(w, http.StatusOK, v)
		return
	}
	gz, err := gzipped(plain)
	if err != nil {
		writeJSON(w, http.StatusOK, v)
		return
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*apiAnswer{}
	}
	if len(c.m) >= c.size {
		for k := range c.m { // drop any one
			delete(c.m, k)
			break
		}
	}
	c.m[key] = &apiAnswer{stamp: stamp, gz: gz}
	c.mu.Unlock()
	writeGzipped(w, r, gz)
}

// writeGzipped sends a gzipped JSON answer as it is to clients that take
// gzip, and unzipped to the others.
func writeGzipped(w http.ResponseWriter, r *http.Request, gz []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if acceptsGzip(r) && r.Method != http.MethodHead {
		h.Set("Content-Encoding", "gzip") // the compress middleware leaves it as it is
		h.Set("Content-Length", strconv.Itoa(len(gz)))
		w.WriteHeader(http.StatusOK)
		w.Write(gz)
		return
	}
	w.WriteHeader(http.StatusOK)
	if zr, err := gzip.NewReader(bytes.NewReader(gz)); err == nil {
		io.Copy(w, zr)
	}
}

// encodePlain encodes v as writeJSON would send it (before compression).
func encodePlain(v any) ([]byte, error) {
	var plain bytes.Buffer
	if err := json.NewEncoder(&plain).Encode(emptyLists(reflect.ValueOf(v), 0).Interface()); err != nil {
		return nil, err
	}
	return plain.Bytes(), nil
}

// encodeAnswer is an answer to keep: plain, gzipped (at the fastest level,
// like the compress middleware) when it is at least minGzipSize bytes. The
// first byte tells (gzip's 0x1f, JSON's '{' or '[').
func encodeAnswer(plain []byte) ([]byte, error) {
	if len(plain) < minGzipSize {
		return plain, nil
	}
	return gzipped(plain)
}

// gzipped compresses b at the fastest level into a slice of its own.
func gzipped(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/2 + 64)
	zw := gzipPool.Get().(*gzip.Writer) // a new one allocates 800 KB
	defer gzipPool.Put(zw)
	zw.Reset(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// gunzip returns what gzipped compressed.
func gunzip(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// writeEncoded sends an answer of encodeAnswer with status 200.
func writeEncoded(w http.ResponseWriter, r *http.Request, enc []byte) {
	if len(enc) > 0 && enc[0] == 0x1f {
		writeGzipped(w, r, enc)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(enc)))
	w.WriteHeader(http.StatusOK)
	w.Write(enc)
}
