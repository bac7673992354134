package vntext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func nfd(s string) string { return norm.NFD.String(s) }

func TestNFDHelperReallyDecomposes(t *testing.T) {
	// Guard against tests that only ever see NFC literals.
	s := "Làng nghề gốm"
	if nfd(s) == s || !norm.NFD.IsNormalString(nfd(s)) || norm.NFC.IsNormalString(nfd(s)) {
		t.Fatalf("NFD helper did not decompose %q", s)
	}
	if utf8.RuneCountInString(nfd(s)) <= utf8.RuneCountInString(s) {
		t.Fatal("NFD form should have more runes")
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"spaces only", " \t\n\u00a0 ", ""},
		{"already clean ascii", "Ha Noi", "Ha Noi"},
		{"already clean nfc", "Hà Nội", "Hà Nội"},
		{"trim and collapse", "  Hà   Nội \t ", "Hà Nội"},
		{"nbsp", "Hà\u00a0Nội", "Hà Nội"},
		{"narrow nbsp and ideographic", "Hà\u202fNội\u3000X", "Hà Nội X"},
		{"em space", "A\u2003B", "A B"},
		{"line breaks in header cell", "Tên cơ sở\r\n(đơn vị)", "Tên cơ sở (đơn vị)"},
		{"zero width removed", "Hà\u200bNội\ufeff", "HàNội"},
		{"zwj and soft hyphen", "ab\u200dc\u00add", "abcd"},
		{"bidi marks", "\u200eHà Nội\u200f", "Hà Nội"},
		{"control chars", "a\x00b\x07c", "abc"},
		{"nfd to nfc", nfd("Làng nghề gốm"), "Làng nghề gốm"},
		{"nfd with spaces", "  " + nfd("Đắk  Lắk") + " ", "Đắk Lắk"},
		{"zero width between base and mark", "a\u200b\u0301", "á"},
		{"keeps case and punctuation", "Cty TNHH \"Gốm\", Bát Tràng.", "Cty TNHH \"Gốm\", Bát Tràng."},
		{"emoji kept", "Gốm 🏺 đẹp", "Gốm 🏺 đẹp"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"tone mark placement kept", "Hoà", "Hoà"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Clean(tc.in)
			if got != tc.want {
				t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := Clean(got); again != got {
				t.Errorf("Clean not idempotent: %q -> %q", got, again)
			}
			if !norm.NFC.IsNormalString(got) {
				t.Errorf("Clean(%q) = %q is not NFC", tc.in, got)
			}
		})
	}
}

