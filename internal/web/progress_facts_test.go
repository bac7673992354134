package web_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// progressSet is the small fixed data set of TestProgressFiguresByHand,
// built through the use cases (the JSON API) as officers would:
//
// Program NIPP-2021-2025 (2021-2025). Targets: revision 1 (the embedded
// 1881/QĐ-TTg of 20/11/2020: MACHINES 1,600, WORKERS_TRAINED 10,000,
// ...); revision 2, decided 15/06/2023, in the middle of the period:
// MACHINES 1,000 nationally, allocated 10 to Hà Nội (01) and 6 to Tuyên
// Quang (08), WORKERS_TRAINED 10,000. Rule set RS-F (from 01/02/2026):
// MACHINERY caps 50% / 300,000,000 for both state sources in ordinary
// and disadvantaged areas; priority to the four groups. Every project is
// MACHINERY, approved by decision 123/QĐ-BCT of 01/03/2026 (RS-F).
//
//	P1 2024 Hà Nội (01; at the time the 2008 Hà Nội), national 100M,
//	   reciprocal 300M, 2 machines planned; beneficiary E1; accepted with 3
//	   machines; 30M advanced from national funds before acceptance, 20M
//	   paid after it.
//	P2 2025 Tuyên Quang today (08), Hà Giang (02) at the time: crosses the
//	   merger. National 200M, reciprocal 400M, 4 machines; beneficiaries E2
//	   (women-owned: prioritised) and E1; in implementation.
//	P3 2025 Hà Nội, recorded after the merger (2025 unit at the time),
//	   national 150M, reciprocal 150M, 5 machines, beneficiary E3;
//	   approved, then cancelled (the ledger releases its commitments).
//	P4 2023 Cao Bằng (04), disadvantaged area, national 100M, reciprocal
//	   100M, 1 machine; beneficiary E4 (ethnic-minority-owned:
//	   prioritised); accepted with 1.
//	P5 2024 Hà Nội, a draft: counts nowhere.
type progressSet struct {
	f                  *fixture
	p1, p2, p3, p4, p5 string
}

func (f *fixture) progressRuleSet() {
	f.t.Helper()
	rs := &nipp.RuleSet{Code: "RS-F", NameVI: "RS-F", LegalBasis: "Nghị định F", ValidFrom: nipp.MustDate("2026-02-01"),
		Eligibility: nipp.Eligibility{PriorityGroups: nipp.PriorityGroupCodes}}
	for _, src := range []string{nipp.SourceNational, nipp.SourceLocal} {
		for _, area := range []string{nipp.AreaOrdinary, nipp.AreaDisadvantaged} {
			rs.Caps = append(rs.Caps, nipp.SupportCap{ActivityTypeCode: "MACHINERY", AreaCategory: area, FundingSource: src, MaxShareBP: 5000, MaxAmount: 300_000_000})
		}
	}
	if err := f.db.WriteTx(context.Background(), func(tx *store.Tx) error { return tx.CreateRuleSet(context.Background(), rs, "test") }); err != nil {
		f.t.Fatal(err)
	}
}

