package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

// insertGroupEstablishment inserts an establishment of province 01 in a
// rural commune with the given priority flags.
func (f *fixture) insertGroupEstablishment(taxCode, name string, women, ethnic, artisan bool) {
	f.t.Helper()
	storetest.MustExec(f.t, f.db, `INSERT INTO establishments (public_id, name, name_fold, legal_form, tax_code, province_id, orig_province_id, commune_id,
		women_owned, ethnic_minority_owned, artisan, recorded_on, created_at, updated_at) VALUES ($1, $2, $3, 'household', $4,
		(SELECT id FROM admin_units WHERE level = 'province' AND code = '01' AND generation = 2025),
		(SELECT id FROM admin_units WHERE level = 'province' AND code = '01' AND generation = 2025),
		(SELECT MIN(c.id) FROM admin_units c JOIN admin_units p ON p.id = c.parent_id WHERE c.level = 'commune' AND c.generation = 2025 AND p.code = '01' AND c.unit_type = 'commune'),
		$5, $6, $7, '2025-01-01', $8, $8)`, "cs-"+taxCode, name, strings.ToLower(name), taxCode, women, ethnic, artisan, time.Now().UTC())
}

// createPriorityRuleSet loads a rule set like RS-A that gives priority to
// the four groups of Decree 235/2025.
func (f *fixture) createPriorityRuleSet(code, from string) {
	f.t.Helper()
	rs := &nipp.RuleSet{Code: code, NameVI: code, LegalBasis: "Nghị định ưu tiên", ValidFrom: nipp.MustDate(from),
		Eligibility: nipp.Eligibility{PriorityGroups: nipp.PriorityGroupCodes}}
	for _, src := range []string{nipp.SourceNational, nipp.SourceLocal} {
		rs.Caps = append(rs.Caps, nipp.SupportCap{ActivityTypeCode: "MACHINERY", AreaCategory: nipp.AreaOrdinary, FundingSource: src, MaxShareBP: 5000, MaxAmount: 300_000_000})
	}
	if err := f.db.WriteTx(context.Background(), func(tx *store.Tx) error { return tx.CreateRuleSet(context.Background(), rs, "test") }); err != nil {
		f.t.Fatal(err)
	}
}

func benef(t *testing.T, p *nipp.Project, taxCode string) nipp.ProjectBeneficiary {
	t.Helper()
	i := slices.IndexFunc(p.Beneficiaries, func(b nipp.ProjectBeneficiary) bool { return b.TaxCode == taxCode })
	if i < 0 {
		t.Fatalf("%s: no beneficiary %s in %+v", p.Code, taxCode, p.Beneficiaries)
	}
	return p.Beneficiaries[i]
}

