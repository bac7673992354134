// Package tabular reads and writes the spreadsheets officers exchange — .csv
// and .xlsx — as streams of rows, with memory that does not grow with the
// number of rows, and understands the printed layout of provincial lists
// (letterhead, title, header, a row numbering the columns, a total row and
// signature blocks).
//
// Every cell handed out by a Reader is cleaned with vntext.Clean (NFC, one
// space between words, no invisible characters). Errors name the row, and the
// column where one applies, as the user sees them in Excel ("row 12,
// column C"); see RowError.
package tabular

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Reader yields the non-empty rows of a sheet or CSV file in order.
type Reader interface {
	// Next returns the next row that has at least one non-empty cell: its
	// 1-based row number as Excel shows it (blank rows are skipped but
	// counted) and its cells, cleaned with vntext.Clean, with trailing empty
	// cells removed. The slice belongs to the caller. Next returns io.EOF after
	// the last row; other errors are *RowError when they concern a row, and
	// are repeated by later calls.
	Next() (rowNum int, cells []string, err error)
	// Close releases the file and any temporary files.
	Close() error
}

// RowError is an error about one row, and optionally one column, of the
// input. Row and Col are 1-based; Col is 0 when the error concerns the whole
// row.
type RowError struct {
	Row int
	Col int
	Err error
}

func (e *RowError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("row %d, column %s: %v", e.Row, ColumnName(e.Col), e.Err)
	}
	return fmt.Sprintf("row %d: %v", e.Row, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// ColumnName returns the Excel letter of the 1-based column number col
// ("A" for 1, "AA" for 27), or "" when col < 1.
func ColumnName(col int) string {
	if col < 1 {
		return ""
	}
	var buf [8]byte
	i := len(buf)
	for col > 0 {
		col--
		i--
		buf[i] = byte('A' + col%26)
		col /= 26
	}
	return string(buf[i:])
}

// Cell returns cells[i], or "" when the row is shorter (Reader drops
// trailing empty cells).
func Cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// ErrInvalidUTF8 is wrapped by the RowError returned for CSV text that is not
// UTF-8.
var ErrInvalidUTF8 = errors.New(`the text is not valid UTF-8; the file is probably saved in another encoding (such as Windows-1258, TCVN3 or VNI): save it again as "CSV UTF-8"`)

// Open reads rows from r, which holds size bytes in the given format. For
// XLSX the first visible sheet is read; the file is first copied to a
// temporary file so that only small parts of it are ever held in memory. For
// CSV, r is read sequentially. Use DetectFormat to choose format.
func Open(r io.ReaderAt, size int64, format Format) (Reader, error) {
	switch format {
	case CSV:
		return NewCSVReader(io.NewSectionReader(r, 0, size))
	case XLSX:
		return openXLSXReaderAt(r, size)
	}
	return nil, fmt.Errorf("tabular: unknown format %d", format)
}

// OpenFile opens the file at path, detects its format from its content and
// name, and returns a Reader that also closes the file.
func OpenFile(path string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		f.Close()
		return nil, err
	}
	format, err := DetectFormat(path, head[:n])
	if err != nil {
		f.Close()
		return nil, err
	}
	if format == XLSX {
		f.Close()
		return openXLSXFile(path, "")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	r, err := newCSVSource(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return &reader{src: r}, nil
}

// source is a producer of cleaned, non-blank rows.
type source interface {
	next() (int, []string, error)
	close() error
}

// reader adds sticky errors and one row of push-back (used by FindHeader) to
// a source.
type reader struct {
	src       source
	err       error
	hasPend   bool
	pendRow   int
	pendCells []string
	closed    bool
}

func (r *reader) Next() (int, []string, error) {
	if r.hasPend {
		r.hasPend = false
		cells := r.pendCells
		r.pendCells = nil
		return r.pendRow, cells, nil
	}
	if r.err != nil {
		return 0, nil, r.err
	}
	if r.closed {
		return 0, nil, errors.New("tabular: reader is closed")
	}
	row, cells, err := r.src.next()
	if err != nil {
		r.err = err
		return 0, nil, err
	}
	return row, cells, nil
}

func (r *reader) unread(row int, cells []string) {
	r.hasPend, r.pendRow, r.pendCells = true, row, cells
}

func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	return r.src.close()
}

// unreader is implemented by the Readers of this package.
type unreader interface {
	unread(row int, cells []string)
}

// finishRow trims trailing empty cells and reports whether the row is blank.
func finishRow(cells []string) ([]string, bool) {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	return cells[:n], n == 0
}
