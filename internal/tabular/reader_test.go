package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

type row struct {
	n     int
	cells []string
}

func (r row) String() string { return fmt.Sprintf("%d:%q", r.n, r.cells) }

func readAll(t *testing.T, r Reader) []row {
	t.Helper()
	var out []row
	for {
		n, cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(out), err)
		}
		out = append(out, row{n, cells})
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return out
}

func csvRows(t *testing.T, data string) []row {
	t.Helper()
	r, err := NewCSVReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return readAll(t, r)
}

func TestCSVReader(t *testing.T) {
	nfd := norm.NFD.String
	tests := []struct {
		name string
		data string
		want []row
	}{
		{"empty file", "", nil},
		{"bom only", "\ufeff", nil},
		{"with bom", "\ufeffSTT,Tên\r\n1,Gốm\r\n", []row{{1, []string{"STT", "Tên"}}, {2, []string{"1", "Gốm"}}}},
		{"without bom", "STT,Tên\n1,Gốm", []row{{1, []string{"STT", "Tên"}}, {2, []string{"1", "Gốm"}}}},
		{"semicolon with commas in text", "STT;Tên;Địa chỉ\n1;Cơ sở A, B;Xã X, tỉnh Y\n2;C;D\n",
			[]row{{1, []string{"STT", "Tên", "Địa chỉ"}}, {2, []string{"1", "Cơ sở A, B", "Xã X, tỉnh Y"}}, {3, []string{"2", "C", "D"}}}},
		{"semicolon with decimal commas", "Tên;Số tiền\nA;1,5\nB;2,75\n",
			[]row{{1, []string{"Tên", "Số tiền"}}, {2, []string{"A", "1,5"}}, {3, []string{"B", "2,75"}}}},
		{"excel sep line", "sep=;\r\na,b;c\r\n", []row{{1, []string{"a,b", "c"}}}},
		{"tab", "a\tb\tc\n1\t2\t3\n", []row{{1, []string{"a", "b", "c"}}, {2, []string{"1", "2", "3"}}}},
		{"nfd becomes nfc", nfd("Làng nghề,Đắk Lắk") + "\n", []row{{1, []string{"Làng nghề", "Đắk Lắk"}}}},
		{"stray spaces and nbsp", "  Hà \u00a0 Nội ,\u200bGốm\t sứ \n", []row{{1, []string{"Hà Nội", "Gốm sứ"}}}},
		{"blank rows skipped but counted", "a,b\n\n,,\n \t \n\r\nc,d\n",
			[]row{{1, []string{"a", "b"}}, {6, []string{"c", "d"}}}},
		{"trailing empty cells dropped", "a,b,,\n,x,,\n", []row{{1, []string{"a", "b"}}, {2, []string{"", "x"}}}},
		{"multi-line quoted cell is one row", "a,\"dòng 1\ndòng 2\"\n\nb,c\n",
			[]row{{1, []string{"a", "dòng 1 dòng 2"}}, {3, []string{"b", "c"}}}},
		{"multi-line quoted last cell then blank", "\"x\",\"y\n\nz\"\n\nq\n",
			[]row{{1, []string{"x", "y z"}}, {3, []string{"q"}}}},
		{"lazy quotes", "a \"b\" c,d\n", []row{{1, []string{"a \"b\" c", "d"}}}},
		{"ragged rows", "a\nb,c,d\ne,f\n", []row{{1, []string{"a"}}, {2, []string{"b", "c", "d"}}, {3, []string{"e", "f"}}}},
		{"letterhead exported with semicolons", "UBND TỈNH HÀ GIANG;;;\n;;;\nSTT;Tên;MST;Ghi chú\n1;A;0101234567;\n",
			[]row{{1, []string{"UBND TỈNH HÀ GIANG"}}, {3, []string{"STT", "Tên", "MST", "Ghi chú"}}, {4, []string{"1", "A", "0101234567"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := csvRows(t, tc.data)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestCSVUTF16(t *testing.T) {
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	data, err := enc.Bytes([]byte("Tên\tXã\r\nGốm\tBát Tràng\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DetectFormat("list.txt", data); err != nil {
		t.Fatal(err)
	}
	r, err := NewCSVReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, r)
	want := []row{{1, []string{"Tên", "Xã"}}, {2, []string{"Gốm", "Bát Tràng"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCSVInvalidUTF8(t *testing.T) {
	// "Gốm" in Windows-1258-like bytes: not UTF-8.
	data := "STT,Tên\n\n1,G\xf4m\n"
	r, err := NewCSVReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, _, err = r.Next()
	var re *RowError
	if !errors.As(err, &re) || re.Row != 3 || re.Col != 2 || !errors.Is(err, ErrInvalidUTF8) {
		t.Fatalf("got %v, want RowError row 3 col 2", err)
	}
	if !strings.Contains(err.Error(), "row 3, column B") || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("message %q should name row 3, column B and UTF-8", err)
	}
	if _, _, err2 := r.Next(); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("error not sticky: %v", err2)
	}
	r.Close()
}

func TestCSVUnclosedQuoteIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 17 MB")
	}
	data := "a,b\nc,\"" + strings.Repeat("x", MaxCSVRowBytes+1<<20)
	r, err := NewCSVReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, _, err = r.Next()
	var re *RowError
	if !errors.As(err, &re) || re.Row != 2 || !strings.Contains(err.Error(), "quote") {
		t.Fatalf("got %v, want row 2 error about a quote", err)
	}
}

func TestColumnName(t *testing.T) {
	for col, want := range map[int]string{0: "", 1: "A", 2: "B", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD"} {
		if got := ColumnName(col); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", col, got, want)
		}
	}
}

func TestDetectFormat(t *testing.T) {
	xlsx := []byte("PK\x03\x04rest")
	tests := []struct {
		name string
		head []byte
		want Format
		err  error
	}{
		{"a.xlsx", xlsx, XLSX, nil},
		{"a.csv", xlsx, XLSX, nil}, // content wins
		{"noext", xlsx, XLSX, nil},
		{"a.ods", xlsx, 0, ErrODS},
		{"a.xls", []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0}, 0, ErrOldExcel},
		{"a.xlsx", []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0}, 0, ErrOldExcel},
		{"a.xls", []byte("<html><body><table>"), 0, ErrHTMLSheet},
		{"a.xls", []byte("\ufeff  <?xml version=\"1.0\"?><Workbook"), 0, ErrHTMLSheet},
		{"a.xls", []byte("STT\tTên\r\n"), CSV, nil},
		{"a.csv", []byte("STT,Tên\n"), CSV, nil},
		{"A.CSV", []byte("\ufeffSTT,Tên\n"), CSV, nil},
		{"a.csv", nil, CSV, nil},
		{"upload", []byte("STT;Tên\n1;Gốm"), CSV, nil},
		{"a.xlsx", []byte("STT,Tên\n"), 0, ErrNotXLSX},
		{"a.xlsx", nil, 0, ErrNotXLSX},
		{"a.bin", []byte{0x89, 'P', 'N', 'G', 0, 0, 0, 0}, 0, ErrUnknownFormat},
		{"a.csv", []byte("Gốm\xe1"), CSV, nil}, // cut rune
	}
	for _, tc := range tests {
		got, err := DetectFormat(tc.name, tc.head)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("DetectFormat(%q, %q) = %v, %v; want %v, %v", tc.name, tc.head, got, err, tc.want, tc.err)
		}
	}
}

// officerWorkbook builds a list as provinces print it: a hidden first
// sheet, letterhead, title, a header on row 5 with a numbering row under it,
// numeric and text tax codes, date cells and typed dates, a gap, a total row
// and a signature block.
func officerWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Ẩn"))
	must(f.SetCellValue("Ẩn", "A1", "không đọc sheet này"))
	idx, err := f.NewSheet("Danh sách")
	if err != nil {
		t.Fatal(err)
	}
	f.SetActiveSheet(idx) // excelize will not hide the selected sheet
	must(f.SetSheetVisible("Ẩn", false))
	if v, _ := f.GetSheetVisible("Ẩn"); v {
		t.Fatal("fixture: first sheet still visible")
	}
	s := "Danh sách"
	set := func(cell string, v any) { t.Helper(); must(f.SetCellValue(s, cell, v)) }
	set("A1", "UBND TỈNH HÀ GIANG")
	must(f.MergeCell(s, "A1", "C1"))
	set("E1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	set("A2", "SỞ CÔNG THƯƠNG")
	set("E2", "Độc lập - Tự do - Hạnh phúc")
	set("A4", "DANH SÁCH CƠ SỞ ĐƯỢC HỖ TRỢ NĂM 2025")
	must(f.MergeCell(s, "A4", "F4"))
	must(f.SetSheetRow(s, "A5", &[]any{"STT", norm.NFD.String("Tên cơ sở"), "Mã số thuế", "Ngày cấp", "Kinh phí\n(đồng)", "Ghi chú"}))
	must(f.SetSheetRow(s, "A6", &[]any{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)"}))
	var dateStyle int
	dateStyle, err = f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	must(f.SetSheetRow(s, "A7", &[]any{1, "HTX  Gốm\u00a0Bát Tràng", 101234567, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), 1600000}))
	must(f.SetCellStyle(s, "D7", "D7", dateStyle))
	must(f.SetSheetRow(s, "A8", &[]any{2, "Cơ sở B", "0101234568", "31/12/2025", "1.600.000 đ", "mới"}))
	must(f.SetSheetRow(s, "A10", &[]any{3, "Tổ hợp tác C", "0101234569", 46022, 2500000.0}))
	must(f.SetSheetRow(s, "A11", &[]any{"Tổng cộng", nil, nil, nil, 5700000}))
	must(f.MergeCell(s, "A11", "D11"))
	must(f.SetSheetRow(s, "A13", &[]any{"Người lập biểu", nil, nil, "Thủ trưởng đơn vị"}))
	must(f.SetSheetRow(s, "A14", &[]any{"(Ký, họ tên)", nil, nil, "(Ký tên, đóng dấu)"}))
	path := filepath.Join(t.TempDir(), "danh sach.xlsx")
	must(f.SaveAs(path))
	return path
}

var testKeys = map[string]string{
	"stt": "stt", "ten co so": "name", "ma so thue": "tax", "ngay cap": "date",
	"kinh phi dong": "amount", "kinh phi": "amount", "nsnn": "state", "kinh phi nsnn": "state",
	"doi ung": "own", "kinh phi doi ung": "own", "ghi chu": "note",
}

func testMatch(folded string) string { return testKeys[folded] }

func TestXLSXOfficerList(t *testing.T) {
	path := officerWorkbook(t)
	for _, via := range []string{"OpenFile", "Open"} {
		t.Run(via, func(t *testing.T) {
			var r Reader
			var err error
			if via == "OpenFile" {
				r, err = OpenFile(path)
			} else {
				data, rerr := os.ReadFile(path)
				if rerr != nil {
					t.Fatal(rerr)
				}
				format, derr := DetectFormat("upload.bin", data[:512])
				if derr != nil || format != XLSX {
					t.Fatalf("DetectFormat = %v, %v", format, derr)
				}
				r, err = Open(bytes.NewReader(data), int64(len(data)), format)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			h, err := FindHeader(r, testMatch, 3, 20)
			if err != nil {
				t.Fatal(err)
			}
			if h.Row != 5 || h.NumberingRow != 6 || h.SubRow != 0 {
				t.Errorf("header row %d numbering %d sub %d, want 5, 6, 0", h.Row, h.NumberingRow, h.SubRow)
			}
			if want := []string{"stt", "name", "tax", "date", "amount", "note"}; !reflect.DeepEqual(h.Keys, want) {
				t.Errorf("keys %q, want %q", h.Keys, want)
			}
			if h.Texts[1] != "Tên cơ sở" || h.Texts[4] != "Kinh phí (đồng)" {
				t.Errorf("texts not cleaned: %q", h.Texts)
			}
			type data struct {
				row    int
				name   string
				tax    string
				date   time.Time
				amount int64
			}
			var got []data
			total := 0
			for {
				n, cells, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if IsTotalRow(cells) {
					total = n
					break
				}
				d, err := ParseDate(Cell(cells, h.Column("date")))
				if err != nil {
					t.Errorf("row %d: %v", n, err)
				}
				a, err := ParseInt(Cell(cells, h.Column("amount")))
				if err != nil {
					t.Errorf("row %d: %v", n, err)
				}
				got = append(got, data{n, Cell(cells, h.Column("name")), Cell(cells, h.Column("tax")), d, a})
			}
			want := []data{
				{7, "HTX Gốm Bát Tràng", "101234567", time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), 1600000},
				{8, "Cơ sở B", "0101234568", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), 1600000},
				{10, "Tổ hợp tác C", "0101234569", time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), 2500000},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
			if total != 11 {
				t.Errorf("total row %d, want 11", total)
			}
			var sig []int
			for {
				n, cells, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if IsSignatureRow(cells) {
					sig = append(sig, n)
				}
			}
			if !reflect.DeepEqual(sig, []int{13, 14}) {
				t.Errorf("signature rows %v, want [13 14]", sig)
			}
		})
	}
}

func TestXLSXDateCellsRaw(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	custom := "dd/mm/yyyy"
	style2, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	d := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	f.SetCellValue("Sheet1", "A1", d)
	f.SetCellStyle("Sheet1", "A1", "A1", style)
	f.SetCellValue("Sheet1", "B1", d)
	f.SetCellStyle("Sheet1", "B1", "B1", style2)
	f.SetCellValue("Sheet1", "C1", time.Date(2025, 12, 31, 14, 30, 0, 0, time.UTC))
	f.SetCellValue("Sheet1", "D1", "31/12/2025")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), XLSX)
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(rows) != 1 || len(rows[0].cells) != 4 {
		t.Fatalf("rows %v", rows)
	}
	for i, c := range rows[0].cells {
		got, err := ParseDate(c)
		if err != nil || !got.Equal(d) {
			t.Errorf("cell %d %q: ParseDate = %v, %v; want %v", i, c, got, err, d)
		}
	}
}

