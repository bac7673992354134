package nipp

import (
	"testing"
)

// The pace rule at its boundary, by hand: a 5-year query, 2 years
// elapsed, target 100. Projected = (achieved + committed) × 5 / 2:
// 40 done project to exactly 100 (on track); 39 to 97.5, shown 97 (at
// risk); 100 achieved is achieved whatever was committed.
func TestProjectionBoundary(t *testing.T) {
	for _, c := range []struct {
		target              int64
		has                 bool
		achieved, committed int64
		years, elapsed      int
		projected           int64
		pace                Pace
	}{
		{100, true, 30, 10, 5, 2, 100, PaceOnTrack},
		{100, true, 30, 9, 5, 2, 97, PaceAtRisk},
		{100, true, 100, 0, 5, 2, 250, PaceAchieved},
		{100, true, 99, 0, 5, 5, 99, PaceAtRisk},
		{100, true, 99, 1, 5, 5, 100, PaceOnTrack},
		{0, false, 7, 0, 5, 1, 35, PaceNoTarget},
		{0, true, 0, 0, 5, 1, 0, PaceAchieved},   // a target of 0 is met
		{100, true, 10, 0, 5, 0, 50, PaceAtRisk}, // elapsed clamped to 1
		{100, true, 10, 0, 5, 9, 10, PaceAtRisk}, // elapsed clamped to 5
	} {
		p, pace := Projection(c.target, c.has, c.achieved, c.committed, c.years, c.elapsed)
		if p != c.projected || pace != c.pace {
			t.Errorf("Projection(%d, %v, %d, %d, %d, %d) = %d %s, want %d %s", c.target, c.has, c.achieved, c.committed, c.years, c.elapsed,
				p, pace, c.projected, c.pace)
		}
	}
	q := ProgressQuery{From: 2021, To: 2025}
	for asOf, want := range map[int]int{2020: 1, 2021: 1, 2022: 2, 2025: 5, 2030: 5} {
		if got := q.Elapsed(asOf); got != want {
			t.Errorf("Elapsed(%d) = %d, want %d", asOf, got, want)
		}
	}
}

// Growth, shares, leverage and rank, by hand.
func TestProgressArithmetic(t *testing.T) {
	// 100 -> 200 over 2 years: √2 − 1 = 0.414213... = 4142 bp.
	if bp, ok := GrowthBP(100, 200, 2); !ok || bp != 4142 {
		t.Errorf("GrowthBP(100, 200, 2) = %d %v", bp, ok)
	}
	// The review's 9.59% a year: 100 -> 100 × 1.0959^4 = 144.23...
	if bp, ok := GrowthBP(100_000, 144_234, 4); !ok || bp != 959 {
		t.Errorf("GrowthBP 4 years = %d %v", bp, ok)
	}
	if _, ok := GrowthBP(0, 200, 2); ok {
		t.Error("growth from 0 is undefined")
	}
	rows := []FundingRow{{Year: 2021, Source: SourceNational, Funding: Funding{Approved: 60}}, {Year: 2021, Source: SourceLocal, Funding: Funding{Approved: 40}},
		{Year: 2022, Source: SourceReciprocal, Funding: Funding{Approved: 999}}, {Year: 2023, Source: SourceNational, Funding: Funding{Approved: 121}}}
	if bp, from, to, ok := StateGrowth(rows, func(r FundingRow) int64 { return r.Approved }); !ok || bp != 1000 || from != 2021 || to != 2023 {
		t.Errorf("StateGrowth = %d %d-%d %v, want 10%% 2021-2023", bp, from, to, ok)
	}
	for _, c := range []struct {
		part, whole int64
		bp          int
	}{{4, 1000, 40}, {3, 10, 3000}, {1, 3, 3333}, {12, 10, 12000}, {5, 0, 0}, {1, 1 << 62, 0}} {
		if got := ShareBP(c.part, c.whole); got != c.bp {
			t.Errorf("ShareBP(%d, %d) = %d, want %d", c.part, c.whole, got, c.bp)
		}
	}
	if m, ok := LeverageMilli(9_500, 1_000); !ok || m != 9500 {
		t.Errorf("LeverageMilli = %d %v", m, ok)
	}
	if _, ok := LeverageMilli(5, 0); ok {
		t.Error("leverage without state money")
	}
	if r := Rank(3, []int64{3, 5, 3, 1}); r != 2 {
		t.Errorf("Rank = %d, want 2 (one larger; ties share)", r)
	}
	if r := Rank(1, []int64{3, 5, 3, 1}); r != 4 {
		t.Errorf("Rank = %d, want 4 (1, 2, 2, 4)", r)
	}
}

// The revision for a period ending in to: the last decided by 31 December
// of to; before any, the first.
func TestRevisionInForce(t *testing.T) {
	revs := []RevisionRef{{Revision: 2, DecisionDate: MustDate("2023-06-15")}, {Revision: 1, DecisionDate: MustDate("2020-11-20")},
		{Revision: 3, DecisionDate: MustDate("2024-01-01")}}
	for to, want := range map[int]int{2019: 1, 2020: 1, 2022: 1, 2023: 2, 2024: 3, 2030: 3} {
		if r := RevisionInForce(revs, to); r == nil || r.Revision != want {
			t.Errorf("RevisionInForce(%d) = %+v, want %d", to, r, want)
		}
	}
	if RevisionInForce(nil, 2025) != nil {
		t.Error("no revisions")
	}
}

