package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

const auditUsage = "usage: nipp audit verify [--checkpoints FILE] | nipp audit checkpoint"

// auditCmd: nipp audit verify [--checkpoints FILE], nipp audit checkpoint.
func auditCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "checkpoint") {
		return usageError{auditUsage}
	}
	fs := newFlagSet("nipp audit "+args[0], &cfg)
	var file string
	if args[0] == "verify" {
		fs.StringVar(&file, "checkpoints", "", "checkpoints kept outside nipp (the CSV or JSON export) the chain must still reach")
	}
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return usageError{fmt.Sprintf("audit %s: %v", args[0], err)}
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("audit %s: unexpected argument %q; %s", args[0], pos[0], auditUsage)}
	}
	var checkpoints []nipp.AuditCheckpoint
	if file != "" {
		if checkpoints, err = readCheckpoints(file); err != nil {
			return err
		}
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, log)
	if args[0] == "checkpoint" {
		cp, taken, err := a.TakeAuditCheckpointAsSystem(ctx)
		if err != nil {
			return userError(err)
		}
		what := "taken"
		if !taken {
			what = "unchanged (the head has not moved since)"
		}
		fmt.Fprintf(stdout, "checkpoint %d %s: seq %d, hash %s, at %s\n", cp.Number, what, cp.Seq, cp.Hash, cp.At.UTC().Format(time.RFC3339))
		return nil
	}
	rep, err := a.VerifyAuditAsSystem(ctx, checkpoints)
	if err != nil {
		return userError(err)
	}
	if rep.OK() {
		fmt.Fprintf(stdout, "audit trail intact: %d entries", rep.Entries)
		if file != "" {
			fmt.Fprintf(stdout, "; every one of the %d checkpoint(s) in %s is reached", len(checkpoints), file)
		}
		fmt.Fprintln(stdout)
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

// readCheckpoints reads a checkpoints file as exported (CSV or JSON),
// bounded in size.
func readCheckpoints(file string) ([]nipp.AuditCheckpoint, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the checkpoints: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, nipp.MaxCheckpointFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the checkpoints: %w", err)
	}
	if len(data) > nipp.MaxCheckpointFile {
		return nil, fmt.Errorf("%s: larger than %d MiB; not a checkpoints export", file, nipp.MaxCheckpointFile>>20)
	}
	cps, err := nipp.ParseAuditCheckpoints(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return cps, nil
}