// progressProject proposes a project as the central officer.
func (f *fixture) progressProject(year int, province, area string, national, reciprocal, machines int64, beneficiaries ...string) string {
	f.t.Helper()
	in := nipp.ProjectInput{ProgramCode: "NIPP-2021-2025", Year: year, Title: "Máy móc " + province, ActivityTypeCode: "MACHINERY",
		ImplementingOrg: "TTKC-" + province, ProvinceCode: province, AreaCategory: area,
		// The test's establishments are Hà Nội's: projects elsewhere name it
		// too (figures count under the lead province only).
		Budget:  []nipp.BudgetLine{{Source: nipp.SourceNational, Planned: national}, {Source: nipp.SourceReciprocal, Planned: reciprocal}},
		Outputs: []nipp.ProjectOutput{{IndicatorCode: "MACHINES", Planned: machines}}}
	if province != "01" {
		in.OtherProvinces = []string{"01"}
	}
	r := f.central.SendJSON("POST", "/api/v1/projects", in)
	if r.Status != http.StatusCreated {
		f.t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var p nipp.Project
	r.JSON(f.t, &p)
	for _, e := range beneficiaries {
		v := f.get(p.PublicID).Version
		r := f.admin.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/beneficiaries", map[string]any{"version": v, "establishment": e, "confirm_reason": "kiểm thử"})
		if r.Status != http.StatusOK && r.Status != http.StatusCreated {
			f.t.Fatalf("beneficiary %s: %d %s", e, r.Status, r.Body)
		}
	}
	return p.PublicID
}

// atTheTime sets where a project was recorded: a 2008 province for a
// record made before the merger (as migrated and demo data have it; the
// forms of today only offer the 34).
func (f *fixture) atTheTime(id, code string, gen int) {
	f.t.Helper()
	storetest.MustExec(f.t, f.db, `UPDATE projects SET orig_province_id = (SELECT id FROM admin_units WHERE level = 'province' AND code = $1 AND generation = $2)
		WHERE public_id = $3`, code, gen, id)
}

// drive moves a project through actions as the administrator; accept
// records actual (indicator -> value).
func (f *fixture) drive(id string, actual map[string]int64, actions ...string) {
	f.t.Helper()
	for _, a := range actions {
		in := f.input(f.get(id), a)
		if a == nipp.ActAccept && actual != nil {
			in.ActualOutputs = actual
		}
		if r := f.admin.SendJSON("POST", "/api/v1/projects/"+id+"/transitions/"+a, in); r.Status != http.StatusOK {
			f.t.Fatalf("%s %s: %d %s", id, a, r.Status, r.Body)
		}
	}
}

func newProgressSet(t *testing.T, db *store.DB) *progressSet {
	f := newFixture(t, db)
	f.progressRuleSet()
	f.insertGroupEstablishment("0100000101", "Cơ sở dệt Hoa Mai", true, false, false) // E2: women-owned
	f.insertGroupEstablishment("0100000102", "Hộ rèn Phúc Sen", false, true, false)   // E4: ethnic-minority-owned
	const e1, e3, e2, e4 = "cs-test00000", "cs-test00001", "cs-0100000101", "cs-0100000102"
	// Revision 2 in the middle of the period.
	rev := &nipp.TargetRevision{DecisionNo: "55/QĐ-TTg", DecisionDate: nipp.MustDate("2023-06-15"), Targets: []nipp.Target{
		{IndicatorCode: "MACHINES", Value: 1000}, {IndicatorCode: "MACHINES", ProvinceCode: "01", Value: 10},
		{IndicatorCode: "MACHINES", ProvinceCode: "08", Value: 6}, {IndicatorCode: "WORKERS_TRAINED", Value: 10000}}}
	if _, err := f.env.App.ReviseTargets(as(f.central), "NIPP-2021-2025", rev); err != nil {
		t.Fatalf("revision: %v", err)
	}
	s := &progressSet{f: f}
	s.p1 = f.progressProject(2024, "01", nipp.AreaOrdinary, 100_000_000, 300_000_000, 2, e1)
	f.atTheTime(s.p1, "01", 2008)
	s.p2 = f.progressProject(2025, "08", nipp.AreaOrdinary, 200_000_000, 400_000_000, 4, e2, e1)
	f.atTheTime(s.p2, "02", 2008)
	s.p3 = f.progressProject(2025, "01", nipp.AreaOrdinary, 150_000_000, 150_000_000, 5, e3)
	s.p4 = f.progressProject(2023, "04", nipp.AreaDisadvantaged, 100_000_000, 100_000_000, 1, e4)
	f.atTheTime(s.p4, "04", 2008)
	s.p5 = f.progressProject(2024, "01", nipp.AreaOrdinary, 100_000_000, 300_000_000, 2, e1)

	f.drive(s.p1, nil, "submit", "start_appraisal", "approve", "start")
	if r := f.central.SendJSON("POST", "/api/v1/projects/"+s.p1+"/ledger", nipp.LedgerInput{Source: nipp.SourceNational, Kind: nipp.LedgerAdvance,
		Amount: 30_000_000, Date: nipp.MustDate("2026-04-01"), DocNo: "UNC-1", DocDate: nipp.MustDate("2026-04-01")}); r.Status/100 != 2 {
		t.Fatalf("advance: %d %s", r.Status, r.Body)
	}
	f.drive(s.p1, map[string]int64{"MACHINES": 3}, "accept")
	if r := f.central.SendJSON("POST", "/api/v1/projects/"+s.p1+"/ledger", nipp.LedgerInput{Source: nipp.SourceNational, Kind: nipp.LedgerPayment,
		Amount: 20_000_000, Date: nipp.MustDate("2026-10-01"), DocNo: "UNC-2", DocDate: nipp.MustDate("2026-10-01")}); r.Status/100 != 2 {
		t.Fatalf("payment: %d %s", r.Status, r.Body)
	}
	f.drive(s.p2, nil, "submit", "start_appraisal", "approve", "start")
	f.drive(s.p3, nil, "submit", "start_appraisal", "approve", "cancel")
	f.drive(s.p4, map[string]int64{"MACHINES": 1}, "submit", "start_appraisal", "approve", "start", "accept")
	return s
}

// as returns a context acting as c's user.
func as(c *webtest.Client) context.Context {
	u := c.User
	return nipp.WithPrincipal(context.Background(), &nipp.Principal{UserID: u.ID, Email: u.Email, Role: u.Role, Provinces: u.Provinces})
}

func (s *progressSet) dashboard(t *testing.T, c *webtest.Client, q nipp.ProgressQuery) *nipp.Dashboard {
	t.Helper()
	q.Program = "NIPP-2021-2025"
	d, err := s.f.env.App.ProgramDashboard(as(c), q)
	if err != nil {
		t.Fatalf("dashboard %+v: %v", q, err)
	}
	return d
}

func indicator(t *testing.T, d *nipp.Dashboard, code string) nipp.IndicatorProgress {
	t.Helper()
	for _, ip := range d.Indicators {
		if ip.Indicator.Code == code {
			return ip
		}
	}
	t.Fatalf("no indicator %s in %+v", code, d.Indicators)
	return nipp.IndicatorProgress{}
}

func provinceOf(t *testing.T, d *nipp.Dashboard, code string, gen int) nipp.ProvinceProgress {
	t.Helper()
	for _, p := range d.Provinces {
		if p.Code == code && p.Gen == gen {
			return p
		}
	}
	t.Fatalf("no province %s (%d) in the breakdown", code, gen)
	return nipp.ProvinceProgress{}
}

func funding(d *nipp.Dashboard, year int, source string) nipp.Funding {
	for _, r := range d.Funding.Rows {
		if r.Year == year && r.Source == source {
			return r.Funding
		}
	}
	return nipp.Funding{}
}

const mVND = 1_000_000

// TestProgressFiguresByHand checks what ProgramDashboard and
// ProgramReview return on progressSet against figures worked out by hand
// (in the comments), in both maps, for the country, a region and
// provinces; then that rollup verify finds a corrupted summary and repair
// mends it, and that an establishment merge keeps "distinct" exact.
func TestProgressFiguresByHand(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		s := newProgressSet(t, db)
		f := s.f
		if ds, err := collectRollups(f.env.App.VerifyRollups, as(f.auditor)); err != nil || len(ds) > 0 {
			t.Fatalf("verify after building: %v %+v", err, ds)
		}

		// The country, map of 34, whole period (2021-2025; the clock says
		// 2026, so all 5 years have elapsed).
		d := s.dashboard(t, f.prov2, nipp.ProgressQuery{}) // a provincial officer of another province sees national figures
		if d.Query.From != 2021 || d.Query.To != 2025 || d.Query.Gen != nipp.Gen34 || d.Revision == nil || d.Revision.Revision != 2 {
			t.Fatalf("query %+v, revision %+v", d.Query, d.Revision)
		}
		// MACHINES: target 1,000 (revision 2); achieved P1 3 + P4 1 = 4;
		// committed P2 4 (P3 cancelled, P5 a draft); remaining 996; done
		// 4/1000 = 0.40% = 40 bp; projected (4+4) × 5/5 = 8 < 1,000: at risk.
		m := indicator(t, d, "MACHINES")
		want := nipp.IndicatorProgress{Indicator: m.Indicator, Target: 1000, HasTarget: true,
			Outputs:   nipp.Outputs{Achieved: 4, Committed: 4, AchievedProjects: 2, CommittedProjects: 1},
			Remaining: 996, DoneBP: 40, Projected: 8, Pace: nipp.PaceAtRisk}
		if m != want {
			t.Errorf("MACHINES\n got %+v\nwant %+v", m, want)
		}
		if w := indicator(t, d, "WORKERS_TRAINED"); w.Target != 10000 || w.Achieved != 0 || w.Pace != nipp.PaceAtRisk {
			t.Errorf("WORKERS_TRAINED %+v", w)
		}
		if len(d.Indicators) != 2 {
			t.Errorf("indicators: %d, want MACHINES and WORKERS_TRAINED", len(d.Indicators))
		}
		// Funding by plan year and source. 2023: P4 national 100M approved
		// and committed, reciprocal 100M. 2024: P1 national 100M, 50M
		// disbursed; reciprocal 300M. 2025: P2 national 200M approved; the
		// disbursed is P1's advance and payment (30M + 20M); the
		// ledger committed P2's 200M and P3's 150M (350M) and released P3's
		// 150M at its cancellation; reciprocal approved 400M, committed
		// 400M + 150M, released 150M.
		for _, c := range []struct {
			year int
			src  string
			want nipp.Funding
		}{
			{2023, "national", nipp.Funding{Approved: 100 * mVND, Committed: 100 * mVND}},
			{2023, "reciprocal", nipp.Funding{Approved: 100 * mVND, Committed: 100 * mVND}},
			{2024, "national", nipp.Funding{Approved: 100 * mVND, Committed: 100 * mVND, Disbursed: 50 * mVND}},
			{2024, "reciprocal", nipp.Funding{Approved: 300 * mVND, Committed: 300 * mVND}},
			{2025, "national", nipp.Funding{Approved: 200 * mVND, Committed: 350 * mVND, Released: 150 * mVND}},
			{2025, "reciprocal", nipp.Funding{Approved: 400 * mVND, Committed: 550 * mVND, Released: 150 * mVND}},
		} {
			if got := funding(d, c.year, c.src); got != c.want {
				t.Errorf("funding %d %s\n got %+v\nwant %+v", c.year, c.src, got, c.want)
			}
		}
		if len(d.Funding.Rows) != 6 {
			t.Errorf("funding rows: %d, want 6", len(d.Funding.Rows))
		}
		// State approved 100 + 100 + 200 = 400M; reciprocal promised 100 +
		// 300 + 400 = 800M: 2 VND per VND (2,000 thousandths). Growth of
		// state funding 2023 (100M) to 2025 (200M): √2 − 1 = 41.42% a year.
		fs := d.Funding
		if fs.State.Approved != 400*mVND || fs.Reciprocal.Approved != 800*mVND || fs.State.Disbursed != 50*mVND ||
			fs.LeverageMilli != 2000 || !fs.HasLeverage || fs.GrowthBP != 4142 || !fs.HasGrowth || fs.GrowthFrom != 2023 || fs.GrowthTo != 2025 ||
			fs.ContributedMilli != 0 || !fs.HasContributedRatio {
			t.Errorf("funding summary %+v", fs)
		}
		// Establishments: decided projects P1 (E1), P2 (E2, E1), P4 (E4):
		// 3 distinct; prioritised E2 (women-owned) and E4 (ethnic
		// minority): 2.
		if r := d.Reach; r.Establishments != 3 || r.Prioritised != 2 || len(r.Groups) != 2 {
			t.Errorf("reach %+v", r)
		}
		for _, g := range d.Reach.Groups {
			if (g.Group != "women_owned" && g.Group != "ethnic_minority_owned") || g.Members != 1 || g.Prioritised != 1 {
				t.Errorf("group %+v", g)
			}
		}
		// Priority groups by scope and map, from the kept counts (a whole
		// program) and counted from their rows (a part of it, a region):
		// Tuyên Quang today and Hà Giang at the time hold P2's E2
		// (women-owned, prioritised); Cao Bằng P4's E4 (ethnic minority,
		// prioritised); Hà Nội none; 2023-2024 P1 (E1) and P4 (E4); the
		// Northern Midlands and Mountains E2 and E4.
		for _, c := range []struct {
			q    nipp.ProgressQuery
			want string
		}{
			{nipp.ProgressQuery{Province: "08"}, "women_owned 1/1"},
			{nipp.ProgressQuery{Province: "02", Gen: nipp.Gen63}, "women_owned 1/1"},
			{nipp.ProgressQuery{Province: "08", Gen: nipp.Gen63}, ""},
			{nipp.ProgressQuery{Province: "04"}, "ethnic_minority_owned 1/1"},
			{nipp.ProgressQuery{Province: "01"}, ""},
			{nipp.ProgressQuery{From: 2023, To: 2024}, "ethnic_minority_owned 1/1"},
			{nipp.ProgressQuery{Province: "08", From: 2023, To: 2024}, ""},
			{nipp.ProgressQuery{Region: "NMM"}, "ethnic_minority_owned 1/1, women_owned 1/1"},
		} {
			if got := groupsOf(s.dashboard(t, f.central, c.q)); got != c.want {
				t.Errorf("groups of %+v: %q, want %q", c.q, got, c.want)
			}
		}
		// Establishments reached in a province, in all and by year and
		// activity type (kept counts for a whole program, counted from
		// progress_reach for a part of it): Tuyên Quang and Hà Giang at
		// the time, P2 of 2025: E1 and E2 (prioritised); Hà Nội, P1 of
		// 2024: E1 (P3 was cancelled); Cao Bằng, P4 of 2023: E4
		// (prioritised).
		for _, c := range []struct {
			q    nipp.ProgressQuery
			want string
		}{
			{nipp.ProgressQuery{Province: "08"}, "2/1; 2025 2/1; MACHINERY 2/1"},
			{nipp.ProgressQuery{Province: "02", Gen: nipp.Gen63}, "2/1; 2025 2/1; MACHINERY 2/1"},
			{nipp.ProgressQuery{Province: "08", Activity: "MACHINERY"}, "2/1; 2025 2/1; MACHINERY 2/1"},
			{nipp.ProgressQuery{Province: "08", Activity: "TRADEMARK"}, "0/0"},
			{nipp.ProgressQuery{Province: "01"}, "1/0; 2024 1/0; MACHINERY 1/0"},
			{nipp.ProgressQuery{Province: "01", From: 2024, To: 2025}, "1/0; 2024 1/0; MACHINERY 1/0"},
			{nipp.ProgressQuery{Province: "01", From: 2025, To: 2025}, "0/0"},
			{nipp.ProgressQuery{Province: "04"}, "1/1; 2023 1/1; MACHINERY 1/1"},
			{nipp.ProgressQuery{}, "3/2; 2023 1/1; 2024 1/0; 2025 2/1; MACHINERY 3/2"},
		} {
			if got := reachOf(s.dashboard(t, f.central, c.q)); got != c.want {
				t.Errorf("establishments of %+v: %q, want %q", c.q, got, c.want)
			}
		}
		// By province (34): every province listed; Hà Nội achieved 3 of its
		// 10 and reached E1; Tuyên Quang committed 4 of its 6 and reached
		// E1 and E2 (1 prioritised); Cao Bằng achieved 1, no allocation.
		if len(d.Provinces) != 34 {
			t.Errorf("provinces: %d, want 34", len(d.Provinces))
		}
		hn, tq, cb := provinceOf(t, d, "01", 2025), provinceOf(t, d, "08", 2025), provinceOf(t, d, "04", 2025)
		if hn.Outputs["MACHINES"].Achieved != 3 || hn.Targets["MACHINES"] != 10 || hn.Establishments != 1 || hn.Prioritised != 0 ||
			hn.State.Approved != 100*mVND || hn.State.Committed != 250*mVND || hn.Region != "RRD" {
			t.Errorf("Hà Nội %+v", hn)
		}
		if tq.Outputs["MACHINES"].Committed != 4 || tq.Targets["MACHINES"] != 6 || tq.Establishments != 2 || tq.Prioritised != 1 || tq.Region != "NMM" {
			t.Errorf("Tuyên Quang %+v", tq)
		}
		if _, ok := cb.Targets["MACHINES"]; cb.Outputs["MACHINES"].Achieved != 1 || ok || cb.Establishments != 1 || cb.Prioritised != 1 {
			t.Errorf("Cao Bằng %+v", cb)
		}
		// By activity type and year.
		if len(d.Activities) != 1 || d.Activities[0].Code != "MACHINERY" || d.Activities[0].State.Approved != 400*mVND || d.Activities[0].Establishments != 3 {
			t.Errorf("activities %+v", d.Activities)
		}
		if len(d.Years) != 5 || d.Years[2].Year != 2023 || d.Years[2].Outputs["MACHINES"].Achieved != 1 || d.Years[4].Outputs["MACHINES"].Committed != 4 ||
			d.Years[3].Establishments != 1 || d.Years[4].Establishments != 2 {
			t.Errorf("years %+v", d.Years)
		}

		// The map of 63: P2 counts under Hà Giang (02), P1 under the 2008
		// Hà Nội, P4 under Cao Bằng; P3 (recorded after the merger) has only
		// its 2025 Hà Nội, shown after the 63 and marked.
		d63 := s.dashboard(t, f.central, nipp.ProgressQuery{Gen: nipp.Gen63})
		hg := provinceOf(t, d63, "02", 2008)
		if hg.Outputs["MACHINES"].Committed != 4 || hg.Establishments != 2 || hg.Prioritised != 1 || len(hg.Targets) != 0 {
			t.Errorf("Hà Giang (63) %+v", hg)
		}
		if tq63 := provinceOf(t, d63, "08", 2008); len(tq63.Outputs) != 0 || tq63.Establishments != 0 {
			t.Errorf("Tuyên Quang (63) %+v", tq63)
		}
		if hn63 := provinceOf(t, d63, "01", 2008); hn63.Outputs["MACHINES"].Achieved != 3 || hn63.State.Committed != 100*mVND {
			t.Errorf("Hà Nội (63) %+v", hn63)
		}
		if after := provinceOf(t, d63, "01", 2025); !after.AfterMerger || after.State.Committed != 150*mVND || after.State.Released != 150*mVND || len(after.Outputs) != 0 {
			t.Errorf("Hà Nội after the merger (63 view) %+v", after)
		}
		if len(d63.Provinces) != 64 {
			t.Errorf("63 view: %d provinces, want the 63 and one 2025 unit", len(d63.Provinces))
		}
		// National totals do not depend on the map.
		if m63 := indicator(t, d63, "MACHINES"); m63 != m || d63.Reach.Establishments != 3 || d63.Reach.Prioritised != 2 {
			t.Errorf("63 view totals %+v", m63)
		}

		// A region: the Northern Midlands and Mountains hold Tuyên Quang and
		// Cao Bằng (34): achieved 1, committed 4; target: allocations to
		// provinces of the region, Tuyên Quang's 6; establishments E1, E2,
		// E4: 3.
		dr := s.dashboard(t, f.central, nipp.ProgressQuery{Region: "NMM"})
		if mr := indicator(t, dr, "MACHINES"); mr.Achieved != 1 || mr.Committed != 4 || mr.Target != 6 || !mr.HasTarget || dr.Reach.Establishments != 3 {
			t.Errorf("NMM MACHINES %+v reach %+v", mr, dr.Reach)
		}
		// Province scope, 34: Tuyên Quang: target 6, committed 4,
		// projected 4 < 6: at risk; ranked on MACHINES by achieved (0)
		// behind Hà Nội (3) and Cao Bằng (1): 3rd of 34.
		dt := s.dashboard(t, f.prov, nipp.ProgressQuery{Province: "08"})
		mt := indicator(t, dt, "MACHINES")
		if mt.Target != 6 || mt.Committed != 4 || mt.Projected != 4 || mt.Pace != nipp.PaceAtRisk || dt.ScopeName != "Tuyên Quang" {
			t.Errorf("Tuyên Quang MACHINES %+v (%s)", mt, dt.ScopeName)
		}
		if wt := indicator(t, dt, "WORKERS_TRAINED"); wt.HasTarget || wt.Pace != nipp.PaceNoTarget {
			t.Errorf("Tuyên Quang WORKERS_TRAINED %+v", wt)
		}
		if len(dt.Ranks) != 2 || dt.Ranks[0] != (nipp.IndicatorRank{Indicator: "MACHINES", Achieved: 0, Rank: 3, Of: 34}) {
			t.Errorf("Tuyên Quang ranks %+v", dt.Ranks)
		}
		// Hà Nội: 3 of 10 = 30%, first of 34.
		dh := s.dashboard(t, f.prov, nipp.ProgressQuery{Province: "01"})
		if mh := indicator(t, dh, "MACHINES"); mh.DoneBP != 3000 || mh.Remaining != 7 || dh.Ranks[0].Rank != 1 {
			t.Errorf("Hà Nội MACHINES %+v ranks %+v", mh, dh.Ranks)
		}
		// Province scope, 63: Hà Giang: nothing is allocated to the 63;
		// committed 4; 3rd of 63.
		dg := s.dashboard(t, f.central, nipp.ProgressQuery{Province: "02", Gen: nipp.Gen63})
		if mg := indicator(t, dg, "MACHINES"); mg.HasTarget || mg.Committed != 4 || mg.Pace != nipp.PaceNoTarget ||
			dg.Ranks[0] != (nipp.IndicatorRank{Indicator: "MACHINES", Achieved: 0, Rank: 3, Of: 63}) {
			t.Errorf("Hà Giang MACHINES %+v ranks %+v", mg, dg.Ranks)
		}
		// Hà Giang is no province of the 34.
		if _, err := f.env.App.ProgramDashboard(as(f.central), nipp.ProgressQuery{Program: "NIPP-2021-2025", Province: "02"}); nipp.ErrorCode(err) != nipp.EINVALID {
			t.Errorf("Hà Giang in the 34: %v", err)
		}

		// The review of 2021-2022: revision 2 (15/06/2023) was not yet
		// decided: revision 1's 1,600 machines, the whole period's target.
		rv, err := f.env.App.ProgramReview(as(f.central), nipp.ProgressQuery{Program: "NIPP-2021-2025", From: 2021, To: 2022})
		if err != nil {
			t.Fatal(err)
		}
		if mr := attainment(rv, "MACHINES"); rv.Revision.Revision != 1 || mr.Target != 1600 || !mr.TargetWhole || mr.Achieved != 0 {
			t.Errorf("review 2021-2022: revision %+v MACHINES %+v", rv.Revision, mr)
		}
		// The review of the whole period: growth 41.42%, 800M promised, 2
		// VND per VND, 3 establishments (2 prioritised), 0 of 2 indicators
		// on track; the leading activity type MACHINERY.
		rv, err = f.env.App.ProgramReview(as(f.central), nipp.ProgressQuery{Program: "NIPP-2021-2025"})
		if err != nil {
			t.Fatal(err)
		}
		fig := rv.Figures
		if fig.GrowthBP != 4142 || fig.ReciprocalPromised != 800*mVND || fig.LeverageMilli != 2000 || fig.Establishments != 3 || fig.Prioritised != 2 ||
			fig.OnTrack != 0 || fig.AtRisk != 2 || fig.StateApproved != 400*mVND || len(rv.Leading) != 1 || rv.Leading[0].Code != "MACHINERY" {
			t.Errorf("review figures %+v leading %+v", fig, rv.Leading)
		}
		var keys []string
		for _, h := range rv.Headlines {
			keys = append(keys, h.Key)
		}
		if strings.Join(keys, " ") != "review.headline.growth review.headline.reciprocal review.headline.establishments review.headline.pace" {
			t.Errorf("headlines %v", keys)
		}

		// rollup verify finds a summary corrupted on purpose, and repair
		// mends it.
		storetest.MustExec(t, db, `UPDATE progress_outputs SET achieved = achieved + 5 WHERE indicator_code = 'MACHINES' AND year = 2024`)
		storetest.MustExec(t, db, `DELETE FROM progress_reach WHERE establishment_id = (SELECT id FROM establishments WHERE public_id = 'cs-0100000102')`)
		ds, err := collectRollups(f.env.App.VerifyRollups, as(f.auditor))
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, x := range ds {
			found[x.Table+"."+x.Column+" "+x.Kept+"->"+x.Want] = true
		}
		if !found["progress_outputs.achieved 8->3"] || !found["progress_reach.projects -->1"] || len(ds) != 3 {
			t.Errorf("verify found %+v", ds)
		}
		if _, err := collectRollups(f.env.App.RepairRollups, as(f.auditor)); nipp.ErrorCode(err) != nipp.EFORBIDDEN {
			t.Errorf("an auditor repairs: %v", err)
		}
		if fixed, err := collectRollups(f.env.App.RepairRollups, as(f.admin)); err != nil || len(fixed) != 3 {
			t.Fatalf("repair: %v %+v", err, fixed)
		}
		if ds, err := collectRollups(f.env.App.VerifyRollups, as(f.auditor)); err != nil || len(ds) > 0 {
			t.Fatalf("verify after repair: %v %+v", err, ds)
		}
		if m := indicator(t, s.dashboard(t, f.central, nipp.ProgressQuery{}), "MACHINES"); m.Achieved != 4 {
			t.Errorf("after repair MACHINES achieved %d", m.Achieved)
		}
		// A kept group count corrupted on purpose: found, and mended.
		storetest.MustExec(t, db, `UPDATE progress_reach_counts SET establishments = 7 WHERE grain = 'group_p34'`)
		storetest.MustExec(t, db, `DELETE FROM progress_reach_grains WHERE grain = 'group'`)
		// And the coarser funding: P4's 100M approved of 2023 in the
		// summary by province and year made 101M.
		storetest.MustExec(t, db, `UPDATE progress_funding_years SET approved = approved + 1000000 WHERE year = 2023 AND source = 'national'`)
		ds, err = collectRollups(f.env.App.VerifyRollups, as(f.auditor))
		found = map[string]bool{}
		for _, x := range ds {
			found[x.Table+"."+x.Column+" "+x.Kept+"->"+x.Want] = true
		}
		if err != nil || !found["progress_reach_counts.establishments 7->1"] || !found["progress_reach_grains.projects -->1"] ||
			!found["progress_funding_years.approved 101000000->100000000"] {
			t.Errorf("verify of the group counts: %v %+v", err, ds)
		}
		if _, err := collectRollups(f.env.App.RepairRollups, as(f.admin)); err != nil {
			t.Fatal(err)
		}
		if got := groupsOf(s.dashboard(t, f.central, nipp.ProgressQuery{Province: "08"})); got != "women_owned 1/1" {
			t.Errorf("groups of Tuyên Quang after repair: %q", got)
		}

		// Merging E2 into E1 (both P2's beneficiaries): P2 keeps E1, and
		// E2's groups go with its row: 2 distinct (E1, E4), 1 prioritised.
		r := f.central.SendJSON("POST", "/api/v1/establishments/cs-0100000101/merge", map[string]any{"into": "cs-test00000"})
		if r.Status != http.StatusOK {
			t.Fatalf("merge: %d %s", r.Status, r.Body)
		}
		if d := s.dashboard(t, f.central, nipp.ProgressQuery{}); d.Reach.Establishments != 2 || d.Reach.Prioritised != 1 {
			t.Errorf("after the merge: %+v", d.Reach)
		}
		if ds, err := collectRollups(f.env.App.VerifyRollups, as(f.auditor)); err != nil || len(ds) > 0 {
			t.Fatalf("verify after the merge: %v %+v", err, ds)
		}
	})
}

