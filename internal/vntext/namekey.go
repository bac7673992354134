package vntext

import "strings"

// legalFormWords are folded, expanded legal-form phrases that say what kind
// of unit an establishment is rather than which one it is. NameKey drops
// them, longest first.
var legalFormWords = []string{
	"cong ty trach nhiem huu han mot thanh vien", "cong ty trach nhiem huu han",
	"cong ty co phan", "doanh nghiep tu nhan", "hop tac xa", "to hop tac", "ho kinh doanh",
	"co so san xuat", "co so", "cong ty", "doanh nghiep", "mot thanh vien",
	"trach nhiem huu han", "co phan",
}

// paddedLegalFormWords are legalFormWords with a space either side, as
// NameKey looks for them.
var paddedLegalFormWords = func() []string {
	out := make([]string, len(legalFormWords))
	for i, w := range legalFormWords {
		out[i] = " " + w + " "
	}
	return out
}()

// NameKey returns the duplicate-detection key of an establishment name: the
// folded name with legal-form abbreviations expanded (ExpandLegalAbbrev) and
// legal-form words removed, so that "HTX Gốm Bát Tràng", "Hợp tác xã gốm
// Bát Tràng" and "GOM BAT TRANG" share one key. Two records in the same
// commune with the same key are likely duplicates.
func NameKey(name string) string {
	f := " " + ExpandLegalAbbrev(Fold(name)) + " "
	removed := false
	for _, w := range paddedLegalFormWords {
		for {
			i := strings.Index(f, w)
			if i < 0 {
				break
			}
			f = f[:i] + " " + f[i+len(w):]
			removed = true
		}
	}
	var k string
	if removed {
		k = strings.Join(strings.Fields(f), " ")
	} else {
		k = f[1 : len(f)-1] // the folded name: single spaces, none at either end
	}
	if k == "" {
		return Fold(name)
	}
	return k
}
