package nipp

import (
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	cases := []struct {
		s         string
		max       int
		multiLine bool
		ok        bool
	}{
		{strings.Repeat("ệ", 300), 300, false, true},
		{strings.Repeat("ệ", 301), 300, false, false},
		{"a\x00b", 300, true, false},
		{"chuông\x07", 300, false, false},
		{"\x1b[31m", 300, false, false},
		{"a\u0085b", 300, false, false}, // C1 control
		{"a\x7f", 300, false, false},
		{"dòng 1\r\ndòng 2\tcột", 300, true, true},
		{"dòng 1\ndòng 2", 300, false, false},
		{"\xff", 300, true, false},
		{"", 300, false, true},
	}
	for _, c := range cases {
		if err := CheckText("f", c.s, c.max, c.multiLine); (err == nil) != c.ok {
			t.Errorf("CheckText(%q, %d, %v) = %v, want ok=%v", c.s, c.max, c.multiLine, err, c.ok)
		}
	}
}

func TestDateRange(t *testing.T) {
	for s, ok := range map[string]bool{"1900-01-01": true, "2100-12-31": true, "1899-12-31": false, "2101-01-01": false, "0001-01-01": false, "": true} {
		if _, err := ParseDate(s); (err == nil) != ok {
			t.Errorf("ParseDate(%q): %v, want ok=%v", s, err, ok)
		}
	}
	if CheckDate("d", NewDate(1, 1, 1)) == nil || CheckDate("d", NewDate(2026, 1, 1)) != nil || CheckDate("d", Date{}) != nil {
		t.Error("CheckDate bounds")
	}
	// Stored values are read whatever their year (old data stays readable).
	var d Date
	if err := d.Scan("0001-01-01"); err != nil || d.Year != 1 {
		t.Errorf("Scan of a stored year-1 date: %v %v", d, err)
	}
}
