package tabular

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestParseInt(t *testing.T) {
	ok := []struct {
		in   string
		want int64
	}{
		{"1600000", 1600000},
		{"1.600.000", 1600000},
		{"1,600,000", 1600000},
		{"1 600 000", 1600000},
		{"1\u00a0600\u00a0000", 1600000},
		{"1.600.000 đ", 1600000},
		{"1.600.000đ", 1600000},
		{"1600000₫", 1600000},
		{"1.600.000 ₫", 1600000},
		{"VND 1.600.000", 1600000},
		{"VNĐ: 1.600.000", 1600000},
		{"1.600.000 VNĐ", 1600000},
		{"1.600.000 đồng", 1600000},
		{norm.NFD.String("1.600.000 đồng"), 1600000},
		{"1.600.000 dong", 1600000},
		{"1600000d", 1600000},
		{"1.600", 1600},
		{"1,600", 1600},
		{"-1.600.000", -1600000},
		{"−1.600.000", -1600000},
		{"+500", 500},
		{"- 500", -500},
		{"0", 0},
		{" 42 ", 42},
		{"007", 7},
		{"1600000.0", 1600000},
		{"1600000.00", 1600000},
		{"1600000,00", 1600000},
		{"1.600.000,00", 1600000},
		{"1,600,000.00", 1600000},
		{"1.6E+06", 1600000},
		{"1.6E6", 1600000},
		{"1.6e+06", 1600000},
		{"1E3", 1000},
		{"1760000.0000000002", 1760000},
		{"1759999.9999999998", 1760000},
		{"9223372036854775807", math.MaxInt64},
		{"-9223372036854775808", math.MinInt64},
		{"9.223.372.036.854.775.807", math.MaxInt64},
	}
	for _, tc := range ok {
		got, err := ParseInt(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseInt(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	bad := []string{
		"", "  ", "1.5", "1,5", "12.50", "1.60", "1.6000", "1.600.00", "1,600.5", "1.600,5",
		"1.600.000,50", "1 600.000", "16 00", "1..600", ".5", "5.", "abc", "12a", "(1.000)",
		"1.5E-1", "1,6E+06", "e5", "đ", "-", "9223372036854775808", "1e30", "1.600,000.000",
		"1/2", "1.600.000 triệu", "1.0001", "1760000.4999",
	}
	for _, in := range bad {
		if got, err := ParseInt(in); err == nil {
			t.Errorf("ParseInt(%q) = %d, want error", in, got)
		} else if in != "" && !strings.Contains(err.Error(), strconv.Quote(strings.TrimSpace(in))) && strings.TrimSpace(in) != "" {
			t.Errorf("ParseInt(%q) error %q should quote the value", in, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }
	ok := []struct {
		in   string
		want time.Time
	}{
		{"31/12/2025", d(2025, 12, 31)},
		{"1/7/2025", d(2025, 7, 1)},
		{"01/07/2025", d(2025, 7, 1)},
		{"31-12-2025", d(2025, 12, 31)},
		{"31.12.2025", d(2025, 12, 31)},
		{"2025-12-31", d(2025, 12, 31)},
		{"2025/12/31", d(2025, 12, 31)},
		{" 31 / 12 / 2025 ", d(2025, 12, 31)},
		{"29/02/2024", d(2024, 2, 29)},
		{"31/12/2025 08:30", d(2025, 12, 31)},
		{"31/12/2025 08:30:15", d(2025, 12, 31)},
		{"2025-12-31T00:00:00Z", d(2025, 12, 31)},
		{"2025-12-31 00:00:00", d(2025, 12, 31)},
		{"ngày 31 tháng 12 năm 2025", d(2025, 12, 31)},
		{norm.NFD.String("Ngày 1 tháng 7 năm 2025"), d(2025, 7, 1)},
		{"45000", d(2023, 3, 15)},
		{"46022", d(2025, 12, 31)},
		{"45839", d(2025, 7, 1)},
		{"46022.75", d(2025, 12, 31)},
		{"10000", d(1927, 5, 18)},
		{"1/1/1900", d(1900, 1, 1)},
	}
	for _, tc := range ok {
		got, err := ParseDate(tc.in)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "empty"},
		{"31/02/2025", "does not exist"},
		{"29/02/2025", "does not exist"},
		{"31/04/2025", "does not exist"},
		{"0/1/2025", "does not exist"},
		{"12/31/2025", "day/month/year"},
		{"1/13/2025", "no month 13"},
		{"12/2025", "full date"},
		{"31/12/25", "two-digit year"},
		{"31/12/025", "not a date"},
		{"2025", "not a date"},
		{"45", "not a date"},
		{"9999", "not a date"},
		{"31/12-2025", "not a date"},
		{"31/12/2025 abc", "not a date"},
		{"hôm nay", "not a date"},
		{"31/12/1800", "outside"},
		{"31/12/2300", "outside"},
		{"3000000", "not a date"},
		{"ngày 31 tháng 12 năm 25", "four-digit"},
		{"12.2025", "full date"},
		{"1.5", "full date"},
		{"//", "full date"},
	}
	for _, tc := range bad {
		got, err := ParseDate(tc.in)
		if err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", tc.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseDate(%q) error %q, want it to mention %q", tc.in, err, tc.msg)
		}
	}
}

func TestExcelSerialDate(t *testing.T) {
	for serial, want := range map[float64]string{
		1: "1900-01-01", 59: "1900-02-28", 61: "1900-03-01", 45658: "2025-01-01", 2958465: "9999-12-31",
	} {
		if got := ExcelSerialDate(serial).Format("2006-01-02"); got != want {
			t.Errorf("ExcelSerialDate(%v) = %s, want %s", serial, got, want)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, in := range []string{"có", "Có", "CÓ", norm.NFD.String("Có"), "x", "X", "yes", "Y", "1", "true", "TRUE", "c", "đúng", "✓"} {
		if v, err := ParseBool(in); err != nil || !v {
			t.Errorf("ParseBool(%q) = %v, %v; want true", in, v, err)
		}
	}
	for _, in := range []string{"không", "Không", "KHÔNG", norm.NFD.String("không"), "ko", "no", "N", "0", "false", "FALSE", "k", "sai", "✗"} {
		if v, err := ParseBool(in); err != nil || v {
			t.Errorf("ParseBool(%q) = %v, %v; want false", in, v, err)
		}
	}
	for _, in := range []string{"", " ", "có thể", "2", "maybe"} {
		if _, err := ParseBool(in); err == nil {
			t.Errorf("ParseBool(%q): want error", in)
		}
	}
}

// groupInt formats n with sep between groups of three digits.
func groupInt(n int64, sep string) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func FuzzParseInt(f *testing.F) {
	f.Add("1.600.000 đ", int64(1600000))
	f.Add("1.6E+06", int64(-42))
	f.Add("1,5", int64(math.MaxInt64))
	f.Add("", int64(math.MinInt64))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		_, _ = ParseInt(s) // must not panic
		forms := []string{
			strconv.FormatInt(n, 10),
			groupInt(n, "."),
			groupInt(n, ","),
			groupInt(n, " "),
			groupInt(n, ".") + " đ",
			groupInt(n, ".") + ",00",
			strconv.FormatInt(n, 10) + "₫",
			"VND " + groupInt(n, "."),
		}
		for _, form := range forms {
			got, err := ParseInt(form)
			if err != nil || got != n {
				t.Fatalf("ParseInt(%q) = %d, %v; want %d", form, got, err, n)
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	f.Add("31/12/2025", 2025, 12, 31)
	f.Add("45000", 1900, 1, 1)
	f.Add("ngày 1 tháng 7 năm 2025", 2199, 2, 28)
	f.Add("2025-12-31T00:00:00Z", 2024, 2, 29)
	f.Fuzz(func(t *testing.T, s string, y, m, d int) {
		if got, err := ParseDate(s); err == nil {
			if got.Year() < MinYear || got.Year() > MaxYear || got.Hour() != 0 || got.Location() != time.UTC {
				t.Fatalf("ParseDate(%q) = %v out of range", s, got)
			}
		}
		if y < MinYear || y > MaxYear || m < 1 || m > 12 || d < 1 || d > 31 {
			return
		}
		want := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if want.Day() != d {
			return
		}
		for _, form := range []string{want.Format("02/01/2006"), want.Format("2/1/2006"), want.Format("2006-01-02"), want.Format("02.01.2006")} {
			got, err := ParseDate(form)
			if err != nil || !got.Equal(want) {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", form, got, err, want)
			}
		}
	})
}
