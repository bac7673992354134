package nipp

import (
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// Progress of a program (issue 19): targets, what was achieved and
// committed against them, the money behind it and whom it reached, for a
// scope (the country, a region, a province) and a period, in either map of
// the country. The figures are kept as summaries current with every change
// (docs/ARCHITECTURE.md, "Progress summaries"); the types here are what
// the dashboard, the province dashboard and the review report show, and the
// rules (what counts, the pace, growth, leverage, rank) are decided here.
//
// What counts (the facts):
//   - achieved: the actual outputs of accepted and settled projects;
//   - committed: the planned outputs of approved projects and projects in
//     implementation (decided, not yet accepted);
//   - a cancelled, rejected, withdrawn or undecided project counts nowhere
//     in outputs, approved money or establishments; money the ledger shows
//     moved for it (advances, refunds) still counts in the ledger figures;
//   - a project counts in its program, its activity type, its plan year
//     and its lead province (projects.province_id, today's unit, and
//     orig_province_id, the unit at the time); other provinces it names do
//     not share its figures.

// AchievedStates are the states whose actual outputs count as achieved.
func AchievedStates() []ProjectState { return []ProjectState{StateAccepted, StateSettled} }

// CommittedStates are the decided states whose planned outputs count as
// committed (not yet accepted).
func CommittedStates() []ProjectState { return []ProjectState{StateApproved, StateInImplementation} }

// Map generations: which provinces a view uses.
const (
	// Gen63 is the map of the 63 provinces in force until 30 June 2025
	// (2008 codes). A project counts under its province at the time; a
	// project made in the 2025 units (after the merger) has no province of
	// the 63 and counts under its 2025 province, marked AfterMerger.
	Gen63 = 63
	// Gen34 is the map of the 34 provinces in force since 1 July 2025. A
	// project counts under today's province (the successor of its province
	// at the time): re-aggregation across the merger is exact, since each
	// of the 63 went wholly into one of the 34.
	Gen34 = 34
)

// UnitGeneration is the admin_units generation of a map generation
// (2008 for Gen63, 2025 for Gen34).
func UnitGeneration(gen int) int {
	if gen == Gen63 {
		return 2008
	}
	return 2025
}

// Scope kinds of a progress query.
const (
	ScopeNational = "national"
	ScopeRegion   = "region"
	ScopeProvince = "province"
)

// ProgressQuery selects a program's figures: the program, a range of plan
// years, a scope and the map generation its provinces are read in, and
// optionally one activity type and one indicator.
type ProgressQuery struct {
	Program string `json:"program"`
	// From and To are plan years, inclusive; Resolve fills them with the
	// program's period when 0.
	From int `json:"from"`
	To   int `json:"to"`
	// Scope is ScopeNational, ScopeRegion (Region set) or ScopeProvince
	// (Province set: a province code of generation Gen).
	Scope    string `json:"scope"`
	Region   string `json:"region,omitempty"`
	Province string `json:"province,omitempty"`
	// Gen is Gen63 or Gen34 (default Gen34).
	Gen int `json:"map"`
	// Activity is an activity type code ("" = every type); Indicator an
	// indicator code ("" = every indicator of the program).
	Activity  string `json:"activity_type,omitempty"`
	Indicator string `json:"indicator,omitempty"`
}

// ParseProgressQuery reads a query from request values (get returns "" for
// a missing one): program, from, to, region, province, map (63 | 34),
// activity_type, indicator. A province wins over a region. Every problem
// is reported at once, each naming its field.
func ParseProgressQuery(get func(string) string) (ProgressQuery, error) {
	q := ProgressQuery{Program: strings.TrimSpace(get("program")), Region: strings.TrimSpace(get("region")),
		Province: strings.TrimSpace(get("province")), Activity: strings.TrimSpace(get("activity_type")),
		Indicator: strings.TrimSpace(get("indicator"))}
	var errs []*Error
	year := func(field string) int {
		s := strings.TrimSpace(get(field))
		if s == "" {
			return 0
		}
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 2100 {
			errs = append(errs, FieldError(field, "err.nipp.progress_bad_year", s))
			return 0
		}
		return y
	}
	q.From, q.To = year("from"), year("to")
	switch m := strings.TrimSpace(get("map")); m {
	case "", "34":
		q.Gen = Gen34
	case "63":
		q.Gen = Gen63
	default:
		errs = append(errs, FieldError("map", "err.nipp.progress_bad_map", m))
	}
	for _, f := range []TextField{{"program", q.Program, MaxCodeLen, false}, {"region", q.Region, MaxCodeLen, false},
		{"province", q.Province, MaxCodeLen, false}, {"activity_type", q.Activity, MaxCodeLen, false},
		{"indicator", q.Indicator, MaxCodeLen, false}} {
		if err := CheckText(f.Name, f.Value, f.Max, f.MultiLine); err != nil {
			errs = append(errs, err)
		}
	}
	switch {
	case q.Province != "":
		q.Scope, q.Region = ScopeProvince, ""
	case q.Region != "":
		q.Scope = ScopeRegion
	default:
		q.Scope = ScopeNational
	}
	if q.Program == "" {
		errs = append(errs, FieldError("program", "err.nipp.progress_program_required"))
	}
	if len(errs) > 0 {
		return q, Join(errs...)
	}
	return q, nil
}

// Resolve checks q against its program and fills the defaults: the period
// (From, To) is the program's when not given and must lie within it, with
// From <= To; Gen defaults to Gen34; Scope follows Province and Region.
// Whether the codes exist (province of generation Gen, region, activity
// type, indicator) is the store's to say.
func (q *ProgressQuery) Resolve(p *Program) error {
	if q.Gen == 0 {
		q.Gen = Gen34
	}
	if q.Gen != Gen34 && q.Gen != Gen63 {
		return FieldError("map", "err.nipp.progress_bad_map", strconv.Itoa(q.Gen))
	}
	switch {
	case q.Province != "":
		q.Scope, q.Region = ScopeProvince, ""
	case q.Region != "":
		q.Scope = ScopeRegion
	default:
		q.Scope = ScopeNational
	}
	if q.From == 0 {
		q.From = p.StartYear
	}
	if q.To == 0 {
		q.To = p.EndYear
	}
	var errs []*Error
	if !p.InPeriod(q.From) {
		errs = append(errs, FieldError("from", "err.nipp.year_outside", q.From, p.StartYear, p.EndYear))
	}
	if !p.InPeriod(q.To) {
		errs = append(errs, FieldError("to", "err.nipp.year_outside", q.To, p.StartYear, p.EndYear))
	}
	if len(errs) == 0 && q.From > q.To {
		errs = append(errs, FieldError("to", "err.nipp.progress_to_before_from", q.From, q.To))
	}
	return Join(errs...)
}

// Years is the number of plan years the query covers (at least 1).
func (q ProgressQuery) Years() int { return max(q.To-q.From+1, 1) }

// ProgramReadableBy reports whether pr may read a program's progress:
// every signed-in role for a published program (a public portal may open
// them to everyone later); an unpublished one only national roles and those
// who may edit it. Project lists linked from a dashboard keep their own
// scope (a provincial officer sees national figures, but the projects
// behind them as the project list shows them).
func ProgramReadableBy(p *Program, published bool, pr *Principal) bool {
	if pr.Anonymous() {
		return false
	}
	return published || pr.AllProvinces() || p.EditableBy(pr)
}

// Pace marks an indicator's progress against its target.
type Pace string

// Paces.
const (
	PaceNoTarget Pace = "no_target" // no target for the scope and period
	PaceAchieved Pace = "achieved"  // achieved >= target already
	PaceOnTrack  Pace = "on_track"  // projected >= target
	PaceAtRisk   Pace = "at_risk"   // projected < target
)

// Projection is where an indicator ends at its current pace.
//
// The rule: the pace is what was achieved and committed so far (decided
// work: accepted projects' actual outputs plus decided projects' planned
// outputs) per elapsed plan year, and the projection carries it over the
// query's years: Projected = (Achieved + Committed) × Years / Elapsed,
// rounded down, where Elapsed = AsOf − From + 1 clamped to [1, Years] and
// AsOf is the current year (plan years up to this one have been planned).
// The mark is Achieved when Achieved >= Target, else OnTrack when
// (Achieved + Committed) × Years >= Target × Elapsed (exactly: Projected
// >= Target without rounding), else AtRisk; NoTarget without a target.
func Projection(target int64, hasTarget bool, achieved, committed int64, years, elapsed int) (projected int64, pace Pace) {
	years = max(years, 1)
	elapsed = min(max(elapsed, 1), years)
	done := new(big.Int).Add(big.NewInt(achieved), big.NewInt(committed))
	p := new(big.Int).Mul(done, big.NewInt(int64(years)))
	pr := new(big.Int).Quo(p, big.NewInt(int64(elapsed)))
	if pr.IsInt64() {
		projected = pr.Int64()
	} else {
		projected = math.MaxInt64
	}
	switch {
	case !hasTarget:
		return projected, PaceNoTarget
	case achieved >= target:
		return projected, PaceAchieved
	case p.Cmp(new(big.Int).Mul(big.NewInt(target), big.NewInt(int64(elapsed)))) >= 0:
		return projected, PaceOnTrack
	}
	return projected, PaceAtRisk
}

// Elapsed is the number of the query's plan years up to asOf (the current
// year), clamped to [1, q.Years()].
func (q ProgressQuery) Elapsed(asOf int) int { return min(max(asOf-q.From+1, 1), q.Years()) }

// ShareBP is part/whole in basis points (10000 = 100%), rounded down, 0
// when whole <= 0. It may pass 10000 (a target exceeded).
func ShareBP(part, whole int64) int {
	if whole <= 0 || part <= 0 {
		return 0
	}
	r := new(big.Int).Quo(new(big.Int).Mul(big.NewInt(part), big.NewInt(10000)), big.NewInt(whole))
	if !r.IsInt64() || r.Int64() > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(r.Int64())
}

// Percent is a share in basis points as a message argument (959 shows as
// 9,59% / 9.59%).
type Percent int

// Multiple is a ratio in thousandths as a message argument (9500 shows as
// 9,5 / 9.5).
type Multiple int64

// GrowthBP is the compound annual growth from first to last over years
// years (last year − first year), in basis points rounded to the nearest:
// (last/first)^(1/years) − 1. ok is false when it is undefined (years < 1,
// first or last not positive).
func GrowthBP(first, last int64, years int) (bp int, ok bool) {
	if years < 1 || first <= 0 || last <= 0 {
		return 0, false
	}
	g := math.Pow(float64(last)/float64(first), 1/float64(years)) - 1
	return int(math.Round(g * 10000)), true
}

// StateGrowth is the compound annual growth of state funding over the
// years of rows (state = national + local sources, by plan year): from
// the first year of the range with state funding to the last one with
// state funding. Rows of other sources are ignored.
func StateGrowth(rows []FundingRow, measure func(FundingRow) int64) (bp int, from, to int, ok bool) {
	byYear := map[int]int64{}
	for _, r := range rows {
		if slices.Contains(StateSources, r.Source) {
			byYear[r.Year] += measure(r)
		}
	}
	for y, v := range byYear {
		if v <= 0 {
			continue
		}
		if from == 0 || y < from {
			from = y
		}
		if y > to {
			to = y
		}
	}
	if from == 0 || from == to {
		return 0, from, to, false
	}
	bp, ok = GrowthBP(byYear[from], byYear[to], to-from)
	return bp, from, to, ok
}

// LeverageMilli is VND of reciprocal capital per VND of state money, in
// thousandths, rounded down; ok false when state <= 0.
func LeverageMilli(reciprocal, state int64) (int64, bool) {
	if state <= 0 {
		return 0, false
	}
	r := new(big.Int).Quo(new(big.Int).Mul(big.NewInt(max(reciprocal, 0)), big.NewInt(1000)), big.NewInt(state))
	if !r.IsInt64() {
		return math.MaxInt64, true
	}
	return r.Int64(), true
}

// Rank ranks value among values (descending; equal values share a rank,
// the next rank skips: 1, 1, 3). values includes value itself.
func Rank(value int64, values []int64) int {
	r := 1
	for _, v := range values {
		if v > value {
			r++
		}
	}
	return r
}

// Dashboard is a program's progress for a scope and period.
type Dashboard struct {
	Query   ProgressQuery `json:"query"` // resolved: period and scope filled
	Program *Program      `json:"program"`
	// ScopeName names the scope (the region or the province; "" for the
	// country); AfterMerger is set for a Gen63 province scope that is a
	// 2025 unit (see Gen63).
	ScopeName   string `json:"scope_name,omitempty"`
	ScopeNameEN string `json:"scope_name_en,omitempty"`
	// Revision is the target revision the targets come from (nil when the
	// program has none): the last one decided by the end of the period.
	Revision *RevisionRef `json:"revision,omitempty"`
	// AsOf is the year the pace is measured to (the current year).
	AsOf       int                 `json:"as_of"`
	Indicators []IndicatorProgress `json:"indicators"`
	Funding    FundingSummary      `json:"funding"`
	Reach      Reach               `json:"establishments"`
	// Breakdowns: by province of the chosen map (with region), by
	// activity type, by plan year.
	Provinces  []ProvinceProgress `json:"provinces"`
	Activities []ActivityProgress `json:"activity_types"`
	Years      []YearProgress     `json:"years"`
	// Ranks are, for a province scope, its rank among the provinces of
	// the map on each indicator (by achieved); empty otherwise.
	Ranks []IndicatorRank `json:"ranks"`
}

// RevisionRef names a target revision.
type RevisionRef struct {
	Revision     int    `json:"revision"`
	DecisionNo   string `json:"decision_no"`
	DecisionDate Date   `json:"decision_date"`
}

// RevisionInForce picks, among a program's revisions (any order), the one
// that applies to a period ending in year to: the last (highest number)
// decided on or before 31 December of to; when none was decided by then,
// the first. nil when there are none.
func RevisionInForce(revs []RevisionRef, to int) *RevisionRef {
	var best, first *RevisionRef
	for i := range revs {
		r := &revs[i]
		if first == nil || r.Revision < first.Revision {
			first = r
		}
		if !r.DecisionDate.IsZero() && r.DecisionDate.Year > to {
			continue
		}
		if best == nil || r.Revision > best.Revision {
			best = r
		}
	}
	if best == nil {
		return first
	}
	return best
}

// IndicatorRef names an indicator with its unit.
type IndicatorRef struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
	UnitVI string `json:"unit_vi"`
	UnitEN string `json:"unit_en"`
}

