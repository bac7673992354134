package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/web/webtest"
)

const program2030 = "/programs/NIPP-2026-2030"

// targetsNow returns the targets of the 2026-2030 program's revision in
// force, by nipp.TargetCellField.
func targetsNow(t *testing.T, f *fixture) (int, map[string]int64) {
	t.Helper()
	d, err := f.env.App.Program(context.Background(), "NIPP-2026-2030")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	if d.Targets == nil {
		return 0, out
	}
	for _, tg := range d.Targets.Targets {
		out[nipp.TargetCellField(tg.IndicatorCode, tg.ProvinceCode, tg.Year)] = tg.Value
	}
	return d.Targets.Revision, out
}

func sameTargets(t *testing.T, step string, got, want map[string]int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d targets %v, want %v", step, len(got), got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %d, want %d (all: %v)", step, k, got[k], v, got)
		}
	}
}

// xlsxOf builds a workbook of one sheet from rows.
func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTargetAllocationThroughPages: the 2026-2030 program gets its targets
// as the ministry manages them, through the program page's allocation form
// and the upload of its allocation table, each time a new revision; a
// refused form keeps what was typed and shows each problem beside its
// cell; a form filled from an older revision is refused; an import's
// wrong cells are named by row and column and nothing is stored; the
// exported table imports back unchanged.
func TestTargetAllocationThroughPages(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		page := f.central.Open(program2030)
		okPage(t, "program", page)
		if !page.Contains("Chưa phân bổ mục tiêu cho tỉnh nào") {
			t.Errorf("empty state missing: %s", page.Text())
		}
		form := page.FollowTo(program2030 + "/allocation")
		okPage(t, "allocation", form)
		fill := form.Form(program2030 + "/allocation")
		fill.Set("decision_no", "2646/QĐ-BCT").Set("decision_date", "2026-10-01").
			Set("MACHINES.VN", "1.000").Set("MACHINES.01", "10").Set("MACHINES.08", "6").Set("WORKERS_TRAINED.VN", "12.000")
		saved := fill.Submit()
		if saved.Status != http.StatusOK || saved.URL.Path != program2030 || !saved.Contains("lần điều chỉnh 1") {
			t.Fatalf("save: %d %s %s", saved.Status, saved.Path(), saved.Text())
		}
		rev, got := targetsNow(t, f)
		sameTargets(t, "form", got, map[string]int64{"MACHINES.VN": 1000, "MACHINES.01": 10, "MACHINES.08": 6, "WORKERS_TRAINED.VN": 12000})
		if rev != 1 || !strings.Contains(saved.Body, `data-cell="MACHINES.08">6<`) {
			t.Errorf("revision %d; the program page's allocation table lacks Tuyên Quang's 6", rev)
		}

		// A cell that is no number: refused, each problem beside its cell,
		// every typed value kept, nothing stored.
		fill = f.central.Open(program2030 + "/allocation").Form(program2030 + "/allocation")
		if fill.Get("MACHINES.01") != "10" || fill.Get("WORKERS_TRAINED.VN") != "12.000" {
			t.Errorf("the form is not filled from the revision in force: %q %q", fill.Get("MACHINES.01"), fill.Get("WORKERS_TRAINED.VN"))
		}
		fill.Set("decision_no", "3/QĐ-BCT").Set("decision_date", "2026-10-20").Set("MACHINES.04", "ba").Set("MACHINES.01", "12")
		refused := fill.Submit()
		if refused.Status != http.StatusUnprocessableEntity {
			t.Fatalf("refused: %d", refused.Status)
		}
		ps := refused.Problems()
		if len(ps) != 1 || !ps[0].Field || !strings.Contains(ps[0].Beside, "ba") || ps[0].Form != program2030+"/allocation" {
			t.Errorf("problems %+v", ps)
		}
		again := refused.Form(program2030 + "/allocation")
		if again.Get("MACHINES.04") != "ba" || again.Get("MACHINES.01") != "12" || again.Get("decision_no") != "3/QĐ-BCT" {
			t.Errorf("typed values lost: %v", again.Values())
		}
		if rev, _ := targetsNow(t, f); rev != 1 {
			t.Errorf("a refused form stored revision %d", rev)
		}
		// Filled from revision 1 while someone saved revision 2: refused.
		stale := f.central.Open(program2030 + "/allocation").Form(program2030 + "/allocation")
		other := f.admin.Open(program2030 + "/allocation").Form(program2030 + "/allocation")
		other.Set("decision_no", "4/QĐ-BCT").Set("decision_date", "2026-10-21").Set("MACHINES.04", "3")
		if p := other.Submit(); p.Status != http.StatusOK {
			t.Fatalf("second save: %d %s", p.Status, p.Text())
		}
		stale.Set("decision_no", "5/QĐ-BCT").Set("decision_date", "2026-10-22").Set("MACHINES.01", "99")
		if p := stale.Submit(); p.Status != http.StatusConflict || !p.Contains("lần điều chỉnh 2") {
			t.Errorf("stale form: %d %s", p.Status, p.Text())
		}
		rev, got = targetsNow(t, f)
		want := map[string]int64{"MACHINES.VN": 1000, "MACHINES.01": 10, "MACHINES.08": 6, "MACHINES.04": 3, "WORKERS_TRAINED.VN": 12000}
		sameTargets(t, "second revision", got, want)
		if rev != 2 {
			t.Errorf("revision %d, want 2", rev)
		}
		// A provincial officer does not allocate a national program's targets.
		if r := f.prov.Get(program2030 + "/allocation"); r.Status != http.StatusForbidden {
			t.Errorf("provincial officer: %d", r.Status)
		}

		// The ministry's table as it is: a title, a numbering row, the 63
		// (Hà Giang and Tuyên Quang add up to today's Tuyên Quang), the
		// total as the national row, a year column, a signature block.
		file := xlsxOf(t, [][]any{
			{"BẢNG PHÂN BỔ CHỈ TIÊU CHƯƠNG TRÌNH KHUYẾN CÔNG QUỐC GIA 2026-2030"},
			{},
			{"STT", "Tỉnh, thành phố", "Năm", "Máy móc thiết bị tiên tiến được hỗ trợ ứng dụng (máy móc thiết bị)", "TECH_LINES"},
			{"(1)", "(2)", "(3)", "(4)", "(5)"},
			{"", "Tổng cộng", "", "1.200", "40"},
			{"1", "Hà Nội", "", "10", "5"},
			{"2", "Hà Giang", "", "4", ""},
			{"3", "Tuyên Quang", "", "2", "1"},
			{"4", "Hà Nội", "2027", "3", ""},
			{},
			{"", "Người lập biểu", "", "KT. Bộ trưởng"},
		})
		up := f.central.Open(program2030 + "/allocation").Form(program2030 + "/allocation/import")
		up.Set("decision_no", "6/QĐ-BCT").Set("decision_date", "2026-10-25").Attach("file", "phan-bo.xlsx", file)
		if p := up.Submit(); p.Status != http.StatusOK || p.URL.Path != program2030 || !p.Contains("lần điều chỉnh 3") {
			t.Fatalf("import: %d %s %s", p.Status, p.Path(), p.Text())
		}
		rev, got = targetsNow(t, f)
		// The file's MACHINES and TECH_LINES replace those of its rows
		// (national, Hà Nội, Tuyên Quang); Cao Bằng's 3 machines and the
		// national workers carry over.
		want = map[string]int64{"MACHINES.VN": 1200, "MACHINES.01": 10, "MACHINES.08": 6, "MACHINES.04": 3, "MACHINES.01.2027": 3,
			"TECH_LINES.VN": 40, "TECH_LINES.01": 5, "TECH_LINES.08": 1, "WORKERS_TRAINED.VN": 12000}
		sameTargets(t, "import", got, want)
		if rev != 3 {
			t.Errorf("revision %d, want 3", rev)
		}

		// Wrong cells, by row and column; nothing stored.
		bad := xlsxOf(t, [][]any{
			{"Tỉnh/thành phố", "MACHINES", "Năm"},
			{"Hà Tây", "2", ""},
			{"Hà Nội", "hai", ""},
			{"Hà Nội", "1", "2035"},
			{"Cao Bằng", "1", ""},
			{"Cao Bằng", "2", ""},
		})
		up = f.central.Open(program2030 + "/allocation").Form(program2030 + "/allocation/import")
		up.Set("decision_no", "7/QĐ-BCT").Set("decision_date", "2026-10-26").Attach("file", "sai.xlsx", bad)
		p := up.Submit()
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad import: %d", p.Status)
		}
		for _, w := range []string{"Dòng 2, cột A", "Hà Tây", "Dòng 3, cột B", "hai", "Dòng 4, cột C", "2035", "Dòng 6, cột A"} {
			if !p.Contains(w) {
				t.Errorf("the refusal does not name %q: %s", w, p.Text())
			}
		}
		if again := p.Form(program2030 + "/allocation/import"); again.Get("decision_no") != "7/QĐ-BCT" {
			t.Errorf("the import form lost the decision: %v", again.Values())
		}
		if rev, _ := targetsNow(t, f); rev != 3 {
			t.Errorf("a refused import stored revision %d", rev)
		}

		// The export imports back to the same targets.
		x := f.auditor.Get(program2030 + "/targets.xlsx")
		if x.Status != http.StatusOK || !strings.Contains(x.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", x.Status, x.Header.Get("Content-Type"))
		}
		up = f.central.Open(program2030 + "/allocation").Form(program2030 + "/allocation/import")
		up.Set("decision_no", "8/QĐ-BCT").Set("decision_date", "2026-10-27").Attach("file", "targets.xlsx", []byte(x.Body))
		if p := up.Submit(); p.Status != http.StatusOK {
			t.Fatalf("re-import: %d %s", p.Status, p.Text())
		}
		rev, got = targetsNow(t, f)
		sameTargets(t, "round trip", got, want)
		if rev != 4 {
			t.Errorf("revision %d, want 4", rev)
		}
		// The program page shows the table to everyone, with its export.
		pub := f.env.Anonymous().Open(program2030)
		if !strings.Contains(pub.Body, `data-cell="TECH_LINES.08">1<`) || !strings.Contains(pub.Body, program2030+"/targets.xlsx") ||
			strings.Contains(pub.Body, program2030+"/allocation") {
			t.Errorf("public program page: %s", pub.Text())
		}
	})
}

var _ = webtest.Password
