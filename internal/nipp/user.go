package nipp

import (
	"net/mail"
	"strings"
	"time"
)

// User is an account.
type User struct {
	ID                 int64     `json:"id"`
	Email              string    `json:"email"`
	Name               string    `json:"name"`
	Role               Role      `json:"role"`
	Provinces          []string  `json:"provinces"` // 2025-generation codes
	Active             bool      `json:"active"`
	MustChangePassword bool      `json:"must_change_password"`
	PasswordHash       string    `json:"-"`
	PasswordChangedAt  time.Time `json:"password_changed_at"`
	Version            int       `json:"version"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Principal returns the principal acting as u.
func (u *User) Principal() *Principal {
	return &Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Provinces: u.Provinces, MustChangePassword: u.MustChangePassword}
}

// NormalizeEmail lowercases and trims an address and checks its form.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s, "@") {
		return "", FieldError("email", "err.nipp.not_valid_mail_address")
	}
	return s, nil
}

// Password length bounds.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// ValidatePassword checks a new password.
func ValidatePassword(pw string) error {
	n := len([]rune(pw))
	if n < MinPasswordLen {
		return FieldError("password", "err.nipp.password_needs_least_characters", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return FieldError("password", "err.nipp.password_too_long")
	}
	return nil
}

// NewUser is the input of CreateUser.
type NewUser struct {
	Email     string
	Name      string
	Role      Role
	Provinces []string
	Password  string // empty: generate a one-time password
}

// Validate checks the role/scope combination.
func (n *NewUser) Validate() error {
	if err := CheckTexts(TextField{"email", n.Email, MaxNameLen, false}, TextField{"name", n.Name, MaxNameLen, false}); err != nil {
		return err
	}
	if !n.Role.Valid() {
		return FieldError("role", "err.nipp.unknown_role_use_admin_central")
	}
	if n.Role == RoleProvincial && len(n.Provinces) == 0 {
		return FieldError("province", "err.nipp.provincial_officer_needs_least_one")
	}
	if n.Role != RoleProvincial && len(n.Provinces) > 0 {
		return FieldError("province", "err.nipp.only_provincial_officers_scoped_provinces")
	}
	return nil
}

// APIToken is a machine client's credential. The secret is shown once at
// creation; only its hash is stored. It acts with its user's role and scope.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // the first characters of the token, to recognise it
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Revoked reports whether the token no longer works.
func (t *APIToken) Revoked() bool { return t.RevokedAt != nil }

// MaxTokenNameLen bounds a token's label.
const MaxTokenNameLen = 100

// RoleCount is how many accounts have a role, and how many of them are
// active.
type RoleCount struct {
	Role   Role
	Total  int
	Active int
}