// Outputs are the output figures of one indicator (or one cell of a
// breakdown): achieved and committed, with the projects behind each.
type Outputs struct {
	Achieved          int64 `json:"achieved"`
	Committed         int64 `json:"committed"`
	AchievedProjects  int64 `json:"achieved_projects"`
	CommittedProjects int64 `json:"committed_projects"`
}

// IndicatorProgress is one indicator's line of the dashboard.
type IndicatorProgress struct {
	Indicator IndicatorRef `json:"indicator"`
	// Target for the scope and period: see TargetFor. HasTarget is false
	// when no target applies (not allocated to the scope).
	Target    int64 `json:"target"`
	HasTarget bool  `json:"has_target"`
	// TargetWhole: the target is the whole program period's, while the
	// query covers part of it.
	TargetWhole bool `json:"target_whole,omitempty"`
	Outputs
	// Remaining = max(Target − Achieved, 0); DoneBP = Achieved/Target.
	Remaining int64 `json:"remaining"`
	DoneBP    int   `json:"done_bp"`
	Projected int64 `json:"projected"`
	Pace      Pace  `json:"pace"`
}

// Finish fills Remaining, DoneBP, Projected and Pace from the target and
// outputs, for a query of years years of which elapsed have passed.
func (ip *IndicatorProgress) Finish(years, elapsed int) {
	ip.Remaining, ip.DoneBP = 0, 0
	if ip.HasTarget {
		ip.Remaining = max(ip.Target-ip.Achieved, 0)
		ip.DoneBP = ShareBP(ip.Achieved, ip.Target)
	}
	ip.Projected, ip.Pace = Projection(ip.Target, ip.HasTarget, ip.Achieved, ip.Committed, years, elapsed)
}

