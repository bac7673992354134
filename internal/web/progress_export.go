package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"nipp/internal/geo"
	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// The progress pages' workbooks: the dashboard's tables (every one, or the
// one named by ?table=) and the review report, one sheet per table, with
// exact figures (money in đồng, shares as percentages with two decimals).

// dashboardSheets are the dashboard's tables in the workbook's order.
var dashboardSheets = []string{"indicators", "ranks", "funding", "sources", "reach", "provinces", "regions", "activities", "years"}

// sheet is one table of a workbook: its name key and its writer.
type sheet struct {
	key   string
	write func(tabular.Writer) error
}

func (s *Server) progressExport(w http.ResponseWriter, r *http.Request) {
	q, err := progressQuery(r)
	var d *nipp.Dashboard
	if err == nil {
		d, err = s.app.ProgramDashboard(r.Context(), q)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := L{lang(r)}
	only := r.URL.Query().Get("table")
	var sheets []sheet
	for _, name := range dashboardSheets {
		if only != "" && only != name {
			continue
		}
		if (name == "ranks" && len(d.Ranks) == 0 || name == "regions" && d.Query.Scope != nipp.ScopeNational) && only == "" {
			continue
		}
		sheets = append(sheets, sheet{"dash.sheet." + name, dashboardSheet(l, d, name)})
	}
	if len(sheets) == 0 {
		s.fail(w, r, nipp.FieldError("table", "err.web.dash_no_table", only))
		return
	}
	file := "progress-" + d.Program.Code + ".xlsx"
	if only != "" {
		file = "progress-" + d.Program.Code + "-" + only + ".xlsx"
	}
	writeBook(w, s, r, file, l, sheets)
}

// writeBook streams a workbook of sheets as an attachment.
func writeBook(w http.ResponseWriter, s *Server, r *http.Request, file string, l L, sheets []sheet) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+url.PathEscape(file)+`"`)
	book := tabular.NewXLSXBook(w)
	for _, sh := range sheets {
		tw, err := book.Sheet(l.T(sh.key))
		if err == nil {
			err = sh.write(tw)
		}
		if err != nil {
			s.log.Error("export", "file", file, "err", err)
			return
		}
	}
	if err := book.Close(); err != nil {
		s.log.Error("export", "file", file, "err", err)
	}
}

// pctCell is a share in basis points as a number of percent (two decimals).
func pctCell(bp int) float64 { return float64(bp) / 100 }

func paceCell(l L, p nipp.Pace) string { return l.T("dash.pace." + string(p)) }

// attainmentRows writes the attainment table.
func attainmentRows(l L, w tabular.Writer, rows []nipp.IndicatorProgress) error {
	if err := w.Write([]any{l.T("dash.indicator_code"), l.T("dash.indicator"), l.T("dash.unit"), l.T("dash.target"), l.T("dash.achieved"),
		l.T("dash.committed"), l.T("dash.remaining"), l.T("dash.done_pct"), l.T("dash.projected"), l.T("dash.pace"),
		l.T("dash.achieved_projects"), l.T("dash.committed_projects")}); err != nil {
		return err
	}
	for _, ip := range rows {
		var target, remaining, done any
		if ip.HasTarget {
			target, remaining, done = ip.Target, ip.Remaining, pctCell(ip.DoneBP)
		}
		if err := w.Write([]any{ip.Indicator.Code, l.Pick(ip.Indicator.NameVI, ip.Indicator.NameEN), l.Pick(ip.Indicator.UnitVI, ip.Indicator.UnitEN),
			target, ip.Achieved, ip.Committed, remaining, done, ip.Projected, paceCell(l, ip.Pace), ip.AchievedProjects, ip.CommittedProjects}); err != nil {
			return err
		}
	}
	return nil
}

