package tabular

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Writer writes a table row by row. The first Write is the header.
//
// Supported cell values: string, []byte, all int and uint types, float32,
// float64, bool (written "Có"/"Không"), time.Time (a date, or a date and time
// when the clock is not midnight; the zero time is an empty cell),
// Plain (an integer without separators), fmt.Stringer, nil, and pointers to string, int, int64, float64, bool and
// time.Time (nil is an empty cell). Other values are written with fmt.Sprint.
type Writer interface {
	Write(cells []any) error
	// Close finishes the file. For XLSX this is when the workbook is
	// written to the underlying io.Writer. Close does not close that writer.
	Close() error
}

// Plain is an integer written without thousands separators: a year (2013,
// not 2,013) or a count that is really a label. In XLSX it is a number cell
// with the "0" format, in CSV its digits.
type Plain int64

// ErrTooManyRows is returned by an XLSX Writer when a sheet is full.
var ErrTooManyRows = fmt.Errorf("an Excel sheet holds at most %d rows", excelize.TotalRows)

var errClosed = errors.New("tabular: writer is closed")

// deref turns pointers and nullable values into plain values.
func deref(v any) any {
	switch x := v.(type) {
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *int:
		if x == nil {
			return nil
		}
		return *x
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case *bool:
		if x == nil {
			return nil
		}
		return *x
	case *time.Time:
		if x == nil {
			return nil
		}
		return *x
	case time.Time:
		if x.IsZero() {
			return nil
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil
		}
	}
	return v
}

func isMidnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

// formatText renders a value as text for CSV.
func formatText(v any) string {
	switch x := deref(v).(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case bool:
		if x {
			return "Có"
		}
		return "Không"
	case int:
		return strconv.Itoa(x)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case Plain:
		return strconv.FormatInt(int64(x), 10)
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	case uint8:
		return strconv.FormatUint(uint64(x), 10)
	case uint16:
		return strconv.FormatUint(uint64(x), 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		if isMidnight(x) {
			return x.Format("02/01/2006")
		}
		return x.Format("02/01/2006 15:04:05")
	case fmt.Stringer:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

// ---- CSV ----

type csvWriter struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	rec    []string
	closed bool
}

// NewCSVWriter returns a Writer of comma-separated UTF-8 text for Excel: a
// byte order mark first (so Excel shows Vietnamese correctly), CRLF line
// ends. Text cells that Excel would run as a formula (starting with '=', '+',
// '-', '@', tab or carriage return, and not a plain number) are prefixed with
// an apostrophe, the usual defence against CSV formula injection.
func NewCSVWriter(w io.Writer) Writer {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	return &csvWriter{bw: bw, cw: cw}
}

func (w *csvWriter) start() error {
	if w.rec == nil {
		w.rec = make([]string, 0, 16)
		if _, err := w.bw.WriteString("\ufeff"); err != nil {
			return err
		}
	}
	return nil
}

func (w *csvWriter) Write(cells []any) error {
	if w.closed {
		return errClosed
	}
	if err := w.start(); err != nil {
		return err
	}
	w.rec = w.rec[:0]
	for _, c := range cells {
		s := formatText(c)
		if _, isString := deref(c).(string); isString {
			s = escapeFormula(s)
		}
		w.rec = append(w.rec, s)
	}
	return w.cw.Write(w.rec)
}

func (w *csvWriter) Close() error {
	if w.closed {
		return nil
	}
	if err := w.start(); err != nil {
		return err
	}
	w.closed = true
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	return w.bw.Flush()
}

// escapeFormula prefixes text that a spreadsheet would evaluate as a
// formula with an apostrophe.
func escapeFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if _, err := ParseInt(s); err == nil {
			return s
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}

// ---- XLSX ----

type xlsxWriter struct {
	out       io.Writer
	f         *excelize.File
	sw        *excelize.StreamWriter
	row       int
	header    int
	intStyle  int
	plain     int
	dateStyle int
	dtStyle   int
	vals      []any
	closed    bool
	err       error
	// inBook: a sheet of a Book, whose Close ends the sheet only.
	inBook  bool
	flushed bool
}

// NewXLSXWriter returns a Writer that streams one sheet, named sheet
// (adjusted to Excel's rules: at most 31 characters, none of : \ / ? * [ ]),
// into an .xlsx workbook written to w by Close. Rows go to a temporary file,
// not memory. The header is bold and frozen; integers are numbers shown as
// "#,##0"; dates are date cells shown as dd/mm/yyyy (dd/mm/yyyy hh:mm when
// they have a time of day); strings are always text cells, so tax codes such
// as "0101234567" keep their leading zero.
func NewXLSXWriter(w io.Writer, sheet string) (Writer, error) {
	f := excelize.NewFile()
	x, err := newSheet(f, w, sheetName(sheet), true)
	if err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

// newSheet starts a sheet of f: the first sheet renames "Sheet1", later
// ones are added.
func newSheet(f *excelize.File, w io.Writer, sheet string, first bool) (*xlsxWriter, error) {
	if first {
		if sheet != "Sheet1" {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return nil, err
			}
		}
	} else if _, err := f.NewSheet(sheet); err != nil {
		return nil, err
	}
	x := &xlsxWriter{out: w, f: f}
	var err error
	if x.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	}); err != nil {
		return nil, err
	}
	if x.intStyle, err = f.NewStyle(&excelize.Style{NumFmt: 3}); err != nil { // #,##0
		return nil, err
	}
	if x.plain, err = f.NewStyle(&excelize.Style{NumFmt: 1}); err != nil { // 0
		return nil, err
	}
	dateFmt, dtFmt := "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
	if x.dateStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return nil, err
	}
	if x.dtStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dtFmt}); err != nil {
		return nil, err
	}
	if x.sw, err = f.NewStreamWriter(sheet); err != nil {
		return nil, err
	}
	return x, nil
}

