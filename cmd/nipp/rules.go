package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/rulefile"
	"nipp/internal/web"
)

// rulesCmd: nipp rules load FILE [--check]
func rulesCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	const usage = "usage: nipp rules load FILE [--check] (FILE: a rule set in the text format of docs/RULESETS.md, or .xlsx)"
	if len(args) == 0 || args[0] != "load" {
		return usageError{usage}
	}
	fs := newFlagSet("nipp rules load", &cfg)
	check := fs.Bool("check", false, "validate only; store nothing")
	files, err := parseArgs(fs, args[1:]) // flags and the file in any order
	if err != nil {
		return usageError{fmt.Sprintf("rules load: %v", err)}
	}
	if len(files) != 1 {
		return usageError{usage}
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return fmt.Errorf("reading the rule set: %w", err)
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, log)
	var rs *nipp.RuleSet
	if *check {
		rs, err = a.PreviewRuleSetAsSystem(ctx, data)
	} else {
		rs, err = a.LoadRuleSetAsSystem(ctx, data, "cli:"+files[0])
	}
	if err != nil {
		var ps rulefile.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				fmt.Fprintln(stdout, p.Format(func(m nipp.Msg) string { return web.Translate("en", m) }))
			}
			return fmt.Errorf("%s: %d problem(s); nothing was loaded", files[0], len(ps))
		}
		return errors.New(cliMessage(err))
	}
	verb := "loaded"
	if *check {
		verb = "valid, not loaded"
	}
	to := "open-ended"
	if !rs.ValidTo.IsZero() {
		to = rs.ValidTo.String()
	}
	fmt.Fprintf(stdout, "rule set %s %s: %s, valid %s to %s; %d eligibility rules, %d caps, %d advance limits, %d approval rules\n",
		rs.Code, verb, rs.LegalBasis, rs.ValidFrom, to,
		len(rs.Eligibility.LegalForms)+len(rs.Eligibility.UnitTypes)+len(rs.Eligibility.PriorityGroups)+len(rs.Eligibility.ActivityTypes),
		len(rs.Caps), len(rs.AdvanceLimits), len(rs.Approvals))
	return nil
}
