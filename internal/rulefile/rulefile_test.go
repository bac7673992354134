package rulefile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"nipp/internal/nipp"
	"nipp/internal/refdata"
)

func ref(t *testing.T) Ref {
	t.Helper()
	d, err := refdata.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := Ref{ActivityTypes: map[string]bool{}}
	for _, a := range d.ActivityTypes {
		r.ActivityTypes[a.Code] = true
	}
	return r
}

func TestEmbeddedRuleSetsParse(t *testing.T) {
	files, err := refdata.RuleSets()
	if err != nil || len(files) != 2 {
		t.Fatalf("embedded rule sets: %d, %v", len(files), err)
	}
	got := map[string]*nipp.RuleSet{}
	for _, f := range files {
		rs, ps := Parse(f.Data, ref(t))
		if len(ps) > 0 {
			t.Fatalf("%s: %v", f.Name, ps)
		}
		got[rs.Code] = rs
	}
	old, cur := got["ND45-2012"], got["ND235-2025"]
	if old == nil || cur == nil {
		t.Fatalf("codes: %v", got)
	}
	if old.ValidTo != nipp.MustDate("2025-10-14") || cur.ValidFrom != nipp.MustDate("2025-10-15") || !cur.ValidTo.IsZero() {
		t.Errorf("validity: 2012 to %v, 2025 from %v to %v", old.ValidTo, cur.ValidFrom, cur.ValidTo)
	}
	ward := nipp.Beneficiary{Name: "HKD A", LegalForm: "household", CommuneType: "ward"}
	if err := old.CheckBeneficiary(ward); nipp.ErrorCode(err) != nipp.EINVALID {
		t.Errorf("2012 rules accept a ward: %v", err)
	}
	if c, ok := old.Cap("MACHINERY", nipp.AreaOrdinary, nipp.SourceNational); !ok || c.MaxShareBP != 5000 || c.MaxAmount != 300_000_000 {
		t.Errorf("2012 machinery cap: %+v %v", c, ok)
	}
	if len(old.Eligibility.PriorityGroups) != 0 || len(cur.Eligibility.PriorityGroups) != 4 {
		t.Errorf("priority groups: 2012 %v, 2025 %v", old.Eligibility.PriorityGroups, cur.Eligibility.PriorityGroups)
	}
	if l, ok := cur.AdvanceLimit(nipp.SourceNational); !ok || l.FirstMaxBP != 3000 || l.AfterAcceptanceBP() != 3000 {
		t.Errorf("advance limit: %+v %v", l, ok)
	}
	if a, ok := old.Approver("program", "national", 0); !ok || a.Authority != "prime_minister" {
		t.Errorf("2012 program approver: %+v", a)
	}
	if a, ok := cur.Approver("program", "national", 0); !ok || a.Authority != "ministry" {
		t.Errorf("2025 program approver: %+v", a)
	}
}

// Every problem is reported with its line and column, and nothing is
// returned.
func TestMalformedFileReportsEveryProblem(t *testing.T) {
	file := `[rule_set]
code = BAD SET
name_vi = Thử
legal_basis = Nghị định thử
valid_from = 2030-13-01
colour = blue

[eligibility]
kind,value
unit_type,village
legal_form,household
legal_form,household

[caps]
activity_type,area,source,max_share_pct,max_amount_vnd
MACHINERY,ordinary,national,150,300000000
NOPE,remote,national,50,
TECH_LINE,ordinary,national,0.5,abc

[advance_limits]
source,first_max_pct,cumulative_max_pct
national,80,70

[approvals]
action,level,authority,max_change_pct
project,national,king,
change_budget,national,central_agency,10

[extras]
a,b
`
	rs, ps := Parse([]byte(file), ref(t))
	if rs != nil {
		t.Fatalf("a malformed file gave a rule set: %+v", rs)
	}
	want := []struct {
		line   int
		column string
		text   string
	}{
		{2, "code", "BAD SET"},
		{5, "valid_from", "2030-13-01"},
		{6, "colour", "unknown_key"},
		{10, "value", "village"},
		{12, "value", "repeats_line(11)"},
		{16, "max_share_pct", "between_0_100"},
		{17, "activity_type", "NOPE"},
		{17, "area", "remote"},
		{18, "max_share_pct", "0.5"},
		{18, "max_amount_vnd", "abc"},
		{22, "first_max_pct", "cannot_exceed"},
		{26, "authority", "king"},
		{29, "", "unknown_section"},
	}
	for _, w := range want {
		found := false
		for _, p := range ps {
			if p.Line == w.line && p.Column == w.column && strings.Contains(p.Msg.String(), w.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at line %d column %q mentioning %q; got:\n%v", w.line, w.column, w.text, ps)
		}
	}
	if len(ps) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(ps), len(want), ps)
	}
	if err := ps.Err(); nipp.ErrorCode(err) != nipp.EINVALID || !strings.Contains(err.Error(), "line 16") {
		t.Errorf("Err() = %v", err)
	}
}

