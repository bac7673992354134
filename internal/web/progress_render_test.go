package web

import (
	"bytes"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"nipp/internal/nipp"
)

// sampleDashboard is a hand-made dashboard in the contract's shape (the
// pages' own checks; the figures through the use cases are tested in
// progress_test.go).
func sampleDashboard(scope string, gen int) *nipp.Dashboard {
	prog := &nipp.Program{Code: "NIPP-2021-2025", NameVI: "Chương trình khuyến công quốc gia 2021-2025", NameEN: "National industry promotion program 2021-2025", StartYear: 2021, EndYear: 2025, Level: "national"}
	q := nipp.ProgressQuery{Program: prog.Code, From: 2021, To: 2025, Scope: scope, Gen: gen}
	d := &nipp.Dashboard{Query: q, Program: prog, AsOf: 2026,
		Revision: &nipp.RevisionRef{Revision: 2, DecisionNo: "1881/QĐ-TTg", DecisionDate: nipp.MustDate("2023-03-01")}}
	if scope == nipp.ScopeProvince {
		d.Query.Province, d.ScopeName, d.ScopeNameEN = "01", "Hà Nội", "Ha Noi"
		d.Ranks = []nipp.IndicatorRank{{Indicator: "DEMO_MODELS", Achieved: 12, Rank: 1, Of: 34}}
	}
	models := nipp.IndicatorProgress{Indicator: nipp.IndicatorRef{Code: "DEMO_MODELS", NameVI: "Mô hình trình diễn kỹ thuật", NameEN: "Technical demonstration models", UnitVI: "mô hình", UnitEN: "models"},
		Target: 340, HasTarget: true, Outputs: nipp.Outputs{Achieved: 210, Committed: 40, AchievedProjects: 180, CommittedProjects: 35}}
	models.Finish(q.Years(), q.Elapsed(2026))
	workers := nipp.IndicatorProgress{Indicator: nipp.IndicatorRef{Code: "WORKERS_TRAINED", NameVI: "Lao động được đào tạo", NameEN: "Workers trained", UnitVI: "lao động", UnitEN: "workers"},
		Target: 10000, HasTarget: true, Outputs: nipp.Outputs{Achieved: 3000, Committed: 1000}}
	workers.Finish(q.Years(), 3)
	fairs := nipp.IndicatorProgress{Indicator: nipp.IndicatorRef{Code: "ESTABLISHMENTS_AT_FAIRS", NameVI: "Cơ sở tham gia hội chợ", NameEN: "Establishments at fairs", UnitVI: "cơ sở", UnitEN: "establishments"},
		Outputs: nipp.Outputs{Achieved: 4363}}
	fairs.Finish(q.Years(), 5)
	d.Indicators = []nipp.IndicatorProgress{models, workers, fairs}
	for y := 2021; y <= 2025; y++ {
		f := int64(y-2020) * 100_000_000_000
		d.Funding.Rows = append(d.Funding.Rows,
			nipp.FundingRow{Year: y, Source: nipp.SourceNational, Funding: nipp.Funding{Approved: f, Disbursed: f / 2}},
			nipp.FundingRow{Year: y, Source: nipp.SourceReciprocal, Funding: nipp.Funding{Approved: 3 * f, Contributed: f}})
		d.Years = append(d.Years, nipp.YearProgress{Year: y, Outputs: map[string]nipp.Outputs{"DEMO_MODELS": {Achieved: int64(y - 2000), Committed: 8}}, State: nipp.Funding{Approved: f}, Establishments: int64(y - 2000)})
	}
	d.Funding.Summarize()
	d.Reach = nipp.Reach{Establishments: 4363, Prioritised: 812, Groups: []nipp.GroupCount{{Group: "women_owned", Members: 900, Prioritised: 700}}}
	provs := []nipp.ProvinceProgress{
		{Code: "01", NameVI: "Hà Nội", NameEN: "Ha Noi", Gen: 2025, Region: "RRD", RegionVI: "Đồng bằng sông Hồng", RegionEN: "Red River Delta",
			Outputs: map[string]nipp.Outputs{"DEMO_MODELS": {Achieved: 12, Committed: 2}}, Targets: map[string]int64{"DEMO_MODELS": 20}, State: nipp.Funding{Approved: 55_000_000_000}, Establishments: 120},
		{Code: "79", NameVI: "Hồ Chí Minh", NameEN: "Ho Chi Minh City", Gen: 2025, Region: "SE", RegionVI: "Đông Nam Bộ", RegionEN: "South East",
			Outputs: map[string]nipp.Outputs{"DEMO_MODELS": {Achieved: 9}}, State: nipp.Funding{Approved: 41_000_000_000}, Establishments: 90},
	}
	if gen == nipp.Gen63 {
		provs = append(provs, nipp.ProvinceProgress{Code: "52", NameVI: "Gia Lai", NameEN: "Gia Lai", Gen: 2025, AfterMerger: true, Region: "NCC", RegionVI: "Bắc Trung Bộ và duyên hải miền Trung",
			Outputs: map[string]nipp.Outputs{"DEMO_MODELS": {Achieved: 1}}})
	}
	d.Provinces = provs
	d.Activities = []nipp.ActivityProgress{{Code: "DEMO_MODEL", NameVI: "Xây dựng mô hình trình diễn", NameEN: "Demonstration models", Outputs: map[string]nipp.Outputs{"DEMO_MODELS": {Achieved: 210}}, State: nipp.Funding{Approved: 900_000_000_000}, Funding: nipp.Funding{Approved: 2_000_000_000_000}, Establishments: 300}}
	return d
}

