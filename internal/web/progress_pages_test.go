package web_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// The progress pages on the small fixed data set of TestProgressFiguresByHand
// (progressSet, progress_facts_test.go), figures worked out by hand:
//
// MACHINES, revision 2 (55/QĐ-TTg, 15/06/2023) in force for 2021-2025:
// national target 1,000; achieved P1 3 + P4 1 = 4 (2 projects); committed
// P2 4 (1 project); P3 cancelled and P5 a draft count nowhere. Remaining
// 996; done 4/1,000 = 0.40%; projected (4 + 4) x 5 / 5 = 8 (the clock is
// past 2025, so the five years have elapsed): at risk.
// Hà Nội (01) target 10, achieved 3; Tuyên Quang (08) target 6, committed
// 4 (P2, Hà Giang 02 in the map of the 63); Cao Bằng (04) achieved 1.
// Hà Nội ranks 1st of 34 on MACHINES, Cao Bằng 2nd.
// State funding approved: 2023 100M (P4), 2024 100M (P1), 2025 200M (P2):
// 400M; growth 2023 -> 2025: sqrt(2) - 1 = 41.42% a year. Reciprocal
// approved 100M + 300M + 400M = 800M: 2 VND per VND of state money.
// State disbursed: P1's advance 30M + payment 20M = 50M.
// Establishments: E1 (P1, P2), E2 (P2, women-owned), E4 (P4, ethnic
// minority): 3, of which 2 prioritised.

var (
	rowRe  = `(?s)<tr data-%s="%s"[^>]*>(.*?)</tr>`
	cellRe = regexp.MustCompile(`(?s)<td class="num ([a-z_]+)"[^>]*>(.*?)</td>`)
	tagRe  = regexp.MustCompile(`<[^>]*>`)
)

// rowCells reads a table row's cells by their class: <tr data-KEY="VAL">.
func rowCells(t *testing.T, body, key, val string) map[string]string {
	t.Helper()
	m := regexp.MustCompile(strings.Replace(strings.Replace(rowRe, "%s", key, 1), "%s", regexp.QuoteMeta(val), 1)).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no row data-%s=%q", key, val)
	}
	out := map[string]string{}
	for _, c := range cellRe.FindAllStringSubmatch(m[1], -1) {
		out[c[1]] = strings.TrimSpace(tagRe.ReplaceAllString(c[2], ""))
	}
	return out
}

func wantCells(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s %s = %q, want %q (row %v)", what, k, got[k], v, got)
		}
	}
}

func elementText(t *testing.T, p *webtest.Page, id string) string {
	t.Helper()
	s, ok := p.ElementText(id)
	if !ok {
		t.Fatalf("%s: no #%s", p.Path(), id)
	}
	return strings.Join(strings.Fields(s), " ")
}

func TestProgressDashboardPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newProgressSet(t, db)
		c := s.f.central
		p := c.Open("/programs/NIPP-2021-2025/progress?show=MACHINES")
		if p.Status != http.StatusOK {
			t.Fatalf("dashboard: %d %s", p.Status, p.Text())
		}
		wantCells(t, "MACHINES", rowCells(t, p.Body, "indicator", "MACHINES"), map[string]string{
			"target": "1.000", "achieved": "4", "committed": "4", "remaining": "996", "done": "0,4%", "projected": "8"})
		if !strings.Contains(p.Body, `<span class="pace pace-at_risk">Có nguy cơ không đạt</span>`) {
			t.Errorf("MACHINES not marked at risk")
		}
		for id, want := range map[string]string{
			"state-approved": "400.000.000 ₫", "growth": "41,42% mỗi năm (2023–2025)", "reciprocal": "800.000.000 ₫", "leverage": "2 đồng",
			"reach-figures": "3 cơ sở được hỗ trợ (mỗi cơ sở tính một lần), trong đó 2 cơ sở thuộc nhóm ưu tiên."} {
			if got := elementText(t, p, id); got != want {
				t.Errorf("#%s = %q, want %q", id, got, want)
			}
		}
		// The provinces of today, and the map: each a link with its figure.
		wantCells(t, "Hà Nội", rowCells(t, p.Body, "province", "01"), map[string]string{"achieved": "3", "state": "100.000.000 ₫"})
		wantCells(t, "Tuyên Quang", rowCells(t, p.Body, "province", "08"), map[string]string{"achieved": "0"})
		wantCells(t, "Cao Bằng", rowCells(t, p.Body, "province", "04"), map[string]string{"achieved": "1"})
		if !strings.Contains(p.Body, `aria-label="Hà Nội: 3" data-code="01"`) || !strings.Contains(p.Body, `aria-label="Cao Bằng: 1" data-code="04"`) {
			t.Errorf("map links lack Hà Nội: 3 / Cao Bằng: 1")
		}
		// Every figure leads to the projects behind it: achieved = P1 and
		// P4 (accepted), committed = P2.
		achieved := c.Open(linkIn(t, p.Body, "MACHINES", "achieved"))
		if achieved.Status != http.StatusOK || !strings.Contains(achieved.Body, "/projects/"+s.p1) || !strings.Contains(achieved.Body, "/projects/"+s.p4) ||
			strings.Contains(achieved.Body, "/projects/"+s.p2) || strings.Contains(achieved.Body, "/projects/"+s.p3) || strings.Contains(achieved.Body, "/projects/"+s.p5) {
			t.Errorf("achieved's projects %s: want P1 and P4 only", achieved.Path())
		}
		committed := c.Open(linkIn(t, p.Body, "MACHINES", "committed"))
		if !strings.Contains(committed.Body, "/projects/"+s.p2) || strings.Contains(committed.Body, "/projects/"+s.p1) || strings.Contains(committed.Body, "/projects/"+s.p3) {
			t.Errorf("committed's projects %s: want P2 only", committed.Path())
		}

		// The map of the 63: P2 counts under Hà Giang (02), where it was.
		p63 := p.Follow("63 tỉnh, thành phố (đến 30/06/2025)")
		if !strings.Contains(p63.Path(), "map=63") {
			t.Fatalf("the map switch went to %s", p63.Path())
		}
		wantCells(t, "Hà Giang", rowCells(t, p63.Body, "province", "02"), map[string]string{"achieved": "0"})
		if !strings.Contains(p63.Body, `aria-label="Hà Giang: 0" data-code="02"`) || !strings.Contains(p63.Body, `aria-label="Hà Nội: 3" data-code="01"`) {
			t.Errorf("the 63 map lacks Hà Giang / Hà Nội")
		}
		if n := strings.Count(p63.Body, `<a href="/programs/NIPP-2021-2025/progress?`); n < 63 {
			t.Errorf("the 63 map has %d province links", n)
		}
		// Each province's figure lists the projects it counts: on the map
		// of the 63, Hà Giang's committed is P2 (recorded there); the old
		// Tuyên Quang's is none, though P2 is in Tuyên Quang today; on the
		// map of the 34, Tuyên Quang's is P2, Hà Nội's decided P1 only
		// (P3 was cancelled).
		listOf := func(page *webtest.Page, key, code, state string) *webtest.Page {
			t.Helper()
			for _, l := range page.Links() {
				if q := l.URL.Query(); l.URL.Path == "/projects" && q.Get(key) == code && q.Get("state") == state {
					return c.Open(l.Href)
				}
			}
			t.Fatalf("no link to the %s projects of %s=%s", state, key, code)
			return nil
		}
		projectsIn := func(page *webtest.Page) string {
			var out []string
			for _, id := range []string{s.p1, s.p2, s.p3, s.p4, s.p5} {
				if strings.Contains(page.Body, `href="/projects/`+id+`"`) {
					out = append(out, map[string]string{s.p1: "P1", s.p2: "P2", s.p3: "P3", s.p4: "P4", s.p5: "P5"}[id])
				}
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct {
			page            *webtest.Page
			key, code, want string
			state           string
		}{
			{p63, "then", "2008/02", "P2", "committed"},
			{p63, "then", "2008/08", "", "committed"},
			{p63, "then", "2008/01", "P1", "decided"},
			{p, "home", "08", "P2", "committed"},
			{p, "home", "01", "P1", "decided"},
		} {
			list := listOf(c.page, c.key, c.code, c.state)
			if got := projectsIn(list); got != c.want {
				t.Errorf("the %s projects of %s=%s: %q, want %q", c.state, c.key, c.code, got, c.want)
			}
			// The list's form, submitted as rendered, keeps the province.
			if got := projectsIn(list.Form("/projects").Submit()); got != c.want {
				t.Errorf("the %s projects of %s=%s filtered again: %q, want %q", c.state, c.key, c.code, got, c.want)
			}
		}

		// Drill down by the map to Hà Nội's dashboard: its target, result
		// and rank.
		hn := c.Open(mapLink(t, p.Body, "01"))
		wantCells(t, "Hà Nội MACHINES", rowCells(t, hn.Body, "indicator", "MACHINES"), map[string]string{"target": "10", "achieved": "3", "done": "30%", "projected": "3"})
		if got := rowCells(t, hn.Body, "rank", "MACHINES")["rank"]; got != "1/34" {
			t.Errorf("Hà Nội's rank on MACHINES = %q, want 1/34", got)
		}
		cb := c.Open(mapLink(t, p.Body, "04"))
		if got := rowCells(t, cb.Body, "rank", "MACHINES")["rank"]; got != "2/34" {
			t.Errorf("Cao Bằng's rank on MACHINES = %q, want 2/34", got)
		}

		// The filter form (GET, no script): 2024-2025 only.
		f := p.Form("/programs/NIPP-2021-2025/progress")
		sub := f.Select("from", "2024").Select("to", "2025").Submit()
		if got := elementText(t, sub, "state-approved"); got != "300.000.000 ₫" {
			t.Errorf("2024-2025 state approved = %q, want 300.000.000 ₫", got)
		}
		// Its decided projects, as the figure's link lists them: P1 (2024)
		// and P2 (2025), not P4 (2023).
		var behind *webtest.Page
		for _, l := range sub.Links() {
			if q := l.URL.Query(); l.URL.Path == "/projects" && q.Get("state") == "decided" && q.Get("home") == "" &&
				q.Get("activity_type") == "" && q.Get("year") == "" {
				behind = c.Open(l.Href)
				break
			}
		}
		if behind == nil {
			t.Fatal("no link to the period's decided projects")
		}
		has := func(p *webtest.Page, id string) bool { return strings.Contains(p.Body, `href="/projects/`+id+`"`) }
		if !has(behind, s.p1) || !has(behind, s.p2) || has(behind, s.p4) || elementText(t, behind, "total") != "Tổng số: 2" {
			t.Errorf("the 2024-2025 decided projects: %s, total %q", behind.Path(), elementText(t, behind, "total"))
		}
		// Filtering the list again from its form keeps the period.
		if again := behind.Form("/projects").Submit(); has(again, s.p4) || !has(again, s.p1) {
			t.Errorf("the list's form lost the period: %s", again.Path())
		}
		// A period that ends before it starts: the form again, the problem
		// beside its field.
		bad := c.Open("/programs/NIPP-2021-2025/progress?from=2025&to=2023")
		if bad.Status != http.StatusUnprocessableEntity || len(bad.Problems()) == 0 {
			t.Errorf("a reversed period: %d, problems %v", bad.Status, bad.Problems())
		}

		// In English.
		en := c.Open("/programs/NIPP-2021-2025/progress?show=MACHINES&lang=en")
		if got := elementText(t, en, "state-approved"); got != "VND 400,000,000" {
			t.Errorf("English state approved %q", got)
		}
		if got := elementText(t, en, "growth"); got != "41.42% a year (2023–2025)" {
			t.Errorf("English growth %q", got)
		}

		// A provincial officer reads the national figures too.
		if r := s.f.prov.Open("/programs/NIPP-2021-2025/progress"); r.Status != http.StatusOK {
			t.Errorf("provincial officer: %d", r.Status)
		}

		// The page, compressed, stays far under 300 KB.
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(p63.Body))
		zw.Close()
		t.Logf("dashboard (63 map): %d bytes, %d gzipped", len(p63.Body), gz.Len())
		if gz.Len() > 300_000 {
			t.Errorf("dashboard is %d bytes gzipped", gz.Len())
		}
	})
}

