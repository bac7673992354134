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
	"nipp/internal/tabular"
	"nipp/internal/web"
)

// importCmd runs `nipp import establishments FILE [--atomic]
// [--addresses-as-of DATE]`: it stages, validates and applies the file as
// the operator, prints a summary (and where the table ended, when rows
// below it were left out) and writes the rejected rows with their reasons
// to FILE.errors.xlsx. Addresses are read in the units in force on DATE
// (day/month/year or YYYY-MM-DD; default today).
func importCmd(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "establishments" {
		return usageError{"usage: nipp import establishments FILE [--atomic] [--addresses-as-of DATE]"}
	}
	fs := newFlagSet("nipp import establishments", &cfg)
	atomic := fs.Bool("atomic", false, "import nothing when any row is rejected")
	asOfText := fs.String("addresses-as-of", "", "read addresses in the units in force on this date (default today)")
	files, err := parseArgs(fs, args[1:])
	if err != nil {
		return usageError{fmt.Sprintf("import: %v", err)}
	}
	if len(files) > 1 {
		return usageError{"import: give one file"}
	}
	if len(files) == 0 {
		return usageError{"usage: nipp import establishments FILE [--atomic] [--addresses-as-of DATE]"}
	}
	opts := app.ImportOptions{Atomic: *atomic}
	if *asOfText != "" {
		d, err := tabular.ParseDate(*asOfText)
		if err != nil {
			return usageError{fmt.Sprintf("import: --addresses-as-of: %v", err)}
		}
		opts.AddressesAsOf = nipp.DateOf(d)
	}
	file := files[0]
	db, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, job, err := importFile(ctx, app.New(db, log), file, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d, updated %d, unchanged %d, rejected %d\n", sum.Imported, sum.Updated, sum.Unchanged, sum.Rejected)
	if job.TableEndRow > 0 {
		fmt.Fprintf(stdout, "the table ends at row %d; %d rows below it (totals, signatures) are not data and were not imported\n", job.TableEndRow, job.TrailingRows)
	}
	if job.NotedRows > 0 {
		fmt.Fprintf(stdout, "%d imported rows carry a note: see the import's page\n", job.NotedRows)
	}
	if job.State == nipp.ImportCancelled {
		fmt.Fprintln(stdout, "nothing imported (--atomic): fix the rejected rows and run again")
	}
	if sum.Rejected > 0 {
		fmt.Fprintf(stdout, "rejected rows and reasons: %s\n", file+".errors.xlsx")
	}
	return nil
}

func importFile(ctx context.Context, a *app.App, file string, opts app.ImportOptions) (app.ImportSummary, *nipp.ImportJob, error) {
	ctx = app.AsSystem(ctx)
	var sum app.ImportSummary
	r, err := tabular.OpenFile(file)
	if err != nil {
		return sum, nil, fmt.Errorf("cannot read %s: %w", file, err)
	}
	job, err := a.StageImport(ctx, file, r, opts)
	r.Close()
	if err != nil {
		return sum, nil, fmt.Errorf("%s: %s", file, cliMessage(err))
	}
	if job, err = a.ConfirmImport(ctx, job.ID, nil, opts); err != nil {
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
	if job.State == nipp.ImportFailed {
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
