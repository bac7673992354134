package refdata

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Error reports a problem found while loading one of the embedded CSV files.
//
// Line is the 1-based line number in the file (0 when the problem concerns the
// file as a whole). Column is the 1-based column: for a problem with a value it
// is the number of the field in the record and Field holds the header name of
// that field; for a CSV syntax error (reported by encoding/csv) it is the
// 1-based byte position in the line and Field is empty.
type Error struct {
	File   string
	Line   int
	Column int
	Field  string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("refdata: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Column > 0 {
		if e.Field != "" {
			fmt.Fprintf(&b, ": column %d (%s)", e.Column, e.Field)
		} else {
			fmt.Fprintf(&b, ": column %d", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// table is a parsed CSV file: a header and records whose fields are trimmed
// and in Unicode NFC.
type table struct {
	file   string
	header []string
	col    map[string]int
	rows   []row
}

// row is one record of a table with the line it starts on.
type row struct {
	t      *table
	line   int
	fields []string
}

// parseCSV reads a comma-separated file with a header line. Every column
// named in required must be in the header; other columns are allowed and kept.
// Every record must have as many fields as the header. Fields are trimmed of
// surrounding white space and normalised to NFC; a UTF-8 byte order mark
// before the header is dropped. Errors are *Error values naming file, line and
// column.
func parseCSV(file string, r io.Reader, required ...string) (*table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	t := &table{file: file}

	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Line: 1, Msg: "empty file: a header line is required"}
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	t.header = make([]string, len(header))
	t.col = make(map[string]int, len(header))
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = clean(h)
		if h == "" {
			return nil, &Error{File: file, Line: 1, Column: i + 1, Msg: "empty column name in header"}
		}
		if j, dup := t.col[h]; dup {
			return nil, &Error{File: file, Line: 1, Column: i + 1, Field: h,
				Msg: fmt.Sprintf("duplicate column name (also column %d)", j+1)}
		}
		t.header[i] = h
		t.col[h] = i
	}
	for _, name := range required {
		if _, ok := t.col[name]; !ok {
			return nil, &Error{File: file, Line: 1,
				Msg: fmt.Sprintf("missing column %q in header %q", name, strings.Join(t.header, ","))}
		}
	}

	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		fields := make([]string, len(rec))
		for i, f := range rec {
			fields[i] = clean(f)
		}
		t.rows = append(t.rows, row{t: t, line: line, fields: fields})
	}
	return t, nil
}

// csvError converts an encoding/csv error into an *Error.
func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "wrong number of fields (the header sets the number)"
		}
		if pe.StartLine != 0 && pe.StartLine != pe.Line {
			msg += fmt.Sprintf(" (record starts on line %d)", pe.StartLine)
		}
		return &Error{File: file, Line: pe.Line, Column: pe.Column, Msg: msg}
	}
	return &Error{File: file, Msg: err.Error()}
}

// clean trims white space and normalises to NFC. Already clean strings (the
// normal case) are returned without allocation.
func clean(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

// get returns the value of the named column.
func (r row) get(name string) string {
	return r.fields[r.t.col[name]]
}

// errf returns an *Error for the named column of this row.
func (r row) errf(name, format string, args ...any) error {
	return &Error{File: r.t.file, Line: r.line, Column: r.t.col[name] + 1, Field: name,
		Msg: fmt.Sprintf(format, args...)}
}

// lineErrf returns an *Error for this row as a whole.
func (r row) lineErrf(format string, args ...any) error {
	return &Error{File: r.t.file, Line: r.line, Msg: fmt.Sprintf(format, args...)}
}

// required returns the value of the named column, or an error if it is empty.
func (r row) required(name string) (string, error) {
	v := r.get(name)
	if v == "" {
		return "", r.errf(name, "value required")
	}
	return v, nil
}

// oneOf returns the value of the named column if it is one of allowed.
func (r row) oneOf(name string, allowed ...string) (string, error) {
	v := r.get(name)
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", r.errf(name, "value %q is not one of %s", v, strings.Join(allowed, ", "))
}

// digits returns the value of the named column if it is exactly n ASCII digits.
func (r row) digits(name string, n int) (string, error) {
	v := r.get(name)
	if !isDigits(v, n) {
		return "", r.errf(name, "value %q is not a %d-digit code", v, n)
	}
	return v, nil
}

// integer parses the named column as a base-10 integer.
func (r row) integer(name string) (int64, error) {
	v := r.get(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, r.errf(name, "value %q is not an integer", v)
	}
	return n, nil
}

// date returns the named column if it is a valid YYYY-MM-DD date.
func (r row) date(name string) (string, error) {
	v := r.get(name)
	if _, err := time.Parse(time.DateOnly, v); err != nil || len(v) != len(time.DateOnly) {
		return "", r.errf(name, "value %q is not a date YYYY-MM-DD", v)
	}
	return v, nil
}

// code returns the named column if it is a symbolic code: an upper-case ASCII
// letter followed by upper-case letters, digits, '_' or '-'.
func (r row) code(name string) (string, error) {
	v := r.get(name)
	if !isCode(v) {
		return "", r.errf(name, "value %q is not a code (A-Z, 0-9, '_' or '-', starting with a letter)", v)
	}
	return v, nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isCode(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