// TargetFor sums the targets of one indicator that apply to a scope and
// period, from the rows of the revision in force:
//   - a target with a year counts when its year is in [from, to]; a target
//     without a year is the whole period's and counts whatever the range
//     (whole is then true when [from, to] is not the program's period);
//     when an indicator has targets with years for a place, those without
//     a year for the same place are not added to them;
//   - national scope: the national rows (no province); without any, the
//     sum of the provincial allocations;
//   - region or province scope: the allocations to the provinces in it
//     (inScope says which rows' provinces are in; the store maps an
//     allocation to a 2008 province into today's successor for Gen34);
//     without any, no target.
func TargetFor(rows []Target, indicator string, national bool, inScope func(Target) bool, from, to int, p *Program) (value int64, ok, whole bool) {
	pick := func(match func(Target) bool) (int64, bool, bool) {
		yearly := map[string]bool{} // place -> has yearly rows
		for _, t := range rows {
			if t.IndicatorCode == indicator && match(t) && t.Year != 0 {
				yearly[t.ProvinceCode] = true
			}
		}
		var sum int64
		found, wh := false, false
		for _, t := range rows {
			if t.IndicatorCode != indicator || !match(t) {
				continue
			}
			switch {
			case t.Year != 0 && t.Year >= from && t.Year <= to:
				sum, found = sum+t.Value, true
			case t.Year == 0 && !yearly[t.ProvinceCode]:
				sum, found = sum+t.Value, true
				wh = wh || from != p.StartYear || to != p.EndYear
			case t.Year != 0:
				found = true // yearly targets exist, none in the range: 0
			}
		}
		return sum, found, wh
	}
	if national {
		if v, ok, wh := pick(func(t Target) bool { return t.ProvinceCode == "" }); ok {
			return v, true, wh
		}
		return pick(func(t Target) bool { return t.ProvinceCode != "" })
	}
	return pick(func(t Target) bool { return t.ProvinceCode != "" && inScope(t) })
}