func TestFindHeaderTwoLevel(t *testing.T) {
	data := "SỞ CÔNG THƯƠNG,,,,\n" +
		"BÁO CÁO KINH PHÍ,,,,\n" +
		"STT,Tên cơ sở,Kinh phí,,Ghi chú\n" +
		",,NSNN,Đối ứng,\n" +
		"1,2,3,4,5\n" +
		"1,Cơ sở A,100,50,\n" +
		"Cộng,,100,50,\n"
	r, err := NewCSVReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h, err := FindHeader(r, testMatch, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if h.Row != 3 || h.SubRow != 4 || h.NumberingRow != 5 {
		t.Errorf("rows %d/%d/%d, want 3/4/5", h.Row, h.SubRow, h.NumberingRow)
	}
	if want := []string{"stt", "name", "state", "own", "note"}; !reflect.DeepEqual(h.Keys, want) {
		t.Errorf("keys %q, want %q", h.Keys, want)
	}
	if h.Texts[2] != "Kinh phí NSNN" || h.Texts[3] != "Kinh phí Đối ứng" {
		t.Errorf("texts %q", h.Texts)
	}
	n, cells, err := r.Next()
	if err != nil || n != 6 || cells[1] != "Cơ sở A" {
		t.Fatalf("first data row = %d %q %v", n, cells, err)
	}
	n, cells, _ = r.Next()
	if n != 7 || !IsTotalRow(cells) {
		t.Errorf("row %d %q should be the total", n, cells)
	}
}

func TestFindHeaderNoLookaheadEatsData(t *testing.T) {
	// The row after the header is data: it must not be consumed.
	r, _ := NewCSVReader(strings.NewReader("Tên cơ sở,Mã số thuế,Foo\nA,0101,x\n"))
	defer r.Close()
	h, err := FindHeader(r, testMatch, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if h.Row != 1 || h.NumberingRow != 0 || h.SubRow != 0 {
		t.Errorf("header %+v", h)
	}
	if u := h.Unknown(); !reflect.DeepEqual(u, []string{"Foo"}) {
		t.Errorf("Unknown() = %q", u)
	}
	n, cells, err := r.Next()
	if err != nil || n != 2 || cells[0] != "A" {
		t.Errorf("data row lost: %d %q %v", n, cells, err)
	}
}

func TestFindHeaderNotFound(t *testing.T) {
	r, _ := NewCSVReader(strings.NewReader("a,b\nc,d\n"))
	defer r.Close()
	_, err := FindHeader(r, testMatch, 2, 10)
	if !errors.Is(err, ErrNoHeader) {
		t.Errorf("got %v, want ErrNoHeader", err)
	}
	var lines strings.Builder
	for range 30 {
		lines.WriteString("x\n")
	}
	lines.WriteString("STT,Tên cơ sở\n")
	r2, _ := NewCSVReader(strings.NewReader(lines.String()))
	defer r2.Close()
	if _, err := FindHeader(r2, testMatch, 2, 20); !errors.Is(err, ErrNoHeader) {
		t.Errorf("header beyond maxScan: got %v", err)
	}
}

func TestRowPredicates(t *testing.T) {
	numbering := []struct {
		cells []string
		want  bool
	}{
		{[]string{"(1)", "(2)", "(3)", "(4)"}, true},
		{[]string{"1", "2", "3", "4", "5"}, true},
		{[]string{"A", "B", "1", "2", "3"}, true},
		{[]string{"(1)", "(2)", "(3)", "(4)=(2)x(3)"}, true},
		{[]string{"", "(1)", "", "(2)", "(3)"}, true},
		{[]string{"[1]", "[2]", "[3]"}, true},
		{[]string{"1", "Cơ sở A", "0101234567", "100"}, false},
		{[]string{"1"}, false},
		{[]string{"2020", "2021", "2022"}, false},
		{[]string{"1", "5", "9", "20"}, false},
		{[]string{"(1)", "(2)", "Ghi chú"}, false},
		{nil, false},
	}
	for _, tc := range numbering {
		if got := IsNumberingRow(tc.cells); got != tc.want {
			t.Errorf("IsNumberingRow(%q) = %v", tc.cells, got)
		}
	}
	total := []struct {
		cells []string
		want  bool
	}{
		{[]string{"Tổng cộng", "", "100"}, true},
		{[]string{"TỔNG CỘNG:", "100"}, true},
		{[]string{"", "Cộng", "100"}, true},
		{[]string{norm.NFD.String("Tổng"), "100"}, true},
		{[]string{"Total", "100"}, true},
		{[]string{"I", "Tổng cộng (I+II)", "100"}, true},
		{[]string{"1", "Tống Văn A", "100"}, false},
		{[]string{"1", "Công ty Gốm", "100"}, false},
		{[]string{"Cơ sở A", "Tổng"}, false},
		{nil, false},
	}
	for _, tc := range total {
		if got := IsTotalRow(tc.cells); got != tc.want {
			t.Errorf("IsTotalRow(%q) = %v", tc.cells, got)
		}
	}
	for _, tc := range []struct {
		cells []string
		want  bool
	}{
		{nil, true}, {[]string{"", " ", "\u00a0"}, true}, {[]string{"", "x"}, false},
	} {
		if got := IsBlank(tc.cells); got != tc.want {
			t.Errorf("IsBlank(%q) = %v", tc.cells, got)
		}
	}
	for _, tc := range []struct {
		cells []string
		want  bool
	}{
		{[]string{"Người lập biểu", "", "Thủ trưởng đơn vị"}, true},
		{[]string{"(Ký, họ tên)"}, true},
		{[]string{"", "Hà Giang, ngày 05 tháng 01 năm 2026"}, true},
		{[]string{"Nơi nhận:", "KT. GIÁM ĐỐC"}, true},
		{[]string{"1", "Cơ sở A", "Giám đốc", "Nguyễn Văn A", "0912345678"}, false},
		{[]string{"1", "Cơ sở A"}, false},
	} {
		if got := IsSignatureRow(tc.cells); got != tc.want {
			t.Errorf("IsSignatureRow(%q) = %v", tc.cells, got)
		}
	}
}

func TestXLSXTruncatedAndCorrupt(t *testing.T) {
	path := officerWorkbook(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"half":        data[:len(data)/2],
		"no central":  data[:len(data)-30],
		"zip header":  []byte("PK\x03\x04garbage garbage garbage"),
		"flipped mid": flip(data, len(data)/3),
		"empty zip":   []byte("PK\x05\x06" + strings.Repeat("\x00", 18)),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			format, err := DetectFormat("a.xlsx", b)
			if err != nil || format != XLSX {
				t.Fatalf("DetectFormat: %v %v", format, err)
			}
			r, err := Open(bytes.NewReader(b), int64(len(b)), format)
			if err == nil {
				// Damage that excelize only notices while streaming.
				for {
					_, _, err = r.Next()
					if err != nil {
						break
					}
				}
				r.Close()
				if err == io.EOF {
					t.Skip("damage not detectable in this part of the file")
				}
			}
			if err == nil || !strings.Contains(err.Error(), "Excel") && !strings.Contains(err.Error(), "sheet") {
				t.Errorf("want a clear error, got %v", err)
			}
			t.Logf("%v", err)
		})
	}
}