// fundingRows writes funding by year and source.
func fundingRows(l L, w tabular.Writer, rows []nipp.FundingRow, byYear bool) error {
	head := []any{l.T("dash.source"), l.T("dash.approved"), l.T("dash.settled"), l.T("dash.committed_ledger"), l.T("dash.disbursed"),
		l.T("dash.spent"), l.T("dash.refunded"), l.T("dash.contributed")}
	if byYear {
		head = append([]any{l.T("dash.year")}, head...)
	}
	if err := w.Write(head); err != nil {
		return err
	}
	for _, r := range rows {
		cells := []any{l.T("source." + r.Source), r.Approved, r.Settled, r.Committed, r.Disbursed, r.Spent, r.Refunded, r.Contributed}
		if byYear {
			cells = append([]any{tabular.Plain(r.Year)}, cells...)
		}
		if err := w.Write(cells); err != nil {
			return err
		}
	}
	return nil
}

// outputColumns are an indicator's columns in a breakdown sheet.
func outputHeader(l L, inds []nipp.IndicatorProgress, targets bool) []any {
	var h []any
	for _, ip := range inds {
		name := l.Pick(ip.Indicator.NameVI, ip.Indicator.NameEN)
		if targets {
			h = append(h, name+" · "+l.T("dash.target"))
		}
		h = append(h, name+" · "+l.T("dash.achieved"), name+" · "+l.T("dash.committed"))
	}
	return h
}

func outputCells(inds []nipp.IndicatorProgress, outs map[string]nipp.Outputs, targets map[string]int64, withTargets bool) []any {
	var c []any
	for _, ip := range inds {
		if withTargets {
			if t, ok := targets[ip.Indicator.Code]; ok {
				c = append(c, t)
			} else {
				c = append(c, nil)
			}
		}
		o := outs[ip.Indicator.Code]
		c = append(c, o.Achieved, o.Committed)
	}
	return c
}

// dashboardSheet writes one table of the dashboard.
func dashboardSheet(l L, d *nipp.Dashboard, name string) func(tabular.Writer) error {
	return func(w tabular.Writer) error {
		switch name {
		case "indicators":
			return attainmentRows(l, w, d.Indicators)
		case "ranks":
			if err := w.Write([]any{l.T("dash.indicator_code"), l.T("dash.indicator"), l.T("dash.achieved"), l.T("dash.rank"), l.T("dash.rank_among")}); err != nil {
				return err
			}
			names := map[string]string{}
			for _, ip := range d.Indicators {
				names[ip.Indicator.Code] = l.Pick(ip.Indicator.NameVI, ip.Indicator.NameEN)
			}
			for _, rk := range d.Ranks {
				if err := w.Write([]any{rk.Indicator, names[rk.Indicator], rk.Achieved, rk.Rank, rk.Of}); err != nil {
					return err
				}
			}
			return nil
		case "funding":
			return fundingRows(l, w, d.Funding.Rows, true)
		case "sources":
			return fundingRows(l, w, d.Funding.BySource, false)
		case "provinces":
			head := append([]any{l.T("dash.province_code"), l.T("dash.province"), l.T("dash.region")}, outputHeader(l, d.Indicators, true)...)
			head = append(head, l.T("dash.state_approved"), l.T("dash.total_approved"), l.T("dash.disbursed"), l.T("dash.contributed"), l.T("dash.establishments"), l.T("dash.prioritised"))
			if err := w.Write(head); err != nil {
				return err
			}
			for _, p := range d.Provinces {
				name := l.Pick(p.NameVI, p.NameEN)
				if p.AfterMerger {
					name += " (" + l.T("dash.after_merger") + ")"
				}
				cells := append([]any{p.Code, name, l.Pick(p.RegionVI, p.RegionEN)}, outputCells(d.Indicators, p.Outputs, p.Targets, true)...)
				cells = append(cells, p.State.Approved, p.Funding.Approved, p.Funding.Disbursed, p.Funding.Contributed, p.Establishments, p.Prioritised)
				if err := w.Write(cells); err != nil {
					return err
				}
			}
			return nil
		case "reach":
			return reachRows(l, w, d.Reach)
		case "regions":
			head := append([]any{l.T("dash.region_code"), l.T("dash.region"), l.T("dash.provinces_count")}, outputHeader(l, d.Indicators, true)...)
			head = append(head, l.T("dash.state_approved"), l.T("dash.total_approved"))
			if err := w.Write(head); err != nil {
				return err
			}
			for _, r := range regionSums(d) {
				cells := append([]any{r.Code, l.Pick(r.NameVI, r.NameEN), r.Provinces}, outputCells(d.Indicators, r.Outputs, r.Targets, true)...)
				cells = append(cells, r.State, r.Total)
				if err := w.Write(cells); err != nil {
					return err
				}
			}
			return nil
		case "activities":
			head := append([]any{l.T("dash.activity_code"), l.T("dash.activity_type")}, outputHeader(l, d.Indicators, false)...)
			head = append(head, l.T("dash.state_approved"), l.T("dash.total_approved"), l.T("dash.establishments"), l.T("dash.prioritised"))
			if err := w.Write(head); err != nil {
				return err
			}
			for _, a := range d.Activities {
				cells := append([]any{a.Code, l.Pick(a.NameVI, a.NameEN)}, outputCells(d.Indicators, a.Outputs, nil, false)...)
				cells = append(cells, a.State.Approved, a.Funding.Approved, a.Establishments, a.Prioritised)
				if err := w.Write(cells); err != nil {
					return err
				}
			}
			return nil
		case "years":
			head := append([]any{l.T("dash.year")}, outputHeader(l, d.Indicators, false)...)
			head = append(head, l.T("dash.state_approved"), l.T("dash.total_approved"), l.T("dash.establishments"), l.T("dash.prioritised"))
			if err := w.Write(head); err != nil {
				return err
			}
			for _, y := range d.Years {
				cells := append([]any{tabular.Plain(y.Year)}, outputCells(d.Indicators, y.Outputs, nil, false)...)
				cells = append(cells, y.State.Approved, y.Funding.Approved, y.Establishments, y.Prioritised)
				if err := w.Write(cells); err != nil {
					return err
				}
			}
			return nil
		}
		return nil
	}
}

