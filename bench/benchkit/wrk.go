package benchkit

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// wrkPercentiles are the latency percentiles asked of wrk (its done hook).
var wrkPercentiles = []float64{50, 75, 90, 95, 99, 99.9}

// WrkConfig is how RunAPIWrk drives the load: the wrk binary and its
// threads (connections are APIConfig.Clients).
type WrkConfig struct {
	Bin     string // default: wrk on PATH
	Threads int    // default 2
	Log     io.Writer
}

// RunAPIWrk runs every phase of the JSON API benchmark with wrk instead of
// the Go client: per phase, `wrk -tT -cC -dD --latency --timeout 30s` with
// a Lua script that cycles over the phase's paths (each thread from its own
// offset) and prints wrk's figures in one line its done hook writes, with
// the token and `Accept-Encoding: gzip` as headers. The first path of each
// phase is fetched once first and must answer 200 (wrk counts only statuses
// of 400 and above as errors). Each phase's wrk output goes to w.Log.
func RunAPIWrk(ctx context.Context, base string, c APIConfig, w WrkConfig) ([]Result, error) {
	if w.Bin == "" {
		bin, err := exec.LookPath("wrk")
		if err != nil {
			return nil, fmt.Errorf("wrk not found (apt-get install wrk): %w", err)
		}
		w.Bin = bin
	}
	if w.Threads <= 0 {
		w.Threads = 2
	}
	tmp, err := os.MkdirTemp("", "nipp-wrk-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	hc := Client(1)
	defer c.samplePeakMemory()()
	var out []Result
	for _, ph := range APIPhases(c) {
		if c.skip(ph.Name) {
			continue
		}
		paths, rq := cyclePaths(ph.Next)
		if _, err := Get(ctx, hc, base, rq); err != nil {
			return out, fmt.Errorf("%s: %w", ph.Name, err)
		}
		script := filepath.Join(tmp, ph.Name+".lua")
		if err := os.WriteFile(script, wrkScript(paths), 0o600); err != nil {
			return out, err
		}
		args := []string{"-t" + strconv.Itoa(w.Threads), "-c" + strconv.Itoa(c.Clients), "--latency", "--timeout", "30s",
			"-s", script, "-H", "Accept-Encoding: gzip"}
		if rq.Token != "" {
			args = append(args, "-H", "Authorization: Bearer "+rq.Token)
		}
		if rq.Session != "" {
			args = append(args, "-H", "Cookie: nipp_session="+rq.Session)
		}
		if c.Warm > 0 {
			if _, _, err := runWrk(ctx, w.Bin, append(args, "-d"+wrkDuration(c.Warm), base), nil); err != nil {
				return out, fmt.Errorf("%s (warm-up): %w", ph.Name, err)
			}
		}
		cpu0 := CPUTime(c.MemoryPID)
		r, clientCPU, err := runWrk(ctx, w.Bin, append(args, "-d"+wrkDuration(c.Dur), base), w.Log)
		if err != nil {
			return out, fmt.Errorf("%s: %w", ph.Name, err)
		}
		r.Name, r.Clients = ph.Name, c.Clients
		r.ServerCPU = CPUTime(c.MemoryPID) - cpu0
		r.ClientCPU = clientCPU
		if c.Progress != nil {
			fmt.Fprintf(c.Progress, "%-22s %8.0f req/s  p50 %6s  p95 %6s  p99 %6s ms  errors %d  server CPU %s ms/req  wrk CPU %s ms/req %s\n",
				r.Name, r.RPS(), MS(r.Pct(50)), MS(r.Pct(95)), MS(r.Pct(99)), r.Errors, r.CPUPerRequest(), r.ClientCPUPerRequest(), r.FirstErr)
		}
		out = append(out, r)
	}
	return out, nil
}

// cyclePaths lists next's paths over one cycle (until the first comes
// again, at most 10,000) and returns them with the first request.
func cyclePaths(next func(int) Request) ([]string, Request) {
	first := next(0)
	paths := []string{first.Path}
	for i := 1; i < 10_000; i++ {
		rq := next(i)
		if rq.Path == first.Path {
			break
		}
		paths = append(paths, rq.Path)
	}
	return paths, first
}

// wrkScript is the Lua script of a phase: its paths, each thread starting
// at its own offset, and a done hook that prints the figures on one line
// ("nipp-wrk key=value ...", latencies in microseconds).
func wrkScript(paths []string) []byte {
	var b bytes.Buffer
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		b.WriteString("  " + strconv.Quote(p) + ",\n")
	}
	b.WriteString(`}
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
local i = 0
function init(args)
  i = (offset or 0) * 7919
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("nipp-wrk requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d max_us=%d",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, latency.max))
`)
	for _, p := range wrkPercentiles {
		fmt.Fprintf(&b, "  io.write(string.format(\" p%g=%%d\", latency:percentile(%g)))\n", p, p)
	}
	b.WriteString("  io.write(\"\\n\")\nend\n")
	return b.Bytes()
}

// wrkDuration formats d for wrk's -d (whole seconds, at least 1).
func wrkDuration(d time.Duration) string {
	return strconv.Itoa(max(1, int(d.Round(time.Second)/time.Second))) + "s"
}

// runWrk runs wrk, copies its output to log (when not nil) and parses the
// line of the script's done hook. It returns the result and wrk's CPU time.
func runWrk(ctx context.Context, bin string, args []string, log io.Writer) (Result, time.Duration, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return Result{}, 0, fmt.Errorf("wrk %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()+stdout.String()))
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if log != nil {
		fmt.Fprintf(log, "$ wrk %s\n%s", strings.Join(redactToken(args), " "), stdout.String())
	}
	r, err := parseWrk(stdout.String())
	return r, cpu, err
}

// redactToken hides the bearer token in the logged command line.
func redactToken(args []string) []string {
	out := append([]string{}, args...)
	for i, a := range out {
		if strings.HasPrefix(a, "Authorization: Bearer ") {
			out[i] = "'Authorization: Bearer ...'"
		} else if strings.Contains(a, " ") {
			out[i] = "'" + a + "'"
		}
	}
	return out
}

// parseWrk reads the done hook's line of wrk's output.
func parseWrk(out string) (Result, error) {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "nipp-wrk ")
		if !ok {
			continue
		}
		kv := map[string]int64{}
		for _, f := range strings.Fields(line) {
			k, v, _ := strings.Cut(f, "=")
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return Result{}, fmt.Errorf("wrk's figures: %q: %v", f, err)
			}
			kv[k] = n
		}
		r := Result{
			Requests: int(kv["requests"]),
			Elapsed:  time.Duration(kv["duration_us"]) * time.Microsecond,
			Bytes:    kv["bytes"],
			pcts:     map[float64]time.Duration{100: time.Duration(kv["max_us"]) * time.Microsecond},
		}
		for _, p := range wrkPercentiles {
			r.pcts[p] = time.Duration(kv["p"+strconv.FormatFloat(p, 'g', -1, 64)]) * time.Microsecond
		}
		var errs []string
		for _, k := range []string{"connect", "read", "write", "status", "timeout"} {
			if kv[k] > 0 {
				r.Errors += int(kv[k])
				errs = append(errs, fmt.Sprintf("%s %d", k, kv[k]))
			}
		}
		r.FirstErr = strings.Join(errs, ", ")
		if r.Requests == 0 {
			return r, fmt.Errorf("wrk made no request:\n%s", out)
		}
		return r, nil
	}
	return Result{}, fmt.Errorf("no figures in wrk's output:\n%s", out)
}
