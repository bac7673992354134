package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

// stringList is a repeatable flag (--province 01 --province 79, or 01,79).
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	return nil
}

// userCmd: nipp user add --email ... --role ... [--province CODE ...] [--password ...] [--name ...]
func userCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"usage: nipp user add --email ADDRESS --role admin|central|provincial|appraiser|auditor [--province CODE ...] [--password PASSWORD] [--name NAME]"}
	}
	fs := newFlagSet("nipp user add", &cfg)
	var email, role, password, name string
	var provinces stringList
	fs.StringVar(&email, "email", "", "e-mail address (the login)")
	fs.StringVar(&role, "role", "", "admin, central, provincial, appraiser or auditor")
	fs.Var(&provinces, "province", "statistical code of a province (2025 codes), repeatable")
	fs.StringVar(&password, "password", "", "password (omit to generate a one-time password)")
	fs.StringVar(&name, "name", "", "full name")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return usageError{fmt.Sprintf("user add: %v", err)}
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("user add: unexpected argument %q", pos[0])}
	}
	if email == "" || role == "" {
		return usageError{"user add: --email and --role are required"}
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, log)
	u, otp, err := a.CreateUserAsSystem(ctx, nipp.NewUser{Email: email, Name: name, Role: nipp.Role(role), Provinces: provinces, Password: password})
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(stdout, "created user %s (%s%s)\n", u.Email, u.Role, scopeText(u.Provinces))
	if otp != "" {
		fmt.Fprintf(stdout, "one-time password (change it at first sign-in): %s\n", otp)
	}
	return nil
}

func scopeText(p []string) string {
	if len(p) == 0 {
		return ""
	}
	return ", provinces " + strings.Join(p, ", ")
}

// userError turns an application error into the one sentence the user sees.
func userError(err error) error {
	if nipp.ErrorCode(err) == nipp.EINTERNAL {
		return err
	}
	return fmt.Errorf("%s", cliMessage(err))
}
