package app

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Progress of a program (issue 19; docs/ARCHITECTURE.md, "Progress
// summaries"): the dashboard of a program for a scope and period, the
// review report, and the check and rebuild of the summaries they read.
// Dashboards read only the summaries the handlers keep current
// (progress_* tables) and the reference and target tables, never the
// projects, their lines, outputs, beneficiaries or ledger entries.
//
// Authorization: any signed-in role reads the progress of a published
// program (nipp.ProgramReadableBy; routes use nipp.PermSignedIn). A
// provincial officer sees national figures; the projects behind a figure
// are reached through the project list (/projects?program=&year=&
// province=&activity_type=&state=), which keeps its own scope. An
// unpublished program is "not found" to whoever may not edit it.

// ProgramDashboard returns the progress of q.Program for q's scope and
// period (nipp.ProgressQuery.Resolve fills the period): per indicator the
// target (of the revision in force at the period's end, allocated to the
// scope where allocations exist), achieved, committed, remaining, share
// done, projection and pace mark; funding by year and source (budget
// lines and ledger), growth and leverage; establishments reached; the
// breakdowns by province (in q.Gen's map, with region), activity type and
// year; and for a province scope its rank on each indicator.
// EINVALID names the field of a bad query (unknown province of that map,
// region, activity type or indicator); ENOTFOUND an unknown or unreadable
// program.
func (a *App) ProgramDashboard(ctx context.Context, q nipp.ProgressQuery) (_ *nipp.Dashboard, err error) {
	defer nipp.Wrap(&err, "app.ProgramDashboard(%q)", q.Program)
	pr, err := authorize(ctx, nipp.PermSignedIn)
	if err != nil {
		return nil, err
	}
	var d *nipp.Dashboard
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		d, err = dashboard(ctx, tx, pr, q)
		return err
	})
	return d, err
}

// ProgramDashboardWithCountry returns the dashboard of q and, for a
// scope smaller than the country, the country's for the same program,
// period, map and activity type (the page's map compares every province),
// both read in one snapshot: the province's ranks and the country's
// breakdowns read the same summary cells once (store.Tx.memo). For the
// country's own scope, country is d.
func (a *App) ProgramDashboardWithCountry(ctx context.Context, q nipp.ProgressQuery) (d, country *nipp.Dashboard, err error) {
	defer nipp.Wrap(&err, "app.ProgramDashboardWithCountry(%q)", q.Program)
	pr, err := authorize(ctx, nipp.PermSignedIn)
	if err != nil {
		return nil, nil, err
	}
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = dashboard(ctx, tx, pr, q); err != nil {
			return err
		}
		if d.Query.Scope == nipp.ScopeNational {
			country = d
			return nil
		}
		nq := d.Query
		nq.Scope, nq.Region, nq.Province, nq.Indicator = nipp.ScopeNational, "", "", ""
		country, err = dashboard(ctx, tx, pr, nq)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return d, country, nil
}

// dashboardData is what a dashboard is assembled from: every part read
// from the summaries and reference tables in one read transaction.
type dashboardData struct {
	q       nipp.ProgressQuery
	f       store.ProgressFilter
	units   map[int64]store.ProgressUnit
	byCode  map[string]store.ProgressUnit // 2025 units by code
	names   *store.ProgressNames
	targets []nipp.Target
	outputs []store.ProgressCell
	funding []store.ProgressCell
	// coarse: funding holds the cells by province, year and source (no
	// activity type), fundingAct those by activity type, year and source.
	coarse     bool
	fundingAct []store.ProgressCell
	reach      map[string][]store.ReachCount // by "", "province", "activity", "year"
	groups     []store.ReachCount
	rankRows   []store.ProgressCell
}