// collectRollups runs a rollup verify or repair and returns every
// difference it handed over.
func collectRollups(run func(context.Context, func(nipp.RollupDifference) error) (int, error), ctx context.Context) ([]nipp.RollupDifference, error) {
	var ds []nipp.RollupDifference
	n, err := run(ctx, func(d nipp.RollupDifference) error { ds = append(ds, d); return nil })
	if err == nil && n != len(ds) {
		err = fmt.Errorf("%d differences counted, %d handed over", n, len(ds))
	}
	return ds, err
}

// reachOf is a dashboard's establishments reached as "members/prioritised"
// in all, then by year and by activity type where there are any.
func reachOf(d *nipp.Dashboard) string {
	out := []string{fmt.Sprintf("%d/%d", d.Reach.Establishments, d.Reach.Prioritised)}
	for _, y := range d.Years {
		if y.Establishments > 0 {
			out = append(out, fmt.Sprintf("%d %d/%d", y.Year, y.Establishments, y.Prioritised))
		}
	}
	for _, a := range d.Activities {
		if a.Establishments > 0 {
			out = append(out, fmt.Sprintf("%s %d/%d", a.Code, a.Establishments, a.Prioritised))
		}
	}
	return strings.Join(out, "; ")
}

// groupsOf is a dashboard's priority groups as "group members/prioritised",
// by group.
func groupsOf(d *nipp.Dashboard) string {
	var out []string
	for _, g := range d.Reach.Groups {
		out = append(out, fmt.Sprintf("%s %d/%d", g.Group, g.Members, g.Prioritised))
	}
	return strings.Join(out, ", ")
}

