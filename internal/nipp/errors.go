// Package nipp holds the domain of the National Industry Promotion Program
// management system: types, validation, state machines, permission rules and
// error codes. It imports the standard library only.
package nipp

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each transport maps them to its own statuses in one place.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	ETOOMANY      = "too_many_requests"
	// EBADREQUEST is input no form or API can carry: control characters,
	// invalid UTF-8, malformed bodies.
	EBADREQUEST = "bad_request"
	// ETOOLARGE is a request body over its route's limit.
	ETOOLARGE = "too_large"
)

// Msg is a message meant for a user, in no language: a key of the message
// catalog (internal/web, i18n_*.go) and its arguments. It is translated
// where it is shown, in the page's or request's language. Arguments of the
// types VND, Num, Date and Name are formatted by that language; others are
// printed as they are (fmt %v).
type Msg struct {
	Key  string
	Args []any
}

// M builds a Msg.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// String renders the message for logs and tests: the key and its arguments.
func (m Msg) String() string {
	if len(m.Args) == 0 {
		return m.Key
	}
	parts := make([]string, len(m.Args))
	for i, a := range m.Args {
		parts[i] = fmt.Sprint(a)
	}
	return m.Key + "(" + strings.Join(parts, ", ") + ")"
}

// VND is an amount of money as a message argument (1.600.000 ₫, VND 1,600,000).
type VND int64

// Num is a count as a message argument, with the language's thousands
// separator (years and codes are plain ints, not Num).
type Num int64

// Name is a code as a message argument, shown by its name in the language:
// Kind is the catalog's prefix ("source", "activity", "indicator", "state",
// "legal", "role", "area"...). VI and EN, when set, are the names already
// known (data that carries both names).
type Name struct {
	Kind, Code string
	VI, EN     string
}

func (n Name) String() string { return n.Kind + ":" + n.Code }

// NameOf builds a Name argument from a kind and a code.
func NameOf(kind, code string) Name { return Name{Kind: kind, Code: code} }

// Problem is one thing wrong with an input: the field at fault (a form
// field, a JSON field or a column; "" when none) and its message.
type Problem struct {
	Field string
	Msg   Msg
}

// Error is the application error: a code and one or more problems meant
// for the user (the first in Field and Msg, further ones in More, so that
// a form shows every problem at once). Err, when set, is the underlying
// cause for operators and is never shown.
type Error struct {
	Code string
	// Field optionally names the input field (form field, column) at fault.
	Field string
	Msg   Msg
	More  []Problem
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	for _, p := range e.Problems() {
		b.WriteString(": ")
		if p.Field != "" {
			b.WriteString(p.Field + ": ")
		}
		b.WriteString(p.Msg.String())
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Problems returns every problem of the error, the first one first.
func (e *Error) Problems() []Problem {
	return append([]Problem{{Field: e.Field, Msg: e.Msg}}, e.More...)
}

// Errorf returns an application error with the given code and message key
// (a catalog key, not a text) and arguments.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Msg: Msg{Key: key, Args: args}}
}

// FieldError returns an EINVALID error naming the field at fault, with a
// message key and its arguments.
func FieldError(field, key string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Msg: Msg{Key: key, Args: args}}
}

// Join returns nil when errs is empty, or one error carrying every problem
// of errs (validation collects every problem instead of stopping at the
// first). The code is the first error's.
func Join(errs ...*Error) error {
	var out *Error
	for _, e := range errs {
		if e == nil {
			continue
		}
		if out == nil {
			c := *e
			c.More = append([]Problem(nil), e.More...)
			out = &c
			continue
		}
		out.More = append(out.More, e.Problems()...)
	}
	if out == nil {
		return nil
	}
	return out
}

// Internal wraps an unexpected error as EINTERNAL, keeping the cause.
func Internal(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: EINTERNAL, Msg: Msg{Key: "err.internal"}, Err: err}
}

// ErrorCode returns the code of an application error, EINTERNAL for any
// other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorProblems returns the problems of err to show the user; an internal
// error (or a non-application error) is one problem "err.internal", its
// cause hidden.
func ErrorProblems(err error) []Problem {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Problems()
	}
	return []Problem{{Msg: Msg{Key: "err.internal"}}}
}

// JoinErrors is Join for errors of any type: nil when all are nil, the
// error itself when only one is set (keeping its type), else one error
// carrying every application error's problems (an error that is not an
// application error makes the result that error).
func JoinErrors(errs ...error) error {
	var set []error
	for _, err := range errs {
		if err != nil {
			set = append(set, err)
		}
	}
	switch len(set) {
	case 0:
		return nil
	case 1:
		return set[0]
	}
	all := make([]*Error, 0, len(set))
	for _, err := range set {
		var e *Error
		if !errors.As(err, &e) {
			return err
		}
		all = append(all, e)
	}
	return Join(all...)
}

// Refield returns err with its problems' fields renamed by f (a use case
// reports a rule's problems under the fields of its own form); other
// errors are returned as they are.
func Refield(err error, f func(field string) string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Field = f(e.Field)
	c.More = make([]Problem, len(e.More))
	for i, p := range e.More {
		c.More[i] = Problem{Field: f(p.Field), Msg: p.Msg}
	}
	return &c
}

// Wrap adds the operation that failed to an internal error, in the manner
// of pkgsite's derrors.Wrap: a function with a named error result starts
// with `defer nipp.Wrap(&err, "store.FindProject(%q)", publicID)`, and an
// unexpected error leaving it reads "store.FindProject("da-1"): cause",
// each layer adding its own. Errors meant for the user (an *Error whose
// code is not EINTERNAL) pass unchanged: they already say what went wrong
// in the user's words. errors.Is and errors.As see through the wrapping.
func Wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	var e *Error
	if errors.As(*errp, &e) && e.Code != EINTERNAL {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}
