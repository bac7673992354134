// Package layers holds the test that keeps the module's arrows pointing the
// way docs/ARCHITECTURE.md draws them: cmd -> web -> app -> store -> nipp.
package layers

import (
	"errors"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "nipp"

// helpers are the leaf packages any layer may use: text, files, reference
// data. They import none of the layers.
var helpers = []string{"internal/address", "internal/chart", "internal/geo", "internal/refdata", "internal/rulefile", "internal/tabular", "internal/vntext"}

// testHelpers exist for tests only; no production package imports them.
var testHelpers = []string{"internal/store/storetest", "internal/web/webtest"}

// pkg is one package's imports, split into production files and tests.
type pkg struct {
	path  string // relative to the module: "internal/web"
	prod  []string
	tests []string // _test.go files, both in-package and external
}

// rule is an arrow the house forbids; check returns one line per breach.
func check(pkgs []pkg) []string {
	var bad []string
	under := func(p, area string) bool { return p == area || strings.HasPrefix(p, area+"/") }
	isTestHelper := func(p string) bool { return slices.Contains(testHelpers, p) }
	for _, p := range pkgs {
		for _, imp := range p.prod {
			own, local := strings.CutPrefix(imp, module+"/")
			switch {
			case under(p.path, "internal/nipp"):
				// The domain: the standard library only.
				if local || !isStd(imp) {
					bad = append(bad, p.path+" -> "+imp+": the domain imports the standard library only")
				}
			case under(p.path, "internal/web") && !isTestHelper(p.path):
				// HTTP speaks to the use cases and the domain only.
				if local && own != "internal/app" && own != "internal/nipp" && !under(own, "internal/web") && !slices.Contains(helpers, own) {
					bad = append(bad, p.path+" -> "+own+": web imports app, nipp and the helpers only")
				}
			case under(p.path, "internal/app"):
				if local && (under(own, "internal/web") || under(own, "cmd")) {
					bad = append(bad, p.path+" -> "+own+": app does not know its callers")
				}
			case under(p.path, "internal/store") && !isTestHelper(p.path):
				if local && (under(own, "internal/app") || under(own, "internal/web") || under(own, "cmd")) {
					bad = append(bad, p.path+" -> "+own+": store does not know its callers")
				}
			case slices.Contains(helpers, p.path):
				if local && !slices.Contains(helpers, own) && own != "internal/nipp" {
					bad = append(bad, p.path+" -> "+own+": a helper imports only the domain and other helpers")
				}
			}
			if local && isTestHelper(own) && !isTestHelper(p.path) {
				bad = append(bad, p.path+" -> "+own+": a test helper in production code")
			}
		}
		// The domain's tests stay in the domain too.
		if under(p.path, "internal/nipp") {
			for _, imp := range p.tests {
				if own, local := strings.CutPrefix(imp, module+"/"); local && own != "internal/nipp" || !local && !isStd(imp) {
					bad = append(bad, p.path+" (test) -> "+imp+": the domain's tests import the standard library only")
				}
			}
		}
	}
	return bad
}

// isStd reports whether an import path is the standard library's: its
// first element has no dot and it is not this module.
func isStd(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return first != module && !strings.Contains(first, ".")
}

// modulePackages reads every package of the module with go/build (the
// files' import clauses; nothing is compiled).
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	var out []pkg
	err = filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); dir != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		bp, err := build.ImportDir(dir, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		out = append(out, pkg{path: filepath.ToSlash(rel), prod: bp.Imports, tests: append(slices.Clone(bp.TestImports), bp.XTestImports...)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestArrowsPointInward fails when an import points the wrong way:
// web -> store, the domain -> anything but the standard library, store ->
// app or web, app -> web, production code -> a test helper. Test files of
// web may still open a store for their setup (through webtest), since
// they play the part of cmd/nipp's wiring.
func TestArrowsPointInward(t *testing.T) {
	pkgs := modulePackages(t)
	var seen []string
	for _, p := range pkgs {
		seen = append(seen, p.path)
	}
	for _, want := range []string{"internal/nipp", "internal/store", "internal/app", "internal/web", "cmd/nipp"} {
		if !slices.Contains(seen, want) {
			t.Fatalf("package %s not found among %v", want, seen)
		}
	}
	for _, b := range check(pkgs) {
		t.Error(b)
	}
}

// TestCheckCatchesWrongArrows shows the check fails on each arrow it forbids.
func TestCheckCatchesWrongArrows(t *testing.T) {
	for _, c := range []pkg{
		{path: "internal/web", prod: []string{"nipp/internal/store"}},
		{path: "internal/web/sub", prod: []string{"nipp/internal/demo"}},
		{path: "internal/nipp", prod: []string{"nipp/internal/vntext"}},
		{path: "internal/nipp", prod: []string{"golang.org/x/text/unicode/norm"}},
		{path: "internal/nipp", tests: []string{"nipp/internal/store"}},
		{path: "internal/store", prod: []string{"nipp/internal/app"}},
		{path: "internal/store", prod: []string{"nipp/internal/web"}},
		{path: "internal/app", prod: []string{"nipp/internal/web"}},
		{path: "internal/vntext", prod: []string{"nipp/internal/store"}},
		{path: "cmd/nipp", prod: []string{"nipp/internal/web/webtest"}},
	} {
		if len(check([]pkg{c})) != 1 {
			t.Errorf("%s -> %v%v: not caught", c.path, c.prod, c.tests)
		}
	}
	for _, c := range []pkg{
		{path: "internal/web", prod: []string{"nipp/internal/app", "nipp/internal/nipp", "nipp/internal/tabular", "net/http"}},
		{path: "internal/web/webtest", prod: []string{"nipp/internal/store"}},
		{path: "internal/web", tests: []string{"nipp/internal/store", "nipp/internal/web/webtest"}},
		{path: "internal/store", prod: []string{"nipp/internal/nipp", "nipp/internal/refdata"}},
		{path: "internal/nipp", prod: []string{"context", "time"}},
		{path: "cmd/nipp", prod: []string{"nipp/internal/store", "nipp/internal/web"}},
	} {
		if bad := check([]pkg{c}); len(bad) != 0 {
			t.Errorf("%s: allowed arrows refused: %v", c.path, bad)
		}
	}
}

// TestAppSpeaksDomainTypes fails when an exported function, method or type
// of app names a store type, which would make its callers import store to
// use it. The wiring's API is the exception: New, which takes the opened
// database, and the options (functions returning Option), such as an event
// handler that writes derived data in the change's transaction.
func TestAppSpeaksDomainTypes(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("../app/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		bad = append(bad, storeInAPI(fset, af)...)
	}
	if len(files) == 0 {
		t.Fatal("no app files found")
	}
	for _, b := range bad {
		t.Error(b)
	}
}

// storeInAPI lists the exported declarations of f whose signature or type
// mentions store.
func storeInAPI(fset *token.FileSet, f *ast.File) []string {
	var bad []string
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "store" {
					found = true
				}
			}
			return !found
		})
		return found
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || (d.Recv == nil && (d.Name.Name == "New" || returnsOption(d.Type))) {
				continue
			}
			if d.Recv != nil && !exportedRecv(d.Recv) {
				continue
			}
			if mentions(d.Type) {
				bad = append(bad, fset.Position(d.Pos()).String()+": "+d.Name.Name+" names a store type")
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() && mentions(exportedParts(ts.Type)) {
					bad = append(bad, fset.Position(ts.Pos()).String()+": type "+ts.Name.Name+" names a store type")
				}
			}
		}
	}
	return bad
}

