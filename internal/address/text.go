package address

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"nipp/internal/vntext"
)

// maxInput bounds the bytes of one typed field that the resolver looks at.
// No province or commune name comes close (the longest is under 40 bytes);
// the bound keeps hostile or garbage input (a whole pasted document) cheap.
const maxInput = 256

// token is one word of a name as the resolver compares it.
type token struct {
	// fold is the ASCII search key of the word: lowercase letters and
	// digits, diacritics removed, đ -> d, apostrophes dropped ("M'gar" ->
	// "mgar"); an all-digit word loses its leading zeros ("01" -> "1").
	fold string
	// accent is the word lowercased and NFC-composed without its tone
	// mark, followed by the tone as a digit (0 none, 1 sắc, 2 huyền, 3 hỏi,
	// 4 ngã, 5 nặng), so that both tone placements ("hoà", "hòa") give
	// "hoa2". For an unmarked (ASCII) word it equals fold.
	accent string
	// marked reports that the word carried diacritics or non-ASCII
	// letters; an unmarked word matches any accented spelling of its fold.
	marked bool
	// start and end are the byte offsets of the word in the cleaned text.
	start, end int
}

// cleanInput returns vntext.Clean(s) cut to at most maxInput bytes on a
// rune boundary.
func cleanInput(s string) string {
	if len(s) > 4*maxInput {
		s = s[:4*maxInput] // Clean may shrink the text; do not feed it megabytes
	}
	s = vntext.Clean(s)
	if len(s) > maxInput {
		cut := maxInput
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimSpace(s[:cut])
	}
	return s
}

// isApostrophe reports runes that join the two halves of a word ("Cư M'gar",
// "Cư M’gar" and "Cư Mgar" compare alike), as in vntext.Fold.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '`' || r == 0x2018 || r == 0x2019 || r == 0x02bc
}

// tone marks of Vietnamese (combining forms, as they appear after NFD).
func toneOf(m rune) int {
	switch m {
	case 0x301:
		return 1 // sắc
	case 0x300:
		return 2 // huyền
	case 0x309:
		return 3 // hỏi
	case 0x303:
		return 4 // ngã
	case 0x323:
		return 5 // nặng
	}
	return 0
}

// decomp holds the canonical decompositions of the Latin letters Vietnamese
// uses (U+0080..U+024F and U+1E00..U+1EFF), lowercased, so that tokenizing
// does not go through the normalisation tables rune by rune. It is built by
// New and read-only afterwards.
type decomp struct {
	low [0x250 - 0x80][]rune
	ext [0x100][]rune
}

func newDecomp() *decomp {
	d := &decomp{}
	dec := func(r rune) []rune {
		return []rune(norm.NFD.String(string(unicode.ToLower(r))))
	}
	for r := rune(0x80); r < 0x250; r++ {
		d.low[r-0x80] = dec(r)
	}
	for r := rune(0x1e00); r < 0x1f00; r++ {
		d.ext[r-0x1e00] = dec(r)
	}
	return d
}

// of returns the lowercase canonical decomposition of r, using buf for
// runes outside the table.
func (d *decomp) of(r rune, buf []rune) []rune {
	switch {
	case r >= 0x80 && r < 0x250:
		return d.low[r-0x80]
	case r >= 0x1e00 && r < 0x1f00:
		return d.ext[r-0x1e00]
	}
	buf = buf[:0]
	for _, x := range norm.NFD.String(string(r)) {
		buf = append(buf, unicode.ToLower(x))
	}
	return buf
}

// tokenizer holds the word being built; its buffers are reused between
// words.
type tokenizer struct {
	toks   []token
	fb     []byte // folded bytes
	ab     []rune // accent runes: lowercase, decomposed, without tone marks
	tone   int
	marked bool
	start  int
	end    int
}

func (t *tokenizer) flush() {
	if t.start < 0 {
		return
	}
	if len(t.fb) > 0 {
		fold := string(t.fb)
		digits := allDigits(fold)
		if digits {
			fold = strings.TrimLeft(fold, "0")
			if fold == "" {
				fold = "0"
			}
		}
		accent := fold
		if t.marked && !digits {
			t.ab = append(t.ab, '0'+rune(t.tone))
			accent = string(t.ab)
		}
		t.toks = append(t.toks, token{fold: fold, accent: accent, marked: t.marked && !digits, start: t.start, end: t.end})
	}
	t.fb, t.ab = t.fb[:0], t.ab[:0]
	t.tone, t.marked, t.start = 0, false, -1
}

func (t *tokenizer) mark(m rune) {
	t.marked = true
	if tn := toneOf(m); tn != 0 {
		t.tone = tn
		return
	}
	t.ab = append(t.ab, m)
}

func (t *tokenizer) letter(r rune) {
	t.ab = append(t.ab, r)
	switch {
	case r < 0x80:
		t.fb = append(t.fb, byte(r))
	case r == 'đ' || r == 'ð':
		t.fb = append(t.fb, 'd')
	default:
		for _, c := range []byte(vntext.Fold(string(r))) {
			if c != ' ' {
				t.fb = append(t.fb, c)
			}
		}
	}
}