// Funding is an amount breakdown: approved and settled budget lines, and
// the ledger's figures (docs/ARCHITECTURE.md, "The co-financing ledger").
type Funding struct {
	// Approved: the approved amounts of decided projects' budget lines;
	// Settled: the settled (actual) amounts of settled projects' lines.
	Approved int64 `json:"approved"`
	Settled  int64 `json:"settled"`
	// From the ledger, of every project with entries (cancelled ones
	// too): Disbursed = advanced + paid; Spent = spent + adjusted
	// (expenditure as settled); Refunded; Contributed (reciprocal).
	Committed   int64 `json:"committed"`
	Disbursed   int64 `json:"disbursed"`
	Spent       int64 `json:"spent"`
	Refunded    int64 `json:"refunded"`
	Contributed int64 `json:"contributed"`
	Released    int64 `json:"released"`
}

// Add adds f2 to f, reporting false when a sum would overflow.
func (f *Funding) Add(f2 Funding) bool {
	ok := true
	add := func(a *int64, b int64) {
		s, o := AddVND(*a, b)
		*a, ok = s, ok && o
	}
	add(&f.Approved, f2.Approved)
	add(&f.Settled, f2.Settled)
	add(&f.Committed, f2.Committed)
	add(&f.Disbursed, f2.Disbursed)
	add(&f.Spent, f2.Spent)
	add(&f.Refunded, f2.Refunded)
	add(&f.Contributed, f2.Contributed)
	add(&f.Released, f2.Released)
	return ok
}

