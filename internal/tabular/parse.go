package tabular

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"nipp/internal/vntext"
)

var errEmpty = errors.New("empty value")

// currencyWords are stripped from either end of an amount (compared after
// lowercasing).
var currencyWords = []string{"vnđ", "vnd", "đồng", "dong", "đ", "₫", "d"}

// ParseInt parses a whole number as officers type it or Excel stores it.
//
// Rule for separators (Vietnamese convention): '.' separates thousands and
// ',' marks decimals; but any one of '.', ',' or space used between groups of
// exactly three digits ("1.600.000", "1,600,000", "1 600 000") is taken as a
// thousands separator. Otherwise a single '.' or ',' is a decimal mark, and
// the value is accepted only when its fractional part is zero ("1600000.0",
// "1.600.000,00"); "1,5" and "1.5" are errors, not 1 or 15. Excel's raw
// numbers are accepted when integral ("1600000", "1.6E+06"). A currency word
// before or after the number is ignored ("1.600.000 đ", "1600000₫",
// "VND 1.600.000", "1.600.000 đồng"). Floating-point noise in Excel values
// computed by formulas ("1760000.0000000002") is rounded away. A leading '-' (or '−') makes it
// negative; parentheses are not read as negative.
func ParseInt(s string) (int64, error) {
	t := vntext.Clean(s)
	if t == "" {
		return 0, errEmpty
	}
	orig := t
	t = stripCurrency(t)
	neg := false
	switch {
	case strings.HasPrefix(t, "-"):
		neg, t = true, t[1:]
	case strings.HasPrefix(t, "−"): // U+2212 MINUS SIGN
		neg, t = true, t[len("−"):]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	t = strings.TrimSpace(t)
	if t == "" {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	digits, err := intDigits(t)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number: %v", orig, err)
	}
	if digits == "" { // scientific notation, already checked
		f, _ := strconv.ParseFloat(t, 64)
		if neg {
			f = -f
		}
		if f != math.Trunc(f) {
			return 0, fmt.Errorf("%q is not a whole number", orig)
		}
		if f < -9.223372036854775e18 || f >= 9.223372036854775e18 {
			return 0, fmt.Errorf("%q is too large", orig)
		}
		return int64(f), nil
	}
	if neg {
		digits = "-" + digits
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too large", orig)
	}
	return n, nil
}

func stripCurrency(t string) string {
	for _, w := range currencyWords {
		n := len(w)
		if len(t) <= n || !strings.EqualFold(t[len(t)-n:], w) {
			continue
		}
		before := strings.TrimRight(t[:len(t)-n], " ")
		last := t[len(t)-n-1]
		if w == "d" && !(last == ' ' || last >= '0' && last <= '9') {
			continue // "1.600.000d" or "1.600.000 d", but not a word ending in d
		}
		if before != "" {
			t = before
		}
		break
	}
	for _, w := range currencyWords {
		n := len(w)
		if w == "d" || len(t) <= n || !strings.EqualFold(t[:n], w) {
			continue
		}
		rest := strings.TrimLeft(t[n:], " :")
		if rest != "" {
			t = rest
		}
		break
	}
	return t
}

// intDigits validates the unsigned number body t and returns its digits. It
// returns "" and no error for scientific notation that strconv can parse.
func intDigits(t string) (string, error) {
	var kinds []byte // distinct separators in order of first appearance
	count := map[byte]int{}
	expo := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' || c == ',' || c == ' ':
			if count[c] == 0 {
				kinds = append(kinds, c)
			}
			count[c]++
		case c == 'e' || c == 'E':
			expo = true
		case (c == '+' || c == '-') && i > 0 && (t[i-1] == 'e' || t[i-1] == 'E'):
		default:
			return "", errors.New("unexpected characters")
		}
	}
	if expo {
		// Excel raw value such as "1.6E+06": digits[.digits]E[+-]digits.
		if len(kinds) > 1 || (len(kinds) == 1 && (kinds[0] != '.' || count['.'] > 1)) {
			return "", errors.New("malformed number")
		}
		if _, err := strconv.ParseFloat(t, 64); err != nil || t[0] < '0' || t[0] > '9' {
			return "", errors.New("malformed number")
		}
		return "", nil
	}
	switch len(kinds) {
	case 0:
		return t, nil
	case 1:
		sep := kinds[0]
		if g, ok := grouped(t, sep); ok {
			return g, nil
		}
		if sep != ' ' && count[sep] == 1 {
			if sep == '.' {
				if d, ok := nearInteger(t); ok {
					return d, nil
				}
			}
			return zeroFraction(t, sep)
		}
		return "", fmt.Errorf("digits are not grouped by three around %q", sep)
	case 2:
		// Thousands separator first, a single decimal mark last.
		grp, dec := kinds[0], kinds[1]
		if dec == ' ' || grp == ' ' || count[dec] != 1 || strings.LastIndexByte(t, grp) > strings.IndexByte(t, dec) {
			return "", errors.New("mixed separators")
		}
		i := strings.IndexByte(t, dec)
		g, ok := grouped(t[:i], grp)
		if !ok {
			return "", fmt.Errorf("digits are not grouped by three around %q", grp)
		}
		if _, err := zeroFraction("0"+t[i:], dec); err != nil {
			return "", err
		}
		return g, nil
	}
	return "", errors.New("mixed separators")
}