func dashboard(ctx context.Context, tx *store.Tx, pr *nipp.Principal, q nipp.ProgressQuery) (*nipp.Dashboard, error) {
	pp, f, err := tx.ResolveProgress(ctx, &q)
	if err != nil {
		return nil, err
	}
	if !nipp.ProgramReadableBy(pp.Program, pp.Published, pr) {
		return nil, nipp.Errorf(nipp.ENOTFOUND, "err.store.no_program", q.Program)
	}
	if err := q.Resolve(pp.Program); err != nil {
		return nil, err
	}
	f.From, f.To, f.Gen = q.From, q.To, q.Gen
	dd := &dashboardData{q: q, f: *f, units: map[int64]store.ProgressUnit{}, byCode: map[string]store.ProgressUnit{}, reach: map[string][]store.ReachCount{}}
	d := &nipp.Dashboard{Query: q, Program: pp.Program, AsOf: nipp.Today(tx.Now()).Year}
	revs, err := tx.FindTargetRevisions(ctx, pp.ID)
	if err != nil {
		return nil, err
	}
	refs := make([]nipp.RevisionRef, len(revs))
	for i, r := range revs {
		refs[i] = nipp.RevisionRef{Revision: r.Revision, DecisionNo: r.DecisionNo, DecisionDate: r.DecisionDate}
	}
	if d.Revision = nipp.RevisionInForce(refs, q.To); d.Revision != nil {
		for _, r := range revs {
			if r.Revision == d.Revision.Revision {
				dd.targets = r.Targets
			}
		}
	}
	us, err := tx.ProgressUnits(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		dd.units[u.ID] = u
		if u.Generation == 2025 {
			dd.byCode[u.Code] = u
		}
	}
	if dd.names, err = tx.FindProgressNames(ctx); err != nil {
		return nil, err
	}
	if dd.outputs, err = tx.ProgressOutputCells(ctx, dd.f, true); err != nil {
		return nil, err
	}
	if q.Scope == nipp.ScopeNational && q.Activity == "" {
		dd.coarse = true
		if dd.funding, dd.fundingAct, err = tx.ProgressFundingCoarse(ctx, dd.f); err != nil {
			return nil, err
		}
	} else if dd.funding, err = tx.ProgressFundingCells(ctx, dd.f); err != nil {
		return nil, err
	}
	if err := dd.readReach(ctx, tx, pp.Program); err != nil {
		return nil, err
	}
	if err := dd.readGroups(ctx, tx, pp.Program); err != nil {
		return nil, err
	}
	if q.Scope == nipp.ScopeProvince {
		if dd.rankRows, err = tx.ProgressOutputCells(ctx, dd.f, false); err != nil {
			return nil, err
		}
	}
	dd.assemble(d, f.ProvinceID)
	return d, nil
}

// readReach reads the distinct establishments of the total and of each
// breakdown: from the kept counts of a grain where the query asks for what
// the grain counts (a whole period, every activity type or one, the whole
// country or one province), else by counting the distinct establishments
// of the matching progress_reach rows.
func (dd *dashboardData) readReach(ctx context.Context, tx *store.Tx, p *nipp.Program) error {
	q, f := dd.q, dd.f
	whole := q.From == p.StartYear && q.To == p.EndYear
	national := q.Scope == nipp.ScopeNational
	provGrain := "p34"
	if q.Gen == nipp.Gen63 {
		provGrain = "p63"
	}
	province := q.Scope == nipp.ScopeProvince
	unit := strconv.FormatInt(f.ProvinceID, 10)
	type pick struct {
		by, grain string
		key       string // keep only that grain key, as the total
		unit      string // keep only the keys "unit/...", as "..."
		ok        bool
	}
	for _, c := range []pick{
		{by: "", grain: "all", ok: national && whole && q.Activity == ""},
		{by: "", grain: "activity", key: q.Activity, ok: national && whole && q.Activity != ""},
		{by: "", grain: provGrain, key: unit, ok: province && whole && q.Activity == ""},
		{by: "", grain: provGrain + "_activity", key: unit + "/" + q.Activity, ok: province && whole && q.Activity != ""},
		{by: "province", grain: provGrain, ok: whole && q.Activity == ""},
		{by: "activity", grain: "activity", ok: national && whole},
		{by: "activity", grain: provGrain + "_activity", unit: unit, ok: province && whole},
		{by: "year", grain: "year", ok: national && q.Activity == ""},
		{by: "year", grain: provGrain + "_year", unit: unit, ok: province && q.Activity == ""},
	} {
		if _, done := dd.reach[c.by]; done || !c.ok {
			continue
		}
		rs, err := tx.ProgressReachCounts(ctx, f.ProgramID, c.grain)
		if err != nil {
			return err
		}
		var kept []store.ReachCount
		for _, r := range rs {
			switch {
			case c.by == "" && r.Key == c.key:
				kept = append(kept, store.ReachCount{Establishments: r.Establishments, Prioritised: r.Prioritised})
			case c.by != "" && c.unit == "":
				kept = append(kept, r)
			case c.by != "" && strings.HasPrefix(r.Key, c.unit+"/"):
				r.Key = r.Key[len(c.unit)+1:]
				kept = append(kept, r)
			}
		}
		dd.reach[c.by] = kept
	}
	for _, by := range []string{"", "province", "activity", "year"} {
		if _, done := dd.reach[by]; done {
			continue
		}
		rs, err := tx.ProgressReach(ctx, f, by)
		if err != nil {
			return err
		}
		dd.reach[by] = rs
	}
	return nil
}