func TestBeneficiaryPriorityGroups(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.insertGroupEstablishment("0100000101", "Cơ sở dệt thổ cẩm Hoa Mai", true, false, true) // women-owned artisan
		f.insertGroupEstablishment("0100000102", "Hộ rèn Phúc Sen", false, true, false)          // ethnic-minority-owned
		// p1 under RS-A (no priority groups), p2 under RS-P (the four groups).
		p1 := f.create(proposal(100_000_000, 300_000_000))
		f.createPriorityRuleSet("RS-P", "2026-02-01")
		p2 := f.create(proposal(100_000_000, 300_000_000))
		if p1.RuleSetCode != "RS-A" || p2.RuleSetCode != "RS-P" {
			t.Fatalf("rule sets %s, %s", p1.RuleSetCode, p2.RuleSetCode)
		}
		add := func(p *nipp.Project, tax string) {
			t.Helper()
			v := f.get(p.PublicID).Version
			// Through the page form.
			r := f.prov.PostForm("/projects/"+p.PublicID+"/beneficiaries", url.Values{"version": {fmt.Sprint(v)}, "establishment": {tax}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("add %s to %s: %d %s", tax, p.Code, r.Status, r.Body)
			}
		}
		add(p1, "0100000101")
		add(p1, "0100000102")
		add(p2, "0100000101")

		want := []string{"artisan", "women_owned"}
		got2 := benef(t, f.get(p2.PublicID), "0100000101")
		if !slices.Equal(got2.Groups, want) || !slices.Equal(got2.PriorityGroups, want) {
			t.Errorf("under RS-P: groups %v, prioritised %v; want both %v", got2.Groups, got2.PriorityGroups, want)
		}
		got1 := f.get(p1.PublicID)
		if b := benef(t, got1, "0100000101"); !slices.Equal(b.Groups, want) || len(b.PriorityGroups) != 0 {
			t.Errorf("under RS-A: groups %v (want %v), prioritised %v (want none)", b.Groups, want, b.PriorityGroups)
		}
		if b := benef(t, got1, "0100000102"); !slices.Equal(b.Groups, []string{"ethnic_minority_owned"}) || len(b.PriorityGroups) != 0 {
			t.Errorf("ethnic-minority-owned under RS-A: %+v", b)
		}
		if wg := got1.Groups; len(wg) != 3 || wg[0].Group != "women_owned" || wg[0].Members != 1 || wg[0].Prioritised != 0 {
			t.Errorf("p1 group counts %+v", got1.Groups)
		}

		// The pages: prioritised badges under RS-P, plain ones under RS-A.
		r := f.prov.Get("/projects/" + p2.PublicID)
		for _, s := range []string{`class="badge badge-priority" data-group="women_owned"`, `class="badge badge-priority" data-group="artisan"`, "Do phụ nữ làm chủ · ưu tiên", "Nghệ nhân · ưu tiên"} {
			if !strings.Contains(r.Body, s) {
				t.Errorf("RS-P page lacks %q", s)
			}
		}
		r = f.prov.Get("/projects/" + p1.PublicID)
		if strings.Contains(r.Body, "badge-priority") || !strings.Contains(r.Body, `<span class="badge" data-group="women_owned"`) ||
			!strings.Contains(r.Body, `data-group="ethnic_minority_owned"`) {
			t.Errorf("RS-A page: want plain badges only")
		}

		// The plan counts each establishment once; prioritised only under RS-P.
		for _, p := range []*nipp.Project{p1, p2} {
			if r := f.transition(f.prov, p.PublicID, "submit"); r.Status != http.StatusOK {
				t.Fatalf("submit: %d %s", r.Status, r.Body)
			}
		}
		var pl nipp.AnnualPlan
		f.central.Get("/api/v1/plans/2026").JSON(t, &pl)
		counts := map[string]nipp.GroupCount{}
		for _, g := range pl.ByGroup {
			counts[g.Group] = g
		}
		wantCounts := map[string][2]int{"women_owned": {1, 1}, "artisan": {1, 1}, "ethnic_minority_owned": {1, 0}, "craft_village": {0, 0}}
		for g, w := range wantCounts {
			if c := counts[g]; c.Members != w[0] || c.Prioritised != w[1] {
				t.Errorf("plan %s: members %d prioritised %d, want %v", g, c.Members, c.Prioritised, w)
			}
		}
		if pl.Beneficiaries != 2 {
			t.Errorf("plan beneficiaries %d, want 2", pl.Beneficiaries)
		}
		r = f.central.Get("/plans/2026")
		row := `<tr data-group="ethnic_minority_owned"><th scope="row">Do người dân tộc thiểu số làm chủ</th><td class="num">1</td><td class="num">0</td></tr>`
		if !strings.Contains(withoutLabels(r.Body), row) || !strings.Contains(r.Body, "Được ưu tiên (theo bộ quy định của đề án)") {
			t.Errorf("plan page lacks the group table row %s", row)
		}

		// The export has the groups.
		r = f.central.Get("/projects/export.xlsx")
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatalf("export: %v", err)
		}
		rows, _ := x.GetRows(x.GetSheetName(0))
		var cells []string
		for _, row := range rows {
			if len(row) > 0 && (row[0] == p1.Code || row[0] == p2.Code) {
				cells = append(cells, strings.Join(row[len(row)-2:], " | "))
			}
		}
		slices.Sort(cells)
		wantCells := []string{
			" | Do phụ nữ làm chủ: 1; Do người dân tộc thiểu số làm chủ: 1; Nghệ nhân: 1",
			"Do phụ nữ làm chủ: 1; Nghệ nhân: 1 | Do phụ nữ làm chủ: 1; Nghệ nhân: 1",
		}
		if !slices.Equal(cells, wantCells) {
			t.Errorf("export group columns %q, want %q", cells, wantCells)
		}

		// Appraisal: a council member sees the prioritised beneficiaries.
		if r := f.transition(f.central, p2.PublicID, "start_appraisal"); r.Status != http.StatusOK {
			t.Fatalf("start_appraisal: %d %s", r.Status, r.Body)
		}
		r = f.central.PostForm("/appraisal", url.Values{"name": {"Đợt 1"}, "year": {"2026"}, "pass_mark": {"70"}, "criteria": {"C1; Sự cần thiết; 100; 10"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("round: %d %s", r.Status, r.Body)
		}
		round := r.Header.Get("Location")
		if r := f.central.PostForm(round+"/councils", url.Values{"name": {"Hội đồng 1"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("council: %d %s", r.Status, r.Body)
		}
		var councilID int64
		db.ReadTx(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(context.Background(), `SELECT id FROM appraisal_councils`).Scan(&councilID)
		})
		roundID := strings.TrimPrefix(round, "/appraisal/")
		if r := f.central.PostForm(fmt.Sprintf("/appraisal/councils/%d/members", councilID), url.Values{"round": {roundID}, "email": {f.appraiser.User.Email}}); r.Status != http.StatusSeeOther {
			t.Fatalf("member: %d %s", r.Status, r.Body)
		}
		if r := f.central.PostForm(fmt.Sprintf("/appraisal/councils/%d/projects", councilID), url.Values{"round": {roundID}, "project": {p2.Code}}); r.Status != http.StatusSeeOther {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		r = f.appraiser.Get("/projects/" + p2.PublicID)
		if !strings.Contains(r.Body, "Cơ sở thuộc nhóm được ưu tiên theo RS-P") || !strings.Contains(r.Body, `name="score_`) {
			t.Fatalf("scoring page: %d, lacks the priority section or the score form", r.Status)
		}
		sec := r.Body[strings.Index(r.Body, `class="appraisal-priority"`):]
		sec = sec[:strings.Index(sec, "</section>")]
		if !strings.Contains(sec, "Cơ sở dệt thổ cẩm Hoa Mai") || !strings.Contains(sec, "Nghệ nhân") {
			t.Errorf("priority section: %s", sec)
		}

		// Approval re-pins p1 to RS-P (in force on the decision date): the
		// recorded groups are now prioritised.
		for _, a := range []string{"start_appraisal", "approve"} {
			if r := f.transition(f.central, p1.PublicID, a); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a, r.Status, r.Body)
			}
		}
		got1 = f.get(p1.PublicID)
		if got1.RuleSetCode != "RS-P" {
			t.Fatalf("approved under %s, want RS-P", got1.RuleSetCode)
		}
		if b := benef(t, got1, "0100000102"); !slices.Equal(b.PriorityGroups, []string{"ethnic_minority_owned"}) {
			t.Errorf("after re-pinning: prioritised %v", b.PriorityGroups)
		}
	})
}

