package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"nipp/internal/vntext"
)

// MaxCSVRowBytes bounds the bytes one CSV row may take, so that a stray
// quote that never closes cannot make the reader hold the whole file in
// memory.
const MaxCSVRowBytes = 16 << 20

const sniffBytes = 64 << 10

var errRowTooLarge = fmt.Errorf("the row is larger than %d MB; a quote (\") is probably never closed", MaxCSVRowBytes>>20)

// NewCSVReader returns a Reader over CSV text read sequentially from r. A
// UTF-8 byte order mark is skipped; UTF-16 text with a byte order mark (what
// Excel's "Unicode Text" saves) is decoded; any other encoding is not
// guessed: text that is not valid UTF-8 is reported with its row and column.
// The delimiter — comma, semicolon or tab — is chosen from the first
// non-empty lines, unless a first line "sep=;" (understood by Excel) names
// it. Quotes are handled leniently (LazyQuotes) and rows may
// have any number of fields.
func NewCSVReader(r io.Reader) (Reader, error) {
	s, err := newCSVSource(r)
	if err != nil {
		return nil, err
	}
	return &reader{src: s}, nil
}

type csvSource struct {
	cr      *csv.Reader
	guard   *rowGuard
	closer  io.Closer
	row     int // row number of the last record returned or skipped
	lastEnd int // physical line on which the previous record ended
	err     error
}

// rowGuard counts the bytes read since the last complete record.
type rowGuard struct {
	r io.Reader
	n int64
}

func (g *rowGuard) Read(p []byte) (int, error) {
	if g.n > MaxCSVRowBytes {
		return 0, errRowTooLarge
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

func newCSVSource(r io.Reader) (*csvSource, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	bom, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(bom, []byte{0xef, 0xbb, 0xbf}):
		br.Discard(3)
	case bytes.HasPrefix(bom, []byte{0xff, 0xfe}), bytes.HasPrefix(bom, []byte{0xfe, 0xff}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		br = bufio.NewReaderSize(transform.NewReader(br, dec), sniffBytes)
		// The decoder consumed the BOM; a BOM the encoder left in the text
		// stream (U+FEFF) is removed below.
		if b, _ := br.Peek(3); bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}) {
			br.Discard(3)
		}
	}
	sample, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	comma := rune(0)
	// Excel's "sep=;" first line names the delimiter and is not a row.
	if len(sample) >= 5 && bytes.EqualFold(sample[:4], []byte("sep=")) {
		line := sample
		if i := bytes.IndexByte(sample, '\n'); i >= 0 {
			line = sample[:i+1]
		}
		if t := bytes.TrimRight(line, "\r\n"); len(t) == 5 && bytes.IndexByte([]byte(",;\t|"), t[4]) >= 0 {
			comma = rune(t[4])
			br.Discard(len(line))
		}
	}
	if comma == 0 {
		comma = sniffDelimiter(sample, err == io.EOF)
	}
	g := &rowGuard{r: br}
	cr := csv.NewReader(g)
	cr.Comma = comma
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvSource{cr: cr, guard: g}, nil
}

// sniffDelimiter picks ',', ';' or '\t': the candidate that appears the same
// (non-zero) number of times, outside quotes, on the most of the first
// non-empty lines; ties go to the larger count, then to the order above.
func sniffDelimiter(sample []byte, complete bool) rune {
	cands := [3]byte{',', ';', '\t'}
	const maxLines = 20
	var counts [3][]int
	var cur [3]int
	inQuote := false
	lineHasText := false
	lines := 0
	endLine := func() {
		if lineHasText {
			for i := range cands {
				counts[i] = append(counts[i], cur[i])
			}
			lines++
		}
		cur = [3]int{}
		lineHasText = false
	}
	for _, c := range sample {
		if lines >= maxLines {
			break
		}
		switch {
		case c == '"':
			inQuote = !inQuote
			lineHasText = true
		case inQuote:
		case c == '\n':
			endLine()
		case c == '\r' || c == ' ':
		default:
			for i, d := range cands {
				if c == d {
					cur[i]++
				}
			}
			lineHasText = true
		}
	}
	if complete && lines < maxLines {
		endLine()
	}
	best, bestLines, bestCount := 0, 0, 0
	for i := range cands {
		freq := map[int]int{}
		for _, n := range counts[i] {
			if n > 0 {
				freq[n]++
			}
		}
		ml, mc := 0, 0
		for n, l := range freq {
			if l > ml || (l == ml && n > mc) {
				ml, mc = l, n
			}
		}
		if ml > bestLines || (ml == bestLines && mc > bestCount) {
			best, bestLines, bestCount = i, ml, mc
		}
	}
	return rune(cands[best])
}

func (s *csvSource) next() (int, []string, error) {
	for {
		s.guard.n = 0
		rec, err := s.cr.Read()
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		if err != nil {
			return 0, nil, s.wrapErr(err)
		}
		line, _ := s.cr.FieldPos(0)
		row := s.row + 1 + max(0, line-s.lastEnd-1) // csv skips blank lines; Excel counts them
		if row <= s.row {
			row = s.row + 1
		}
		s.row = row
		last := len(rec) - 1
		lastLine, _ := s.cr.FieldPos(last)
		s.lastEnd = lastLine + strings.Count(rec[last], "\n")
		if s.lastEnd < line {
			s.lastEnd = line
		}

		var cells []string
		for i, f := range rec {
			if !utf8.ValidString(f) {
				return 0, nil, &RowError{Row: row, Col: i + 1, Err: ErrInvalidUTF8}
			}
			c := vntext.Clean(f)
			if c != "" && cells == nil {
				cells = make([]string, len(rec))
			}
			if cells != nil {
				cells[i] = c
			}
		}
		if cells == nil {
			continue // blank row
		}
		cells, _ = finishRow(cells)
		return row, cells, nil
	}
}

func (s *csvSource) wrapErr(err error) error {
	row := s.row + 1
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if pe.StartLine > s.lastEnd {
			row = s.row + pe.StartLine - s.lastEnd
		}
		if errors.Is(pe.Err, errRowTooLarge) {
			return &RowError{Row: row, Err: errRowTooLarge}
		}
		return &RowError{Row: row, Err: fmt.Errorf("malformed CSV: %v", pe.Err)}
	}
	if errors.Is(err, errRowTooLarge) {
		return &RowError{Row: row, Err: errRowTooLarge}
	}
	return &RowError{Row: row, Err: err}
}

func (s *csvSource) close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}