func flip(b []byte, at int) []byte {
	c := append([]byte(nil), b...)
	for i := at; i < at+64 && i < len(c); i++ {
		c[i] ^= 0x5a
	}
	return c
}

func TestOpenFileCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ds.csv")
	if err := os.WriteFile(path, []byte("\ufeffa;b\n1;2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, r)
	if want := []row{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
}

func FuzzCSVRows(f *testing.F) {
	for _, s := range []string{
		"", "a,b\n1,2\n", "\ufeffa;b\r\n\r\n1;2", "a\tb\n\"x\ny\"\tz\n", "\"unterminated\n,\n",
		"a,\"b\"\"c\",d\n\n\n", "\xff\xfe\x00a", "\xfe\xff\x00a\x00\t", ";;;\n,,,\n\t\t", "a\rb\rc", "G\xf4m,1",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSVReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		defer r.Close()
		last := 0
		for i := 0; i < 10000; i++ {
			n, cells, err := r.Next()
			if err != nil {
				var re *RowError
				if err != io.EOF && !errors.As(err, &re) {
					t.Fatalf("error is not a RowError: %v", err)
				}
				return
			}
			if n <= last {
				t.Fatalf("row numbers not increasing: %d after %d", n, last)
			}
			last = n
			if len(cells) == 0 || cells[len(cells)-1] == "" {
				t.Fatalf("row %d has trailing empty cells or none: %q", n, cells)
			}
		}
	})
}