func TestProjectProgramPicker(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		own := webtest.InsertLocalProgram(t, db, "01", true).Code
		other := webtest.InsertLocalProgram(t, db, "04", true).Code
		// The form lists national programs and the officer's province's local ones.
		r := f.prov.Get("/projects/new")
		if !strings.Contains(r.Body, `value="NIPP-2026-2030"`) || !strings.Contains(r.Body, `value="`+own+`"`) || strings.Contains(r.Body, `value="`+other+`"`) {
			t.Errorf("provincial form programs: want national and %s, not %s", own, other)
		}
		// The ministry editing a project of 01 sees 01's local programs only.
		p := f.create(proposal(100_000_000, 300_000_000))
		r = f.central.Get("/projects/" + p.PublicID + "/edit")
		if !strings.Contains(r.Body, `value="`+own+`"`) || strings.Contains(r.Body, `value="`+other+`"`) {
			t.Errorf("ministry edit form: want %s, not %s", own, other)
		}
		// Another province's local program is refused, by the API and the form.
		in := proposal(100_000_000, 300_000_000)
		in.ProgramCode = other
		r = f.prov.SendJSON("POST", "/api/v1/projects", in)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, other) {
			t.Errorf("API with %s: %d %s", other, r.Status, r.Body)
		}
		in.Version = p.Version
		r = f.central.SendJSON("PUT", "/api/v1/projects/"+p.PublicID, in)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, other) {
			t.Errorf("API update with %s: %d %s", other, r.Status, r.Body)
		}
		form := url.Values{"program": {other}, "year": {"2026"}, "title": {"Đề án thử"}, "activity_type": {"MACHINERY"},
			"implementing_org": {"TTKC-01"}, "province": {"01"}, "area_category": {"ordinary"}, "budget_national": {"100000000"},
			"budget_reciprocal": {"300000000"}, "op": {"save"}}
		r = f.prov.PostForm("/projects", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, other) {
			t.Errorf("form with %s: %d", other, r.Status)
		}
		// The province's own local program is accepted.
		form.Set("program", own)
		if r := f.prov.PostForm("/projects", form); r.Status != http.StatusSeeOther {
			t.Errorf("form with %s: %d %s", own, r.Status, r.Body)
		}
	})
}

