package tabular

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"

	"nipp/internal/vntext"
)

// MaxXLSXUnzipBytes bounds the total uncompressed size of a workbook, a
// guard against zip bombs. Large sheets are unpacked to temporary files, not
// memory.
const MaxXLSXUnzipBytes = 4 << 30

// ErrDamagedXLSX is wrapped by errors about workbooks that cannot be opened.
var ErrDamagedXLSX = errors.New("the Excel file cannot be read: it is damaged, incomplete (was the upload interrupted?) or not an .xlsx workbook")

type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	sheet string
	row   int
	opts  excelize.Options
}

// openXLSXReaderAt copies r to a temporary file and opens that, because
// excelize.OpenReader would read the whole file into memory.
func openXLSXReaderAt(r io.ReaderAt, size int64) (Reader, error) {
	tmp, err := os.CreateTemp("", "nipp-upload-*.xlsx")
	if err != nil {
		return nil, err
	}
	name := tmp.Name()
	_, err = io.Copy(tmp, io.NewSectionReader(r, 0, size))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return nil, err
	}
	return openXLSXFile(name, name)
}

// openXLSXFile opens the workbook at path; remove, when not empty, is deleted
// once the workbook is open (excelize has copied what it needs by then).
func openXLSXFile(path, remove string) (_ Reader, err error) {
	if remove != "" {
		defer os.Remove(remove)
	}
	var f *excelize.File
	defer func() {
		if p := recover(); p != nil {
			if f != nil {
				f.Close()
			}
			err = fmt.Errorf("%w (%v)", ErrDamagedXLSX, p)
		}
	}()
	f, err = excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: MaxXLSXUnzipBytes})
	if err != nil {
		if f != nil {
			f.Close()
		}
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, excelize.ErrWorkbookPassword) {
			return nil, ErrOldExcel
		}
		return nil, fmt.Errorf("%w (%v)", ErrDamagedXLSX, err)
	}
	sheet := ""
	for _, name := range f.GetSheetList() {
		if visible, verr := f.GetSheetVisible(name); verr == nil && visible {
			sheet = name
			break
		}
	}
	if sheet == "" {
		f.Close()
		return nil, errors.New("the workbook has no visible sheet")
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w (sheet %q: %v)", ErrDamagedXLSX, sheet, err)
	}
	return &reader{src: &xlsxSource{f: f, rows: rows, sheet: sheet, opts: excelize.Options{RawCellValue: true}}}, nil
}

func (s *xlsxSource) next() (row int, cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &RowError{Row: s.row, Err: fmt.Errorf("%w (%v)", ErrDamagedXLSX, p)}
		}
	}()
	for s.rows.Next() {
		s.row++ // excelize yields every row number, including missing ones
		cols, err := s.rows.Columns(s.opts)
		if err != nil {
			return 0, nil, &RowError{Row: s.row, Err: fmt.Errorf("%w (%v)", ErrDamagedXLSX, err)}
		}
		blank := true
		for i, c := range cols {
			c = vntext.Clean(c)
			cols[i] = c
			if c != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		cols, _ = finishRow(cols)
		return s.row, cols, nil
	}
	if err := s.rows.Error(); err != nil {
		return 0, nil, &RowError{Row: s.row + 1, Err: err}
	}
	return 0, nil, io.EOF
}

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if ferr := s.f.Close(); err == nil {
		err = ferr
	}
	return err
}