func TestCleanNoAllocWhenClean(t *testing.T) {
	s := "Hop tac xa gom Bat Trang"
	if n := testing.AllocsPerRun(100, func() { _ = Clean(s) }); n != 0 {
		t.Errorf("Clean allocated %v times on clean ASCII", n)
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"blank", " \u00a0\t ", ""},
		{"nfc", "Làng nghề gốm", "lang nghe gom"},
		{"nfd", nfd("Làng nghề gốm"), "lang nghe gom"},
		{"plain", "lang nghe gom", "lang nghe gom"},
		{"upper", "LÀNG NGHỀ GỐM", "lang nghe gom"},
		{"upper nfd", nfd("LÀNG NGHỀ GỐM"), "lang nghe gom"},
		{"old tone placement", "Hoà Bình", "hoa binh"},
		{"new tone placement", "Hòa Bình", "hoa binh"},
		{"old tone nfd", nfd("Hoà Bình"), "hoa binh"},
		{"thuy", "Thuỷ/Thủy", "thuy thuy"},
		{"d stroke", "Đắk Đoa đường", "dak doa duong"},
		{"d stroke nfd", nfd("Đắk Đoa đường"), "dak doa duong"},
		{"eth used for d", "ÐÀ NẴNG", "da nang"},
		{"horn letters", "Ư ư Ơ ơ ự ợ", "u u o o u o"},
		{"all vowels", "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ", "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy"},
		{"mixed case", "bÁt TrÀnG", "bat trang"},
		{"nbsp", "Bát\u00a0Tràng", "bat trang"},
		{"zero width joins", "Bát\u200bTràng", "battrang"},
		{"punctuation", "TP. Hồ Chí Minh - (Q.1), số 12/3", "tp ho chi minh q 1 so 12 3"},
		{"hyphen", "Bà Rịa-Vũng Tàu", "ba ria vung tau"},
		{"apostrophe", "Cư M'gar", "cu mgar"},
		{"typographic apostrophe", "Cư M’gar", "cu mgar"},
		{"emoji", "Gốm 🏺 đẹp 😀", "gom dep"},
		{"only emoji", "😀🏺", ""},
		{"non latin separates", "abc中文def", "abc def"},
		{"ligature", "ﬁsh", "fish"},
		{"fullwidth", "ＡＢＣ１２", "abc12"},
		{"superscript", "m²", "m2"},
		{"invalid utf8", "a\xffb", "a b"},
		{"controls", "a\x00b", "ab"},
		{"german", "Straße", "strasse"},
		{"digits kept", "Quyết định 1881/QĐ-TTg", "quyet dinh 1881 qd ttg"},
		{"numbers", "1.600.000 đ", "1 600 000 d"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Fold(nfd(tc.in)); got != tc.want {
				t.Errorf("Fold(NFD(%q)) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Fold(norm.NFC.String(tc.in)); got != tc.want {
				t.Errorf("Fold(NFC(%q)) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFoldNoAllocWhenFolded(t *testing.T) {
	s := "hop tac xa gom bat trang"
	if n := testing.AllocsPerRun(100, func() { _ = Fold(s) }); n != 0 {
		t.Errorf("Fold allocated %v times on folded input", n)
	}
	s2 := "Hợp tác xã gốm Bát Tràng"
	if n := testing.AllocsPerRun(100, func() { _ = Fold(s2) }); n > 1 {
		t.Errorf("Fold allocated %v times on NFC Vietnamese, want <= 1", n)
	}
}

func TestFoldTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"Hợp tác xã  Gốm", []string{"hop", "tac", "xa", "gom"}},
		{nfd("Tổ hợp tác"), []string{"to", "hop", "tac"}},
	}
	for _, tc := range tests {
		got := FoldTokens(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || (got == nil) != (tc.want == nil) {
			t.Errorf("FoldTokens(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestStripUnitPrefix(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Xã Tân Lập", "tan lap"},
		{"Phường Hoàn Kiếm", "hoan kiem"},
		{"Thị trấn Phố Ràng", "pho rang"},
		{"Thị xã Sơn Tây", "son tay"},
		{"TX. Sơn Tây", "son tay"},
		{"Đặc khu Phú Quốc", "phu quoc"},
		{"Tỉnh Hà Giang", "ha giang"},
		{"TP. Hà Nội", "ha noi"},
		{"TP.Hà Nội", "ha noi"},
		{"Thành phố Hồ Chí Minh", "ho chi minh"},
		{"Huyện Gia Lâm", "gia lam"},
		{"Quận 1", "1"},
		{"Q.1", "1"},
		{"P. 12", "12"},
		{"Phường Xã Đàn", "xa dan"}, // only one prefix is removed
		{"Xanh Lơ", "xanh lo"},      // whole words only
		{"Thị xã", "thi xa"},        // would become empty
		{"Xã", "xa"},
		{"Tân Lập", "tan lap"},
		{"", ""},
		{"thi tranh", "thi tranh"},
	}
	for _, tc := range tests {
		if got := StripUnitPrefix(Fold(tc.in)); got != tc.want {
			t.Errorf("StripUnitPrefix(Fold(%q)) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExpandLegalAbbrev(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"HTX Gốm Bát Tràng", "hop tac xa gom bat trang"},
		{"Hợp tác xã Gốm Bát Tràng", "hop tac xa gom bat trang"},
		{"HKD Nguyễn Văn A", "ho kinh doanh nguyen van a"},
		{"THT mây tre", "to hop tac may tre"},
		{"Cty TNHH SX TM DV Minh Long", "cong ty trach nhiem huu han san xuat thuong mai dich vu minh long"},
		{"C.ty CP Gốm", "cong ty co phan gom"},
		{"CTCP Gốm", "cong ty co phan gom"},
		{"Công ty TNHH MTV Á Châu", "cong ty trach nhiem huu han mot thanh vien a chau"},
		{"DNTN Hoà Phát", "doanh nghiep tu nhan hoa phat"},
		{"Xưởng htxa", "xuong htxa"}, // whole tokens only
		{"", ""},
	}
	for _, tc := range tests {
		if got := ExpandLegalAbbrev(Fold(tc.in)); got != tc.want {
			t.Errorf("ExpandLegalAbbrev(Fold(%q)) = %q, want %q", tc.in, got, tc.want)
		}
	}
	a := ExpandLegalAbbrev(Fold("HTX gốm Bát Tràng"))
	b := ExpandLegalAbbrev(Fold(nfd("Hợp Tác Xã Gốm Bát Tràng")))
	if a != b {
		t.Errorf("duplicates do not match: %q vs %q", a, b)
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"gốm", "gom", 1}, // runes, not bytes
		{"Hà Nội", "Hà Nội", 0},
		{strings.Repeat("a", 100), strings.Repeat("a", 99) + "b", 1},
	}
	for _, tc := range tests {
		if got := Levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Levenshtein(tc.b, tc.a); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d (symmetry)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b     string
		min, max float64
	}{
		{"Hoà Bình", "HOA BINH", 1, 1},
		{nfd("Hoà Bình"), "Hòa Bình", 1, 1},
		{"", "", 1, 1},
		{"abc", "", 0, 0},
		{"Tân Lập", "Tân Lạp", 1, 1},
		{"Tân Lập", "Tân Lộc", 0.6, 0.8},
		{"abc", "xyz", 0, 0},
	}
	for _, tc := range tests {
		got := Similarity(tc.a, tc.b)
		if got < tc.min || got > tc.max {
			t.Errorf("Similarity(%q, %q) = %v, want in [%v, %v]", tc.a, tc.b, got, tc.min, tc.max)
		}
	}
}

func checkFolded(t *testing.T, in, out string) {
	t.Helper()
	if len(out) > 0 && (out[0] == ' ' || out[len(out)-1] == ' ') {
		t.Fatalf("Fold(%q) = %q has leading/trailing space", in, out)
	}
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == ' ':
			if i > 0 && out[i-1] == ' ' {
				t.Fatalf("Fold(%q) = %q has double space", in, out)
			}
		default:
			t.Fatalf("Fold(%q) = %q contains %q", in, out, c)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"", "Làng nghề gốm", nfd("Làng nghề gốm"), "Hoà", "Hòa", "Đắk Lắk", "TP. Hồ Chí Minh",
		"a\u00a0b\u200bc", "😀", "ǿ", "\xff\xfe", "ﬁ½㎯", "Å", "a\u0301\u0323", " \u0301x", "안녕",
		"क़", "ß", "ǅ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Fold(s)
		checkFolded(t, s, out)
		if again := Fold(out); again != out {
			t.Fatalf("not idempotent: Fold(%q) = %q, Fold again = %q", s, out, again)
		}
		if d := Fold(norm.NFD.String(s)); d != out {
			t.Fatalf("Fold(NFD(%q)) = %q, Fold = %q", s, d, out)
		}
		if c := Fold(norm.NFC.String(s)); c != out {
			t.Fatalf("Fold(NFC(%q)) = %q, Fold = %q", s, c, out)
		}
		if c := Fold(Clean(s)); c != out {
			t.Fatalf("Fold(Clean(%q)) = %q, Fold = %q", s, c, out)
		}
		cl := Clean(s)
		if Clean(cl) != cl {
			t.Fatalf("Clean not idempotent on %q", s)
		}
		if !utf8.ValidString(cl) || !norm.NFC.IsNormalString(cl) {
			t.Fatalf("Clean(%q) = %q not valid NFC", s, cl)
		}
	})
}

var sink string

func BenchmarkFold(b *testing.B) {
	inputs := []struct{ name, s string }{
		{"nfc", "Hợp tác xã sản xuất gốm sứ Bát Tràng, xã Bát Tràng, huyện Gia Lâm"},
		{"nfd", nfd("Hợp tác xã sản xuất gốm sứ Bát Tràng, xã Bát Tràng, huyện Gia Lâm")},
		{"ascii", "Hop tac xa san xuat gom su Bat Trang, xa Bat Trang, huyen Gia Lam"},
		{"folded", "hop tac xa san xuat gom su bat trang xa bat trang huyen gia lam"},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				sink = Fold(in.s)
			}
		})
	}
}