// returnsOption reports whether a function returns just an Option.
func returnsOption(ft *ast.FuncType) bool {
	if ft.Results == nil || len(ft.Results.List) != 1 {
		return false
	}
	id, ok := ft.Results.List[0].Type.(*ast.Ident)
	return ok && id.Name == "Option"
}

func exportedRecv(r *ast.FieldList) bool {
	t := r.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.IsExported()
}

// exportedParts drops a struct's unexported fields (they are no one's API).
func exportedParts(e ast.Expr) ast.Node {
	st, ok := e.(*ast.StructType)
	if !ok {
		return e
	}
	out := &ast.FieldList{}
	for _, f := range st.Fields.List {
		exported := len(f.Names) == 0
		for _, n := range f.Names {
			exported = exported || n.IsExported()
		}
		if exported {
			out.List = append(out.List, f)
		}
	}
	return out
}

// TestUseCasesChooseAccessKind fails when a use case opens a read
// transaction on the database handle directly instead of saying which
// kind of read it is: a.read (replica-eligible, the primary right after a
// save) or a.readOwn (the primary). app.go holds the two.
func TestUseCasesChooseAccessKind(t *testing.T) {
	files, err := filepath.Glob("../app/*.go")
	if err != nil {
		t.Fatal(err)
	}
	direct := regexp.MustCompile(`\.db\.(ReadTx|ReadPrimaryTx)\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || filepath.Base(f) == "app.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if direct.MatchString(line) {
				t.Errorf("%s:%d: %s: use a.read or a.readOwn", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