func renderTemplate(t *testing.T, name string, view any) string {
	t.Helper()
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", view); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return buf.String()
}

func dashboardView(lang string, d *nipp.Dashboard) *progressView {
	v := &progressView{Page: Page{L: L{Lang: lang}, PageTitle: "x", User: &nipp.Principal{}}, D: d}
	v.loc, v.Code, v.Query, v.Program = v.L, d.Program.Code, d.Query, d.Program
	v.pickShow()
	v.values = queryValues(v.Query, v.Show)
	v.fillOptions()
	v.fillShows()
	v.Empty = dashboardEmpty(d)
	v.charts(d)
	return v
}

func TestProgressPageRenders(t *testing.T) {
	for _, c := range []struct {
		name  string
		lang  string
		scope string
		gen   int
	}{{"national-vi", "vi", nipp.ScopeNational, nipp.Gen34}, {"province-en", "en", nipp.ScopeProvince, nipp.Gen34}, {"national63-vi", "vi", nipp.ScopeNational, nipp.Gen63}} {
		d := sampleDashboard(c.scope, c.gen)
		v := dashboardView(c.lang, d)
		if c := frameClashes(reflect.TypeOf(v)); len(c) > 0 {
			t.Fatalf("dashboard view hides frame names %v", c)
		}
		html := renderTemplate(t, "progress", v)
		if dir := os.Getenv("NIPP_RENDER_DIR"); dir != "" {
			os.WriteFile(dir+"/"+c.name+".html", []byte(html), 0o644)
		}
		for _, want := range []string{`<svg class="map"`, `id="ch-funding"`, `id="attainment-table"`, `data-code="01"`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %s", c.name, want)
			}
		}
		if strings.Contains(html, "style=") || strings.Contains(html, "<style") {
			t.Errorf("%s: inline style (CSP)", c.name)
		}
	}
}

func TestReviewPageRenders(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		d := sampleDashboard(nipp.ScopeNational, nipp.Gen34)
		rv := nipp.ReviewOf(d)
		v := &reviewView{Page: Page{L: L{Lang: lang}, PageTitle: "x", User: &nipp.Principal{}}, R: rv, Today: nipp.MustDate("2026-12-01")}
		v.loc, v.Code, v.Query, v.Program = v.L, d.Program.Code, rv.Query, rv.Program
		v.values = url.Values{}
		v.fillOptions()
		v.StateTotal = rv.Funding.State.Approved
		for _, h := range rv.Headlines {
			v.HeadlineTexts = append(v.HeadlineTexts, v.L.Msg(h))
		}
		v.ScopeNameShown = reviewScope(v.L, rv)
		v.ReviewFunding = fundingFigure(v.L, v.Query, rv.Funding, nil)
		if c := frameClashes(reflect.TypeOf(v)); len(c) > 0 {
			t.Fatalf("review view hides frame names %v", c)
		}
		html := renderTemplate(t, "review", v)
		if dir := os.Getenv("NIPP_RENDER_DIR"); dir != "" {
			os.WriteFile(dir+"/review-"+lang+".html", []byte(html), 0o644)
		}
		if !strings.Contains(html, `<ul class="headlines">`) {
			t.Errorf("%s: no headlines", lang)
		}
	}
}