// Book is an .xlsx workbook of several sheets (a report), written sheet
// after sheet: each Sheet is a Writer as NewXLSXWriter's (bold frozen
// header, typed cells) whose Close ends the sheet; Book.Close writes the
// workbook to w.
type Book struct {
	out    io.Writer
	f      *excelize.File
	sheets []*xlsxWriter
	names  map[string]bool
	closed bool
}

// NewXLSXBook starts a workbook written to w by Close.
func NewXLSXBook(w io.Writer) *Book {
	return &Book{out: w, f: excelize.NewFile(), names: map[string]bool{}}
}

// Sheet starts the next sheet, named name (Excel's rules; a name already
// used gets a number). The previous sheet is ended.
func (b *Book) Sheet(name string) (Writer, error) {
	if b.closed {
		return nil, errClosed
	}
	if n := len(b.sheets); n > 0 {
		if err := b.sheets[n-1].flush(); err != nil {
			return nil, err
		}
	}
	name = sheetName(name)
	base := name
	for i := 2; b.names[strings.ToLower(name)]; i++ {
		suffix := " " + strconv.Itoa(i)
		r := []rune(base)
		if len(r)+len([]rune(suffix)) > 31 {
			r = r[:31-len([]rune(suffix))]
		}
		name = string(r) + suffix
	}
	b.names[strings.ToLower(name)] = true
	x, err := newSheet(b.f, b.out, name, len(b.sheets) == 0)
	if err != nil {
		return nil, err
	}
	x.inBook = true
	b.sheets = append(b.sheets, x)
	return x, nil
}

// Close ends the last sheet and writes the workbook.
func (b *Book) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	defer b.f.Close()
	if len(b.sheets) == 0 {
		return b.f.Write(b.out)
	}
	for _, x := range b.sheets {
		if err := x.flush(); err != nil {
			return err
		}
	}
	return b.f.Write(b.out)
}

func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < 0x20 {
			return ' '
		}
		return r
	}, s)
	s = strings.Trim(strings.Join(strings.Fields(s), " "), "'")
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	if strings.TrimSpace(s) == "" {
		return "Sheet1"
	}
	return s
}

// excelSerial converts t's wall-clock date and time to an Excel serial
// number (1900 date system); ok is false before 1 March 1900.
func excelSerial(t time.Time) (float64, bool) {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if day.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) {
		return 0, false
	}
	days := float64(day.Sub(excelEpoch) / (24 * time.Hour))
	h, mi, s := t.Clock()
	frac := (float64(h)*3600 + float64(mi)*60 + float64(s) + float64(t.Nanosecond())/1e9) / 86400
	return days + frac, true
}

func (x *xlsxWriter) cell(v any) any {
	v = deref(v)
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return t
	case []byte:
		return string(t)
	case bool:
		if t {
			return "Có"
		}
		return "Không"
	case Plain:
		return excelize.Cell{StyleID: x.plain, Value: int64(t)}
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return excelize.Cell{StyleID: x.intStyle, Value: t}
	case float32, float64:
		return t
	case time.Time:
		serial, ok := excelSerial(t)
		if !ok {
			return formatText(t)
		}
		if isMidnight(t) {
			return excelize.Cell{StyleID: x.dateStyle, Value: int64(serial)}
		}
		return excelize.Cell{StyleID: x.dtStyle, Value: serial}
	case fmt.Stringer:
		return t.String()
	default:
		return fmt.Sprint(t)
	}
}

func (x *xlsxWriter) Write(cells []any) error {
	if x.closed {
		return errClosed
	}
	if x.err != nil {
		return x.err
	}
	if x.row >= excelize.TotalRows {
		return ErrTooManyRows
	}
	x.row++
	x.vals = x.vals[:0]
	if x.row == 1 {
		for i, c := range cells {
			text := formatText(c)
			width := 10.0
			if n := float64(utf8.RuneCountInString(text)) * 1.2; n > width {
				width = min(n, 50)
			}
			if err := x.sw.SetColWidth(i+1, i+1, width); err != nil {
				x.err = err
				return err
			}
			x.vals = append(x.vals, excelize.Cell{StyleID: x.header, Value: text})
		}
		if len(cells) > 0 {
			if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
				x.err = err
				return err
			}
		}
	} else {
		for _, c := range cells {
			x.vals = append(x.vals, x.cell(c))
		}
	}
	ref, err := excelize.CoordinatesToCellName(1, x.row)
	if err == nil {
		err = x.sw.SetRow(ref, x.vals)
	}
	if err != nil {
		x.err = err
	}
	return err
}

func (x *xlsxWriter) Close() error {
	if x.inBook {
		return x.flush()
	}
	if x.closed {
		return nil
	}
	x.closed = true
	defer x.f.Close()
	if x.err != nil {
		return x.err
	}
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.out)
}

// flush ends a book's sheet (once).
func (x *xlsxWriter) flush() error {
	if x.flushed {
		return x.err
	}
	x.flushed, x.closed = true, true
	if x.err != nil {
		return x.err
	}
	return x.sw.Flush()
}
