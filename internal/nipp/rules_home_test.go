package nipp

import (
	"errors"
	"strings"
	"testing"
)

// A project's year must fall within its program's period: the first and
// the last year are in, the years either side are out.
func TestProjectYearWithinProgramPeriod(t *testing.T) {
	p := &Program{StartYear: 2026, EndYear: 2030}
	for year, ok := range map[int]bool{2025: false, 2026: true, 2028: true, 2030: true, 2031: false} {
		err := p.CheckProjectYear(year)
		if (err == nil) != ok {
			t.Errorf("year %d in 2026-2030: error %v, want ok=%v", year, err, ok)
		}
		if err != nil {
			probs := ErrorProblems(err)
			if ErrorCode(err) != EINVALID || len(probs) != 1 || probs[0].Field != "year" || probs[0].Msg.Key != "err.store.year_outside_program_s_period" {
				t.Errorf("year %d: %v, want EINVALID on field year", year, probs)
			}
		}
	}
}

// Project codes: KCQG for a national program, KCDP for a local one, then
// the year, the lead province and a four-digit number.
func TestProjectCodeScheme(t *testing.T) {
	for _, c := range []struct {
		level    string
		year     int
		province string
		n        int
		want     string
	}{
		{ProgramNational, 2026, "01", 1, "KCQG-2026-01-0001"},
		{ProgramLocal, 2027, "79", 12, "KCDP-2027-79-0012"},
		{ProgramNational, 2026, "01", 10000, "KCQG-2026-01-10000"},
	} {
		if got := ProjectCode(ProjectCodeStem(c.level, c.year, c.province), c.n); got != c.want {
			t.Errorf("%s %d %s #%d: %q, want %q", c.level, c.year, c.province, c.n, got, c.want)
		}
	}
}

// Wrap names the operation on internal errors only, and keeps what
// errors.Is, ErrorCode and ErrorProblems see.
func TestWrapNamesOperation(t *testing.T) {
	cause := errors.New("connection reset")
	f := func(id int64, fail error) (err error) {
		defer Wrap(&err, "store.FindProject(%d)", id)
		return fail
	}
	err := f(7, cause)
	if err == nil || err.Error() != "store.FindProject(7): connection reset" || !errors.Is(err, cause) || ErrorCode(err) != EINTERNAL {
		t.Errorf("internal: %v (code %s)", err, ErrorCode(err))
	}
	err = f(7, Internal(cause))
	if !strings.HasPrefix(err.Error(), "store.FindProject(7): ") || ErrorCode(err) != EINTERNAL || ErrorProblems(err)[0].Msg.Key != "err.internal" {
		t.Errorf("EINTERNAL: %v", err)
	}
	user := FieldError("year", "err.x")
	if err := f(7, user); err != error(user) {
		t.Errorf("a user's error was changed: %v", err)
	}
	if err := f(7, nil); err != nil {
		t.Errorf("nil became %v", err)
	}
}
