package web

import (
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

func ptr[T any](v T) *T { return &v }
