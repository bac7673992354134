package tabular

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"nipp/internal/vntext"
)

// Header describes the header row of a table found by FindHeader.
type Header struct {
	// Row is the 1-based row number of the header.
	Row int
	// Keys holds, per column, the key match returned for the header text, or
	// "" when the column is not recognised (or repeats a key already taken by
	// a column to its left).
	Keys []string
	// Texts holds, per column, the header text as printed (for a two-level
	// header, "parent sub"); Texts[i] with Keys[i] == "" are the unrecognised
	// titles to show the user. Keys and Texts have the same length.
	Texts []string
	// SubRow is the row number of a second header line merged into this one
	// (titles under a merged parent cell such as "Kinh phí" over "NSNN" and
	// "Đối ứng"), or 0.
	SubRow int
	// NumberingRow is the row number of the "(1) (2) (3)" row under the
	// header, or 0. It has been consumed.
	NumberingRow int
}

// Column returns the index of the column with the given key, or -1.
func (h Header) Column(key string) int {
	for i, k := range h.Keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Unknown returns the texts of non-empty header columns that were not
// recognised.
func (h Header) Unknown() []string {
	var out []string
	for i, k := range h.Keys {
		if k == "" && h.Texts[i] != "" {
			out = append(out, h.Texts[i])
		}
	}
	return out
}

// ErrNoHeader is wrapped by the error FindHeader returns when no row looks
// like the header.
var ErrNoHeader = errors.New("no header row found")

// DefaultMaxScan is the number of rows FindHeader looks at when maxScan <= 0.
const DefaultMaxScan = 50

// FindHeader reads rows from r until one has at least minMatches cells whose
// folded text (vntext.Fold) match recognises (returning a column key, or ""
// for an unknown title); letterheads and titles above the table are skipped.
// It gives up after row maxScan (DefaultMaxScan when maxScan <= 0).
//
// With a Reader from this package, FindHeader also looks at the rows just
// below the header: a second header line under merged cells is merged in
// (see Header.SubRow), and a row numbering the columns is consumed. The next
// call to r.Next returns the first data row.
func FindHeader(r Reader, match func(folded string) string, minMatches, maxScan int) (Header, error) {
	if minMatches < 1 {
		minMatches = 1
	}
	if maxScan <= 0 {
		maxScan = DefaultMaxScan
	}
	var h Header
	found := false
	for !found {
		row, cells, err := r.Next()
		if err == io.EOF {
			return h, fmt.Errorf("%w: no row in the first %d has at least %d recognised column titles", ErrNoHeader, maxScan, minMatches)
		}
		if err != nil {
			return h, err
		}
		if row > maxScan {
			if u, ok := r.(unreader); ok {
				u.unread(row, cells)
			}
			return h, fmt.Errorf("%w: no row in the first %d has at least %d recognised column titles", ErrNoHeader, maxScan, minMatches)
		}
		keys := make([]string, len(cells))
		seen := map[string]bool{}
		n := 0
		for i, c := range cells {
			if c == "" {
				continue
			}
			if k := match(vntext.Fold(c)); k != "" && !seen[k] {
				keys[i], seen[k] = k, true
				n++
			}
		}
		if n >= minMatches {
			h = Header{Row: row, Keys: keys, Texts: append([]string(nil), cells...)}
			found = true
		}
	}

	u, ok := r.(unreader)
	if !ok {
		return h, nil
	}
	for range 3 {
		row, cells, err := r.Next()
		if err == io.EOF {
			return h, nil
		}
		if err != nil {
			return h, err
		}
		switch {
		case h.NumberingRow == 0 && IsNumberingRow(cells):
			h.NumberingRow = row
		case h.SubRow == 0 && h.NumberingRow == 0 && h.mergeSub(row, cells, match):
		default:
			u.unread(row, cells)
			return h, nil
		}
	}
	return h, nil
}

// mergeSub merges a second header line. A header cell followed by empty
// header cells is taken as a merged parent spanning them ("Kinh phí" over
// "NSNN" and "Đối ứng"). cells is a sub-header only if it is blank under
// every recognised header cell that spans one column (those titles are
// merged vertically; a data row would have values there), and at least one
// of its titles is recognised, alone or after its parent's title.
func (h *Header) mergeSub(row int, cells []string, match func(string) string) bool {
	n := max(len(cells), len(h.Keys))
	parentOf := make([]int, n)
	spans := make([]bool, n)
	cur := -1
	for i := 0; i < n; i++ {
		if i < len(h.Texts) && h.Texts[i] != "" {
			cur = i
		} else if cur >= 0 {
			spans[cur] = true
		}
		parentOf[i] = cur
	}
	for i := 0; i < n; i++ {
		if Cell(cells, i) == "" {
			continue
		}
		if p := parentOf[i]; p >= 0 && h.Keys[p] != "" && !spans[p] {
			return false
		}
	}
	keys := make([]string, n)
	texts := make([]string, n)
	copy(texts, h.Texts)
	seen := map[string]bool{}
	for i, k := range h.Keys {
		if k != "" && !spans[i] {
			keys[i] = k
			seen[k] = true
		}
	}
	recognised := 0
	for i := 0; i < n; i++ {
		sub := Cell(cells, i)
		p := parentOf[i]
		if sub == "" {
			if p == i && h.Keys[i] != "" && spans[i] && !seen[h.Keys[i]] {
				keys[i] = h.Keys[i]
				seen[keys[i]] = true
			}
			continue
		}
		full := sub
		if p >= 0 && spans[p] {
			full = h.Texts[p] + " " + sub
		}
		k := match(vntext.Fold(full))
		if k == "" || seen[k] {
			k = match(vntext.Fold(sub))
		}
		if (k == "" || seen[k]) && p == i {
			k = h.Keys[i] // "Kinh phí" / "Tổng số": the parent's own meaning
		} else if k != "" && !seen[k] {
			recognised++
		}
		texts[i] = full
		if k != "" && !seen[k] {
			keys[i] = k
			seen[k] = true
		}
	}
	if recognised == 0 {
		return false
	}
	h.Keys, h.Texts, h.SubRow = keys, texts, row
	return true
}

// IsBlank reports whether every cell is empty or white space.
func IsBlank(cells []string) bool {
	for _, c := range cells {
		if vntext.Clean(c) != "" {
			return false
		}
	}
	return true
}

// numberingToken parses a cell of a column-numbering row: "1", "(1)", "[1]",
// "1." or "(3)=(1)+(2)" give the number; a single letter "A".."Z" gives its
// position with letter set.
func numberingToken(s string) (n int, letter, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) == 1 && s[0] >= 'A' && s[0] <= 'Z' {
		return int(s[0]-'A') + 1, true, true
	}
	closing := byte(0)
	if len(s) > 0 && (s[0] == '(' || s[0] == '[') {
		closing = ')'
		if s[0] == '[' {
			closing = ']'
		}
		s = strings.TrimSpace(s[1:])
	}
	i := 0
	for i < len(s) && i < 4 && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 || (i < len(s) && s[i] >= '0' && s[i] <= '9') { // none, or more than 4 digits
		return 0, false, false
	}
	rest := strings.TrimSpace(s[i:])
	if closing != 0 {
		if rest == "" || rest[0] != closing {
			return 0, false, false
		}
		rest = strings.TrimSpace(rest[1:])
		// "(4)=(2)x(3)": a formula relating columns.
		if rest != "" && !strings.ContainsRune("=+-*/x×:", []rune(rest)[0]) {
			return 0, false, false
		}
		return n, false, true
	}
	if rest == "" || rest == "." {
		return n, false, true
	}
	return 0, false, false
}

