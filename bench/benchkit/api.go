package benchkit

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"nipp/internal/store"
)

// Fixtures are the records the benchmarks ask for, sampled from the data
// set before the server starts.
type Fixtures struct {
	Projects  []string // public ids of projects (a random sample)
	Provinces []string // 2025 province codes
}

// SearchWords are the registry searches of the benchmarks: common trade
// words typed without diacritics, as people type them.
var SearchWords = []string{"gom", "det may", "moc", "may tre dan", "banh trang", "co khi", "che bien go", "nuoc mam"}

// LoadFixtures samples up to n projects and lists the provinces.
func LoadFixtures(ctx context.Context, db *store.DB, n int) (*Fixtures, error) {
	f := &Fixtures{}
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		var maxID int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM projects`).Scan(&maxID); err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(1, 2))
		seen := map[string]bool{}
		for tries := 0; len(f.Projects) < n && tries < 4*n && maxID > 0; tries++ {
			var id string
			err := tx.QueryRow(ctx, `SELECT public_id FROM projects WHERE id >= $1 ORDER BY id LIMIT 1`, rng.Int64N(maxID)+1).Scan(&id)
			if err != nil {
				return err
			}
			if !seen[id] {
				seen[id] = true
				f.Projects = append(f.Projects, id)
			}
		}
		rows, err := tx.Query(ctx, `SELECT code FROM admin_units WHERE level = 'province' AND generation = 2025 ORDER BY code`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			f.Provinces = append(f.Provinces, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if len(f.Projects) == 0 || len(f.Provinces) == 0 {
		return nil, fmt.Errorf("the data set has no projects or no provinces")
	}
	return f, nil
}

// APIConfig is a run of the JSON API benchmark.
type APIConfig struct {
	Clients    int
	Warm, Dur  time.Duration
	Central    *Account // acts for the API calls
	Fixtures   *Fixtures
	Progress   io.Writer // a line per phase, may be nil
	MemoryPID  int       // sampled during the run, 0 for none
	PeakMemory *int64    // the highest RSS sampled
	Only       string    // run only the phases whose name contains this (and healthz)
	NoHealthz  bool      // leave /healthz out (a profile of the other phases alone)
}

// skip tells whether the phase named name is left out of the run.
func (c APIConfig) skip(name string) bool {
	if name == "healthz" {
		return c.NoHealthz
	}
	return c.Only != "" && !strings.Contains(name, c.Only)
}

// APIPhases are the requests of the JSON API benchmark, by name: /healthz
// (the server's floor), the first page of the project list, a project's
// detail (cycling over the sampled projects), a search nationwide ("gom",
// the figure), and a diacritic-free word with a province (cycling
// over words and provinces), each the first page as a client asks for it.
func APIPhases(c APIConfig) []struct {
	Name string
	Next func(i int) Request
} {
	tok := c.Central.Token
	fx := c.Fixtures
	return []struct {
		Name string
		Next func(i int) Request
	}{
		{"healthz", func(int) Request { return Request{Path: "/healthz"} }},
		{"project-list", func(int) Request { return Request{Path: "/api/v1/projects", Token: tok} }},
		{"project-detail", func(i int) Request {
			return Request{Path: "/api/v1/projects/" + fx.Projects[i%len(fx.Projects)], Token: tok}
		}},
		{"search-gom", func(int) Request { return Request{Path: "/api/v1/establishments?q=gom", Token: tok} }},
		{"search-word+province", func(i int) Request {
			w := SearchWords[i%len(SearchWords)]
			p := fx.Provinces[(i/len(SearchWords))%len(fx.Provinces)]
			return Request{Path: "/api/v1/establishments?q=" + url.QueryEscape(w) + "&province=" + p, Token: tok}
		}},
	}
}

// RunAPI runs every phase of the JSON API benchmark against base.
func RunAPI(ctx context.Context, base string, c APIConfig) []Result {
	hc := Client(c.Clients)
	var out []Result
	defer c.samplePeakMemory()()
	for _, ph := range APIPhases(c) {
		if c.skip(ph.Name) {
			continue
		}
		if c.Warm > 0 {
			Run(ctx, hc, base, ph.Name, c.Clients, 0, c.Warm, ph.Next)
		}
		cpu0 := CPUTime(c.MemoryPID)
		r := Run(ctx, hc, base, ph.Name, c.Clients, 0, c.Dur, ph.Next)
		r.ServerCPU = CPUTime(c.MemoryPID) - cpu0
		if c.Progress != nil {
			fmt.Fprintf(c.Progress, "%-22s %8.0f req/s  p50 %6s  p95 %6s  p99 %6s ms  errors %d  server CPU %s ms/req %s\n",
				r.Name, r.RPS(), MS(r.Pct(50)), MS(r.Pct(95)), MS(r.Pct(99)), r.Errors, r.CPUPerRequest(), r.FirstErr)
		}
		out = append(out, r)
	}
	return out
}

// samplePeakMemory keeps c.PeakMemory at the highest RSS of c.MemoryPID,
// sampled every 100 ms until the returned stop is called.
func (c APIConfig) samplePeakMemory() (stop func()) {
	done, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if c.MemoryPID != 0 && c.PeakMemory != nil {
				if m := MemoryOf(c.MemoryPID); m.RSS > *c.PeakMemory {
					*c.PeakMemory = m.RSS
				}
			}
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-sampled }
}
