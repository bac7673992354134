package nipp

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Text limits, in characters, of the free-text fields people type. Each
// type's Validate checks its fields against one of these with CheckText;
// the HTTP edge bounds whole bodies, these bound each field.
const (
	MaxCodeLen        = 50     // codes, decision numbers, tax codes, phone numbers, ids from other systems
	MaxNameLen        = 300    // names of establishments, programs, councils, people; titles of projects
	MaxAddressLen     = 500    // street addresses, approving bodies
	MaxNoteLen        = 2_000  // notes, reasons, comments, budget line descriptions
	MaxDescriptionLen = 10_000 // descriptions of projects
)

// Dates users enter (decisions, recordings, founding) lie within these
// years; anything else is a typing mistake or an attack.
const (
	MinYear = 1900
	MaxYear = 2100
)

// CheckText refuses text that is not valid UTF-8, holds a control
// character (tab, newline and CR allowed when multiLine) or is longer than
// max characters, naming the field.
func CheckText(field, s string, max int, multiLine bool) *Error {
	if !utf8.ValidString(s) {
		return FieldError(field, "err.nipp.text_not_utf8")
	}
	for _, c := range s {
		if unicode.IsControl(c) && !(multiLine && (c == '\t' || c == '\n' || c == '\r')) {
			return FieldError(field, "err.nipp.text_control_char", fmt.Sprintf("%U", c))
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return FieldError(field, "err.nipp.text_too_long", Num(n), Num(max))
	}
	return nil
}

// TextField is one text field of an input with its limit, for CheckTexts.
type TextField struct {
	Name      string
	Value     string
	Max       int
	MultiLine bool
}

// CheckTexts checks every field and returns the first problem.
func CheckTexts(fields ...TextField) *Error {
	for _, f := range fields {
		if err := CheckText(f.Name, f.Value, f.Max, f.MultiLine); err != nil {
			return err
		}
	}
	return nil
}

// CheckDate refuses a (non-zero) date outside MinYear..MaxYear.
func CheckDate(field string, d Date) *Error {
	if d.IsZero() || (d.Year >= MinYear && d.Year <= MaxYear) {
		return nil
	}
	return FieldError(field, "err.nipp.date_out_of_range", d, MinYear, MaxYear)
}

// errDateRange is ParseDate's error for a well-formed date out of range.
func errDateRange(s string) error {
	return fmt.Errorf("date %q is outside the years %d-%d", s, MinYear, MaxYear)
}