func TestStructuralProblems(t *testing.T) {
	cases := []struct {
		name, file, want string
	}{
		{"empty", "", "rule_set_section"},
		{"outside a section", "code = X\n", "outside_section"},
		{"missing keys", "[rule_set]\ncode = X1\n", "required(name_vi)"},
		{"missing column", "[rule_set]\ncode = X1\nname_vi = a\nlegal_basis = b\nvalid_from = 2030-01-01\n[caps]\nactivity_type,area,source\n", "column_missing"},
		{"not text", "\x00\x01\x02", "not_text"},
		{"valid_to before valid_from", "[rule_set]\ncode = X1\nname_vi = a\nlegal_basis = b\nvalid_from = 2030-01-01\nvalid_to = 2029-01-01\n", "before_valid_from"},
		{"bad quotes", "[rule_set]\ncode = X1\nname_vi = a\nlegal_basis = b\nvalid_from = 2030-01-01\n[caps]\nactivity_type,area,source,max_share_pct\n\"MACHINERY,ordinary\n", "csv_line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs, ps := Parse([]byte(c.file), ref(t))
			if rs != nil || !strings.Contains(ps.Error(), c.want) {
				t.Fatalf("got %v, %q; want a problem mentioning %q", rs, ps.Error(), c.want)
			}
		})
	}
}

func TestRoundTripTextAndXLSX(t *testing.T) {
	files, _ := refdata.RuleSets()
	for _, f := range files {
		orig, ps := Parse(f.Data, ref(t))
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		var text, book bytes.Buffer
		if err := Text(&text, orig); err != nil {
			t.Fatal(err)
		}
		if err := XLSX(&book, orig); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{"text": text.Bytes(), "xlsx": book.Bytes()} {
			back, ps := Parse(data, ref(t))
			if len(ps) > 0 {
				t.Fatalf("%s %s: %v", f.Name, name, ps)
			}
			if !reflect.DeepEqual(back, orig) {
				t.Errorf("%s %s round trip:\n got %+v\nwant %+v", f.Name, name, back, orig)
			}
		}
	}
}

// An xlsx workbook reports sheet, row and column; dates typed as date cells
// are read.
func TestXLSXProblemsNameSheetRowColumn(t *testing.T) {
	book := func(source string) []byte {
		f := excelize.NewFile()
		f.SetSheetName("Sheet1", "rule_set")
		for i, kv := range [][]any{{"key", "value"}, {"code", "X-2030"}, {"name_vi", "Thử"}, {"legal_basis", "NĐ thử"}, {"valid_from", 47484}} { // 47484 = 2030-01-01
			f.SetSheetRow("rule_set", "A"+string(rune('1'+i)), &kv)
		}
		f.NewSheet("caps")
		f.SetSheetRow("caps", "A1", &[]any{"activity_type", "area", "source", "max_share_pct"})
		f.SetSheetRow("caps", "A2", &[]any{"MACHINERY", "ordinary", "national", 50})
		f.SetSheetRow("caps", "A4", &[]any{"TECH_LINE", "ordinary", source, 50})
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	rs, ps := Parse(book("abroad"), ref(t))
	if rs != nil || len(ps) != 1 || ps[0].Section != "caps" || ps[0].Line != 4 || ps[0].Column != "source" {
		t.Fatalf("got %v, %v; want one problem on sheet caps row 4 column source", rs, ps)
	}
	rs, ps = Parse(book("national"), ref(t))
	if len(ps) > 0 || rs.ValidFrom != nipp.MustDate("2030-01-01") || len(rs.Caps) != 2 {
		t.Fatalf("got %+v, %v", rs, ps)
	}
}

func TestPct(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{{"50", 5000, true}, {"50%", 5000, true}, {"12,5", 1250, true}, {"12.55", 1255, true}, {"100", 10000, true}, {"0", 0, true},
		{"12.555", 0, false}, {"101", 0, false}, {"-1", 0, false}, {"0.5", 0, false}, {"", 0, false}, {"abc", 0, false}} {
		got, err := parsePct(c.in, false)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parsePct(%q) = %d, %v", c.in, got, err)
		}
	}
	if Pct(1250) != "12.5" || Pct(5000) != "50" || Pct(1255) != "12.55" {
		t.Errorf("Pct: %s %s %s", Pct(1250), Pct(5000), Pct(1255))
	}
}
