package main

import (
	"context"
	"flag"
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
	fs := flag.NewFlagSet("nipp token create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var email, name string
	fs.StringVar(&email, "email", "", "e-mail address of the account the token acts for")
	fs.StringVar(&name, "name", "", "a label for the token (what uses it)")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{fmt.Sprintf("token create: %v", err)}
	}
	if email == "" || fs.NArg() > 0 {
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

// auditCmd: nipp audit verify.
func auditCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "verify" {
		return usageError{"usage: nipp audit verify"}
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := app.New(db, log).VerifyAuditAsSystem(ctx)
	if err != nil {
		return userError(err)
	}
	if rep.OK() {
		fmt.Fprintf(stdout, "audit trail intact: %d entries\n", rep.Entries)
		return nil
	}
	for _, is := range rep.Issues {
		fmt.Fprintln(stdout, is.String())
	}
	if rep.More > 0 {
		fmt.Fprintf(stdout, "... and %d more problem(s)\n", rep.More)
	}
	return fmt.Errorf("audit trail TAMPERED: %d problem(s) in %d entries", len(rep.Issues)+rep.More, rep.Entries)
}
