package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// latinFold maps precomposed Latin letters in U+0080..U+024F and the Latin
// Extended Additional block U+1E00..U+1EFF (where most Vietnamese letters with
// two marks live, e.g. "ệ", "ữ") to their lowercase ASCII base letter; 0 means
// "not a simple letter + marks", handled by the slow path.
var (
	latinLow [0x250]byte
	latinExt [0x100]byte
)

// special lists letters without a canonical decomposition that still have an
// obvious ASCII spelling. Đ/đ are the important ones; Ð/ð (Icelandic eth) are
// what legacy Vietnamese encodings often turn Đ/đ into.
var special = map[rune]string{
	'Đ': "d", 'đ': "d", 'Ð': "d", 'ð': "d",
	'ı': "i", 'Ł': "l", 'ł': "l", 'Ø': "o", 'ø': "o",
	'ß': "ss", 'ẞ': "ss", 'Æ': "ae", 'æ': "ae", 'Œ': "oe", 'œ': "oe",
	'Þ': "th", 'þ': "th", 'Ħ': "h", 'ħ': "h", 'Ŧ': "t", 'ŧ': "t",
}

func init() {
	fill := func(r rune) byte {
		if s, ok := special[r]; ok && len(s) == 1 {
			return s[0]
		}
		d := norm.NFD.String(string(r))
		if d == string(r) {
			return 0
		}
		base, n := utf8.DecodeRuneInString(d)
		if base >= 0x80 || !isASCIILetter(byte(base)) {
			return 0
		}
		for _, m := range d[n:] {
			if !unicode.Is(unicode.M, m) {
				return 0
			}
		}
		return lowerASCII(byte(base))
	}
	for r := rune(0x80); r < 0x250; r++ {
		latinLow[r] = fill(r)
	}
	for r := rune(0x1e00); r < 0x1f00; r++ {
		latinExt[r-0x1e00] = fill(r)
	}
}

const (
	asciiSep  = 0
	asciiDrop = 1
)

// asciiFold gives, for each ASCII byte, its folded byte, asciiSep or
// asciiDrop. It mirrors folder.simple.
var asciiFold = func() (t [128]byte) {
	for c := 0; c < 128; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			t[c] = byte(c)
		case c >= 'A' && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		case c == '\'' || c == '`':
			t[c] = asciiDrop
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f', c == 0x7f:
			t[c] = asciiDrop
		default:
			t[c] = asciiSep
		}
	}
	return t
}()

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isApostrophe reports runes that Fold removes without splitting the word, so
// that "Cư M'gar", "Cư M’gar" and "Cư Mgar" fold alike.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '`' || r == 0x2018 || r == 0x2019 || r == 0x02bc
}

// folder accumulates the folded output: ASCII letters and digits separated by
// single spaces.
type folder struct {
	buf     []byte
	pending bool // a separator was seen since the last letter or digit
}

func (f *folder) sep() { f.pending = len(f.buf) > 0 }

func (f *folder) put(c byte) {
	if f.pending {
		f.buf = append(f.buf, ' ')
		f.pending = false
	}
	f.buf = append(f.buf, c)
}

// simple handles runes that need no decomposition. It reports false when r
// must go through the slow path.
func (f *folder) simple(r rune) bool {
	switch {
	case r < 0x80:
		c := byte(r)
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			f.put(c)
		case c >= 'A' && c <= 'Z':
			f.put(c + 'a' - 'A')
		case c == '\'' || c == '`':
			// dropped, joins the word
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f', c == 0x7f:
			// control characters are dropped (Clean removes them)
		default:
			f.sep()
		}
		return true
	case r < 0x250:
		if c := latinLow[r]; c != 0 {
			f.put(c)
			return true
		}
	case r >= 0x1e00 && r < 0x1f00:
		if c := latinExt[r-0x1e00]; c != 0 {
			f.put(c)
			return true
		}
	case r >= 0x300 && r < 0x370: // combining diacritical marks (NFD input)
		return true
	}
	return false
}

// other handles one rune of a compatibility decomposition (or a rune that has
// none): marks and invisible characters vanish, known letters map to ASCII,
// everything else separates words.
func (f *folder) other(r rune) {
	if r < 0x80 {
		f.simple(r)
		return
	}
	if s, ok := special[r]; ok {
		for i := 0; i < len(s); i++ {
			f.put(s[i])
		}
		return
	}
	switch {
	case isApostrophe(r):
		return
	case unicode.Is(unicode.M, r):
		return
	}
	switch classify(r) {
	case ccDrop:
		return
	case ccSpace:
		f.sep()
		return
	}
	f.sep()
}

// Fold returns the search key of s: the text of Clean(s) with every diacritic
// removed (whether s is NFC or NFD, whatever the tone-mark placement), đ/Đ
// mapped to d, ASCII-lowercased, apostrophes removed, every other
// non-alphanumeric rune (punctuation, symbols, emoji, non-Latin scripts)
// turned into a word separator, and words joined by single spaces.
//
// "Làng nghề gốm Bát Tràng" (NFC or NFD) and "lang nghe gom bat trang" both
// fold to "lang nghe gom bat trang"; "TP. Hồ Chí Minh" folds to
// "tp ho chi minh". Compatibility characters are decomposed ("ﬁ" -> "fi",
// "²" -> "2", full-width "Ａ" -> "a").
//
// Fold is idempotent, Fold(Clean(s)) == Fold(s), and it returns s itself
// without allocating when s is already folded.
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	f := folder{buf: make([]byte, 0, len(s))}
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			switch a := asciiFold[c]; a {
			case asciiSep:
				f.pending = len(f.buf) > 0
			case asciiDrop:
			default:
				if f.pending {
					f.buf = append(f.buf, ' ')
					f.pending = false
				}
				f.buf = append(f.buf, a)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			f.sep()
			continue
		}
		if f.simple(r) || isApostrophe(r) {
			continue
		}
		d := norm.NFKD.String(string(r))
		for _, dr := range d {
			f.other(dr)
		}
	}
	return unsafeString(f.buf)
}

// isFolded reports whether s is already in folded form.
func isFolded(s string) bool {
	if len(s) == 0 {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			return false
		}
	}
	return true
}

// FoldTokens returns the words of Fold(s); nil when there are none.
func FoldTokens(s string) []string {
	f := Fold(s)
	if f == "" {
		return nil
	}
	return strings.Split(f, " ")
}

// unsafeString returns b as a string without copying; b must not be
// modified afterwards.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
