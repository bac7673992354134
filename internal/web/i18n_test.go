package web

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"nipp/internal/nipp"
)

func TestFormatting(t *testing.T) {
	vi, en := L{"vi"}, L{"en"}
	cases := []struct{ got, want string }{
		{vi.Num(int64(1600)), "1.600"},
		{en.Num(1600), "1,600"},
		{vi.Num(int64(-1234567)), "-1.234.567"},
		{vi.Num(0), "0"},
		{vi.Num(ptr(int64(12500))), "12.500"},
		{vi.Num((*int64)(nil)), ""},
		{vi.VND(1600000), "1.600.000 ₫"},
		{en.VND(1600000), "VND 1,600,000"},
		{vi.Date(nipp.MustDate("2025-12-31")), "31/12/2025"},
		{en.Date(nipp.MustDate("2025-12-31")), "31 Dec 2025"},
		{vi.T("home.title"), "Chương trình khuyến công"},
		{en.T("home.title"), "Industry promotion programs"},
		{vi.T("no.such.key"), "no.such.key"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// Every message has both languages and no key is defined twice.
func TestMessagesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, table := range messageTables {
		for k, m := range table {
			if seen[k] {
				t.Errorf("message %q defined twice", k)
			}
			seen[k] = true
			if m[0] == "" || m[1] == "" {
				t.Errorf("message %q lacks a language: %q", k, m)
			}
		}
	}
}

// TestTemplatesNameKnownMessages fails on a message key written in a
// template that no table defines: the page would show the key itself
// ("dash.no_targets_short" did, on a province's dashboard).
func TestTemplatesNameKnownMessages(t *testing.T) {
	known := map[string]bool{}
	for _, table := range messageTables {
		for k := range table {
			known[k] = true
		}
	}
	files, err := filepath.Glob(filepath.Join("templates", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found (%v)", err)
	}
	key := regexp.MustCompile(`\.L\.Tf? "([a-z0-9_.]+)"`)
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllSubmatch(b, -1) {
			n++
			if !known[string(m[1])] {
				t.Errorf("%s names message %q, which no table defines", filepath.Base(f), m[1])
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d message keys found in the templates: is the pattern still right?", n)
	}
}

func ptr[T any](v T) *T { return &v }
