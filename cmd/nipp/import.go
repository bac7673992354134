package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/tabular"
	"nipp/internal/web"
)

// importCmd runs `nipp import establishments FILE [--atomic]`: it stages,
// validates and applies the file as the operator, prints a summary and
// writes the rejected rows with their reasons to FILE.errors.xlsx.
func importCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "establishments" {
		return usageError{"usage: nipp import establishments FILE [--atomic]"}
	}
	fs := flag.NewFlagSet("nipp import establishments", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	atomic := fs.Bool("atomic", false, "import nothing when any row is rejected")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data folder for the SQLite database")
	fs.StringVar(&cfg.DBURL, "db", cfg.DBURL, "PostgreSQL URL instead of SQLite")
	var file string
	rest := args[1:]
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return usageError{fmt.Sprintf("import: %v", err)}
		}
		rest = fs.Args()
		if len(rest) > 0 {
			if file != "" {
				return usageError{"import: give one file"}
			}
			file, rest = rest[0], rest[1:]
		}
	}
	if file == "" {
		return usageError{"usage: nipp import establishments FILE [--atomic]"}
	}
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, job, err := importFile(ctx, app.New(db, log), file, *atomic)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d, updated %d, unchanged %d, rejected %d\n", sum.Imported, sum.Updated, sum.Unchanged, sum.Rejected)
	if job.State == store.ImportCancelled {
		fmt.Fprintln(stdout, "nothing imported (--atomic): fix the rejected rows and run again")
	}
	if sum.Rejected > 0 {
		fmt.Fprintf(stdout, "rejected rows and reasons: %s\n", file+".errors.xlsx")
	}
	return nil
}

func importFile(ctx context.Context, a *app.App, file string, atomic bool) (app.ImportSummary, *store.ImportJob, error) {
	ctx = app.AsSystem(ctx)
	var sum app.ImportSummary
	r, err := tabular.OpenFile(file)
	if err != nil {
		return sum, nil, fmt.Errorf("cannot read %s: %w", file, err)
	}
	job, err := a.StageImport(ctx, file, r, atomic)
	r.Close()
	if err != nil {
		return sum, nil, fmt.Errorf("%s: %s", file, cliMessage(err))
	}
	if job, err = a.ConfirmImport(ctx, job.ID, nil, atomic); err != nil {
		return sum, nil, err
	}
	if err := a.RunImportJob(ctx, job.ID); err != nil {
		return sum, nil, err
	}
	if job, err = a.ApplyImport(ctx, job.ID); err != nil {
		return sum, nil, err
	}
	if err := a.RunImportJob(ctx, job.ID); err != nil {
		return sum, nil, err
	}
	if job, err = a.ImportJob(ctx, job.ID); err != nil {
		return sum, nil, err
	}
	if job.State == store.ImportFailed {
		return sum, job, errors.New(web.Translate("en", nipp.DecodeMsg(job.Message)))
	}
	sum = app.ImportSummary{Imported: job.Imported, Updated: job.Updated, Unchanged: job.Unchanged, Rejected: job.RejectedRows}
	errFile := file + ".errors.xlsx"
	if sum.Rejected == 0 {
		os.Remove(errFile)
		return sum, job, nil
	}
	f, err := os.Create(errFile)
	if err != nil {
		return sum, job, err
	}
	defer f.Close()
	w, err := tabular.NewXLSXWriter(f, "Lỗi")
	if err != nil {
		return sum, job, err
	}
	if err := a.WriteImportErrors(ctx, job.ID, w, func(m nipp.Msg) string { return web.Translate("vi", m) }); err != nil {
		return sum, job, err
	}
	if err := w.Close(); err != nil {
		return sum, job, err
	}
	return sum, job, f.Close()
}