// FundingRow is funding of one plan year and source.
type FundingRow struct {
	Year   int    `json:"year"`
	Source string `json:"source"`
	Funding
}

// FundingSummary is the money of the scope and period.
type FundingSummary struct {
	// Rows: by plan year and source (years ascending, sources in budget
	// order), only those with money.
	Rows []FundingRow `json:"rows"`
	// BySource: totals per source over the period.
	BySource []FundingRow `json:"by_source"`
	// State: national + local sources; Reciprocal: the beneficiaries'.
	State      Funding `json:"state"`
	Reciprocal Funding `json:"reciprocal"`
	Total      Funding `json:"total"`
	// GrowthBP: compound annual growth of approved state funding by plan
	// year (StateGrowth), from GrowthFrom to GrowthTo; HasGrowth false
	// when fewer than two years have state funding.
	GrowthBP   int  `json:"growth_bp"`
	GrowthFrom int  `json:"growth_from"`
	GrowthTo   int  `json:"growth_to"`
	HasGrowth  bool `json:"has_growth"`
	// LeverageMilli: reciprocal capital promised (approved) per VND of
	// approved state money; ContributedMilli: contributed (ledger) per VND
	// of state money disbursed. Thousandths; Has* false when the state
	// figure is 0.
	LeverageMilli       int64 `json:"leverage_milli"`
	HasLeverage         bool  `json:"has_leverage"`
	ContributedMilli    int64 `json:"contributed_milli"`
	HasContributedRatio bool  `json:"has_contributed_ratio"`
	// Overflow: some sum left int64 and was left out (never in practice).
	Overflow bool `json:"overflow,omitempty"`
}