// reviewSheets are the review report's workbook.
func reviewSheets(l L, rv *nipp.Review) []sheet {
	return []sheet{
		{"rpt.sheet.summary", func(w tabular.Writer) error {
			if err := w.Write([]any{l.T("rpt.summary_item"), l.T("rpt.summary_value")}); err != nil {
				return err
			}
			f := rv.Figures
			rows := [][]any{
				{l.T("rpt.program"), l.Pick(rv.Program.NameVI, rv.Program.NameEN) + " (" + rv.Program.Code + ")"},
				{l.T("rpt.scope"), reviewScope(l, rv)},
				{l.T("rpt.period"), strconv.Itoa(rv.Query.From) + "–" + strconv.Itoa(rv.Query.To)},
				{l.T("dash.map"), mapName(l, rv.Query.Gen)},
			}
			for _, h := range rv.Headlines {
				rows = append(rows, []any{l.T("rpt.headline"), l.Msg(h)})
			}
			var growth any
			if f.HasGrowth {
				growth = pctCell(f.GrowthBP)
			}
			var leverage any
			if f.HasLeverage {
				leverage = float64(f.LeverageMilli) / 1000
			}
			rows = append(rows,
				[]any{l.T("dash.state_approved"), f.StateApproved},
				[]any{l.T("dash.state_disbursed"), f.StateDisbursed},
				[]any{l.T("rpt.growth_pct"), growth},
				[]any{l.T("dash.reciprocal_promised"), f.ReciprocalPromised},
				[]any{l.T("dash.reciprocal_contributed"), f.ReciprocalContributed},
				[]any{l.T("dash.leverage"), leverage},
				[]any{l.T("dash.establishments"), f.Establishments},
				[]any{l.T("dash.prioritised"), f.Prioritised},
			)
			for _, r := range rows {
				if err := w.Write(r); err != nil {
					return err
				}
			}
			return nil
		}},
		{"dash.sheet.indicators", func(w tabular.Writer) error { return attainmentRows(l, w, rv.Attainment) }},
		{"dash.sheet.funding", func(w tabular.Writer) error { return fundingRows(l, w, rv.Funding.Rows, true) }},
		{"dash.sheet.sources", func(w tabular.Writer) error { return fundingRows(l, w, rv.Funding.BySource, false) }},
		{"rpt.sheet.leading", func(w tabular.Writer) error {
			if err := w.Write([]any{l.T("rpt.rank"), l.T("dash.activity_code"), l.T("dash.activity_type"), l.T("dash.state_approved"), l.T("rpt.share_of_state"), l.T("dash.establishments")}); err != nil {
				return err
			}
			for i, a := range rv.Leading {
				if err := w.Write([]any{i + 1, a.Code, l.Pick(a.NameVI, a.NameEN), a.State.Approved, pctCell(nipp.ShareBP(a.State.Approved, rv.Funding.State.Approved)), a.Establishments}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"rpt.sheet.reach", func(w tabular.Writer) error { return reachRows(l, w, rv.Reach) }},
	}
}

func mapName(l L, gen int) string {
	if gen == nipp.Gen63 {
		return l.T("dash.map63")
	}
	return l.T("dash.map34")
}

func reviewScope(l L, rv *nipp.Review) string {
	if rv.Query.Scope == nipp.ScopeNational || rv.Query.Scope == "" {
		return l.T("dash.national")
	}
	return l.Pick(rv.ScopeName, rv.ScopeNameEN)
}

// reachRows writes the establishments reached: all, then per group.
func reachRows(l L, w tabular.Writer, r nipp.Reach) error {
	if err := w.Write([]any{l.T("dash.group"), l.T("dash.group_members"), l.T("dash.group_prioritised")}); err != nil {
		return err
	}
	if err := w.Write([]any{l.T("rpt.all_establishments"), r.Establishments, r.Prioritised}); err != nil {
		return err
	}
	for _, g := range r.Groups {
		if err := w.Write([]any{l.T("vocab." + g.Group), g.Members, g.Prioritised}); err != nil {
			return err
		}
	}
	return nil
}

// regionSum is a region's line of the regions sheet: the sums of its
// provinces' additive figures, for every indicator.
type regionSum struct {
	Code, NameVI, NameEN string
	Provinces            int
	Outputs              map[string]nipp.Outputs
	Targets              map[string]int64
	State, Total         int64
}

// regionSums sums the provinces of the dashboard by region, regions in
// the reference data's order.
func regionSums(d *nipp.Dashboard) []regionSum {
	by := map[string]*regionSum{}
	var order []string
	for _, p := range d.Provinces {
		r := by[p.Region]
		if r == nil {
			r = &regionSum{Code: p.Region, NameVI: p.RegionVI, NameEN: p.RegionEN, Outputs: map[string]nipp.Outputs{}, Targets: map[string]int64{}}
			by[p.Region] = r
			order = append(order, p.Region)
		}
		r.Provinces++
		for k, o := range p.Outputs {
			s := r.Outputs[k]
			s.Achieved += o.Achieved
			s.Committed += o.Committed
			s.AchievedProjects += o.AchievedProjects
			s.CommittedProjects += o.CommittedProjects
			r.Outputs[k] = s
		}
		for k, t := range p.Targets {
			r.Targets[k] += t
		}
		r.State += p.State.Approved
		r.Total += p.Funding.Approved
	}
	rank := map[string]int{}
	if u, err := geo.LoadUnits(); err == nil {
		for i, rg := range u.Ref.Regions {
			rank[rg.Code] = i + 1
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := rank[order[i]], rank[order[j]]
		if a == 0 {
			a = 99
		}
		if b == 0 {
			b = 99
		}
		return a < b
	})
	out := make([]regionSum, 0, len(order))
	for _, c := range order {
		out = append(out, *by[c])
	}
	return out
}
