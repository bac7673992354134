// Package vntext handles Vietnamese text the way officers type it: precomposed
// (NFC) or decomposed (NFD) Unicode, both tone-mark placements ("Hoà"/"Hòa"),
// non-breaking spaces pasted from Word or Excel, zero-width characters from
// web forms, abbreviations of legal forms (HTX, HKD, TNHH, ...) and prefixes
// of administrative units ("Xã", "Phường", "TP.").
//
// Clean produces text fit for storage; Fold produces an ASCII search key for
// matching (search, duplicate detection, commune-name resolution, header
// matching). Both are safe on any input, including invalid UTF-8.
package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// charClass tells Clean and Fold what to do with a rune that is neither an
// ordinary letter nor a digit.
const (
	ccKeep  = iota // ordinary rune
	ccSpace        // any kind of white space: becomes one ASCII space
	ccDrop         // zero-width and control characters: removed
)

// classify reports how Clean treats r.
func classify(r rune) int {
	switch {
	case r < 0x80:
		switch {
		case r == ' ', r == '\t', r == '\n', r == '\r', r == '\v', r == '\f':
			return ccSpace
		case r < 0x20, r == 0x7f:
			return ccDrop
		}
		return ccKeep
	case r < 0xa0: // C1 controls; U+0085 NEXT LINE is a line break
		if r == 0x85 {
			return ccSpace
		}
		return ccDrop
	case r == 0xa0, r == 0x1680, r >= 0x2000 && r <= 0x200a, r == 0x2028, r == 0x2029,
		r == 0x202f, r == 0x205f, r == 0x3000:
		return ccSpace
	case r == 0xad, // soft hyphen
		r >= 0x200b && r <= 0x200f, // zero-width space/non-joiner/joiner, LRM, RLM
		r >= 0x202a && r <= 0x202e, // bidi embeddings
		r >= 0x2060 && r <= 0x2064, // word joiner, invisible operators
		r >= 0x2066 && r <= 0x206f, // bidi isolates, deprecated format chars
		r == 0xfeff,                // BOM / zero-width no-break space
		r == 0x180e:                // Mongolian vowel separator (formerly a space)
		return ccDrop
	}
	return ccKeep
}

// Clean prepares user-typed text for storage: invalid UTF-8 becomes U+FFFD,
// every kind of Unicode white space (NBSP, thin space, tabs, line breaks,
// ideographic space, ...) becomes an ASCII space, zero-width, bidi-control and
// control characters are removed, runs of spaces collapse to one, the ends are
// trimmed and the result is NFC-normalised. Letters, case and punctuation are
// kept. Clean is idempotent and allocates nothing when s is already clean
// ASCII.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	ascii := true
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			r = '\uFFFD'
		}
		if r >= utf8.RuneSelf {
			ascii = false
		}
		switch classify(r) {
		case ccSpace:
			pendingSpace = b.Len() > 0
			continue
		case ccDrop:
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if !ascii {
		out = norm.NFC.String(out)
	}
	return out
}

// isClean reports whether Clean(s) == s without allocating.
func isClean(s string) bool {
	if len(s) == 0 {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	ascii := true
	prevSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' {
				if prevSpace {
					return false
				}
				prevSpace = true
				continue
			}
			if c < 0x20 || c == 0x7f {
				return false
			}
			prevSpace = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			return false
		}
		if !nfcSafe(r) {
			ascii = false
		}
		if classify(r) != ccKeep {
			return false
		}
		prevSpace = false
		i += size
	}
	return ascii || norm.NFC.QuickSpanString(s) == len(s)
}

// nfcStarter marks Latin letters (U+0080..U+024F, U+1E00..U+1EFF) that are in
// NFC and never compose with the rune before them. A string made only of
// ASCII and such runes is in NFC, which spares Clean the slower general
// check for ordinary Vietnamese text.
var nfcStarter = func() (b [0x250 + 0x100]bool) {
	set := func(i int, r rune) {
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		b[i] = unicode.IsLetter(r) && norm.NFC.IsNormalString(s) && p.CCC() == 0 && p.BoundaryBefore()
	}
	for r := rune(0x80); r < 0x250; r++ {
		set(int(r), r)
	}
	for r := rune(0x1e00); r < 0x1f00; r++ {
		set(0x250+int(r-0x1e00), r)
	}
	return b
}()

func nfcSafe(r rune) bool {
	switch {
	case r < 0x250:
		return nfcStarter[r]
	case r >= 0x1e00 && r < 0x1f00:
		return nfcStarter[0x250+r-0x1e00]
	}
	return false
}