// tokenize splits cleaned (NFC) text into words. Letters, digits and the
// combining marks after them make words; apostrophes join; anything else
// separates. Words that fold to nothing (other scripts, symbols) are
// dropped. The accent form of a word keeps its marks in canonical
// (decomposed) order without the tone mark, then the tone digit.
func (d *decomp) tokenize(s string) []token {
	t := tokenizer{start: -1}
	var buf []rune
	for i, r := range s {
		size := utf8.RuneLen(r)
		if size < 0 {
			size = 1
		}
		switch {
		case r < 0x80:
			c := byte(r)
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c == '\'' || c == '`':
				continue
			default:
				t.flush()
				continue
			}
			if t.start < 0 {
				t.start = i
			}
			t.letter(rune(c))
			t.end = i + size
		case isApostrophe(r):
			continue
		case unicode.Is(unicode.Mn, r):
			if t.start >= 0 {
				t.mark(r)
				t.end = i + size
			}
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			if t.start < 0 {
				t.start = i
			}
			t.marked = true
			for _, dr := range d.of(r, buf) {
				if unicode.Is(unicode.Mn, dr) {
					t.mark(dr)
				} else {
					t.letter(unicode.ToLower(dr))
				}
			}
			t.end = i + size
		default:
			t.flush()
		}
	}
	t.flush()
	return t.toks
}

// compact joins the folded words without spaces: the lookup key of a name.
// "Ea H'leo", "Ea Hleo" and "EaHleo" all give "eahleo".
func compact(toks []token) string {
	switch len(toks) {
	case 0:
		return ""
	case 1:
		return toks[0].fold
	}
	n := 0
	for _, t := range toks {
		n += len(t.fold)
	}
	var b strings.Builder
	b.Grow(n)
	for _, t := range toks {
		b.WriteString(t.fold)
	}
	return b.String()
}

// spaced joins the folded words with single spaces.
func spaced(toks []token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.fold
	}
	return strings.Join(parts, " ")
}

// accentCompatible reports whether the typed words q may be a spelling of
// the name words u: every word typed with diacritics must carry the same
// ones (tone placement aside); unmarked words match anything. When the words
// do not line up one to one (the key matched with different spacing) there
// is nothing to compare and the answer is true.
func accentCompatible(q, u []token) bool {
	if len(q) != len(u) {
		return true
	}
	for i := range q {
		if q[i].fold != u[i].fold {
			return true
		}
	}
	for i := range q {
		if q[i].marked && q[i].accent != u[i].accent {
			return false
		}
	}
	return true
}

// accentEqual reports whether the typed words q spell the name words u
// exactly, diacritics included (tone placement aside).
func accentEqual(q, u []token) bool {
	if len(q) != len(u) {
		return false
	}
	for i := range q {
		if q[i].accent != u[i].accent {
			return false
		}
	}
	return true
}

// anyMarked reports whether any word carries diacritics.
func anyMarked(toks []token) bool {
	for _, t := range toks {
		if t.marked {
			return true
		}
	}
	return false
}

// allDigits reports whether s is a non-empty string of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// padCode left-pads a numeric code with zeros to width n; it returns "" when
// s is not all digits or longer than n once leading zeros are dropped.
func padCode(s string, n int) string {
	if !allDigits(s) {
		return ""
	}
	if len(s) > n {
		t := strings.TrimLeft(s, "0")
		if len(t) > n {
			return ""
		}
		s = t
	}
	return strings.Repeat("0", n-len(s)) + s
}

// levenshtein is the edit distance between two ASCII strings, giving up
// (returning max+1) as soon as it must exceed max.
func levenshtein(a, b string, max int) int {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > max {
		return max + 1
	}
	if len(b) == 0 {
		return len(a)
	}
	var buf [2 * 64]int
	var prev, cur []int
	if len(b)+1 <= 64 {
		prev, cur = buf[:len(b)+1], buf[64:64+len(b)+1]
	} else {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if prev[j]+1 < v {
				v = prev[j] + 1
			}
			if cur[j-1]+1 < v {
				v = cur[j-1] + 1
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// minSimilarity is the least similarity of a "did you mean" name.
const minSimilarity = 0.6

// similarity is 1 - distance/longer length of two ASCII keys, or 0 when it
// would be below minSimilarity.
func similarity(a, b string) float64 {
	n := max(len(a), len(b))
	if n == 0 {
		return 0
	}
	maxD := int(float64(n) * (1 - minSimilarity))
	d := levenshtein(a, b, maxD)
	if d > maxD {
		return 0
	}
	return 1 - float64(d)/float64(n)
}

// hist counts the letters and digits of a folded key; two keys whose
// histograms differ by k letters one way are at least k edits apart.
type hist [36]uint8

func histOf(key string) hist {
	var h hist
	for i := 0; i < len(key); i++ {
		c := key[i]
		var j int
		switch {
		case c >= 'a' && c <= 'z':
			j = int(c - 'a')
		case c >= '0' && c <= '9':
			j = 26 + int(c-'0')
		default:
			continue
		}
		if h[j] < 255 {
			h[j]++
		}
	}
	return h
}

// lowerBound is a lower bound of the edit distance between the keys of two
// histograms.
func (h *hist) lowerBound(o *hist) int {
	more, less := 0, 0
	for i := range h {
		d := int(h[i]) - int(o[i])
		if d > 0 {
			more += d
		} else {
			less -= d
		}
	}
	return max(more, less)
}
