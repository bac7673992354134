package web

import (
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/tabular"
)

// Every date field of every form is an <input type="date">: browsers send
// yyyy-mm-dd, and where a browser has no date picker (or a client posts by
// hand) the officer's dd/mm/yyyy is accepted too.

// formDate reads a date field: yyyy-mm-dd from a date picker, or a date typed
// day first (31/12/2025, 31-12-2025...). Empty is the zero date.
func formDate(field, s string) (nipp.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nipp.Date{}, nil
	}
	t, err := tabular.ParseDate(s)
	if err != nil {
		return nipp.Date{}, nipp.FieldError(field, "err.web.invalid_date_pick_or_type", s)
	}
	return nipp.DateOf(t), nil
}

// DateValue gives the value attribute of a date input: yyyy-mm-dd for a
// nipp.Date or a string that reads as a date; other text as it was typed.
func (l L) DateValue(v any) string {
	switch x := v.(type) {
	case nipp.Date:
		return x.String()
	case string:
		if d, err := formDate("", x); err == nil {
			return d.String()
		}
		return x
	}
	return ""
}
