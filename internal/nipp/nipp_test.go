package nipp

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	d, err := ParseDate("2025-07-01")
	if err != nil || d != NewDate(2025, time.July, 1) {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	for _, bad := range []string{"2025-02-30", "01/07/2025", "2025-7-1", "x"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if d.Format("vi") != "01/07/2025" || d.Format("en") != "1 Jul 2025" {
		t.Errorf("Format = %q, %q", d.Format("vi"), d.Format("en"))
	}
	var back Date
	if err := back.Scan(time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)); err != nil || back != d {
		t.Errorf("Scan(time) = %v, %v", back, err)
	}
	if err := back.Scan("2024-02-29T00:00:00Z"); err != nil || back != MustDate("2024-02-29") {
		t.Errorf("Scan(string) = %v, %v", back, err)
	}
	b, _ := json.Marshal(struct{ D Date }{d})
	if string(b) != `{"D":"2025-07-01"}` {
		t.Errorf("JSON = %s", b)
	}
	if !MustDate("2025-06-30").Before(d) || d.Before(d) || !d.After(MustDate("2025-06-30")) {
		t.Error("Before/After wrong")
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Error("zero date must store NULL")
	}
}

// The role table: the few rules everything else leans on.
func TestRolePermissions(t *testing.T) {
	cases := []struct {
		role Role
		perm Permission
		want bool
	}{
		{RolePublic, PermPublic, true},
		{RolePublic, PermSignedIn, false},
		{RolePublic, PermProjectRead, false},
		{RoleAdmin, PermUserManage, true},
		{RoleCentral, PermUserManage, false},
		{RoleCentral, PermProjectDecide, true},
		{RoleCentral, PermAuditRead, false},
		{RoleProvincial, PermProjectWrite, true},
		{RoleProvincial, PermProjectDecide, false},
		{RoleProvincial, PermReferenceEdit, false},
		{RoleProvincial, PermProgramEdit, true},
		{RoleAppraiser, PermProgramEdit, false},
		{RolePublic, PermProgramEdit, false},
		{RoleAppraiser, PermAppraise, true},
		{RoleAppraiser, PermProjectWrite, false},
		{RoleAuditor, PermAuditRead, true},
		{RoleAuditor, PermRegistryWrite, false},
		{RoleAuditor, PermProjectWrite, false},
	}
	for _, c := range cases {
		if got := RoleHas(c.role, c.perm); got != c.want {
			t.Errorf("RoleHas(%q, %q) = %v, want %v", c.role, c.perm, got, c.want)
		}
	}
	// The auditor changes nothing: no write permission at all.
	for _, p := range Permissions() {
		if strings.HasSuffix(string(p), ".write") || strings.HasSuffix(string(p), ".decide") || strings.HasSuffix(string(p), ".edit") || p == PermUserManage {
			if RoleHas(RoleAuditor, p) {
				t.Errorf("auditor holds %s", p)
			}
		}
	}
	prov := &Principal{UserID: 1, Role: RoleProvincial, Provinces: []string{"01"}}
	if !prov.InProvince("01") || prov.InProvince("79") || prov.AllProvinces() {
		t.Error("provincial scope wrong")
	}
	central := &Principal{UserID: 2, Role: RoleCentral}
	if !central.InProvince("79") {
		t.Error("central officers see every province")
	}
	// Programs: national ones are the ministry's; a local one is also its
	// province's officers'.
	national := &Program{Level: ProgramNational}
	local01 := &Program{Level: ProgramLocal, ProvinceCode: "01"}
	local79 := &Program{Level: ProgramLocal, ProvinceCode: "79"}
	auditor := &Principal{UserID: 3, Role: RoleAuditor}
	for _, c := range []struct {
		p    *Program
		pr   *Principal
		want bool
	}{
		{national, central, true}, {national, prov, false}, {local01, prov, true}, {local79, prov, false},
		{local79, central, true}, {local01, auditor, false}, {local01, &Principal{}, false},
	} {
		if got := c.p.EditableBy(c.pr); got != c.want {
			t.Errorf("%s program of %q editable by %s: %v, want %v", c.p.Level, c.p.ProvinceCode, c.pr.Role, got, c.want)
		}
	}
	if (&Principal{}).InProvince("01") || !(&Principal{}).Anonymous() {
		t.Error("the public has no province scope")
	}
}

func TestSupportCapAllowed(t *testing.T) {
	c := SupportCap{MaxShareBP: 5000, MaxAmount: 300_000_000}
	for _, tc := range []struct{ cost, want int64 }{
		{0, 0}, {100_000_000, 50_000_000}, {600_000_000, 300_000_000}, {2_000_000_000, 300_000_000},
	} {
		if got := c.Allowed(tc.cost); got != tc.want {
			t.Errorf("Allowed(%d) = %d, want %d", tc.cost, got, tc.want)
		}
	}
	if got := (SupportCap{MaxShareBP: 10000}).Allowed(123_456_789); got != 123_456_789 {
		t.Errorf("no amount cap: %d", got)
	}
}

