package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/chart"
	"nipp/internal/geo"
	"nipp/internal/nipp"
	"nipp/internal/vntext"
)

// The progress pages of a program (issue 19, docs/ARCHITECTURE.md
// "Progress pages"): the dashboard of a program for a scope (the country,
// a region, a province) and a period in either map of the country, and the
// review report. The figures come from app.ProgramDashboard and
// app.ProgramReview (kept summaries); the pages draw them as SVG on the
// server (internal/chart, internal/geo), each chart beside its table, so
// without script the tables are the page. Every figure links to the list
// of projects behind it, every drill-down is a link or the GET form, and
// every table exports to .xlsx.

// Query parameters the progress pages read besides nipp.ParseProgressQuery's:
// show (what the map colours: an indicator code, showState or showReach)
// and table (the export's one table).
const (
	showState = "state_funding"
	showReach = "establishments"
)

// option is a choice of a select list, named by language.
type option struct {
	Code, NameVI, NameEN string
}

// progressBase is what the dashboard and the review report share: the
// query, the filter form's choices and the links built from them.
type progressBase struct {
	loc L
	// Query is the query as resolved (or as typed when refused); Code the
	// program's code.
	Query nipp.ProgressQuery
	Code  string
	// Program is the program (for the form when the query was refused).
	Program *nipp.Program
	// Show is what the map shows (an indicator code, showState, showReach).
	Show string

	Years      []int
	Regions    []option
	Provinces  []option
	Activities []option
	Shows      []option

	values url.Values // the current query, for links
}

// progressView is the dashboard page.
type progressView struct {
	Page
	progressBase
	D       *nipp.Dashboard
	ShowRef *nipp.IndicatorProgress // the indicator the map shows, nil for money or reach

	IndicatorChart template.HTML
	FundingChart   template.HTML
	ActivityChart  template.HTML
	YearChart      template.HTML
	Map            template.HTML
	Legend         template.HTML
	MapRows        []mapRow
	RegionRows     []regionRow
	// Empty: nothing decided yet in the scope and period.
	Empty bool
}

// mapRow is a province's line under the map.
type mapRow struct {
	nipp.ProvinceProgress
	Value    float64
	HasValue bool
	Selected bool
}

// regionRow sums the provinces of a region (additive figures only).
type regionRow struct {
	Code, NameVI, NameEN string
	Achieved, Committed  int64
	Target               int64
	HasTarget            bool
	State                int64
	Provinces            int
}

// progressQuery reads the dashboard's query from the request.
func progressQuery(r *http.Request) (nipp.ProgressQuery, error) {
	q := r.URL.Query()
	get := func(k string) string {
		if k == "program" {
			return r.PathValue("code")
		}
		return q.Get(k)
	}
	return nipp.ParseProgressQuery(get)
}