// Summarize fills BySource, State, Reciprocal, Total, growth and leverage
// from Rows.
func (s *FundingSummary) Summarize() {
	by := map[string]*FundingRow{}
	s.BySource, s.State, s.Reciprocal, s.Total = nil, Funding{}, Funding{}, Funding{}
	for _, r := range s.Rows {
		b := by[r.Source]
		if b == nil {
			b = &FundingRow{Source: r.Source}
			by[r.Source] = b
		}
		ok := b.Add(r.Funding) && s.Total.Add(r.Funding)
		if slices.Contains(StateSources, r.Source) {
			ok = s.State.Add(r.Funding) && ok
		}
		if r.Source == SourceReciprocal {
			ok = s.Reciprocal.Add(r.Funding) && ok
		}
		s.Overflow = s.Overflow || !ok
	}
	for _, src := range FundingSources() {
		if b := by[src]; b != nil {
			s.BySource = append(s.BySource, *b)
		}
	}
	s.GrowthBP, s.GrowthFrom, s.GrowthTo, s.HasGrowth = StateGrowth(s.Rows, func(r FundingRow) int64 { return r.Approved })
	s.LeverageMilli, s.HasLeverage = LeverageMilli(s.Reciprocal.Approved, s.State.Approved)
	s.ContributedMilli, s.HasContributedRatio = LeverageMilli(s.Reciprocal.Contributed, s.State.Disbursed)
}

// Reach is the establishments a scope's decided projects supported:
// distinct beneficiaries (an establishment supported by several projects
// counts once), how many of them were prioritised (in a priority group
// the project's rule set gives priority to, in at least one project), and
// per group the distinct establishments prioritised in it.
type Reach struct {
	Establishments int64        `json:"establishments"`
	Prioritised    int64        `json:"prioritised"`
	Groups         []GroupCount `json:"groups"`
}

// ProvinceProgress is one province's line of the breakdown by province.
type ProvinceProgress struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
	// Gen is the admin_units generation of the unit (2008 or 2025);
	// AfterMerger: a 2025 unit in a Gen63 view (see Gen63).
	Gen         int    `json:"generation"`
	AfterMerger bool   `json:"after_merger,omitempty"`
	Region      string `json:"region"`
	RegionVI    string `json:"region_vi"`
	RegionEN    string `json:"region_en"`
	// Outputs per indicator code (only indicators with figures).
	Outputs map[string]Outputs `json:"outputs"`
	// Targets per indicator code allocated to the province (only those
	// with an allocation).
	Targets        map[string]int64 `json:"targets"`
	Funding        Funding          `json:"funding"`        // all sources
	State          Funding          `json:"state"`          // national + local
	Establishments int64            `json:"establishments"` // distinct in the province
	Prioritised    int64            `json:"prioritised"`
}

// ActivityProgress is one activity type's line.
type ActivityProgress struct {
	Code           string             `json:"code"`
	NameVI         string             `json:"name_vi"`
	NameEN         string             `json:"name_en"`
	Outputs        map[string]Outputs `json:"outputs"`
	Funding        Funding            `json:"funding"`
	State          Funding            `json:"state"`
	Establishments int64              `json:"establishments"`
	Prioritised    int64              `json:"prioritised"`
}

// YearProgress is one plan year's line.
type YearProgress struct {
	Year           int                `json:"year"`
	Outputs        map[string]Outputs `json:"outputs"`
	Funding        Funding            `json:"funding"`
	State          Funding            `json:"state"`
	Establishments int64              `json:"establishments"`
	Prioritised    int64              `json:"prioritised"`
}

// IndicatorRank is a province's rank among the provinces of the map on one
// indicator, by achieved (Rank), out of Of provinces (every province of
// the generation, those with nothing too).
type IndicatorRank struct {
	Indicator string `json:"indicator"`
	Achieved  int64  `json:"achieved"`
	Rank      int    `json:"rank"`
	Of        int    `json:"of"`
}

// Review is the program review report for a period and scope: the
// headline figures and sentences, the attainment table (the dashboard's
// indicators), the funding table and the leading activity types.
type Review struct {
	Query       ProgressQuery       `json:"query"`
	Program     *Program            `json:"program"`
	ScopeName   string              `json:"scope_name,omitempty"`
	ScopeNameEN string              `json:"scope_name_en,omitempty"`
	Revision    *RevisionRef        `json:"revision,omitempty"`
	Figures     ReviewFigures       `json:"figures"`
	Headlines   []Msg               `json:"-"` // sentences, translated where shown
	Attainment  []IndicatorProgress `json:"attainment"`
	Funding     FundingSummary      `json:"funding"`
	Reach       Reach               `json:"establishments"`
	// Leading: activity types by approved state funding, largest first
	// (at most LeadingActivities).
	Leading []ActivityProgress `json:"leading_activity_types"`
}

