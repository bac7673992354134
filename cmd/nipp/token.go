package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"nipp/internal/app"
)

// tokenCmd: nipp token create --email ADDRESS [--name NAME]. The token is
// the last line of the output, so scripts can take it with tail -n 1.
func tokenCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	const use = "usage: nipp token create --email ADDRESS [--name NAME]"
	if len(args) == 0 || args[0] != "create" {
		return usageError{use}
	}
	fs := newFlagSet("nipp token create", &cfg)
	var email, name string
	fs.StringVar(&email, "email", "", "e-mail address of the account the token acts for")
	fs.StringVar(&name, "name", "", "a label for the token (what uses it)")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return usageError{fmt.Sprintf("token create: %v", err)}
	}
	if email == "" || len(pos) > 0 {
		return usageError{"token create: --email is required; " + use}
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	t, secret, err := app.New(db, log).CreateTokenAsSystem(ctx, email, name)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(stdout, "created API token %d (%s…) for %s; it is shown once, keep it secret:\n%s\n", t.ID, t.Prefix, email, secret)
	return nil
}