// IsNumberingRow reports whether cells is the row printed under a header to
// number its columns: "(1)", "(2)", ... or "1", "2", "3" (optionally "A",
// "B" for the first columns, or "(3)=(1)+(2)"), consecutive in most
// non-empty cells.
func IsNumberingRow(cells []string) bool {
	nonEmpty, recognised := 0, 0
	var nums, letters []int
	for _, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		nonEmpty++
		n, letter, ok := numberingToken(c)
		if !ok {
			continue
		}
		recognised++
		if letter {
			letters = append(letters, n)
		} else {
			nums = append(nums, n)
		}
	}
	if nonEmpty < 2 || recognised*5 < nonEmpty*4 {
		return false
	}
	consecutive := func(seq []int) bool {
		if len(seq) < 2 || seq[0] > 10 {
			return false
		}
		good := 0
		for i := 1; i < len(seq); i++ {
			if seq[i] == seq[i-1]+1 {
				good++
			}
		}
		return good*10 >= (len(seq)-1)*7
	}
	if len(nums) >= 2 {
		return consecutive(nums)
	}
	return len(nums) == 0 && consecutive(letters)
}

// IsTotalRow reports whether cells is a total row: its first non-empty cell
// (or the second, after a short one such as an empty STT or a roman numeral)
// folds to "tong cong", "cong", "tong", "tong so" or "total", possibly
// followed by more words ("Tổng cộng (I+II)") for the long forms.
func IsTotalRow(cells []string) bool {
	seen := 0
	for _, c := range cells {
		f := vntext.Fold(c)
		if f == "" {
			continue
		}
		if isTotalLabel(f) {
			return true
		}
		seen++
		if seen >= 2 || len(f) > 4 {
			return false
		}
	}
	return false
}

func isTotalLabel(f string) bool {
	switch f {
	case "tong", "cong", "total", "tong so":
		return true
	}
	for _, p := range []string{"tong cong", "total", "cong toan", "tong so"} {
		if f == p || strings.HasPrefix(f, p+" ") {
			return true
		}
	}
	return false
}

// signaturePhrases are folded fragments typical of the blocks printed below
// a table: places and dates, signatories, recipients.
var signaturePhrases = []string{
	"nguoi lap bieu", "nguoi lap", "thu truong don vi", "ky ten", "ky ho ten", "ky ghi ro ho ten",
	"ky va ghi ro ho ten", "ky dong dau", "noi nhan", "luu vt", "ke toan truong",
	"giam doc", "chu tich", "kt chu tich", "kt giam doc", "tm uy ban nhan dan", "tm ubnd",
	"xac nhan cua",
}

// IsSignatureRow reports whether cells looks like part of the signature
// block under a printed list ("Người lập biểu", "Thủ trưởng đơn vị",
// "(Ký, họ tên)", "Nơi nhận:", "Hà Nội, ngày 05 tháng 01 năm 2026"). Use it
// with IsTotalRow to stop reading data rows.
func IsSignatureRow(cells []string) bool {
	nonEmpty := 0
	hits := 0
	for _, c := range cells {
		f := vntext.Fold(c)
		if f == "" {
			continue
		}
		nonEmpty++
		padded := " " + f + " "
		hit := false
		for _, p := range signaturePhrases {
			if strings.Contains(padded, " "+p+" ") && len(f) <= len(p)+40 {
				hit = true
				break
			}
		}
		if !hit && strings.Contains(padded, " ngay ") && strings.Contains(padded, " thang ") && strings.Contains(padded, " nam ") {
			hit = true
		}
		if hit {
			hits++
		}
	}
	return hits > 0 && hits*2 >= nonEmpty
}
