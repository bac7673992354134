// Package nipp holds the domain of the National Industry Promotion Program
// management system: types, validation, state machines, permission rules and
// error codes. It imports the standard library only.
package nipp

import (
	"errors"
	"fmt"
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

// Error is the application error: a code and a message meant for the user.
// Err, when set, is the underlying cause for operators and is never shown.
type Error struct {
	Code    string
	Message string
	// Field optionally names the input field (form field, column) at fault.
	Field string
	Err   error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, msg, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an application error with the given code and message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error naming the field at fault.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
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
	return &Error{Code: EINTERNAL, Message: "Lỗi hệ thống / internal error", Err: err}
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

// ErrorMessage returns the user-facing message of err.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return "Lỗi hệ thống, vui lòng thử lại sau / Internal error, please try again later."
}
