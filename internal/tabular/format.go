package tabular

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Format is a file format Open can read.
type Format int

// The supported formats. The zero Format is unknown.
const (
	CSV Format = iota + 1
	XLSX
)

func (f Format) String() string {
	switch f {
	case CSV:
		return "csv"
	case XLSX:
		return "xlsx"
	}
	return "unknown"
}

var (
	zipMagic      = []byte("PK\x03\x04")
	zipEmptyMagic = []byte("PK\x05\x06")
	oleMagic      = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
)

// Errors returned by DetectFormat. Their text is meant for the user.
var (
	ErrOldExcel      = errors.New("this is an old Excel 97-2003 (.xls) file or a password-protected workbook: open it in Excel and save it as \"Excel Workbook (.xlsx)\" without a password")
	ErrHTMLSheet     = errors.New("this file is a web page or XML saved with a spreadsheet extension, not a real Excel file: open it in Excel and save it as \"Excel Workbook (.xlsx)\"")
	ErrODS           = errors.New("OpenDocument spreadsheets (.ods) are not supported: save the file as \"Excel Workbook (.xlsx)\" or CSV UTF-8")
	ErrNotXLSX       = errors.New("the file is named .xlsx but is not an Excel workbook (it may be damaged or incomplete)")
	ErrUnknownFormat = errors.New("unrecognised file type: upload an Excel workbook (.xlsx) or a CSV file")
)

// DetectFormat tells the format of a file from its first bytes (head, 512
// are plenty) and then its name. Content wins over the name: a zip archive is
// XLSX whatever it is called. Old binary .xls, HTML pages saved as .xls and
// .ods files are rejected with an explanation.
func DetectFormat(name string, head []byte) (Format, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, zipEmptyMagic):
		if ext == ".ods" {
			return 0, ErrODS
		}
		return XLSX, nil
	case bytes.HasPrefix(head, oleMagic):
		return 0, ErrOldExcel
	case looksLikeMarkup(head):
		return 0, ErrHTMLSheet
	}
	switch ext {
	case ".xlsx", ".xlsm", ".xltx", ".xltm":
		return 0, ErrNotXLSX
	case ".xls":
		if looksLikeText(head) {
			// Some systems export tab-separated text named .xls.
			return CSV, nil
		}
		return 0, ErrOldExcel
	case ".ods":
		return 0, ErrODS
	case ".csv", ".tsv", ".txt":
		return CSV, nil
	}
	if looksLikeText(head) {
		return CSV, nil
	}
	return 0, ErrUnknownFormat
}

func looksLikeMarkup(head []byte) bool {
	h := bytes.TrimPrefix(head, []byte{0xef, 0xbb, 0xbf})
	h = bytes.TrimLeft(h, " \t\r\n")
	if len(h) == 0 || h[0] != '<' {
		return false
	}
	l := bytes.ToLower(h)
	return bytes.HasPrefix(l, []byte("<html")) || bytes.HasPrefix(l, []byte("<!doctype")) ||
		bytes.HasPrefix(l, []byte("<?xml")) || bytes.HasPrefix(l, []byte("<table"))
}

// looksLikeText reports whether head is plausibly the start of a text file:
// UTF-16 with a byte order mark, or bytes without NUL that are mostly valid
// UTF-8 (a cut rune at the end is fine).
func looksLikeText(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return true
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	h := head
	if len(h) > utf8.UTFMax {
		// Ignore a rune cut by the end of the sample.
		for i := 0; i < utf8.UTFMax && len(h) > 0 && !utf8.Valid(h); i++ {
			h = h[:len(h)-1]
		}
	}
	if utf8.Valid(h) {
		return true
	}
	// Legacy 8-bit encodings: still text; the CSV reader reports the row.
	ctrl := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' {
			ctrl++
		}
	}
	return ctrl*20 < len(head)+1
}
