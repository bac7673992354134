package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

const rollupUsage = "usage: nipp rollup verify [--repair]"

// rollupCmd: nipp rollup verify [--repair]. It recomputes every progress
// summary from the base tables and prints each difference from what is
// kept, one line each (exit 1 when there is one); --repair rebuilds them.
func rollupCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError{rollupUsage}
	}
	fs := newFlagSet("nipp rollup verify", &cfg)
	var repair bool
	fs.BoolVar(&repair, "repair", false, "rebuild the summaries from the base tables")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return usageError{fmt.Sprintf("rollup verify: %v", err)}
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("rollup verify: unexpected argument %q; %s", pos[0], rollupUsage)}
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, log)
	verify := a.VerifyRollupsAsSystem
	if repair {
		verify = a.RepairRollupsAsSystem
	}
	n, err := verify(ctx, func(d nipp.RollupDifference) error {
		_, err := fmt.Fprintf(stdout, "%s %s: %s kept %s, base tables give %s\n", d.Table, d.Key, d.Column, d.Kept, d.Want)
		return err
	})
	if err != nil {
		return userError(err)
	}
	switch {
	case n == 0:
		fmt.Fprintln(stdout, "progress summaries match the base tables")
		return nil
	case repair:
		fmt.Fprintf(stdout, "progress summaries rebuilt: %d difference(s) mended\n", n)
		return nil
	}
	return fmt.Errorf("progress summaries DIFFER from the base tables: %d difference(s); `nipp rollup verify --repair` rebuilds them", n)
}
