package tabular

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

type stringer struct{}

func (stringer) String() string { return "Khuyến công" }

func roundTripRows() [][]any {
	name := "Hợp tác xã Gốm"
	var nilStr *string
	amount := int64(2500000)
	return [][]any{
		{"Mã số thuế", "Tên cơ sở", "Kinh phí", "Ngày", "Có HĐ", "Tỷ lệ", "Ghi chú", "Loại"},
		{"0101234567", norm.NFD.String(name), int64(1600000), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), true, 0.25, nil, stringer{}},
		{"0300000001", &name, &amount, time.Date(2025, 7, 1, 0, 0, 0, 0, time.Local), false, 12.5, nilStr, "a, \"b\"; c"},
		{"000123", "  xuống\ndòng  ", -42, time.Time{}, nil, math.NaN(), "", "'quoted"},
	}
}

// want is what any Reader should give back for roundTripRows, with dates
// compared through ParseDate.
var roundTripWant = [][]string{
	{"Mã số thuế", "Tên cơ sở", "Kinh phí", "Ngày", "Có HĐ", "Tỷ lệ", "Ghi chú", "Loại"},
	{"0101234567", "Hợp tác xã Gốm", "1600000", "2025-12-31", "Có", "0.25", "", "Khuyến công"},
	{"0300000001", "Hợp tác xã Gốm", "2500000", "2025-07-01", "Không", "12.5", "", "a, \"b\"; c"},
	{"000123", "xuống dòng", "-42", "", "", "", "", "'quoted"},
}

func normaliseDates(t *testing.T, cells []string, col int) []string {
	out := append([]string(nil), cells...)
	if col < len(out) && out[col] != "" && out[col] != "Ngày" {
		d, err := ParseDate(out[col])
		if err != nil {
			t.Fatalf("date cell %q: %v", out[col], err)
		}
		out[col] = d.Format("2006-01-02")
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	for _, format := range []Format{XLSX, CSV} {
		t.Run(format.String(), func(t *testing.T) {
			var buf bytes.Buffer
			var w Writer
			var err error
			if format == XLSX {
				w, err = NewXLSXWriter(&buf, "Danh sách cơ sở / 2025")
				if err != nil {
					t.Fatal(err)
				}
			} else {
				w = NewCSVWriter(&buf)
			}
			for _, r := range roundTripRows() {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := w.Write([]any{"late"}); err == nil {
				t.Error("Write after Close should fail")
			}
			if format == CSV && !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
				t.Error("CSV must start with a BOM")
			}
			if format == CSV && !bytes.Contains(buf.Bytes(), []byte("\r\n")) {
				t.Error("CSV should use CRLF")
			}
			head := buf.Bytes()[:min(512, buf.Len())]
			got, err := DetectFormat("export", head)
			if err != nil || got != format {
				t.Fatalf("DetectFormat = %v, %v", got, err)
			}
			r, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), format)
			if err != nil {
				t.Fatal(err)
			}
			rows := readAll(t, r)
			if len(rows) != len(roundTripWant) {
				t.Fatalf("got %d rows: %v", len(rows), rows)
			}
			for i, rw := range rows {
				if rw.n != i+1 {
					t.Errorf("row number %d, want %d", rw.n, i+1)
				}
				cells := normaliseDates(t, rw.cells, 3)
				if fmt.Sprintf("%q", cells) != fmt.Sprintf("%q", roundTripWant[i]) {
					t.Errorf("row %d:\n got  %q\n want %q", i+1, cells, roundTripWant[i])
				}
			}
			if v, err := ParseBool(rows[1].cells[4]); err != nil || !v {
				t.Errorf("bool cell %q", rows[1].cells[4])
			}
			if n, err := ParseInt(rows[1].cells[2]); err != nil || n != 1600000 {
				t.Errorf("int cell %q", rows[1].cells[2])
			}
		})
	}
}

func TestXLSXWriterCellTypes(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewXLSXWriter(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]any{"MST", "Kinh phí", "Ngày", "Lúc", "Năm thành lập"})
	w.Write([]any{"0101234567", int64(1600000), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 14, 30, 0, 0, time.UTC), Plain(2013)})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != "Sheet1" {
		t.Errorf("sheet %q", sheet)
	}
	check := func(cell string, wantType excelize.CellType, wantFormatted string) {
		t.Helper()
		typ, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := f.GetCellValue(sheet, cell)
		if typ != wantType || v != wantFormatted {
			t.Errorf("%s: type %v value %q; want %v %q", cell, typ, v, wantType, wantFormatted)
		}
	}
	check("A2", excelize.CellTypeInlineString, "0101234567")
	check("B2", excelize.CellTypeUnset, "1,600,000")
	check("C2", excelize.CellTypeUnset, "31/12/2025")
	check("D2", excelize.CellTypeUnset, "31/12/2025 14:30")
	check("E2", excelize.CellTypeUnset, "2013") // a year, not 2,013
	if raw, _ := f.GetCellValue(sheet, "E2", excelize.Options{RawCellValue: true}); raw != "2013" {
		t.Errorf("E2 holds %q, want the number 2013", raw)
	}
	style, _ := f.GetCellStyle(sheet, "A1")
	if s, _ := f.GetStyle(style); s == nil || s.Font == nil || !s.Font.Bold {
		t.Error("header is not bold")
	}
}