// grouped reports whether t is digit groups separated by sep, the first of
// 1-3 digits and the others of exactly 3, and returns the digits.
func grouped(t string, sep byte) (string, bool) {
	parts := strings.Split(t, string(sep))
	if len(parts) < 2 {
		return "", false
	}
	for i, p := range parts {
		if p == "" || len(p) > 3 || (i > 0 && len(p) != 3) {
			return "", false
		}
	}
	return strings.Join(parts, ""), true
}

// nearInteger accepts an Excel raw value with floating-point noise from a
// formula, such as "1760000.0000000002", as the nearest integer. Only
// fractions of more than three digits qualify, so "1.5" is still an error.
func nearInteger(t string) (string, bool) {
	i := strings.IndexByte(t, '.')
	if i < 1 || len(t)-i-1 <= 3 {
		return "", false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f >= 1<<53 {
		return "", false
	}
	r := math.Round(f)
	if math.Abs(f-r) > max(1e-6, f*1e-12) {
		return "", false
	}
	return strconv.FormatFloat(r, 'f', 0, 64), true
}

// zeroFraction accepts "123.000" style decimals whose fraction is all zeros.
func zeroFraction(t string, dec byte) (string, error) {
	i := strings.IndexByte(t, dec)
	whole, frac := t[:i], t[i+1:]
	if whole == "" || frac == "" {
		return "", errors.New("malformed number")
	}
	if strings.Trim(frac, "0") != "" {
		return "", fmt.Errorf("it has a fractional part (%q is read as a decimal mark)", dec)
	}
	return whole, nil
}

// Supported date range: years outside it are almost always typing mistakes.
const (
	MinYear = 1900
	MaxYear = 2199
)

// Excel serial numbers accepted by ParseDate: 10000 is 18/05/1927; smaller
// numbers are far more often a year, an amount or a code than a date.
const minSerial = 10000

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ExcelSerialDate converts an Excel serial date (1900 date system, with
// Excel's fictitious 29/02/1900) to a date at midnight UTC; the time of day
// is dropped.
func ExcelSerialDate(serial float64) time.Time {
	days := int(math.Floor(serial))
	if days < 60 {
		days++ // before the fictitious 29/02/1900
	}
	return excelEpoch.AddDate(0, 0, days)
}

// ParseDate parses a date as officers type it or Excel stores it, day first:
// "31/12/2025", "1/7/2025", "31-12-2025", "31.12.2025", ISO "2025-12-31"
// (also "2025/12/31"), "ngày 31 tháng 12 năm 2025", and Excel serial numbers
// such as "46022" (what a date cell holds; the 1900 date system). A time
// after the date ("31/12/2025 08:30", "2025-12-31T00:00:00Z") is ignored.
// Years must have four digits and lie in MinYear..MaxYear; the date must
// exist (31/02 is rejected); "12/2025" (month and year only) is rejected.
// The result is midnight UTC.
func ParseDate(s string) (time.Time, error) {
	t := vntext.Clean(s)
	if t == "" {
		return time.Time{}, errEmpty
	}
	if isSerial(t) {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || f < minSerial || f >= 2958466 {
			return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", t)
		}
		d := ExcelSerialDate(f)
		if d.Year() > MaxYear {
			return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", t)
		}
		return d, nil
	}
	if f := vntext.Fold(t); strings.HasPrefix(f, "ngay ") {
		return parseLongDate(t, f)
	}
	if !strings.Contains(t, ":") && strings.Contains(t, " ") && strings.Trim(t, "0123456789/-. ") == "" {
		t = strings.ReplaceAll(t, " ", "") // "31 / 12 / 2025"
	}
	datePart, rest := t, ""
	if i := strings.IndexAny(t, " T"); i >= 0 {
		datePart, rest = t[:i], strings.TrimSpace(t[i+1:])
		if !looksLikeTime(rest) {
			return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", t)
		}
	}
	sep := byte(0)
	for i := 0; i < len(datePart); i++ {
		c := datePart[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if c != '/' && c != '-' && c != '.' || (sep != 0 && c != sep) {
			return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", t)
		}
		sep = c
	}
	if sep == 0 {
		return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", t)
	}
	parts := strings.Split(datePart, string(sep))
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("%q is not a full date: day, month and a four-digit year are needed", t)
	}
	for _, p := range parts {
		if p == "" {
			return time.Time{}, fmt.Errorf("%q is not a full date: day, month and a four-digit year are needed", t)
		}
	}
	var ys, ms, ds string
	if len(parts[0]) == 4 {
		ys, ms, ds = parts[0], parts[1], parts[2]
	} else {
		ds, ms, ys = parts[0], parts[1], parts[2]
	}
	if len(ys) != 4 {
		if len(ys) <= 2 {
			return time.Time{}, fmt.Errorf("%q has a two-digit year: write the year in full (2025, not 25)", t)
		}
		return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", t)
	}
	if len(ds) > 2 || len(ms) > 2 {
		return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", t)
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	return makeDate(t, y, m, d)
}

func isSerial(t string) bool {
	dot := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(t)-1:
			dot = true
		default:
			return false
		}
	}
	// "31.12.2025" has two dots and is handled as a date; "12.2025" is not a
	// serial number either: serial fractions are times of day.
	if dot {
		i := strings.IndexByte(t, '.')
		return i >= 5
	}
	return true
}

func looksLikeTime(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' || !strings.Contains(s, ":") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("0123456789:.,+-Z APMapm", rune(s[i])) {
			return false
		}
	}
	return true
}