// TestBeneficiaryGroupsBackfill runs migration 0008's backfill on
// beneficiaries recorded before it: the groups from the registry, the
// prioritised ones from the project's rule set; then migration 0012's move
// of those comma lists into rows (the schema as it was before 0012 is
// brought back by running 0008 whole: 0012 dropped its columns).
func TestBeneficiaryGroupsBackfill(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ms, err := store.Migrations(db.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ms, func(m store.Migration) bool { return m.Name == "0008_beneficiary_groups" })
		if i < 0 {
			t.Fatal("no migration 0008_beneficiary_groups")
		}
		columns, backfill, ok := strings.Cut(ms[i].SQL, "the rule set each project pins.\n")
		if !ok {
			t.Fatal("0008 has no backfill section")
		}
		j := slices.IndexFunc(ms, func(m store.Migration) bool { return strings.HasSuffix(m.Name, "_beneficiary_group_rows") })
		if j < 0 {
			t.Fatal("no migration beneficiary_group_rows")
		}
		_, move, ok := strings.Cut(ms[j].SQL, "-- Move the comma lists into rows.\n")
		if !ok {
			t.Fatal("beneficiary_group_rows has no move section")
		}
		storetest.MustExec(t, db, columns)
		type row struct {
			ruleSet             string
			women, ethnic, arts bool
			craft               string
			groups, prio        string
		}
		cases := []row{
			{"ND235-2025", true, false, true, "", "artisan,women_owned", "artisan,women_owned"},
			{"ND45-2012", true, true, false, "Làng gốm Bát Tràng", "craft_village,ethnic_minority_owned,women_owned", ""},
			{"ND235-2025", false, false, false, "", "", ""},
		}
		var keys [][2]int64
		for _, c := range cases {
			p := webtest.InsertProject(t, db, "01", false)
			e := webtest.InsertEstablishment(t, db, "01", false)
			storetest.MustExec(t, db, `UPDATE projects SET rule_set_id = (SELECT id FROM rule_sets WHERE code = $1) WHERE id = $2`, c.ruleSet, p.ID)
			storetest.MustExec(t, db, `UPDATE establishments SET women_owned = $1, ethnic_minority_owned = $2, artisan = $3, craft_village = $4 WHERE id = $5`,
				c.women, c.ethnic, c.arts, c.craft, e.ID)
			storetest.MustExec(t, db, `INSERT INTO project_beneficiaries (project_id, establishment_id) VALUES ($1, $2)`, p.ID, e.ID)
			keys = append(keys, [2]int64{p.ID, e.ID})
		}
		storetest.MustExec(t, db, backfill)
		for i, c := range cases {
			var g, pr string
			db.ReadTx(context.Background(), func(tx *store.Tx) error {
				return tx.QueryRow(context.Background(), `SELECT beneficiary_groups, priority_groups FROM project_beneficiaries
					WHERE project_id = $1 AND establishment_id = $2`, keys[i][0], keys[i][1]).Scan(&g, &pr)
			})
			if g != c.groups || pr != c.prio {
				t.Errorf("case %d (%s): groups %q prioritised %q, want %q and %q", i, c.ruleSet, g, pr, c.groups, c.prio)
			}
		}
		// 0012 moves the lists into rows: the same groups and prioritised
		// ones, read back through the project page's reader.
		storetest.MustExec(t, db, move)
		for i, c := range cases {
			var g, pr []string
			var pub string
			err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
				if err := tx.QueryRow(context.Background(), `SELECT public_id FROM projects WHERE id = $1`, keys[i][0]).Scan(&pub); err != nil {
					return err
				}
				p, err := tx.FindProjectByPublicID(context.Background(), pub)
				if err != nil {
					return err
				}
				for _, b := range p.Beneficiaries {
					if b.EstablishmentID == keys[i][1] {
						g, pr = b.Groups, b.PriorityGroups
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(g, ",") != c.groups || strings.Join(pr, ",") != c.prio {
				t.Errorf("case %d (%s) after 0012: groups %v prioritised %v, want %q and %q", i, c.ruleSet, g, pr, c.groups, c.prio)
			}
		}
	})
}