func TestCSVFormulaEscape(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf)
	w.Write([]any{"a", "b", "c", "d", "e", "f"})
	w.Write([]any{"=1+2", "@SUM(A1)", "-abc", "-1.600", "+84912345678", int64(-5)})
	w.Close()
	r, _ := NewCSVReader(&buf)
	rows := readAll(t, r)
	want := []string{"'=1+2", "'@SUM(A1)", "'-abc", "-1.600", "+84912345678", "-5"}
	if fmt.Sprintf("%q", rows[1].cells) != fmt.Sprintf("%q", want) {
		t.Errorf("got %q, want %q", rows[1].cells, want)
	}
}

func TestXLSXWriterEmptyAndSheetName(t *testing.T) {
	for _, name := range []string{"", "a:b/c?d*e[f]g\\h", strings.Repeat("Dài", 20)} {
		var buf bytes.Buffer
		w, err := NewXLSXWriter(&buf, name)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		r, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), XLSX)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if _, _, err := r.Next(); err != io.EOF {
			t.Errorf("%q: want EOF, got %v", name, err)
		}
		r.Close()
	}
}

// ---- benchmarks ----

const benchRows = 100_000

func benchRow(i int) []any {
	return []any{
		int64(i + 1),
		fmt.Sprintf("Hợp tác xã sản xuất gốm sứ số %d", i),
		fmt.Sprintf("%010d", 100000000+i),
		"Xã Bát Tràng, thành phố Hà Nội",
		time.Date(2025, time.Month(i%12+1), i%28+1, 0, 0, 0, 0, time.UTC),
		int64(1_600_000 + i),
		"Hỗ trợ máy móc thiết bị",
		i%2 == 0,
	}
}

func writeBench(b *testing.B, format Format) []byte {
	b.Helper()
	var buf bytes.Buffer
	var w Writer
	if format == XLSX {
		var err error
		if w, err = NewXLSXWriter(&buf, "Bench"); err != nil {
			b.Fatal(err)
		}
	} else {
		w = NewCSVWriter(&buf)
	}
	w.Write([]any{"STT", "Tên cơ sở", "MST", "Địa chỉ", "Ngày", "Kinh phí", "Nội dung", "Nông thôn"})
	for i := range benchRows {
		if err := w.Write(benchRow(i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchRead(b *testing.B, format Format) {
	data := writeBench(b, format)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	for b.Loop() {
		r, err := Open(bytes.NewReader(data), int64(len(data)), format)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, _, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		r.Close()
		if n != benchRows+1 {
			b.Fatalf("read %d rows", n)
		}
		rows += n
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadCSV(b *testing.B)  { benchRead(b, CSV) }
func BenchmarkReadXLSX(b *testing.B) { benchRead(b, XLSX) }

func benchWrite(b *testing.B, format Format) {
	b.ReportAllocs()
	for b.Loop() {
		writeBench(b, format)
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkWriteCSV(b *testing.B)  { benchWrite(b, CSV) }
func BenchmarkWriteXLSX(b *testing.B) { benchWrite(b, XLSX) }

// TestLargeXLSXStreams writes and reads a sheet big enough that excelize
// keeps it in temporary files, checking that heap use stays far below the
// file size. Skipped with -short.
func TestLargeXLSXStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("large file")
	}
	path := filepath.Join(t.TempDir(), "big.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewXLSXWriter(out, "Big")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]any{"STT", "Tên cơ sở", "MST", "Địa chỉ", "Ngày", "Kinh phí", "Nội dung", "Nông thôn"})
	const n = 300_000
	for i := range n {
		if err := w.Write(benchRow(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	st, _ := os.Stat(path)
	r, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	last := 0
	var peak uint64
	var ms runtime.MemStats
	for {
		if last%20000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		row, cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row != last+1 || len(cells) != 8 {
			t.Fatalf("row %d after %d: %q", row, last, cells)
		}
		last = row
	}
	if last != n+1 {
		t.Fatalf("last row %d", last)
	}
	t.Logf("file %d MB, live heap peak while reading %d MB", st.Size()>>20, peak>>20)
	if peak > 64<<20 {
		t.Errorf("live heap %d MB while streaming: not streaming?", peak>>20)
	}
}

func TestXLSXBook(t *testing.T) {
	var buf bytes.Buffer
	b := NewXLSXBook(&buf)
	s1, err := b.Sheet("Chỉ tiêu")
	if err != nil {
		t.Fatal(err)
	}
	s1.Write([]any{"Chỉ tiêu", "Đạt"})
	s1.Write([]any{"Mô hình", 210})
	s2, err := b.Sheet("Chỉ tiêu") // same name: numbered
	if err != nil {
		t.Fatal(err)
	}
	s2.Write([]any{"Năm", "Kinh phí"})
	s2.Write([]any{Plain(2023), int64(1_500_000_000)})
	if err := s1.Write([]any{"late"}); err == nil {
		t.Errorf("a row written to an ended sheet")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Chỉ tiêu" || got[1] != "Chỉ tiêu 2" {
		t.Fatalf("sheets %v", got)
	}
	if v, _ := f.GetCellValue("Chỉ tiêu", "B2"); v != "210" {
		t.Errorf("B2 = %q", v)
	}
	if v, _ := f.GetCellValue("Chỉ tiêu 2", "B2"); v != "1,500,000,000" {
		t.Errorf("sheet 2 B2 = %q", v)
	}
}