// parseLongDate parses "ngày 31 tháng 12 năm 2025".
func parseLongDate(orig, folded string) (time.Time, error) {
	f := strings.Fields(folded)
	if len(f) != 6 || f[0] != "ngay" || f[2] != "thang" || f[4] != "nam" {
		return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", orig)
	}
	if len(f[5]) != 4 {
		return time.Time{}, fmt.Errorf("%q needs a four-digit year", orig)
	}
	if len(f[1]) > 2 || len(f[3]) > 2 {
		return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", orig)
	}
	d, err1 := strconv.Atoi(f[1])
	m, err2 := strconv.Atoi(f[3])
	y, err3 := strconv.Atoi(f[5])
	if err1 != nil || err2 != nil || err3 != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (write it as day/month/year)", orig)
	}
	return makeDate(orig, y, m, d)
}

func makeDate(orig string, y, m, d int) (time.Time, error) {
	if y < MinYear || y > MaxYear {
		return time.Time{}, fmt.Errorf("%q: year %d is outside %d-%d", orig, y, MinYear, MaxYear)
	}
	if m < 1 || m > 12 {
		if m > 12 && d >= 1 && d <= 12 {
			return time.Time{}, fmt.Errorf("%q: there is no month %d (dates are written day/month/year)", orig, m)
		}
		return time.Time{}, fmt.Errorf("%q: there is no month %d", orig, m)
	}
	date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || date.Day() != d || date.Month() != time.Month(m) {
		return time.Time{}, fmt.Errorf("%q: day %d does not exist in %02d/%d", orig, d, m, y)
	}
	return date, nil
}

// ParseBool reads yes/no cells: "có", "x", "yes", "y", "1", "true", "c",
// "đúng", "✓" are true; "không", "ko", "no", "n", "0", "false", "k", "sai",
// "✗" are false (case and diacritics are ignored). Anything else, including
// an empty cell, is an error: callers decide what an empty cell means.
func ParseBool(s string) (bool, error) {
	t := vntext.Clean(s)
	if t == "" {
		return false, errEmpty
	}
	switch t {
	case "✓", "✔", "☑", "√", "✅":
		return true, nil
	case "✗", "✘", "☐", "❌":
		return false, nil
	}
	switch vntext.Fold(t) {
	case "co", "x", "yes", "y", "1", "true", "c", "dung", "v":
		return true, nil
	case "khong", "ko", "no", "n", "0", "false", "k", "sai":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no (write Có or Không)", t)
}
