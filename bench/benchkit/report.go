package benchkit

import (
	"fmt"
	"io"
	"time"
)

// PrintAPI writes the JSON API results as a Markdown table, each phase's
// rate also as a share of /healthz's. Bytes per answer are the bodies as
// sent for the Go client, and with the response headers for wrk.
func PrintAPI(w io.Writer, res []Result) {
	var floor float64
	for _, r := range res {
		if r.Name == "healthz" {
			floor = r.RPS()
		}
	}
	fmt.Fprintln(w, "| request | req/s | of /healthz | p50 ms | p95 ms | p99 ms | errors | bytes/answer | server CPU ms/req | client CPU ms/req |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range res {
		share := "-"
		if floor > 0 {
			share = fmt.Sprintf("%.1f%%", 100*r.RPS()/floor)
		}
		per := int64(0)
		if r.Requests > 0 {
			per = r.Bytes / int64(r.Requests)
		}
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %s | %s | %d | %d | %s | %s |\n", r.Name, r.RPS(), share, MS(r.Pct(50)), MS(r.Pct(95)), MS(r.Pct(99)), r.Errors, per, r.CPUPerRequest(), r.ClientCPUPerRequest())
	}
}

// Goal is one of the goals, met or missed, with the figure.
type Goal struct {
	What   string
	Figure string
	Met    bool
}

// APIGoals checks the JSON API goals: the list and the detail at
// least 3,000 requests a second with p99 under 50 ms, searches likewise at
// least 3,000 a second with p95 under 50 ms, no errors anywhere, and the
// server's resident memory under 150 MB idle and under load.
func APIGoals(res []Result, idle, peak int64) []Goal {
	var goals []Goal
	for _, r := range res {
		switch r.Name {
		case "healthz":
			continue
		case "project-list", "project-detail":
			goals = append(goals, Goal{r.Name + ": >= 3,000 req/s, p99 < 50 ms, no errors",
				fmt.Sprintf("%.0f req/s, p99 %s ms, %d errors", r.RPS(), MS(r.Pct(99)), r.Errors),
				r.RPS() >= 3000 && r.Pct(99) < 50*time.Millisecond && r.Errors == 0})
		default:
			goals = append(goals, Goal{r.Name + ": >= 3,000 req/s, p95 < 50 ms, no errors",
				fmt.Sprintf("%.0f req/s, p95 %s ms, %d errors", r.RPS(), MS(r.Pct(95)), r.Errors),
				r.RPS() >= 3000 && r.Pct(95) < 50*time.Millisecond && r.Errors == 0})
		}
	}
	if idle > 0 {
		goals = append(goals, Goal{"serve resident memory idle < 150 MB", fmt.Sprintf("%.0f MB", float64(idle)/(1<<20)), idle < 150<<20},
			Goal{"serve resident memory under load < 150 MB", fmt.Sprintf("%.0f MB peak", float64(peak)/(1<<20)), peak < 150<<20})
	}
	return goals
}

// PrintAPIGoals writes APIGoals as a list.
func PrintAPIGoals(w io.Writer, res []Result, idle, peak int64) {
	for _, g := range APIGoals(res, idle, peak) {
		mark := "MISSED"
		if g.Met {
			mark = "met"
		}
		fmt.Fprintf(w, "- %s: %s (%s)\n", g.What, mark, g.Figure)
	}
}