func TestCheckBeneficiaryNamesTheRule(t *testing.T) {
	rs := &RuleSet{Code: "ND45-2012", LegalBasis: "Nghị định 45/2012/NĐ-CP",
		Eligibility: Eligibility{LegalForms: []string{"enterprise", "cooperative", "household"}, UnitTypes: []string{"commune", "special_zone"}}}
	ok := Beneficiary{Name: "HTX A", LegalForm: "cooperative", CommuneType: "commune"}
	if err := rs.CheckBeneficiary(ok); err != nil {
		t.Fatal(err)
	}
	ward := ok
	ward.CommuneType = "ward"
	err := rs.CheckBeneficiary(ward)
	if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "ND45-2012") || !strings.Contains(err.Error(), "ward") {
		t.Fatalf("ward: %v", err)
	}
	group := ok
	group.LegalForm = "cooperative_group"
	if err := rs.CheckBeneficiary(group); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "45/2012") {
		t.Fatalf("legal form: %v", err)
	}
	if g := (Beneficiary{WomenOwned: true, Artisan: true}).PriorityGroups(); strings.Join(g, ",") != "women_owned,artisan" {
		t.Fatalf("priority groups = %v", g)
	}
}

func TestErrorMessages(t *testing.T) {
	err := FieldError("email", "err.bad", VND(5))
	if ps := ErrorProblems(err); ErrorCode(err) != EINVALID || len(ps) != 1 || ps[0].Field != "email" || ps[0].Msg.Key != "err.bad" || ps[0].Msg.Args[0] != VND(5) {
		t.Fatalf("%q %v", ErrorCode(err), ps)
	}
	internal := Internal(errString("disk on fire"))
	if ps := ErrorProblems(internal); ErrorCode(internal) != EINTERNAL || len(ps) != 1 || ps[0].Msg.Key != "err.internal" || strings.Contains(fmt.Sprint(ps), "disk") {
		t.Fatal("internal errors must not reach the user")
	}
	// Several problems travel in one error, each with its field, in order.
	joined := Join(FieldError("a", "k1"), nil, &Error{Code: EINVALID, Field: "b", Msg: M("k2"), More: []Problem{{Field: "c", Msg: M("k3")}}})
	var got []string
	for _, p := range ErrorProblems(joined) {
		got = append(got, p.Field+"="+p.Msg.Key)
	}
	if fmt.Sprint(got) != "[a=k1 b=k2 c=k3]" {
		t.Fatalf("joined problems %v", got)
	}
	if Join() != nil || JoinErrors(nil, nil) != nil {
		t.Fatal("no problems, no error")
	}
	// A stored message reads back with its typed arguments.
	m := M("k", VND(1600000), Num(3), NameOf("source", "national"), Text{VI: "a", EN: "b"}, 7, "s", MustDate("2025-12-31"))
	back := DecodeMsg(EncodeMsg(m))
	if fmt.Sprintf("%#v", back) != fmt.Sprintf("%#v", M("k", VND(1600000), Num(3), NameOf("source", "national"), Text{VI: "a", EN: "b"}, int64(7), "s", MustDate("2025-12-31"))) {
		t.Fatalf("round trip: %#v", back)
	}
	if DecodeMsg("old text / văn bản cũ").Key != "old text / văn bản cũ" {
		t.Fatal("old text must show as it is")
	}
	if ErrorCode(nil) != "" {
		t.Fatal("nil has no code")
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestEligibilityAdd(t *testing.T) {
	var e Eligibility
	for _, kv := range [][2]string{{"legal_form", "cooperative"}, {"unit_type", "commune"}, {"priority_group", "artisan"}, {"activity_type", "MACHINERY"}} {
		if !e.Add(kv[0], kv[1]) {
			t.Errorf("Add(%q) refused", kv[0])
		}
	}
	if e.Add("colour", "blue") {
		t.Error("an unknown kind was accepted")
	}
	if len(e.LegalForms) != 1 || len(e.UnitTypes) != 1 || len(e.PriorityGroups) != 1 || len(e.ActivityTypes) != 1 {
		t.Fatalf("eligibility = %+v", e)
	}
}

// The whole grid, written by hand from the roles' duties: every role and
// every permission must appear, so a new permission fails here until someone
// decides, role by role, who holds it (permissions are allow-lists).
func TestRolePermissionGrid(t *testing.T) {
	// columns: registry.read registry.write project.read project.write
	// project.decide project.appraise reference.edit program.edit
	// audit.read user.manage ledger.read ledger.write
	cols := []Permission{PermRegistryRead, PermRegistryWrite, PermProjectRead, PermProjectWrite,
		PermProjectDecide, PermAppraise, PermReferenceEdit, PermProgramEdit, PermAuditRead, PermUserManage,
		PermLedgerRead, PermLedgerWrite}
	grid := map[Role]string{
		RoleAdmin:      "111111111110",
		RoleCentral:    "111110110011",
		RoleProvincial: "111100010011",
		RoleAppraiser:  "101001000000",
		RoleAuditor:    "101000001010",
		RolePublic:     "000000000000",
	}
	known := append([]Permission{PermPublic, PermSignedIn}, cols...)
	for _, p := range Permissions() {
		if !slices.Contains(known, p) {
			t.Errorf("permission %s is not in the hand-written grid: decide who holds it", p)
		}
	}
	for _, r := range append(Roles(), RolePublic) {
		row, ok := grid[r]
		if !ok {
			t.Errorf("role %s is not in the grid", r)
			continue
		}
		for i, p := range cols {
			if want := row[i] == '1'; RoleHas(r, p) != want {
				t.Errorf("RoleHas(%s, %s) = %v, want %v", r, p, !want, want)
			}
		}
		if !RoleHas(r, PermPublic) || RoleHas(r, PermSignedIn) != (r != RolePublic) {
			t.Errorf("%s: public/signed-in permissions wrong", r)
		}
	}
}
