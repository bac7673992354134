package benchkit

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"nipp/internal/app"
	"nipp/internal/store"
	"nipp/internal/web"
)

// Server is the server under test.
type Server struct {
	URL  string
	PID  int // the child process, 0 in the same process
	stop func() error
}

// Stop ends the server.
func (s *Server) Stop() error { return s.stop() }

// InProcess serves db from this process (the small-scale run in go test).
func InProcess(db *store.DB) (*Server, error) {
	// Errors only, to stderr: a page that fails says why.
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := web.New(app.New(db, log), log, web.Config{Version: "bench"})
	if err != nil {
		return nil, err
	}
	ts := httptest.NewServer(srv.Handler())
	return &Server{URL: ts.URL, stop: func() error { ts.Close(); return nil }}, nil
}

// Build builds the nipp binary into dir and returns its path.
func Build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "nipp-bench")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/nipp")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/nipp (run from the repository's root): %w", err)
	}
	return bin, nil
}

// StartBinary runs `bin serve` on the data set on a free loopback port, its
// log to logw, and waits until it answers /readyz.
func StartBinary(ctx context.Context, bin string, d Dataset, logw io.Writer) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--addr", addr}
	if d.DBURL != "" {
		args = append(args, "--db", d.DBURL)
	} else {
		args = append(args, "--data", d.DataDir)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NIPP_ADMIN_PASSWORD="+benchPassword)
	cmd.Stdout, cmd.Stderr = logw, logw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	s := &Server{URL: "http://" + addr, PID: cmd.Process.Pid, stop: func() error {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(40 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		return nil
	}}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		res, err := http.Get(s.URL + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-done:
			return nil, fmt.Errorf("nipp serve exited: %v", err)
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("nipp serve did not become ready at %s", s.URL)
		}
	}
}

// Memory is a process's resident memory: now and its peak since it started.
type Memory struct{ RSS, Peak int64 } // bytes

// MemoryOf reads /proc/PID/status (zero values elsewhere or for PID 0).
func MemoryOf(pid int) Memory {
	var m Memory
	if pid == 0 {
		return m
	}
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			m.RSS = n << 10
		case "VmHWM":
			m.Peak = n << 10
		}
	}
	return m
}

// CPUTime returns the user and system CPU time a process has used: pid's
// (from /proc/PID/stat), or this process's for pid 0.
func CPUTime(pid int) time.Duration {
	if pid == 0 {
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces, in parentheses).
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	f := strings.Fields(s)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)        // utime, field 14
	st, _ := strconv.ParseInt(f[12], 10, 64)        // stime, field 15
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// GoMemory reads the server's Go memory figures from /metrics (the heap
// in use and what the Go runtime holds from the system), to tell them from
// the rest of its resident memory (SQLite's page caches and sorters).
func GoMemory(ctx context.Context, base string) string {
	body, err := Get(ctx, Client(1), base, Request{Path: "/metrics"})
	if err != nil {
		return "no /metrics: " + err.Error()
	}
	var out []string
	for _, l := range strings.Split(string(body), "\n") {
		for _, name := range []string{"go_memstats_heap_inuse_bytes", "go_memstats_sys_bytes"} {
			if v, ok := strings.CutPrefix(l, name+" "); ok {
				f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
				out = append(out, fmt.Sprintf("%s %.0f MB", strings.TrimSuffix(strings.TrimPrefix(name, "go_memstats_"), "_bytes"), f/(1<<20)))
			}
		}
	}
	return "Go " + strings.Join(out, ", ")
}
