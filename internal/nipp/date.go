package nipp

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date without time of day or zone. The zero Date is
// "no date". It is stored as DATE (PostgreSQL) or TEXT 'YYYY-MM-DD' (SQLite).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{y, m, d} }

// Vietnam is the clock of every "today": officers' days start at midnight
// in Vietnam (UTC+7), not in UTC.
var Vietnam = time.FixedZone("ICT", 7*3600)

// Today is the date in Vietnam at the instant now (a transaction's clock is
// UTC: from midnight to 07:00 in Vietnam, UTC still says yesterday).
func Today(now time.Time) Date { return DateOf(now.In(Vietnam)) }

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "YYYY-MM-DD" of a year in MinYear..MaxYear (dates typed
// in forms and query strings; JSON dates are checked by each input's
// Validate with CheckDate).
func ParseDate(s string) (Date, error) {
	d, err := parseDate(s)
	if err == nil && !d.IsZero() && (d.Year < MinYear || d.Year > MaxYear) {
		return Date{}, errDateRange(s)
	}
	return d, err
}

// parseDate parses "YYYY-MM-DD" of any year (for values already stored).
func parseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// MustDate parses a literal date and panics on error; for tests and constants.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) IsZero() bool { return d == Date{} }

// String returns YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Time().After(e.Time()) }

// Format returns the date as users read it, one format per language
// everywhere: 02/12/2026 in Vietnamese, 2 Dec 2026 in English (a day
// before the month reads the same way to everyone; the month's name keeps
// an English reader from taking it for 12 February).
func (d Date) Format(lang string) string {
	if d.IsZero() {
		return ""
	}
	if lang == "en" {
		return fmt.Sprintf("%d %s %04d", d.Day, d.Month.String()[:3], d.Year)
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// Value implements driver.Valuer.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner for DATE columns of either engine.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(v)
		return nil
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	}
	return fmt.Errorf("cannot scan %T into Date", src)
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := parseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements encoding.TextMarshaler (JSON uses YYYY-MM-DD).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. It accepts any year:
// the API writes stored values such as an open start (0001-01-01), and
// each input type's Validate checks its dates' range (CheckDate).
func (d *Date) UnmarshalText(b []byte) error {
	v, err := parseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