// readGroups reads the distinct establishments per priority group: from
// the kept counts of a group grain when the query asks for what it counts
// (a whole program, every activity type, the whole country or one
// province), else by counting the distinct establishments of the matching
// progress_reach_groups rows.
func (dd *dashboardData) readGroups(ctx context.Context, tx *store.Tx, p *nipp.Program) error {
	q, f := dd.q, dd.f
	if q.From != p.StartYear || q.To != p.EndYear || q.Activity != "" || q.Scope == nipp.ScopeRegion {
		var err error
		dd.groups, err = tx.ProgressReachGroups(ctx, f)
		return err
	}
	grain, unit := "group", ""
	if q.Scope == nipp.ScopeProvince {
		grain, unit = "group_p34", strconv.FormatInt(f.ProvinceID, 10)
		if q.Gen == nipp.Gen63 {
			grain = "group_p63"
		}
	}
	rs, err := tx.ProgressReachCounts(ctx, f.ProgramID, grain)
	if err != nil {
		return err
	}
	dd.groups = nil
	for _, r := range rs {
		if unit != "" { // "group/unit id"
			i := strings.LastIndexByte(r.Key, '/')
			if i < 0 || r.Key[i+1:] != unit {
				continue
			}
			r.Key = r.Key[:i]
		}
		dd.groups = append(dd.groups, r)
	}
	return nil
}