func attainment(r *nipp.Review, code string) nipp.IndicatorProgress {
	for _, ip := range r.Attainment {
		if ip.Indicator.Code == code {
			return ip
		}
	}
	return nipp.IndicatorProgress{}
}

// summaryTables are the tables a dashboard may read: the summaries and
// reference data.
var summaryTables = map[string]bool{"progress_outputs": true, "progress_funding": true, "progress_funding_years": true, "progress_funding_activities": true, "progress_reach": true, "progress_reach_groups": true, "progress_reach_counts": true,
	"programs": true, "admin_units": true, "admin_unit_successors": true, "regions": true, "activity_types": true, "indicators": true, "target_revisions": true,
	"targets": true, "users": true}

// TestDashboardReadsOnlySummaries records every statement ProgramDashboard
// and ProgramReview run and fails on any that names a table other than the
// summaries and reference tables: no dashboard scans the base tables.
func TestDashboardReadsOnlySummaries(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		s := newProgressSet(t, db)
		var mu sync.Mutex
		var stmts []string
		db.SetQueryHook(func(q string, _ []any) {
			mu.Lock()
			stmts = append(stmts, q)
			mu.Unlock()
		})
		defer db.SetQueryHook(nil)
		for _, q := range []nipp.ProgressQuery{{}, {Gen: nipp.Gen63}, {Province: "08"}, {Region: "NMM", Activity: "MACHINERY", From: 2023, To: 2024}} {
			s.dashboard(t, s.f.central, q)
			q.Program = "NIPP-2021-2025"
			if _, err := s.f.env.App.ProgramReview(as(s.f.central), q); err != nil {
				t.Fatal(err)
			}
		}
		db.SetQueryHook(nil)
		if len(stmts) == 0 {
			t.Fatal("no statement recorded")
		}
		for _, q := range stmts {
			for _, name := range tablesNamed(q) {
				if !summaryTables[name] {
					t.Errorf("a dashboard statement reads %s:\n%s", name, q)
				}
			}
		}
	})
}