// LeadingActivities is how many activity types a review names.
const LeadingActivities = 5

// ReviewFigures are the numbers the headlines quote.
type ReviewFigures struct {
	GrowthBP       int   `json:"growth_bp"`
	HasGrowth      bool  `json:"has_growth"`
	GrowthFrom     int   `json:"growth_from"`
	GrowthTo       int   `json:"growth_to"`
	StateApproved  int64 `json:"state_approved"`
	StateDisbursed int64 `json:"state_disbursed"`
	// Reciprocal: promised (approved) and contributed (ledger).
	ReciprocalPromised    int64 `json:"reciprocal_promised"`
	ReciprocalContributed int64 `json:"reciprocal_contributed"`
	LeverageMilli         int64 `json:"leverage_milli"`
	HasLeverage           bool  `json:"has_leverage"`
	// Models: technical demonstration models built (indicator
	// ModelsIndicator achieved), its target and share.
	Models          int64 `json:"models"`
	ModelsTarget    int64 `json:"models_target"`
	ModelsHasTarget bool  `json:"models_has_target"`
	ModelsDoneBP    int   `json:"models_done_bp"`
	Establishments  int64 `json:"establishments"`
	Prioritised     int64 `json:"prioritised"`
	// OnTrack and AtRisk count the indicators with a target by mark
	// (achieved counts as on track).
	OnTrack int `json:"on_track"`
	AtRisk  int `json:"at_risk"`
}

// ModelsIndicator is the indicator the review's "models built" quotes.
const ModelsIndicator = "DEMO_MODELS"

// ReviewOf builds the review from the dashboard of the same query: its
// figures, the headline sentences (catalog messages review.headline.*)
// and the leading activity types.
func ReviewOf(d *Dashboard) *Review {
	r := &Review{Query: d.Query, Program: d.Program, ScopeName: d.ScopeName, ScopeNameEN: d.ScopeNameEN, Revision: d.Revision,
		Attainment: d.Indicators, Funding: d.Funding, Reach: d.Reach}
	f := &r.Figures
	fs := d.Funding
	f.GrowthBP, f.HasGrowth, f.GrowthFrom, f.GrowthTo = fs.GrowthBP, fs.HasGrowth, fs.GrowthFrom, fs.GrowthTo
	f.StateApproved, f.StateDisbursed = fs.State.Approved, fs.State.Disbursed
	f.ReciprocalPromised, f.ReciprocalContributed = fs.Reciprocal.Approved, fs.Reciprocal.Contributed
	f.LeverageMilli, f.HasLeverage = fs.LeverageMilli, fs.HasLeverage
	f.Establishments, f.Prioritised = d.Reach.Establishments, d.Reach.Prioritised
	for _, ip := range d.Indicators {
		if ip.Indicator.Code == ModelsIndicator {
			f.Models, f.ModelsTarget, f.ModelsHasTarget, f.ModelsDoneBP = ip.Achieved, ip.Target, ip.HasTarget, ip.DoneBP
		}
		switch ip.Pace {
		case PaceAchieved, PaceOnTrack:
			f.OnTrack++
		case PaceAtRisk:
			f.AtRisk++
		}
	}
	switch {
	case f.HasGrowth && f.GrowthBP < 0:
		// A fall is said as one ("giảm 3,71%"), not as a growth of -3,71%.
		r.Headlines = append(r.Headlines, M("review.headline.decline", Percent(-f.GrowthBP), f.GrowthFrom, f.GrowthTo))
	case f.HasGrowth:
		r.Headlines = append(r.Headlines, M("review.headline.growth", Percent(f.GrowthBP), f.GrowthFrom, f.GrowthTo))
	}
	if f.ReciprocalPromised > 0 || f.ReciprocalContributed > 0 {
		if f.HasLeverage {
			r.Headlines = append(r.Headlines, M("review.headline.reciprocal", VND(f.ReciprocalPromised), VND(f.ReciprocalContributed), Multiple(f.LeverageMilli)))
		} else {
			r.Headlines = append(r.Headlines, M("review.headline.reciprocal_only", VND(f.ReciprocalPromised), VND(f.ReciprocalContributed)))
		}
	}
	if f.ModelsHasTarget {
		r.Headlines = append(r.Headlines, M("review.headline.models", Num(f.Models), Percent(f.ModelsDoneBP), Num(f.ModelsTarget)))
	} else if f.Models > 0 {
		r.Headlines = append(r.Headlines, M("review.headline.models_no_target", Num(f.Models)))
	}
	if f.Establishments > 0 {
		r.Headlines = append(r.Headlines, M("review.headline.establishments", Num(f.Establishments), Num(f.Prioritised)))
	}
	if f.OnTrack+f.AtRisk > 0 {
		r.Headlines = append(r.Headlines, M("review.headline.pace", Num(f.OnTrack), Num(f.OnTrack+f.AtRisk), Num(f.AtRisk)))
	}
	lead := slices.Clone(d.Activities)
	slices.SortStableFunc(lead, func(a, b ActivityProgress) int {
		switch {
		case a.State.Approved > b.State.Approved:
			return -1
		case a.State.Approved < b.State.Approved:
			return 1
		}
		return strings.Compare(a.Code, b.Code)
	})
	for _, a := range lead {
		if len(r.Leading) == LeadingActivities || a.State.Approved <= 0 {
			break
		}
		r.Leading = append(r.Leading, a)
	}
	return r
}

