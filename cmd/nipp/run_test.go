package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// syncBuffer is a goroutine-safe buffer for run's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// startServe runs `nipp serve` through run() and waits until /readyz
// answers 200. It returns the base URL and a stop function that cancels
// the context (like SIGTERM) and returns run's error.
func startServe(t *testing.T, args []string, vars map[string]string) (string, *syncBuffer, func() error) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"serve", "--addr", addr}, args...), env(vars), out, out) }()
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve exited early: %v\n%s", err, out)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server not ready in time\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(40 * time.Second):
			return fmt.Errorf("serve did not stop")
		}
	}
	t.Cleanup(func() { stop() })
	return base, out, stop
}

func get(t *testing.T, url string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

type engine struct {
	name string
	args []string
}

func engines(t *testing.T) []engine {
	es := []engine{{name: "sqlite", args: []string{"--data", t.TempDir()}}}
	if u := storetest.PostgresURL(); u != "" {
		es = append(es, engine{name: "postgres", args: []string{"--db", freshPostgres(t, u)}})
	}
	return es
}

// The walking skeleton end to end: a fresh database, migrated at start,
// serving the home page, health, readiness and metrics, then a graceful stop.
func TestServeEndToEnd(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			base, out, stop := startServe(t, e.args, map[string]string{})
			if code, body, _ := get(t, base+"/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
				t.Errorf("/healthz = %d %s", code, body)
			}
			if code, body, _ := get(t, base+"/readyz"); code != 200 || !strings.Contains(body, e.name) {
				t.Errorf("/readyz = %d %s", code, body)
			}
			code, body, h := get(t, base+"/")
			if code != 200 {
				t.Fatalf("home = %d", code)
			}
			for _, want := range []string{"Chương trình khuyến công quốc gia giai đoạn 2021-2025", "1881/QĐ-TTg", "20/11/2020", "1.600", "10.000", "340", `lang="vi"`} {
				if !strings.Contains(body, want) {
					t.Errorf("home page lacks %q", want)
				}
			}
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("CSP = %q", csp)
			}
			code, body, _ = get(t, base+"/?lang=en")
			if code != 200 || !strings.Contains(body, "National Industry Promotion Program 2021-2025") || !strings.Contains(body, "1,600") || !strings.Contains(body, `lang="en"`) {
				t.Errorf("English home page = %d, lacks English names or 1,600", code)
			}
			code, body, _ = get(t, base+"/api/v1/programs")
			if code != 200 || !strings.Contains(body, `"NIPP-2021-2025"`) || !strings.Contains(body, `"value":1600`) {
				t.Errorf("/api/v1/programs = %d %s", code, body)
			}
			code, body, _ = get(t, base+"/metrics")
			if code != 200 || !strings.Contains(body, `nipp_http_requests_total{method="GET",route="GET /{$}",status="200"}`) {
				t.Errorf("/metrics = %d; lacks the home page counter", code)
			}
			if code, _, _ := get(t, base+"/no/such/page"); code != 404 {
				t.Errorf("unknown path = %d, want 404", code)
			}
			if err := stop(); err != nil {
				t.Fatalf("graceful stop: %v", err)
			}
			if !strings.Contains(out.String(), "request") || !strings.Contains(out.String(), "stopped") {
				t.Errorf("log lacks request lines or the stop line:\n%s", out)
			}
		})
	}
}

// Shutdown finishes a request in flight before run returns.
func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	base, _, stop := startServe(t, []string{"--data", t.TempDir()}, map[string]string{})
	// A slow client: send the request head, then stop the server while the
	// handler is still reading the body.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(100 * time.Millisecond)
	errc := make(chan error, 1)
	go func() { errc <- stop() }()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, _ := io.ReadAll(io.LimitReader(conn, 4096))
	if !strings.HasPrefix(string(b), "HTTP/1.1 200") {
		t.Fatalf("in-flight request got %q", b)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestBadConfigurationFailsWithOneSentence(t *testing.T) {
	// A data folder under a regular file can be created by nobody, root included.
	blocker := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"serve", "--bogus"}, "flag provided but not defined"},
		{"unknown command", []string{"launch"}, "unknown command"},
		{"not a postgres url", []string{"migrate", "--db", "mysql://x"}, "PostgreSQL URL"},
		{"unreachable database", []string{"migrate", "--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"}, "cannot reach PostgreSQL"},
		{"replica of another engine", []string{"migrate", "--data", filepath.Join(t.TempDir(), "d"), "--db-replica", "postgres://nobody@127.0.0.1:1/none"}, "path of a SQLite file"},
		{"missing replica file", []string{"migrate", "--data", filepath.Join(t.TempDir(), "d"), "--db-replica", filepath.Join(blocker, "replica.db")}, "cannot be read"},
		{"unwritable data folder", []string{"migrate", "--data", filepath.Join(blocker, "sub")}, "data folder"},
		{"port in use", nil, "cannot listen"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if args == nil {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer ln.Close()
				args = []string{"serve", "--addr", ln.Addr().String(), "--data", t.TempDir()}
			}
			var out bytes.Buffer
			err := run(context.Background(), args, env(nil), &out, &out)
			if err == nil {
				t.Fatalf("run(%v) succeeded; want an error", args)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) || strings.Contains(msg, "goroutine") || strings.Count(msg, "\n") > 0 {
				t.Fatalf("error %q: want one line containing %q", msg, c.want)
			}
		})
	}
}

func TestMigrateAndVersion(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--data", dir}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "schema version") {
		t.Fatalf("migrate printed %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate"}, env(map[string]string{"NIPP_DATA": dir}), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "applied 0 migration") {
		t.Fatalf("second migrate printed %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"version"}, env(nil), &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "nipp ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
}

// serve refuses to start on a database migrated by a newer nipp.
func TestServeRefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	if err := run(context.Background(), []string{"migrate", "--data", dir}, env(nil), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RawExec(context.Background(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 'x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	err = run(context.Background(), []string{"serve", "--addr", freeAddr(t), "--data", dir}, env(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "newer nipp") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("serve on a newer schema: %v; want one sentence asking for a newer nipp", err)
	}
}

// TestServeMemoryLimit checks serve's default soft memory limit, and that
// GOMEMLIMIT (read by the runtime at start) is left in force.
func TestServeMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	debug.SetMemoryLimit(math.MaxInt64)
	if got := setServeMemoryLimit(func(string) string { return "" }); got != 64<<20 {
		t.Errorf("without GOMEMLIMIT: limit %d, want %d", got, 64<<20)
	}
	debug.SetMemoryLimit(1 << 30) // as the runtime would have set it from GOMEMLIMIT=1GiB
	env := func(k string) string {
		if k == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	}
	if got := setServeMemoryLimit(env); got != 1<<30 {
		t.Errorf("with GOMEMLIMIT=1GiB: limit %d, want %d", got, 1<<30)
	}
}