// queryValues are a resolved query's parameters (the program is in the
// path), with show.
func queryValues(q nipp.ProgressQuery, show string) url.Values {
	v := url.Values{}
	if q.From != 0 {
		v.Set("from", strconv.Itoa(q.From))
	}
	if q.To != 0 {
		v.Set("to", strconv.Itoa(q.To))
	}
	if q.Gen != 0 {
		v.Set("map", strconv.Itoa(q.Gen))
	}
	for k, val := range map[string]string{"region": q.Region, "province": q.Province, "activity_type": q.Activity, "indicator": q.Indicator, "show": show} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// with returns the page's address with params changed ("" removes one).
// A province drops the region and a region the province; a new map drops
// the province (its codes are the other map's).
func (v *progressBase) with(path string, kv ...string) string {
	vals := url.Values{}
	for k, x := range v.values {
		vals[k] = slices.Clone(x)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k, val := kv[i], kv[i+1]
		switch k {
		case "province":
			vals.Del("region")
		case "region":
			vals.Del("province")
		case "map":
			if val != vals.Get("map") {
				vals.Del("province")
			}
		}
		if val == "" {
			vals.Del(k)
		} else {
			vals.Set(k, val)
		}
	}
	if s := vals.Encode(); s != "" {
		return path + "?" + s
	}
	return path
}

// Drill is the dashboard with one filter changed: Drill "province" "01".
func (v *progressBase) Drill(kv ...string) string {
	return v.with("/programs/"+url.PathEscape(v.Code)+"/progress", kv...)
}

// DrillYear narrows the period to one year.
func (v *progressBase) DrillYear(y int) string {
	return v.Drill("from", strconv.Itoa(y), "to", strconv.Itoa(y))
}

// ProvinceDrill is a province's dashboard from a line of the breakdown: a
// 2025 unit in the map of the 63 (AfterMerger) is opened in the map of
// the 34, where its code means it.
func (v *progressBase) ProvinceDrill(code string, afterMerger bool) string {
	if afterMerger {
		return v.Drill("map", strconv.Itoa(nipp.Gen34), "province", code)
	}
	return v.Drill("province", code)
}

// ProvinceProjects is the projects behind a province's figure (kv as
// Projects adds).
func (v *progressBase) ProvinceProjects(code string, afterMerger bool, kv ...string) string {
	k, val := provinceParam(v.Query.Gen, code, afterMerger)
	return projectsBehind(v.Code, v.Query, append([]string{k, val}, kv...)...)
}

// provinceParam is the project list's filter of the projects a figure of a
// province counts: recorded under the province of today (the map of the
// 34: home), or under the province at the time (the map of the 63: then,
// a 2008 unit, or a 2025 unit for a project recorded after the merger).
func provinceParam(gen int, code string, afterMerger bool) (key, val string) {
	switch {
	case gen == nipp.Gen63 && afterMerger:
		return "then", "2025/" + code
	case gen == nipp.Gen63:
		return "then", "2008/" + code
	}
	return "home", code
}

// ReviewURL is the review report of the same query.
func (v *progressBase) ReviewURL() string {
	return v.with("/programs/"+url.PathEscape(v.Code)+"/review", "show", "")
}

// Export is the workbook of the page's tables; ExportTable one table.
func (v *progressBase) Export() string {
	return v.with("/programs/"+url.PathEscape(v.Code)+"/progress/export.xlsx", "show", "")
}
func (v *progressBase) ExportTable(t string) string {
	return v.with("/programs/"+url.PathEscape(v.Code)+"/progress/export.xlsx", "table", t)
}

// MapURL switches the map between the 63 and 34 provinces.
func (v *progressBase) MapURL(gen int) string { return v.Drill("map", strconv.Itoa(gen)) }

// Projects is the list of projects behind a figure: the page's program,
// scope and period narrowed by what the figure's row adds (kv: year,
// province (a code of the page's map), activity_type, state).
func (v *progressBase) Projects(kv ...string) string {
	return projectsBehind(v.Code, v.Query, kv...)
}

// projectsBehind builds a /projects address: the projects a figure counts,
// by program, a year or a period of years, the province a project is
// recorded under (today or at the time, as the map), activity type and
// state. A region's figures list every province's.
func projectsBehind(code string, q nipp.ProgressQuery, kv ...string) string {
	vals := url.Values{"program": {code}}
	switch {
	case q.From == q.To && q.From != 0:
		vals.Set("year", strconv.Itoa(q.From))
	case q.From != 0:
		vals.Set("years", strconv.Itoa(q.From)+"-"+strconv.Itoa(q.To))
	}
	if q.Province != "" {
		vals.Set(provinceParam(q.Gen, q.Province, false))
	}
	if q.Activity != "" {
		vals.Set("activity_type", q.Activity)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k, val := kv[i], kv[i+1]
		if val == "" || val == "0" {
			continue
		}
		vals.Set(k, val)
	}
	return "/projects?" + vals.Encode()
}

// AtRisk and WithTarget count the indicators at risk and those with a
// target.
func (v *progressView) AtRisk() int     { return v.countPace(nipp.PaceAtRisk) }
func (v *progressView) WithTarget() int { return len(v.D.Indicators) - v.countPace(nipp.PaceNoTarget) }

func (v *progressView) countPace(p nipp.Pace) int {
	n := 0
	for _, ip := range v.D.Indicators {
		if ip.Pace == p {
			n++
		}
	}
	return n
}

// Attainment is the attainment table's rows.
func (v *progressView) Attainment() []nipp.IndicatorProgress {
	if v.D == nil {
		return nil
	}
	return v.D.Indicators
}

// FormAction is where the filter form goes; ShowField whether it has the
// map's measure.
func (v *progressView) FormAction() string {
	return "/programs/" + url.PathEscape(v.Code) + "/progress"
}
func (v *progressView) ShowField() bool { return true }

// ScopeTitle names the scope: the country, a region or a province.
func (v *progressView) ScopeTitle() string { return scopeTitle(v.L, v.D) }

func scopeTitle(l L, d *nipp.Dashboard) string {
	if d == nil || d.Query.Scope == nipp.ScopeNational || d.Query.Scope == "" {
		return l.T("dash.national")
	}
	return l.Pick(d.ScopeName, d.ScopeNameEN)
}

// PaceName is a pace mark's words.
func (v *progressBase) PaceName(p nipp.Pace) string { return v.loc.T("dash.pace." + string(p)) }

// Name picks a name by language.
func (v *progressBase) Name(vi, en string) string { return v.loc.Pick(vi, en) }

// Bn writes an amount in billions of đồng, one decimal (tables keep the
// exact amount).
func (v *progressBase) Bn(vnd int64) string { return bn(v.loc, vnd) }

func bn(l L, vnd int64) string {
	return chart.NumberFor(l.Lang).Format(float64(vnd)/1e9, 1)
}

// Out returns an indicator's outputs in a breakdown cell (zero when none).
func (v *progressView) Out(m map[string]nipp.Outputs, code string) nipp.Outputs { return m[code] }

// Target returns a province's target for an indicator and whether it has one.
func (v *progressView) Target(m map[string]int64, code string) (string, bool) {
	t, ok := m[code]
	if !ok {
		return "", false
	}
	return v.L.Num(t), true
}

// ProvinceName names a province of the page's map (by code).
func (v *progressBase) ProvinceName(code string) string {
	for _, p := range v.Provinces {
		if p.Code == code {
			return v.loc.Pick(p.NameVI, p.NameEN)
		}
	}
	return code
}

// IndicatorName names an indicator of the dashboard by code.
func (v *progressView) IndicatorName(code string) string {
	for _, ip := range v.D.Indicators {
		if ip.Indicator.Code == code {
			return v.L.Pick(ip.Indicator.NameVI, ip.Indicator.NameEN)
		}
	}
	return code
}

// SourceName names a funding source.
func (v *progressBase) SourceName(src string) string { return v.loc.T("source." + src) }

// refusedProgressQuery answers a query the dashboard or the review
// refused. A bad filter fills the form again, with its problems beside each
// field, and reports true: the caller renders its page. Anything else is
// answered here as a failure (false).
func (s *Server) refusedProgressQuery(w http.ResponseWriter, r *http.Request, p *Page, v *progressBase,
	titleKey string, q nipp.ProgressQuery, err error) bool {
	if nipp.ErrorCode(err) != nipp.EINVALID {
		s.fail(w, r, err)
		return false
	}
	prog, perr := s.app.Program(r.Context(), v.Code)
	if perr != nil {
		s.fail(w, r, perr)
		return false
	}
	v.Program, v.Query = prog.Program, q
	if v.Query.Gen == 0 {
		v.Query.Gen = nipp.Gen34
	}
	p.PageTitle = p.L.T(titleKey) + " · " + p.L.Pick(prog.NameVI, prog.NameEN)
	p.Refuse(err)
	v.fillOptions()
	return true
}

func (s *Server) progressPage(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	v := &progressView{Page: s.page(r, "dash.title")}
	v.loc, v.Code = v.L, code
	q, err := progressQuery(r)
	v.Show = r.URL.Query().Get("show")
	var national *nipp.Dashboard
	if err == nil {
		v.D, national, err = s.app.ProgramDashboardWithCountry(r.Context(), q)
	}
	if err != nil {
		if s.refusedProgressQuery(w, r, &v.Page, &v.progressBase, "dash.title", q, err) {
			v.fillShows()
			s.render(w, r, http.StatusUnprocessableEntity, "progress", v)
		}
		return
	}
	v.Query, v.Program = v.D.Query, v.D.Program
	v.PageTitle = v.L.T("dash.title") + " · " + v.L.Pick(v.Program.NameVI, v.Program.NameEN)
	v.pickShow()
	v.values = queryValues(v.Query, v.Show)
	v.fillOptions()
	v.fillShows()
	// The map shows every province for comparison: the country's figures
	// for the same period, map and activity type.
	v.Empty = dashboardEmpty(v.D)
	v.charts(national)
	s.render(w, r, http.StatusOK, "progress", v)
}

// dashboardEmpty: no decided project in the scope and period (no output,
// no approved money, no establishment).
func dashboardEmpty(d *nipp.Dashboard) bool {
	for _, ip := range d.Indicators {
		if ip.Achieved != 0 || ip.Committed != 0 {
			return false
		}
	}
	return d.Funding.Total.Approved == 0 && d.Funding.Total.Disbursed == 0 && d.Reach.Establishments == 0
}

// pickShow settles what the map shows: the asked indicator, money or
// reach; by default the first indicator with figures (or a target), else
// state funding.
func (v *progressView) pickShow() {
	if v.Show == "" && v.Query.Indicator != "" {
		v.Show = v.Query.Indicator
	}
	if v.Show == showState || v.Show == showReach {
		return
	}
	for i := range v.D.Indicators {
		if v.D.Indicators[i].Indicator.Code == v.Show {
			v.ShowRef = &v.D.Indicators[i]
			return
		}
	}
	// The map colours what was achieved: an indicator with nothing
	// achieved yet would leave it blank, state funding says more.
	v.Show = showState
	for i, ip := range v.D.Indicators {
		if ip.Achieved > 0 {
			v.Show, v.ShowRef = ip.Indicator.Code, &v.D.Indicators[i]
			return
		}
	}
}

// fillOptions fills the filter form's lists from the reference data.
func (v *progressBase) fillOptions() {
	if v.Program != nil {
		for y := v.Program.StartYear; y <= v.Program.EndYear; y++ {
			v.Years = append(v.Years, y)
		}
	}
	u, err := geo.LoadUnits()
	if err != nil {
		return
	}
	for _, r := range u.Ref.Regions {
		v.Regions = append(v.Regions, option{r.Code, r.NameVI, r.NameEN})
	}
	provs := u.Ref.Provinces34
	if v.Query.Gen == nipp.Gen63 {
		provs = u.Ref.Provinces63
	}
	for _, p := range provs {
		v.Provinces = append(v.Provinces, option{p.Code, p.NameVI, p.NameEN})
	}
	slices.SortStableFunc(v.Provinces, func(a, b option) int { return compareFolded(a.NameVI, b.NameVI) })
	for _, a := range u.Ref.ActivityTypes {
		v.Activities = append(v.Activities, option{a.Code, a.NameVI, a.NameEN})
	}
}

// fillShows lists what the map can show: the program's indicators, money
// and reach.
func (v *progressView) fillShows() {
	if v.D != nil {
		for _, ip := range v.D.Indicators {
			v.Shows = append(v.Shows, option{ip.Indicator.Code, ip.Indicator.NameVI, ip.Indicator.NameEN})
		}
	}
	v.Shows = append(v.Shows, option{showState, v.L.T("dash.show_state"), ""}, option{showReach, v.L.T("dash.show_reach"), ""})
}

// measure is the figure the map and the province table show for a line.
func (v *progressView) measure(p nipp.ProvinceProgress) (float64, bool) {
	switch {
	case v.Show == showState:
		return float64(p.State.Approved) / 1e9, true
	case v.Show == showReach:
		return float64(p.Establishments), true
	default:
		o := p.Outputs[v.Show]
		return float64(o.Achieved), true
	}
}

// MeasureText writes a province's figure as the map shows it.
func (v *progressView) MeasureText(x float64) string {
	if v.Show == showState {
		return chart.NumberFor(v.L.Lang).Format(x, 1)
	}
	return chart.NumberFor(v.L.Lang).Format(x, 0)
}

// MeasureTitle names what the map shows, with its unit.
func (v *progressView) MeasureTitle() string {
	switch {
	case v.Show == showState:
		return v.L.T("dash.show_state") + " (" + v.L.T("dash.bn") + ")"
	case v.Show == showReach:
		return v.L.T("dash.show_reach")
	case v.ShowRef != nil:
		return v.L.Tf("dash.show_achieved", v.L.Pick(v.ShowRef.Indicator.NameVI, v.ShowRef.Indicator.NameEN)) + " (" + v.L.Pick(v.ShowRef.Indicator.UnitVI, v.ShowRef.Indicator.UnitEN) + ")"
	}
	return ""
}

// charts draws the page's charts and map. national is the country's
// dashboard for the same period (the map of a region or province scope
// shows every province, its own outlined).
func (v *progressView) charts(national *nipp.Dashboard) {
	l := v.L
	nf := chart.NumberFor(l.Lang)
	d := v.D
	// Attainment: the share of each target achieved and projected.
	ic := chart.Chart{ID: "ch-attainment", Kind: chart.HBar, Number: nf, Decimals: 1, Unit: l.T("dash.pct_of_target"),
		Title: l.T("dash.chart_attainment"), Desc: l.T("dash.chart_attainment_desc"),
		Series: []chart.Series{{Name: l.T("dash.done")}, {Name: l.T("dash.projected")}}}
	for _, ip := range d.Indicators {
		if !ip.HasTarget || ip.Target <= 0 {
			continue
		}
		ic.Labels = append(ic.Labels, l.Pick(ip.Indicator.NameVI, ip.Indicator.NameEN))
		ic.Series[0].Values = append(ic.Series[0].Values, float64(ip.DoneBP)/100)
		ic.Series[1].Values = append(ic.Series[1].Values, 100*float64(ip.Projected)/float64(ip.Target))
	}
	if len(ic.Labels) > 0 {
		v.IndicatorChart = ic.SVG()
	}
	v.FundingChart = v.fundingFigure()
	// Activity types by approved state funding.
	ac := chart.Chart{ID: "ch-activities", Kind: chart.HBar, Number: nf, Decimals: 1, Unit: l.T("dash.bn"),
		Title: l.T("dash.chart_activities"), Desc: l.T("dash.chart_activities_desc"), Series: []chart.Series{{Name: l.T("dash.state_approved")}}}
	for _, a := range d.Activities {
		if a.State.Approved <= 0 {
			continue
		}
		ac.Labels = append(ac.Labels, l.Pick(a.NameVI, a.NameEN))
		ac.Series[0].Values = append(ac.Series[0].Values, float64(a.State.Approved)/1e9)
	}
	if len(ac.Labels) > 0 {
		v.ActivityChart = ac.SVG()
	}
	// By year: the shown indicator's outputs, or establishments.
	yc := chart.Chart{ID: "ch-years", Kind: chart.Line, Number: nf, Title: l.T("dash.chart_years"), Desc: l.T("dash.chart_years_desc")}
	if v.ShowRef != nil {
		yc.Unit = l.Pick(v.ShowRef.Indicator.UnitVI, v.ShowRef.Indicator.UnitEN)
		yc.Series = []chart.Series{{Name: l.T("dash.achieved")}, {Name: l.T("dash.committed")}}
	} else {
		yc.Series = []chart.Series{{Name: l.T("dash.establishments")}}
	}
	for _, y := range d.Years {
		yc.Labels = append(yc.Labels, strconv.Itoa(y.Year))
		if v.ShowRef != nil {
			o := y.Outputs[v.Show]
			yc.Series[0].Values = append(yc.Series[0].Values, float64(o.Achieved))
			yc.Series[1].Values = append(yc.Series[1].Values, float64(o.Committed))
		} else {
			yc.Series[0].Values = append(yc.Series[0].Values, float64(y.Establishments))
		}
	}
	if len(yc.Labels) > 1 {
		v.YearChart = yc.SVG()
	}
	v.drawMap(national)
	v.regions()
}

// fundingFigure is approved funding by year and source, stacked, with its
// table (every amount exact, linked to the year's projects).
func (v *progressView) fundingFigure() template.HTML {
	return fundingFigure(v.L, v.D.Query, v.D.Funding, func(year int) string { return v.Projects("year", strconv.Itoa(year), "state", nipp.StatesDecided) })
}

func fundingFigure(l L, q nipp.ProgressQuery, fs nipp.FundingSummary, href func(year int) string) template.HTML {
	if len(fs.Rows) == 0 {
		return ""
	}
	var sources []string
	for _, b := range fs.BySource {
		sources = append(sources, b.Source)
	}
	c := chart.Chart{ID: "ch-funding", Kind: chart.Stacked, Number: chart.NumberFor(l.Lang), Decimals: 1, Unit: l.T("dash.bn"),
		Title: l.T("dash.chart_funding"), Desc: l.T("dash.chart_funding_desc")}
	amount := map[[2]string]int64{}
	years := map[int]bool{}
	for _, r := range fs.Rows {
		amount[[2]string{strconv.Itoa(r.Year), r.Source}] += r.Approved
		years[r.Year] = true
	}
	for y := q.From; y <= q.To; y++ {
		c.Labels = append(c.Labels, strconv.Itoa(y))
	}
	for _, src := range sources {
		s := chart.Series{Name: l.T("source." + src)}
		for _, y := range c.Labels {
			s.Values = append(s.Values, float64(amount[[2]string{y, src}])/1e9)
		}
		c.Series = append(c.Series, s)
	}
	total := func(i int) int64 {
		var t int64
		for _, src := range sources {
			t += amount[[2]string{c.Labels[i], src}]
		}
		return t
	}
	t := chart.Table{Caption: l.T("dash.table_funding"), LabelHeader: l.T("dash.year"), Total: l.T("dash.total"),
		Cell: func(s, i int) string { return l.VND(amount[[2]string{c.Labels[i], sources[s]}]) },
		Href: func(s, i int) string {
			y, _ := strconv.Atoi(c.Labels[i])
			if amount[[2]string{c.Labels[i], sources[s]}] == 0 || href == nil {
				return ""
			}
			return href(y)
		},
		TotalCell: func(i int) string { return l.VND(total(i)) }}
	return c.Figure(t)
}

// drawMap colours the provinces of the page's map by the shown figure.
func (v *progressView) drawMap(national *nipp.Dashboard) {
	l := v.L
	values := map[string]float64{}
	own := map[string]bool{}
	for _, p := range v.D.Provinces {
		own[p.Code] = true
	}
	for _, p := range national.Provinces {
		x, ok := v.measure(p)
		// A 2025 unit in the map of the 63 (a project made after the
		// merger) has no outline there: its line is in the table only.
		if ok && !p.AfterMerger {
			values[p.Code] = x
		}
		v.MapRows = append(v.MapRows, mapRow{ProvinceProgress: p, Value: x, HasValue: ok, Selected: p.Code == v.Query.Province})
	}
	// Provinces with nothing are 0, not "no data", in the country's view.
	if m, err := geo.Provinces(geoGen(v.Query.Gen)); err == nil {
		for _, s := range m.Shapes {
			if _, ok := values[s.Code]; !ok {
				values[s.Code] = 0
			}
		}
	}
	names := map[string]string{}
	for _, p := range v.Provinces {
		names[p.Code] = l.Pick(p.NameVI, p.NameEN)
	}
	c := geo.Choropleth{ID: "map", Gen: geoGen(v.Query.Gen), Values: values, Title: v.MeasureTitle(),
		Desc: l.T("dash.map_desc"), Format: v.MeasureText, NoData: l.T("dash.no_data"), Selected: v.Query.Province,
		Name:         func(code string) string { return names[code] },
		Href:         func(code string) string { return v.Drill("province", code) },
		Archipelagos: [2]string{l.T("dash.hoang_sa"), l.T("dash.truong_sa")}}
	svg, err := c.SVG()
	if err != nil {
		return
	}
	v.Map = svg
	v.Legend = c.LegendHTML(v.MeasureTitle(), l.T("dash.zero"), l.T("dash.no_data"), func(n int) string { return l.Tf("dash.n_provinces", l.Num(n)) })
}

func geoGen(gen int) int {
	if gen == nipp.Gen63 {
		return geo.Gen2008
	}
	return geo.Gen2025
}

// regions sums the country's provinces by region (additive figures).
func (v *progressView) regions() {
	if v.Query.Scope != nipp.ScopeNational {
		return
	}
	by := map[string]*regionRow{}
	for _, p := range v.D.Provinces {
		rr := by[p.Region]
		if rr == nil {
			rr = &regionRow{Code: p.Region, NameVI: p.RegionVI, NameEN: p.RegionEN}
			by[p.Region] = rr
		}
		rr.Provinces++
		if v.ShowRef != nil {
			o := p.Outputs[v.Show]
			rr.Achieved += o.Achieved
			rr.Committed += o.Committed
			if t, ok := p.Targets[v.Show]; ok {
				rr.Target += t
				rr.HasTarget = true
			}
		}
		rr.State += p.State.Approved
	}
	for _, r := range v.Regions {
		if rr := by[r.Code]; rr != nil {
			if rr.NameVI == "" {
				rr.NameVI, rr.NameEN = r.NameVI, r.NameEN
			}
			v.RegionRows = append(v.RegionRows, *rr)
			delete(by, r.Code)
		}
	}
	for _, rr := range by {
		v.RegionRows = append(v.RegionRows, *rr)
	}
}

// Share writes basis points as a percentage.
func (v *progressBase) Share(bp int) string { return v.loc.Percent(bp) }

// Ratio writes thousandths (leverage).
func (v *progressBase) Ratio(milli int64) string { return v.loc.Multiple(milli) }

// pct writes a float percentage with one decimal.
func pct(l L, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return chart.NumberFor(l.Lang).Format(x, 1) + "%"
}

// compareFolded orders names as a reader expects (diacritics and case
// ignored first).
func compareFolded(a, b string) int {
	if c := strings.Compare(vntext.Fold(a), vntext.Fold(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