func TestTargetFor(t *testing.T) {
	p := &Program{StartYear: 2021, EndYear: 2025}
	rows := []Target{
		{IndicatorCode: "M", Value: 1000},                              // national, whole period
		{IndicatorCode: "M", ProvinceCode: "01", Value: 10},            // Hà Nội, whole period
		{IndicatorCode: "M", ProvinceCode: "08", Year: 2024, Value: 2}, // Tuyên Quang by year
		{IndicatorCode: "M", ProvinceCode: "08", Year: 2025, Value: 3},
		{IndicatorCode: "M", ProvinceCode: "08", Value: 99}, // ignored: 08 has yearly targets
		{IndicatorCode: "W", ProvinceCode: "01", Year: 2022, Value: 7},
	}
	in := func(codes ...string) func(Target) bool {
		return func(t Target) bool {
			for _, c := range codes {
				if t.ProvinceCode == c {
					return true
				}
			}
			return false
		}
	}
	for _, c := range []struct {
		name     string
		ind      string
		national bool
		scope    func(Target) bool
		from, to int
		v        int64
		ok, wh   bool
	}{
		{"national row", "M", true, nil, 2021, 2025, 1000, true, false},
		{"national row, part of the period", "M", true, nil, 2024, 2025, 1000, true, true},
		{"national from allocations", "W", true, nil, 2021, 2025, 7, true, false},
		{"allocations outside the years", "W", true, nil, 2023, 2025, 0, true, false},
		{"province whole period", "M", false, in("01"), 2021, 2025, 10, true, false},
		{"province yearly", "M", false, in("08"), 2021, 2025, 5, true, false},
		{"province yearly, one year", "M", false, in("08"), 2025, 2025, 3, true, false},
		{"region", "M", false, in("01", "08"), 2021, 2025, 15, true, false},
		{"not allocated", "M", false, in("04"), 2021, 2025, 0, false, false},
	} {
		v, ok, wh := TargetFor(rows, c.ind, c.national, c.scope, c.from, c.to, p)
		if v != c.v || ok != c.ok || wh != c.wh {
			t.Errorf("%s: %d %v %v, want %d %v %v", c.name, v, ok, wh, c.v, c.ok, c.wh)
		}
	}
}

func TestParseProgressQuery(t *testing.T) {
	vals := map[string]string{"program": "NIPP-2021-2025", "from": "2022", "to": "2024", "region": "NMM", "province": "08", "map": "63"}
	q, err := ParseProgressQuery(func(k string) string { return vals[k] })
	if err != nil || q.Scope != ScopeProvince || q.Region != "" || q.Gen != Gen63 || q.From != 2022 || q.To != 2024 {
		t.Fatalf("%+v %v", q, err)
	}
	bad := map[string]string{"from": "20x", "map": "50"}
	_, err = ParseProgressQuery(func(k string) string { return bad[k] })
	fields := map[string]bool{}
	for _, p := range ErrorProblems(err) {
		fields[p.Field] = true
	}
	if !fields["from"] || !fields["map"] || !fields["program"] {
		t.Errorf("problems %+v", ErrorProblems(err))
	}
	p := &Program{StartYear: 2021, EndYear: 2025}
	q = ProgressQuery{Program: "X"}
	if err := q.Resolve(p); err != nil || q.From != 2021 || q.To != 2025 || q.Gen != Gen34 || q.Scope != ScopeNational {
		t.Errorf("defaults %+v %v", q, err)
	}
	q = ProgressQuery{Program: "X", From: 2024, To: 2022}
	if err := q.Resolve(p); ErrorCode(err) != EINVALID {
		t.Errorf("from after to: %v", err)
	}
	q = ProgressQuery{Program: "X", From: 2020}
	if err := q.Resolve(p); ErrorCode(err) != EINVALID {
		t.Errorf("outside the period: %v", err)
	}
}

// A table's cells replace, for its indicators, the targets of the rows it
// covers; everything else carries over.
func TestTargetTableMerge(t *testing.T) {
	prev := []Target{{IndicatorCode: "M", Value: 100}, {IndicatorCode: "M", ProvinceCode: "01", Value: 10},
		{IndicatorCode: "M", ProvinceCode: "04", Value: 3}, {IndicatorCode: "M", ProvinceCode: "01", Year: 2027, Value: 2},
		{IndicatorCode: "W", Value: 500}}
	tb := &TargetTable{Indicators: []IndicatorRef{{Code: "M"}}, Rows: []TargetRow{
		{Values: map[string]int64{"M": 120}}, {Province: "01", Values: map[string]int64{}}, {Province: "08", Values: map[string]int64{"M": 6}}}}
	got := map[string]int64{}
	for _, x := range tb.Merge(prev) {
		got[TargetCellField(x.IndicatorCode, x.ProvinceCode, x.Year)] = x.Value
	}
	want := map[string]int64{"M.VN": 120, "M.04": 3, "M.01.2027": 2, "W.VN": 500, "M.08": 6}
	if len(got) != len(want) {
		t.Fatalf("merged %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
}

// A fall of state funding is said as a fall (its positive rate), never as a
// growth of a negative rate; a rise as a growth.
func TestReviewSaysAFallAsAFall(t *testing.T) {
	for _, c := range []struct {
		bp      int
		key     string
		shownBP int
	}{{-371, "review.headline.decline", 371}, {959, "review.headline.growth", 959}, {0, "review.headline.growth", 0}} {
		d := &Dashboard{Funding: FundingSummary{GrowthBP: c.bp, HasGrowth: true, GrowthFrom: 2021, GrowthTo: 2025}}
		r := ReviewOf(d)
		if len(r.Headlines) == 0 || r.Headlines[0].Key != c.key {
			t.Fatalf("growth %d bp: headlines %v, want first %s", c.bp, r.Headlines, c.key)
		}
		if got := r.Headlines[0].Args[0]; got != Percent(c.shownBP) {
			t.Errorf("growth %d bp: rate %v, want %v", c.bp, got, Percent(c.shownBP))
		}
	}
}