// assemble fills the dashboard from what was read.
func (dd *dashboardData) assemble(d *nipp.Dashboard, scopeUnit int64) {
	q := dd.q
	switch q.Scope {
	case nipp.ScopeProvince:
		u := dd.units[scopeUnit]
		d.ScopeName, d.ScopeNameEN = u.NameVI, u.NameEN
	case nipp.ScopeRegion:
		n := dd.names.Regions[q.Region]
		d.ScopeName, d.ScopeNameEN = n[0], n[1]
	}
	// Outputs per indicator, province, activity type and year.
	total := map[string]nipp.Outputs{}
	byProv := map[int64]map[string]nipp.Outputs{}
	byAct := map[string]map[string]nipp.Outputs{}
	byYear := map[int]map[string]nipp.Outputs{}
	add := func(m map[string]nipp.Outputs, k string, v []int64) {
		o := m[k]
		o.Achieved += v[0]
		o.Committed += v[1]
		o.AchievedProjects += v[2]
		o.CommittedProjects += v[3]
		m[k] = o
	}
	for _, c := range dd.outputs {
		add(total, c.Key, c.Values)
		add(subOf(byProv, c.ProvinceID), c.Key, c.Values)
		add(subOf(byAct, c.Activity), c.Key, c.Values)
		add(subOf(byYear, c.Year), c.Key, c.Values)
	}
	// Indicators: the revision's and those with figures (one when asked).
	has := map[string]bool{}
	for _, t := range dd.targets {
		has[t.IndicatorCode] = true
	}
	for k := range total {
		has[k] = true
	}
	years, elapsed := q.Years(), q.Elapsed(d.AsOf)
	inScope := func(t nipp.Target) bool {
		u, ok := dd.byCode[t.ProvinceCode]
		switch {
		case !ok || q.Gen == nipp.Gen63 && q.Scope == nipp.ScopeProvince:
			return false
		case q.Scope == nipp.ScopeProvince:
			return t.ProvinceCode == q.Province
		}
		return u.Region == q.Region
	}
	for _, in := range dd.names.Indicators {
		if !has[in.Code] || (q.Indicator != "" && in.Code != q.Indicator) {
			continue
		}
		ip := nipp.IndicatorProgress{Indicator: in, Outputs: total[in.Code]}
		ip.Target, ip.HasTarget, ip.TargetWhole = nipp.TargetFor(dd.targets, in.Code, q.Scope == nipp.ScopeNational, inScope, q.From, q.To, d.Program)
		ip.Finish(years, elapsed)
		d.Indicators = append(d.Indicators, ip)
	}
	// Funding.
	fByYear := map[[2]string]*nipp.FundingRow{}
	fProv := map[int64]*[2]nipp.Funding{}
	fAct := map[string]*[2]nipp.Funding{}
	fYear := map[int]*[2]nipp.Funding{}
	overflow := false
	fundingOf := func(c store.ProgressCell) nipp.Funding {
		return nipp.Funding{Approved: c.Values[0], Settled: c.Values[1], Committed: c.Values[2], Disbursed: c.Values[3], Spent: c.Values[4],
			Refunded: c.Values[5], Contributed: c.Values[6], Released: c.Values[7]}
	}
	addTo := func(fu nipp.Funding, source string, pairs ...*[2]nipp.Funding) bool {
		ok, state := true, slices.Contains(nipp.StateSources, source)
		for _, pair := range pairs {
			ok = pair[0].Add(fu) && ok
			if state {
				ok = pair[1].Add(fu) && ok
			}
		}
		return ok
	}
	for _, c := range dd.funding {
		fu := fundingOf(c)
		k := [2]string{strconv.Itoa(c.Year), c.Key}
		r := fByYear[k]
		if r == nil {
			r = &nipp.FundingRow{Year: c.Year, Source: c.Key}
			fByYear[k] = r
		}
		ok := r.Add(fu)
		pairs := []*[2]nipp.Funding{pairOf(fProv, c.ProvinceID), pairOf(fYear, c.Year)}
		if !dd.coarse {
			pairs = append(pairs, pairOf(fAct, c.Activity))
		}
		overflow = overflow || !(addTo(fu, c.Key, pairs...) && ok)
	}
	for _, c := range dd.fundingAct { // coarse: by activity type
		overflow = overflow || !addTo(fundingOf(c), c.Key, pairOf(fAct, c.Activity))
	}
	for _, r := range fByYear {
		d.Funding.Rows = append(d.Funding.Rows, *r)
	}
	order := nipp.FundingSources()
	slices.SortFunc(d.Funding.Rows, func(a, b nipp.FundingRow) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return slices.Index(order, a.Source) - slices.Index(order, b.Source)
	})
	d.Funding.Summarize()
	d.Funding.Overflow = d.Funding.Overflow || overflow
	// Establishments reached.
	reach := func(by, key string) (int64, int64) {
		for _, r := range dd.reach[by] {
			if r.Key == key {
				return r.Establishments, r.Prioritised
			}
		}
		return 0, 0
	}
	d.Reach.Establishments, d.Reach.Prioritised = reach("", "")
	for _, g := range dd.groups {
		d.Reach.Groups = append(d.Reach.Groups, nipp.GroupCount{Group: g.Key, Members: int(g.Establishments), Prioritised: int(g.Prioritised)})
	}
	// By province of the map: every province of the scope, and a 2025
	// unit with figures in a Gen63 view.
	gen := nipp.UnitGeneration(q.Gen)
	var provs []store.ProgressUnit
	for _, u := range dd.unitsSorted() {
		_, figures := byProv[u.ID]
		_, money := fProv[u.ID]
		switch {
		case q.Scope == nipp.ScopeProvince && u.ID != scopeUnit:
			continue
		case q.Scope == nipp.ScopeRegion && u.Region != q.Region:
			continue
		case u.Generation != gen && !(figures || money):
			continue
		}
		provs = append(provs, u)
	}
	for _, u := range provs {
		pp := nipp.ProvinceProgress{Code: u.Code, NameVI: u.NameVI, NameEN: u.NameEN, Gen: u.Generation, AfterMerger: u.Generation != gen,
			Region: u.Region, RegionVI: u.RegionVI, RegionEN: u.RegionEN, Outputs: byProv[u.ID], Targets: map[string]int64{}}
		if pp.Outputs == nil {
			pp.Outputs = map[string]nipp.Outputs{}
		}
		if fp := fProv[u.ID]; fp != nil {
			pp.Funding, pp.State = fp[0], fp[1]
		}
		pp.Establishments, pp.Prioritised = reach("province", strconv.FormatInt(u.ID, 10))
		if q.Gen == nipp.Gen34 {
			for _, ip := range d.Indicators {
				if v, ok, _ := nipp.TargetFor(dd.targets, ip.Indicator.Code, false, func(t nipp.Target) bool { return t.ProvinceCode == u.Code },
					q.From, q.To, d.Program); ok {
					pp.Targets[ip.Indicator.Code] = v
				}
			}
		}
		d.Provinces = append(d.Provinces, pp)
	}
	// By activity type and year.
	for _, a := range dd.names.Activities {
		outs, money := byAct[a.Code], fAct[a.Code]
		if outs == nil && money == nil {
			continue
		}
		ap := nipp.ActivityProgress{Code: a.Code, NameVI: a.NameVI, NameEN: a.NameEN, Outputs: outs}
		if ap.Outputs == nil {
			ap.Outputs = map[string]nipp.Outputs{}
		}
		if money != nil {
			ap.Funding, ap.State = money[0], money[1]
		}
		ap.Establishments, ap.Prioritised = reach("activity", a.Code)
		d.Activities = append(d.Activities, ap)
	}
	for y := q.From; y <= q.To; y++ {
		yp := nipp.YearProgress{Year: y, Outputs: byYear[y]}
		if yp.Outputs == nil {
			yp.Outputs = map[string]nipp.Outputs{}
		}
		if money := fYear[y]; money != nil {
			yp.Funding, yp.State = money[0], money[1]
		}
		yp.Establishments, yp.Prioritised = reach("year", strconv.Itoa(y))
		d.Years = append(d.Years, yp)
	}
	// A province's rank among the provinces of the map on each indicator.
	if q.Scope == nipp.ScopeProvince && dd.units[scopeUnit].Generation == gen {
		achieved := map[string]map[int64]int64{}
		for _, c := range dd.rankRows {
			if dd.units[c.ProvinceID].Generation != gen {
				continue
			}
			if achieved[c.Key] == nil {
				achieved[c.Key] = map[int64]int64{}
			}
			achieved[c.Key][c.ProvinceID] += c.Values[0]
		}
		var ids []int64
		for _, u := range dd.unitsSorted() {
			if u.Generation == gen {
				ids = append(ids, u.ID)
			}
		}
		for _, ip := range d.Indicators {
			vals := make([]int64, len(ids))
			for i, id := range ids {
				vals[i] = achieved[ip.Indicator.Code][id]
			}
			mine := achieved[ip.Indicator.Code][scopeUnit]
			d.Ranks = append(d.Ranks, nipp.IndicatorRank{Indicator: ip.Indicator.Code, Achieved: mine, Rank: nipp.Rank(mine, vals), Of: len(ids)})
		}
	}
}