func BenchmarkClean(b *testing.B) {
	inputs := []struct{ name, s string }{
		{"nfc", "Hợp tác xã sản xuất gốm sứ Bát Tràng"},
		{"nfd", nfd("Hợp tác xã sản xuất gốm sứ Bát Tràng")},
		{"ascii", "Hop tac xa san xuat gom su Bat Trang"},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = Clean(in.s)
			}
		})
	}
}

func TestNameKey(t *testing.T) {
	same := [][]string{
		{"HTX Gốm Bát Tràng", "Hợp tác xã gốm Bát Tràng", "GỐM  BÁT TRÀNG", "Hop tac xa Gom Bat Trang"},
		{"Công ty TNHH Mây tre Phú Vinh", "Cty TNHH MTV mây tre Phú Vinh", "CÔNG TY TNHH MÂY TRE PHÚ VINH"},
		{"Hộ kinh doanh Nguyễn Văn An", "HKD Nguyễn Văn An"},
	}
	for _, group := range same {
		want := NameKey(group[0])
		for _, n := range group[1:] {
			if got := NameKey(n); got != want {
				t.Errorf("NameKey(%q) = %q, want %q (as %q)", n, got, want, group[0])
			}
		}
	}
	if NameKey("HTX Gốm Bát Tràng") == NameKey("HTX Gốm Phù Lãng") {
		t.Error("different names share a key")
	}
	if got := NameKey("Hợp tác xã"); got != "hop tac xa" {
		t.Errorf("a name made only of legal-form words keeps them: got %q", got)
	}
	// Written by hand: the key is the folded name, words single-spaced,
	// with the legal-form words (expanded abbreviations) taken out.
	for in, want := range map[string]string{
		"  Gốm   Bát Tràng ":        "gom bat trang",
		"Gốm Bát Tràng":             "gom bat trang",
		"Cơ sở sản xuất gốm, sứ":    "gom su",
		"HTX":                       "htx",
		"":                          "",
		"Công ty cổ phần":           "cong ty co phan",
		"gom co so bat trang co so": "gom bat trang",
		"DNTN Cơ khí Hòa Bình, Công ty TNHH": "co khi hoa binh",
	} {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkNameKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = NameKey("Hợp tác xã Gốm sứ Bát Tràng Thôn 3")
	}
}
