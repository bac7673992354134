package benchkit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Request is one request of a benchmark: a path under the server and how
// to authenticate.
type Request struct {
	Path    string
	Token   string // API token, or
	Session string // session cookie
}

// Result is what a closed-loop run measured for one kind of request.
type Result struct {
	Name     string
	Clients  int
	Requests int
	Errors   int
	FirstErr string
	Elapsed  time.Duration
	Bytes    int64 // response bytes as sent (compressed when gzipped)
	// ServerCPU is the CPU time the server process used during the run
	// (user and system; this process's when the server runs in it).
	ServerCPU time.Duration
	// ClientCPU is the load generator's CPU time (wrk's; zero for the Go
	// client, which runs in this process).
	ClientCPU time.Duration
	latencies []time.Duration
	pcts      map[float64]time.Duration // percentiles as wrk reported them (100: the maximum)
}

// RPS is the requests answered per second.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Pct returns the p-th percentile latency (0 < p <= 100).
func (r Result) Pct(p float64) time.Duration {
	if r.pcts != nil {
		// The nearest percentile reported at or above p.
		best, d := 101.0, time.Duration(0)
		for q, v := range r.pcts {
			if q >= p && q < best {
				best, d = q, v
			}
		}
		return d
	}
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.latencies))*p/100+0.5) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

// CPUPerRequest formats the server's CPU time per request in milliseconds.
func (r Result) CPUPerRequest() string {
	if r.Requests == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(r.ServerCPU.Microseconds())/1000/float64(r.Requests))
}

// ClientCPUPerRequest formats the load generator's CPU time per request in
// milliseconds ("-" when not measured).
func (r Result) ClientCPUPerRequest() string {
	if r.Requests == 0 || r.ClientCPU == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(r.ClientCPU.Microseconds())/1000/float64(r.Requests))
}

// MS formats a duration in milliseconds.
func MS(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// Client is an HTTP client that keeps one connection per benchmark client
// and asks for gzip like browsers and API libraries do.
func Client(clients int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: time.Minute,
			DisableCompression: true},
		Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Run sends requests in a closed loop from clients goroutines for dur
// (after warm of the same, not counted): each client sends next(i) for its
// i-th request and waits for the answer. A transport error or any status
// but 200 is an error.
func Run(ctx context.Context, hc *http.Client, base, name string, clients int, warm, dur time.Duration, next func(i int) Request) Result {
	if warm > 0 {
		run(ctx, hc, base, name, clients, warm, next)
	}
	return run(ctx, hc, base, name, clients, dur, next)
}

func run(ctx context.Context, hc *http.Client, base, name string, clients int, dur time.Duration, next func(i int) Request) Result {
	res := Result{Name: name, Clients: clients}
	var mu sync.Mutex
	var seq atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	stop := start.Add(dur)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var n, errs int
			var bytes int64
			var firstErr string
			buf := make([]byte, 32<<10)
			for time.Now().Before(stop) && ctx.Err() == nil {
				rq := next(int(seq.Add(1) - 1))
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+rq.Path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				if rq.Token != "" {
					req.Header.Set("Authorization", "Bearer "+rq.Token)
				}
				if rq.Session != "" {
					req.AddCookie(&http.Cookie{Name: "nipp_session", Value: rq.Session})
				}
				t0 := time.Now()
				resp, err := hc.Do(req)
				var size int64
				if err == nil {
					size, err = io.CopyBuffer(io.Discard, resp.Body, buf)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: status %d", rq.Path, resp.StatusCode)
					}
				}
				lat = append(lat, time.Since(t0))
				n++
				bytes += size
				if err != nil {
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.Requests += n
			res.Errors += errs
			res.Bytes += bytes
			if res.FirstErr == "" {
				res.FirstErr = firstErr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(res.latencies)
	return res
}

// Get fetches one path and returns its body (uncompressed), failing on any
// status but 200.
func Get(ctx context.Context, hc *http.Client, base string, rq Request) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+rq.Path, nil)
	if rq.Token != "" {
		req.Header.Set("Authorization", "Bearer "+rq.Token)
	}
	if rq.Session != "" {
		req.AddCookie(&http.Cookie{Name: "nipp_session", Value: rq.Session})
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, resp.Body); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d: %s", rq.Path, resp.StatusCode, strings.TrimSpace(b.String()[:min(b.Len(), 300)]))
	}
	return b.Bytes(), nil
}
