package benchkit

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// PageCase is one page an officer opens, in its variants (cycled).
type PageCase struct {
	Name  string
	Who   *Account
	Paths []string
}

// OfficerPages are the pages of a provincial officer (province 01) and a
// central officer the goal names: the registry and its search,
// the duplicates review, project lists and title search, the year's plan,
// the dashboards and the review of the 2021-2025 program, and the work
// page each lands on.
func OfficerPages(central, provincial *Account, fx *Fixtures, year int) []PageCase {
	var wordProv, words, titles []string
	for i, w := range SearchWords {
		q := url.QueryEscape(w)
		words = append(words, "/establishments?q="+q)
		wordProv = append(wordProv, "/establishments?q="+q+"&province="+fx.Provinces[(i*7)%len(fx.Provinces)])
	}
	for _, w := range TitleWords {
		titles = append(titles, "/projects?q="+url.QueryEscape(w))
	}
	plan := "/plans/" + strconv.Itoa(year)
	const prog = "/programs/NIPP-2021-2025/"
	return []PageCase{
		{"central: work", central, []string{"/work"}},
		{"central: registry", central, []string{"/establishments"}},
		{"central: registry, a province", central, provinces("/establishments?province=", fx)},
		{"central: registry search", central, words},
		{"central: registry search + province", central, wordProv},
		{"central: duplicates review", central, []string{"/establishments/duplicates"}},
		{"central: projects", central, []string{"/projects"}},
		{"central: projects of a year", central, []string{"/projects?year=" + strconv.Itoa(year)}},
		{"central: project title search", central, titles},
		{"central: plan", central, []string{plan}},
		{"central: dashboard, national", central, []string{prog + "progress", prog + "progress?map=63"}},
		{"central: review, national", central, []string{prog + "review"}},
		{"provincial: work", provincial, []string{"/work"}},
		{"provincial: registry", provincial, []string{"/establishments"}},
		{"provincial: registry search", provincial, words},
		{"provincial: registry with others", provincial, []string{"/establishments?others=1"}},
		{"provincial: duplicates review", provincial, []string{"/establishments/duplicates"}},
		{"provincial: projects", provincial, []string{"/projects"}},
		{"provincial: own projects", provincial, []string{"/projects?own=1"}},
		{"provincial: project title search", provincial, titles},
		{"provincial: plan", provincial, []string{plan}},
		{"provincial: dashboard, province 01", provincial, []string{prog + "progress?province=01"}},
		{"provincial: review, province 01", provincial, []string{prog + "review?province=01"}},
	}
}

// TitleWords are project title searches (without diacritics).
var TitleWords = []string{"mo hinh", "gom", "dao tao nghe", "may moc thiet bi", "hoi cho", "tiet kiem nang luong"}

func provinces(prefix string, fx *Fixtures) []string {
	var out []string
	for _, p := range fx.Provinces {
		out = append(out, prefix+p)
	}
	return out
}

// PageResult is a page's latencies over a run.
type PageResult struct {
	Name   string
	N      int
	Errors int
	Err    string
	P50    time.Duration
	P95    time.Duration
	Max    time.Duration
}

// RunPages opens every page n times, one request at a time (an officer
// waiting for their page), cycling through its variants after one unmeasured
// round, and returns the latencies.
func RunPages(ctx context.Context, base string, cases []PageCase, n int, progress io.Writer) []PageResult {
	hc := Client(1)
	var out []PageResult
	for _, c := range cases {
		r := PageResult{Name: c.Name}
		var lat []time.Duration
		for i := -len(c.Paths); i < n; i++ { // the first round warms up
			path := c.Paths[(i+len(c.Paths))%len(c.Paths)]
			t0 := time.Now()
			_, err := Get(ctx, hc, base, Request{Path: path, Session: c.Who.Session})
			d := time.Since(t0)
			if i < 0 {
				continue
			}
			lat = append(lat, d)
			if err != nil {
				r.Errors++
				if r.Err == "" {
					r.Err = err.Error()
				}
			}
		}
		slices.Sort(lat)
		r.N = len(lat)
		if len(lat) > 0 {
			r.P50 = lat[len(lat)/2]
			r.P95 = lat[min(len(lat)-1, int(float64(len(lat))*0.95+0.5)-1)]
			r.Max = lat[len(lat)-1]
		}
		if progress != nil {
			fmt.Fprintf(progress, "%-40s p50 %7s  p95 %7s  max %7s ms  errors %d %s\n", r.Name, MS(r.P50), MS(r.P95), MS(r.Max), r.Errors, r.Err)
		}
		out = append(out, r)
	}
	return out
}

// PrintPages writes the page results as a Markdown table.
func PrintPages(w io.Writer, res []PageResult) {
	fmt.Fprintln(w, "| page | p50 ms | p95 ms | max ms | errors | p95 < 50 ms |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|")
	for _, r := range res {
		ok := "met"
		if r.P95 >= 50*time.Millisecond || r.Errors > 0 {
			ok = "MISSED"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %d | %s |\n", strings.ReplaceAll(r.Name, "|", "/"), MS(r.P50), MS(r.P95), MS(r.Max), r.Errors, ok)
	}
}
