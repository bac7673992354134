package vntext

import (
	"strings"
	"unicode/utf8"
)

// unitPrefixes are folded administrative-unit words, longest first so that
// "thi xa" wins over "thi" and "thanh pho" over shorter forms. Abbreviations
// with a dot ("TP.", "TX.", "TT.", "Q.", "P.") fold to the bare letters.
var unitPrefixes = []string{
	"thanh pho", "thi tran", "thi xa", "dac khu",
	"phuong", "huyen", "tinh", "quan", "xa",
	"tp", "tx", "tt", "q", "p",
}

// StripUnitPrefix removes one leading administrative-unit word from an
// already folded name: "xa", "phuong", "thi tran", "dac khu", "tinh",
// "thanh pho", "huyen", "quan", "thi xa" and the abbreviations "tp", "tx",
// "tt", "q", "p". "xa tan lap" -> "tan lap", "tp ha noi" -> "ha noi",
// "thi xa son tay" -> "son tay", "quan 1" -> "1". Only whole words are
// stripped ("xanh" stays), and nothing is stripped when the name would become
// empty ("thi xa" stays "thi xa").
func StripUnitPrefix(folded string) string {
	for _, p := range unitPrefixes {
		if len(folded) > len(p)+1 && folded[len(p)] == ' ' && strings.HasPrefix(folded, p) {
			return strings.TrimLeft(folded[len(p)+1:], " ")
		}
	}
	return folded
}

// legalAbbrev maps folded abbreviations of legal forms and common name words
// to their full folded spelling.
var legalAbbrev = map[string]string{
	"htx":  "hop tac xa",
	"hkd":  "ho kinh doanh",
	"tht":  "to hop tac",
	"cty":  "cong ty",
	"ctcp": "cong ty co phan",
	"tnhh": "trach nhiem huu han",
	"mtv":  "mot thanh vien",
	"cp":   "co phan",
	"dntn": "doanh nghiep tu nhan",
	"sx":   "san xuat",
	"tm":   "thuong mai",
	"dv":   "dich vu",
	"xnk":  "xuat nhap khau",
	"xd":   "xay dung",
}

// ExpandLegalAbbrev spells out abbreviations of legal forms in an already
// folded establishment name, token by token, so that duplicates match:
// "htx" -> "hop tac xa", "hkd" -> "ho kinh doanh", "tht" -> "to hop tac",
// "cty" and "c ty" (from "C.ty") -> "cong ty", "ctcp" -> "cong ty co phan",
// "tnhh" -> "trach nhiem huu han", "mtv" -> "mot thanh vien",
// "cp" -> "co phan", "dntn" -> "doanh nghiep tu nhan", and the common name
// words "sx" (san xuat), "tm" (thuong mai), "dv" (dich vu),
// "xnk" (xuat nhap khau), "xd" (xay dung). Only whole tokens are replaced.
// The result is folded; s is returned unchanged when nothing applies.
func ExpandLegalAbbrev(folded string) string {
	if folded == "" {
		return folded
	}
	toks := strings.Split(folded, " ")
	changed := false
	out := make([]string, 0, len(toks)+4)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t == "c" && i+1 < len(toks) && toks[i+1] == "ty" {
			out = append(out, "cong ty")
			i++
			changed = true
			continue
		}
		if full, ok := legalAbbrev[t]; ok {
			out = append(out, full)
			changed = true
			continue
		}
		if t != "" {
			out = append(out, t)
		} else {
			changed = true // double space in input: normalise
		}
	}
	if !changed {
		return folded
	}
	return strings.Join(out, " ")
}

// Levenshtein returns the edit distance (insertions, deletions,
// substitutions) between a and b counted in runes. It does not fold; use
// Similarity for names.
func Levenshtein(a, b string) int {
	if a == b {
		return 0
	}
	ra, rb := toRunes(a), toRunes(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(rb) == 0 {
		return len(ra)
	}
	var small [64]int
	var row []int
	if len(rb)+1 <= len(small) {
		row = small[:len(rb)+1]
	} else {
		row = make([]int, len(rb)+1)
	}
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			up := row[j]
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := diag + cost
			if up+1 < v {
				v = up + 1
			}
			if row[j-1]+1 < v {
				v = row[j-1] + 1
			}
			row[j] = v
			diag = up
		}
	}
	return row[len(rb)]
}

func toRunes(s string) []rune {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		return []rune(s)
	}
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return r
}

// Similarity returns 1 - Levenshtein(Fold(a), Fold(b)) / max(len), a score
// in [0,1] for "did you mean" suggestions: 1 for names that fold alike
// ("Hoà Bình" and "HOA BINH"), 0 for nothing in common. Two names that both
// fold to "" have similarity 1.
func Similarity(a, b string) float64 {
	fa, fb := Fold(a), Fold(b)
	if fa == fb {
		return 1
	}
	n := len(fa) // folded strings are ASCII: bytes == runes
	if len(fb) > n {
		n = len(fb)
	}
	return 1 - float64(Levenshtein(fa, fb))/float64(n)
}