// linkIn is the link of a cell of an indicator's row.
func linkIn(t *testing.T, body, indicator, class string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr data-indicator="` + indicator + `">.*?<td class="num ` + class + `"[^>]*><a href="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s link for %s", class, indicator)
	}
	return htmlUnescape(m[1])
}

// mapLink is the map's link of a province.
func mapLink(t *testing.T, body, code string) string {
	t.Helper()
	m := regexp.MustCompile(`<a href="([^"]+)" aria-label="[^"]*" data-code="` + code + `">`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no map link for %s", code)
	}
	return htmlUnescape(m[1])
}

func htmlUnescape(s string) string { return strings.ReplaceAll(s, "&amp;", "&") }

func openXLSX(t *testing.T, r *webtest.Response) *excelize.File {
	t.Helper()
	if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rowOf finds the row of a sheet whose first cell is key.
func rowOf(t *testing.T, f *excelize.File, sheet, key string) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %q: %v (sheets %v)", sheet, err, f.GetSheetList())
	}
	for _, r := range rows {
		if len(r) > 0 && r[0] == key {
			return r
		}
	}
	t.Fatalf("sheet %q has no row %q", sheet, key)
	return nil
}

func TestProgressExports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newProgressSet(t, db)
		c := s.f.central
		p := c.Open("/programs/NIPP-2021-2025/progress?show=MACHINES")
		all := openXLSX(t, c.Get(htmlUnescape(regexp.MustCompile(`href="([^"]*/progress/export\.xlsx[^"]*)">Tải về`).FindStringSubmatch(p.Body)[1])))
		if got := all.GetSheetList(); strings.Join(got, "|") != "Chỉ tiêu|Kinh phí theo năm|Kinh phí theo nguồn|Cơ sở được hỗ trợ|Theo tỉnh|Theo vùng|Theo loại hoạt động|Theo năm" {
			t.Errorf("sheets %v", got)
		}
		// Code, name, unit, target, achieved, committed, remaining, done %, projected, mark.
		m := rowOf(t, all, "Chỉ tiêu", "MACHINES")
		if m[3] != "1,000" || m[4] != "4" || m[5] != "4" || m[6] != "996" || m[7] != "0.4" || m[8] != "8" || m[9] != "Có nguy cơ không đạt" {
			t.Errorf("MACHINES row %v", m)
		}
		nat := rowOf(t, all, "Kinh phí theo nguồn", "Kinh phí khuyến công quốc gia")
		if nat[1] != "400,000,000" || nat[4] != "50,000,000" {
			t.Errorf("national funds row %v (approved 400M, disbursed 50M)", nat)
		}
		if hn := rowOf(t, all, "Theo tỉnh", "01"); !strings.HasPrefix(hn[1], "Hà Nội") {
			t.Errorf("Hà Nội row %v", hn)
		}
		// Establishments: 3, of which 2 prioritised; the Red River Delta
		// (Hà Nội) achieved 3 machines, the Northern Midlands (Cao Bằng,
		// Tuyên Quang) 1 achieved and 4 committed against 6 allocated.
		if r := rowOf(t, all, "Cơ sở được hỗ trợ", "Tất cả cơ sở được hỗ trợ"); r[1] != "3" || r[2] != "2" {
			t.Errorf("establishments row %v", r)
		}
		var machines int
		for i, h := range rowOf(t, all, "Theo vùng", "Mã vùng") {
			if strings.HasPrefix(h, "Máy móc") && strings.HasSuffix(h, "Mục tiêu") {
				machines = i
			}
		}
		if machines == 0 {
			t.Fatalf("no MACHINES target column in the regions sheet")
		}
		if r := rowOf(t, all, "Theo vùng", "RRD"); r[machines] != "10" || r[machines+1] != "3" {
			t.Errorf("RRD row %v (target 10, achieved 3 from column %d)", r, machines)
		}
		if r := rowOf(t, all, "Theo vùng", "NMM"); r[machines] != "6" || r[machines+1] != "1" || r[machines+2] != "4" {
			t.Errorf("NMM row %v (target 6, achieved 1, committed 4)", r)
		}
		// One table, from the link under it.
		one := openXLSX(t, c.Get(htmlUnescape(regexp.MustCompile(`href="([^"]*table=years[^"]*)"`).FindStringSubmatch(p.Body)[1])))
		if got := one.GetSheetList(); len(got) != 1 || got[0] != "Theo năm" {
			t.Errorf("one table: sheets %v", got)
		}
		if r := rowOf(t, one, "Theo năm", "2025"); !strings.Contains(strings.Join(r, "|"), "200,000,000") {
			t.Errorf("2025 row %v lacks 200,000,000 of state funding", r)
		}
		if r := c.Get("/programs/NIPP-2021-2025/progress/export.xlsx?table=nothing"); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
			t.Errorf("an unknown table: %d", r.Status)
		}
	})
}

func TestReviewReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newProgressSet(t, db)
		c := s.f.central
		p := c.Open("/programs/NIPP-2021-2025/progress").Follow("Báo cáo đánh giá")
		if p.Status != http.StatusOK || !strings.HasPrefix(p.Path(), "/programs/NIPP-2021-2025/review") {
			t.Fatalf("review: %d %s", p.Status, p.Path())
		}
		for _, want := range []string{
			"Kinh phí nhà nước cho khuyến công tăng bình quân 41,42% mỗi năm (2023-2025).",
			"Các cơ sở thụ hưởng cam kết 800.000.000 ₫ vốn đối ứng (đã góp 0 ₫), 2 đồng cho mỗi đồng hỗ trợ của nhà nước.",
			"3 cơ sở được hỗ trợ, trong đó 2 cơ sở thuộc nhóm ưu tiên.",
		} {
			if !p.Contains(want) {
				t.Errorf("review lacks %q", want)
			}
		}
		wantCells(t, "review MACHINES", rowCells(t, p.Body, "indicator", "MACHINES"), map[string]string{"target": "1.000", "achieved": "4", "done": "0,4%"})
		// The leading activity type: MACHINERY, all 400M of state funding.
		wantCells(t, "leading", rowCells(t, p.Body, "activity", "MACHINERY"), map[string]string{})
		if !regexp.MustCompile(`(?s)<tr data-activity="MACHINERY">.*?400\.000\.000 ₫.*?100%`).MatchString(p.Body) {
			t.Errorf("MACHINERY does not lead with 400.000.000 ₫, 100%%")
		}
		en := c.Open(p.Path() + "&lang=en")
		if !en.Contains("State funding for industry promotion grew 41.42% a year (2023-2025).") {
			t.Errorf("English review lacks the growth sentence")
		}
		// Printable: the stylesheet has an A4 print rule.
		css := c.Get(regexp.MustCompile(`href="(/static/nipp[^"]*\.css)"`).FindStringSubmatch(p.Body)[1])
		if !strings.Contains(css.Body, "size: A4") {
			t.Errorf("no A4 print rule")
		}
		// The workbook: the headlines and figures, in Vietnamese.
		x := openXLSX(t, c.Get("/programs/NIPP-2021-2025/review/export.xlsx?lang=vi"))
		if got := x.GetSheetList(); got[0] != "Tóm tắt" || len(got) != 6 {
			t.Errorf("sheets %v", got)
		}
		rows, _ := x.GetRows("Tóm tắt")
		var flat []string
		for _, r := range rows {
			flat = append(flat, strings.Join(r, "|"))
		}
		all := strings.Join(flat, "\n")
		for _, want := range []string{"Kết quả chính|Kinh phí nhà nước cho khuyến công tăng bình quân 41,42% mỗi năm (2023-2025).",
			"Kinh phí nhà nước được duyệt|400,000,000", "Tăng trưởng bình quân năm (%)|41.42", "Vốn đối ứng trên mỗi đồng nhà nước|2"} {
			if !strings.Contains(all, want) {
				t.Errorf("summary sheet lacks %q:\n%s", want, all)
			}
		}
		// A province's report: Hà Nội.
		hn := c.Open("/programs/NIPP-2021-2025/review?province=01")
		wantCells(t, "Hà Nội review", rowCells(t, hn.Body, "indicator", "MACHINES"), map[string]string{"target": "10", "achieved": "3"})
		// A reversed period: the report's form again, its problem shown,
		// the program named in the title.
		bad := c.Open("/programs/NIPP-2021-2025/review?from=2025&to=2023")
		if bad.Status != http.StatusUnprocessableEntity || len(bad.Problems()) == 0 || !bad.Contains("2021") {
			t.Errorf("a reversed period in the review: %d, problems %v", bad.Status, bad.Problems())
		}
	})
}

// A program without any project yet: the pages say so and lead to the
// projects and the targets, nothing breaks.
func TestProgressEmptyProgram(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := webtest.New(t, db)
		c := env.As(nipp.RoleCentral)
		p := c.Open("/programs/NIPP-2026-2030/progress")
		if p.Status != http.StatusOK {
			t.Fatalf("empty dashboard: %d %s", p.Status, p.Text())
		}
		if _, ok := p.ElementText("empty-state"); !ok {
			t.Errorf("no empty state")
		}
		if r := c.Open("/programs/NIPP-2026-2030/review"); r.Status != http.StatusOK || !r.Contains("Chưa có số liệu để đánh giá") {
			t.Errorf("empty review: %d", r.Status)
		}
		// /progress leads to a dashboard.
		if r := c.Open("/progress"); r.Status != http.StatusOK || !strings.HasPrefix(r.Path(), "/programs/") {
			t.Errorf("/progress: %d %s", r.Status, r.Path())
		}
		// The program page links to its dashboard.
		if r := c.Open("/programs/NIPP-2026-2030").FollowTo("/programs/NIPP-2026-2030/progress"); r.Status != http.StatusOK {
			t.Errorf("program page link: %d", r.Status)
		}
	})
}