func subOf[K comparable](m map[K]map[string]nipp.Outputs, k K) map[string]nipp.Outputs {
	if m[k] == nil {
		m[k] = map[string]nipp.Outputs{}
	}
	return m[k]
}

func pairOf[K comparable](m map[K]*[2]nipp.Funding, k K) *[2]nipp.Funding {
	p := m[k]
	if p == nil {
		p = &[2]nipp.Funding{}
		m[k] = p
	}
	return p
}

// unitsSorted returns the provinces by generation and code.
func (dd *dashboardData) unitsSorted() []store.ProgressUnit {
	out := make([]store.ProgressUnit, 0, len(dd.units))
	for _, u := range dd.units {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b store.ProgressUnit) int {
		if a.Generation != b.Generation {
			return a.Generation - b.Generation
		}
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return out
}

// ProgramReview returns the review report of q.Program for q's period and
// scope: the headline figures and sentences (nipp.ReviewOf), the
// attainment table, the funding table and the leading activity types.
// Same authorization and errors as ProgramDashboard.
func (a *App) ProgramReview(ctx context.Context, q nipp.ProgressQuery) (_ *nipp.Review, err error) {
	defer nipp.Wrap(&err, "app.ProgramReview(%q)", q.Program)
	d, err := a.ProgramDashboard(ctx, q)
	if err != nil {
		return nil, err
	}
	return nipp.ReviewOf(d), nil
}

// VerifyRollups recomputes every progress summary from the base tables and
// hands each difference from what is kept to each (nil: count only), as it
// is found; it returns how many there were (0: the summaries are right).
// Administrators and auditors (audit.read) may run it; the command line
// runs it as the system.
func (a *App) VerifyRollups(ctx context.Context, each func(nipp.RollupDifference) error) (_ int, err error) {
	defer nipp.Wrap(&err, "app.VerifyRollups()")
	if _, err := authorize(ctx, nipp.PermAuditRead); err != nil {
		return 0, err
	}
	return a.verifyRollups(ctx, each)
}

// VerifyRollupsAsSystem is VerifyRollups for the operator at the command
// line (nipp rollup verify).
func (a *App) VerifyRollupsAsSystem(ctx context.Context, each func(nipp.RollupDifference) error) (_ int, err error) {
	defer nipp.Wrap(&err, "app.VerifyRollupsAsSystem()")
	return a.verifyRollups(ctx, each)
}

func (a *App) verifyRollups(ctx context.Context, each func(nipp.RollupDifference) error) (int, error) {
	var n int
	err := a.read(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.VerifyProgress(ctx, each)
		return err
	})
	return n, err
}

