package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"nipp/internal/nipp"
)

// messageKeyRe is what a message key looks like in code.
var messageKeyRe = regexp.MustCompile(`^(err|msg)\.[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// keyCalls are the functions whose argument at the index is a message key
// (nipp.FieldError(field, key, ...), nipp.Errorf(code, key, ...),
// nipp.M(key, ...), and the import and target-file helpers bad(col, key)
// and bad(field, col, key)).
var keyCalls = map[string][]int{"FieldError": {1}, "Errorf": {1}, "M": {0}, "bad": {1, 2}}

// entityCalls name an entity kind ("entity.<kind>" in the catalog) at
// argument 0 or 1.
var entityCalls = map[string]int{"NotFound": 0, "notFoundOr": 1, "ScanOne": 1}

type usedKey struct {
	key string
	at  string
}

// usedMessageKeys walks every Go file of the module outside tests and
// returns the message keys it uses: string literals shaped like a key, the
// literal key arguments of the message constructors, and entity kinds.
func usedMessageKeys(t *testing.T) []usedKey {
	t.Helper()
	var out []usedKey
	fset := token.NewFileSet()
	for _, dir := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.BasicLit:
					if s, ok := stringLit(x); ok && messageKeyRe.MatchString(s) {
						out = append(out, usedKey{s, fset.Position(x.Pos()).String()})
					}
				case *ast.CallExpr:
					name := calleeName(x.Fun)
					for _, i := range keyCalls[name] {
						if i < len(x.Args) {
							if s, ok := stringLit(x.Args[i]); ok && (name != "bad" || strings.Contains(s, ".")) && !strings.Contains(s, "%") {
								out = append(out, usedKey{s, fset.Position(x.Pos()).String()})
							} else if ok && strings.Contains(s, " / ") {
								out = append(out, usedKey{s, fset.Position(x.Pos()).String()})
							}
						}
					}
					if i, ok := entityCalls[name]; ok && i < len(x.Args) {
						if s, ok := stringLit(x.Args[i]); ok {
							out = append(out, usedKey{"entity." + s, fset.Position(x.Pos()).String()})
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func calleeName(e ast.Expr) string {
	switch f := e.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// Every message key the code uses exists in both languages, with the same
// number of arguments in each.
func TestMessageKeysInCatalog(t *testing.T) {
	keys := usedMessageKeys(t)
	if len(keys) < 200 {
		t.Fatalf("found only %d message keys; is the walk broken?", len(keys))
	}
	verbs := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z]`)
	for _, k := range keys {
		var m [2]string
		found := false
		for _, table := range messageTables {
			if v, ok := table[k.key]; ok {
				m, found = v, true
			}
		}
		switch {
		case !found:
			t.Errorf("%s: message %q is not in the catalog (add it to i18n_errors.go in Vietnamese and English)", k.at, k.key)
		case m[0] == "" || m[1] == "":
			t.Errorf("%s: message %q lacks a language", k.at, k.key)
		case len(verbs.FindAllString(m[0], -1)) != len(verbs.FindAllString(m[1], -1)):
			t.Errorf("message %q: Vietnamese and English take different arguments: %q, %q", k.key, m[0], m[1])
		}
	}
}

// mixedLanguage reports whether s joins Vietnamese and English text with a
// slash ("... thử lại / please retry", "cơ sở/establishment"): some text
// before a slash has a Vietnamese letter and the word right after it is a
// lower-case ASCII word. Dates (dd/mm/yyyy), paths and "Tỉnh/TP" pass.
func mixedLanguage(s string) bool {
	for i := strings.Index(s, "/"); i >= 0; i = nextSlash(s, i) {
		left, right := s[:i], strings.TrimLeft(s[i+1:], " ")
		if !strings.HasSuffix(left, " ") {
			// "cơ sở/establishment": the word right before the slash.
			left = left[strings.LastIndexFunc(left, func(r rune) bool { return !unicode.IsLetter(r) })+1:]
		}
		word := right
		if j := strings.IndexFunc(right, func(r rune) bool { return !unicode.IsLetter(r) }); j >= 0 {
			word = right[:j]
		}
		if len(word) < 2 || !isLowerASCII(word) {
			continue
		}
		if strings.IndexFunc(left, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsLetter(r) }) >= 0 {
			return true
		}
	}
	return false
}

func nextSlash(s string, i int) int {
	j := strings.Index(s[i+1:], "/")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func isLowerASCII(w string) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

func TestMixedLanguageDetector(t *testing.T) {
	for s, want := range map[string]bool{
		"Lỗi hệ thống / internal error":          true,
		"cơ sở/establishment":                    true,
		"dòng/line %d":                           true,
		"ngày không hợp lệ (dd/mm/yyyy)":         false,
		"Tỉnh/TP":                                false,
		"ngày/tháng/năm":                         false,
		"/account/password":                      false,
		"invalid date (dd/mm/yyyy) / use digits": false,
		"err.app.file_not_found":                 false,
	} {
		if mixedLanguage(s) != want {
			t.Errorf("mixedLanguage(%q) = %v", s, !want)
		}
	}
}

// No text of the domain, the use cases or the store joins two languages:
// they speak in message keys, translated where shown.
func TestNoMixedLanguageText(t *testing.T) {
	fset := token.NewFileSet()
	for _, dir := range []string{"../nipp", "../app", "../store", "../rulefile"} {
		pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			ast.Inspect(p, func(n ast.Node) bool {
				if s, ok := stringLit2(n); ok && mixedLanguage(s) {
					t.Errorf("%s: %q joins two languages; use a message key (nipp.Msg) instead", fset.Position(n.Pos()), s)
				}
				return true
			})
		}
	}
}

func stringLit2(n ast.Node) (string, bool) {
	e, ok := n.(ast.Expr)
	if !ok {
		return "", false
	}
	return stringLit(e)
}

func TestMsgFormatting(t *testing.T) {
	vi, en := L{"vi"}, L{"en"}
	m := nipp.M("err.nipp.over_cap", nipp.NameOf("source", "national"), nipp.VND(1600000), nipp.VND(1500000), "ND45-2012", "Nghị định 45/2012/NĐ-CP", "50%")
	if got := vi.Msg(m); got != "Kinh phí khuyến công quốc gia: kinh phí hỗ trợ 1.600.000 ₫ vượt mức tối đa 1.500.000 ₫ theo bộ quy định ND45-2012 (Nghị định 45/2012/NĐ-CP): tối đa 50% tổng chi phí" {
		t.Errorf("vi: %q", got)
	}
	if got := en.Msg(m); got != "National industry promotion funds: the state support of VND 1,600,000 exceeds the VND 1,500,000 allowed by rule set ND45-2012 (Nghị định 45/2012/NĐ-CP): at most 50% of the total cost" {
		t.Errorf("en: %q", got)
	}
	for _, c := range []struct {
		l    L
		n    nipp.Name
		want string
	}{
		{vi, nipp.NameOf("state", "draft"), "dự thảo"},
		{en, nipp.NameOf("action", "submit"), "submit"},
		{en, nipp.NameOf("activity", "MACHINERY"), "Application of advanced machinery and equipment"},
		{vi, nipp.NameOf("legal", "household"), "Hộ kinh doanh"},
		{en, nipp.NameOf("nothing", "X1"), "X1"},
		{en, nipp.Name{Code: "x", VI: "tên", EN: "name"}, "name"},
	} {
		if got := c.l.Name(c.n); got != c.want {
			t.Errorf("%s %v = %q, want %q", c.l.Lang, c.n, got, c.want)
		}
	}
}