// RollupDifference is one difference `nipp rollup verify` found between a
// kept summary row and the row recomputed from the base tables.
type RollupDifference struct {
	Table string `json:"table"`
	// Key names the row ("program=NIPP-2021-2025 year=2023 ...").
	Key string `json:"key"`
	// Column differs: Kept is what the summary holds, Want what the base
	// tables give ("" when the row is missing on that side).
	Column string `json:"column"`
	Kept   string `json:"kept"`
	Want   string `json:"want"`
}

// TargetTable is a program's targets laid out as the ministry's allocation
// table: one row per province (and year, when the targets have years),
// one column per indicator, the national row first. It is what the
// program page's allocation form shows and what the .xlsx import reads.
type TargetTable struct {
	Program    string         `json:"program"`
	Revision   *RevisionRef   `json:"revision,omitempty"`
	Indicators []IndicatorRef `json:"indicators"`
	Rows       []TargetRow    `json:"rows"`
}

// TargetRow is one row of a TargetTable. Province "" is the national row;
// Year 0 the whole period. Values holds a value per indicator code with a
// target.
type TargetRow struct {
	Province string           `json:"province,omitempty"`
	NameVI   string           `json:"name_vi,omitempty"`
	NameEN   string           `json:"name_en,omitempty"`
	Year     int              `json:"year,omitempty"`
	Values   map[string]int64 `json:"values"`
}

// NationalRow is how a cell's field names the national row.
const NationalRow = "VN"

// TargetCellField names a cell of an allocation table as a form field and
// in problems: "<indicator>.<province or VN>[.<year>]".
func TargetCellField(indicator, province string, year int) string {
	if province == "" {
		province = NationalRow
	}
	f := indicator + "." + province
	if year != 0 {
		f += "." + strconv.Itoa(year)
	}
	return f
}

// Merge returns the targets of a new revision made from this table over
// the revision in force (prev, may be nil): the table's cells replace, for
// the table's indicators, every target of the places and years its rows
// cover; every other target of prev carries over unchanged.
func (t *TargetTable) Merge(prev []Target) []Target {
	inds, cells := map[string]bool{}, map[string]bool{}
	for _, in := range t.Indicators {
		inds[in.Code] = true
	}
	for _, r := range t.Rows {
		cells[r.Province+"/"+strconv.Itoa(r.Year)] = true
	}
	var out []Target
	for _, p := range prev {
		if inds[p.IndicatorCode] && cells[p.ProvinceCode+"/"+strconv.Itoa(p.Year)] {
			continue
		}
		out = append(out, p)
	}
	return append(out, t.Targets()...)
}

// Targets flattens the table into a revision's targets (cells without a
// value are no target).
func (t *TargetTable) Targets() []Target {
	var out []Target
	for _, r := range t.Rows {
		for _, in := range t.Indicators {
			if v, ok := r.Values[in.Code]; ok {
				out = append(out, Target{IndicatorCode: in.Code, ProvinceCode: r.Province, Year: r.Year, Value: v})
			}
		}
	}
	return out
}