// TestProvinceDashboardWithCountry checks the province page's pair of
// dashboards read in one snapshot: each equal to the dashboard read on its
// own, and no summary statement run twice with the same values (the
// province's ranks and the country's breakdowns read every province's
// output cells, 7-8 ms at national scale, once).
func TestProvinceDashboardWithCountry(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		s := newProgressSet(t, db)
		for _, q := range []nipp.ProgressQuery{{Province: "08"}, {Province: "08", Activity: "MACHINERY", From: 2023, To: 2024}, {Region: "NMM"}, {}} {
			q.Program = "NIPP-2021-2025"
			var mu sync.Mutex
			seen := map[string]int{}
			db.SetQueryHook(func(stmt string, args []any) {
				if strings.Contains(stmt, "FROM progress_") {
					mu.Lock()
					seen[fmt.Sprintf("%s %#v", stmt, args)]++
					mu.Unlock()
				}
			})
			d, country, err := s.f.env.App.ProgramDashboardWithCountry(as(s.f.central), q)
			db.SetQueryHook(nil)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			outputs := 0
			for stmt, n := range seen {
				if strings.Contains(stmt, "FROM progress_outputs") {
					outputs++
					if n > 1 {
						t.Errorf("%+v: run %d times in one snapshot:\n%s", q, n, stmt)
					}
				}
			}
			if outputs == 0 {
				t.Fatalf("%+v: no output summary read", q)
			}
			if want := s.dashboard(t, s.f.central, q); !reflect.DeepEqual(d, want) {
				t.Errorf("%+v: the dashboard differs from ProgramDashboard's", q)
			}
			nq := q
			nq.Scope, nq.Region, nq.Province, nq.Indicator = nipp.ScopeNational, "", "", ""
			want := s.dashboard(t, s.f.central, nq)
			if !reflect.DeepEqual(country, want) {
				t.Errorf("%+v: the country's dashboard differs from ProgramDashboard's", q)
			}
			if hn := provinceOf(t, country, "01", 2025); hn.Outputs["MACHINES"].Achieved == 0 {
				t.Errorf("%+v: the country's map shows nothing for province 01: %+v", q, hn.Outputs)
			}
		}
	})
}

// tablesNamed returns the names after FROM and JOIN in a statement.
func tablesNamed(q string) []string {
	f := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ", ",", " , ").Replace(q))
	var out []string
	for i := 0; i+1 < len(f); i++ {
		if w := strings.ToUpper(f[i]); (w == "FROM" || w == "JOIN") && f[i+1] != "(" {
			out = append(out, strings.ToLower(f[i+1]))
		}
	}
	return out
}