// RepairRollups rebuilds every progress summary from the base tables in
// one write transaction, handing each difference it mends to each (nil:
// count only) and returning how many there were (audited as repair of
// entity rollup). Administrators only; the command line runs it as the
// system.
func (a *App) RepairRollups(ctx context.Context, each func(nipp.RollupDifference) error) (_ int, err error) {
	defer nipp.Wrap(&err, "app.RepairRollups()")
	if _, err := authorize(ctx, nipp.PermUserManage); err != nil {
		return 0, err
	}
	return a.repairRollups(ctx, each)
}

// RepairRollupsAsSystem is RepairRollups for the operator at the command
// line (nipp rollup verify --repair).
func (a *App) RepairRollupsAsSystem(ctx context.Context, each func(nipp.RollupDifference) error) (_ int, err error) {
	defer nipp.Wrap(&err, "app.RepairRollupsAsSystem()")
	return a.repairRollups(ctx, each)
}

func (a *App) repairRollups(ctx context.Context, each func(nipp.RollupDifference) error) (int, error) {
	var n int
	err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
		var err error
		if n, err = tx.VerifyProgress(ctx, each); err != nil || n == 0 {
			return err
		}
		if err := tx.RebuildProgress(ctx); err != nil {
			return err
		}
		return a.record(ctx, tx, "repair", "rollup", "progress", nil, map[string]any{"differences": n})
	})
	return n, err
}

// registerProgressHandlers keeps the progress summaries current: any
// change to a project or what hangs on it (fields, state, outputs,
// budget, beneficiaries, ledger entries) counts the project again, and a
// merge counts again every project that counted the merged establishment.
// One group, "progress", so that a benchmark can price it
// (WithoutHandlers("progress")).
func (a *App) registerProgressHandlers() {
	on(a, "progress", func(ctx context.Context, tx *store.Tx, e nipp.ProjectChange) error {
		return tx.RefreshProjectProgress(ctx, e.ChangedProject().ID)
	})
	on(a, "progress", func(ctx context.Context, tx *store.Tx, e nipp.LedgerEntryRecorded) error {
		return tx.RefreshProjectProgress(ctx, e.Entry.ProjectID)
	})
	on(a, "progress", func(ctx context.Context, tx *store.Tx, e nipp.EstablishmentsMerged) error {
		ids, err := tx.ProjectsCountingEstablishment(ctx, e.From.ID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := tx.RefreshProjectProgress(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
}
