package benchkit

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/tabular"
	"nipp/internal/vntext"
)

// The establishment import measured against the engine's own limit (issue
// 20): the same rows inserted into the same table, with all its indexes
// and triggers, by a bare loop of one prepared INSERT in one transaction,
// in the same run. The import is the whole of it, as `nipp import` does:
// staging the file, checking every row, applying.

// ImportConfig is one import measurement.
type ImportConfig struct {
	Rows   int    // rows in the file
	Format string // "csv" or "xlsx"
	Dir    string // where the file is written
	Tag    string // makes this run's names and tax codes its own
	Keep   bool   // keep the imported rows (else they are deleted after)
	// NoLoop skips the bare loop (a long import looked at on its own: its
	// ratio is then not given).
	NoLoop bool
	// LoopOnly runs the bare loop alone (the engine's limit at a size
	// whose import was measured on its own).
	LoopOnly bool
	// LoopCommit, with LoopOnly, commits the bare loop every LoopCommit
	// rows (as the import commits its chunks) instead of holding them in
	// one transaction: SQLite's one transaction of 2,000,000 rows keeps
	// its whole WAL (gigabytes) until it ends. The rows stay.
	LoopCommit int
	// HeapProfile, when set, is written with Go's heap profile each time
	// the sampled resident memory reaches a new high (by 4 MB or more).
	HeapProfile string
	// Measured, when set, gets the figures before the imported rows are
	// deleted (deleting them from a registry of millions takes longer
	// than the import: its text index).
	Measured func(ImportResult)
}

// ImportResult is the figures of one import and its reference loop.
type ImportResult struct {
	Engine, Format string
	Registry       int // establishments stored before
	Rows           int
	Import, Loop   time.Duration
	// Phases is the import's time in staging the file, validating it,
	// and applying it.
	Phases   [3]time.Duration
	Imported int
	PeakRSS  int64 // bytes: the process's peak resident memory during the import
	PeakGo   int64 // bytes: the most of it Go's runtime held (heap, stacks, its own), sampled; the rest is SQLite's (modernc's allocator) and the binary's
	// At the highest resident memory sampled (four times a second): the
	// process's, Go's part of it, and the live heap of Go's last collection.
	AtPeak struct{ RSS, Go, Live int64 }
}

// RowsPerSec returns the import's and the loop's rows a second.
func (r ImportResult) RowsPerSec() (imp, loop float64) {
	if r.Loop > 0 {
		loop = float64(r.Rows) / r.Loop.Seconds()
	}
	if r.Import > 0 {
		imp = float64(r.Rows) / r.Import.Seconds()
	}
	return imp, loop
}

// importRow is a row of the measured file.
type importRow struct {
	name, legalForm, taxCode, province, commune, address string
	provinceID, communeID                                int64
}

// importRows makes n rows spread over the 2025 communes (a third with a
// tax code), the same for the import and the loop.
func importRows(ctx context.Context, db *store.DB, n int, tag string) ([]importRow, error) {
	type commune struct {
		prov, name string
		provID, id int64
	}
	var cs []commune
	err := db.ReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT p.name_vi, c.name_vi, p.id, c.id FROM admin_units c JOIN admin_units p ON p.id = c.parent_id
			WHERE c.level = 'commune' AND c.generation = 2025 ORDER BY c.code`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c commune
			if err := rows.Scan(&c.prov, &c.name, &c.provID, &c.id); err != nil {
				return err
			}
			cs = append(cs, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("no communes")
	}
	h := 0
	for _, c := range tag {
		h = h*31 + int(c)
	}
	products := []string{"mây tre đan", "gốm sứ", "dệt thổ cẩm", "chế biến gỗ", "bánh tráng", "nước mắm", "cơ khí", "sơn mài"}
	out := make([]importRow, n)
	for i := range out {
		c := cs[(i*7919)%len(cs)]
		r := importRow{name: fmt.Sprintf("Cơ sở %s %s số %d", products[i%len(products)], tag, i+1), legalForm: "HKD",
			province: c.prov, commune: c.name, provinceID: c.provID, communeID: c.id, address: fmt.Sprintf("Số %d đường Thử", i%500+1)}
		if i%3 == 0 {
			r.legalForm = "Công ty TNHH"
			r.taxCode = fmt.Sprintf("97%08d", (h%90+10)*1_000_000+i) // 10 digits, this run's own
		}
		out[i] = r
	}
	return out, nil
}

// writeImportFile writes rows as a CSV or .xlsx file.
func writeImportFile(path, format string, rows []importRow) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	var w tabular.Writer
	if format == "xlsx" {
		w, err = tabular.NewXLSXWriter(bw, "Cơ sở")
	} else {
		w = tabular.NewCSVWriter(bw)
	}
	if err != nil {
		return err
	}
	if err := w.Write([]any{"Tên cơ sở", "Loại hình", "Mã số thuế", "Tỉnh/TP", "Xã/phường", "Địa chỉ"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write([]any{r.name, r.legalForm, r.taxCode, r.province, r.commune, r.address}); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// bareLoop inserts rows into establishments with one prepared INSERT in
// one transaction (the engine's limit for these rows) and rolls it back;
// its time is the inserts' (without a commit, which the import's figure
// includes). With commitEvery > 0 it commits every commitEvery rows
// instead, and the rows stay.
func bareLoop(ctx context.Context, db *store.DB, rows []importRow, commitEvery int) (time.Duration, error) {
	if commitEvery > 0 {
		start := time.Now()
		for from := 0; from < len(rows); from += commitEvery {
			err := db.WriteTx(ctx, func(tx *store.Tx) error {
				return insertBare(ctx, tx, rows[from:min(from+commitEvery, len(rows))], from)
			})
			if err != nil {
				return 0, err
			}
		}
		return time.Since(start), nil
	}
	var took time.Duration
	errDone := errors.New("measured")
	start := time.Now()
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := insertBare(ctx, tx, rows, 0); err != nil {
			return err
		}
		took = time.Since(start)
		return errDone // rolled back: deleting them again would cost more than inserting
	})
	if !errors.Is(err, errDone) {
		return 0, err
	}
	return took, nil
}

// insertBare inserts rows, numbered from first, with one prepared INSERT.
func insertBare(ctx context.Context, tx *store.Tx, rows []importRow, first int) error {
	q := `INSERT INTO establishments (public_id, name, name_fold, name_key, legal_form, tax_code, province_id, orig_province_id,
		commune_id, orig_commune_id, address, status, published, recorded_on, review_duplicate, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $8, $9, 'active', $10, $11, $12, 1, $13, $13)`
	today := nipp.DateOf(tx.Now())
	for i, r := range rows {
		var tax any
		if r.taxCode != "" {
			tax = r.taxCode
		}
		lf := nipp.LegalHousehold
		if r.taxCode != "" {
			lf = nipp.LegalEnterprise
		}
		if _, err := tx.Exec(ctx, q, fmt.Sprintf("cs-bench%07d", first+i), r.name, vntext.Fold(r.name), vntext.NameKey(r.name), lf, tax,
			r.provinceID, r.communeID, r.address, false, today, false, tx.Now()); err != nil {
			return err
		}
	}
	return nil
}

// RunImport measures one import of cfg.Rows rows into db (and its bare
// loop first), then deletes what it imported, so the registry keeps its
// size.
func RunImport(ctx context.Context, db *store.DB, cfg ImportConfig) (ImportResult, error) {
	res := ImportResult{Engine: string(db.Dialect()), Format: cfg.Format, Rows: cfg.Rows}
	if err := db.ReadTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM establishments`).Scan(&res.Registry)
	}); err != nil {
		return res, err
	}
	rows, err := importRows(ctx, db, cfg.Rows, cfg.Tag)
	if err != nil {
		return res, err
	}
	if cfg.LoopCommit > 0 && !cfg.LoopOnly {
		return res, errors.New("a bare loop that commits keeps its rows: only with LoopOnly")
	}
	if !cfg.NoLoop {
		if res.Loop, err = bareLoop(ctx, db, rows, cfg.LoopCommit); err != nil {
			return res, fmt.Errorf("bare loop: %w", err)
		}
	}
	if cfg.LoopOnly {
		return res, nil
	}
	path := filepath.Join(cfg.Dir, "import-"+cfg.Tag+"."+cfg.Format)
	if err := writeImportFile(path, cfg.Format, rows); err != nil {
		return res, err
	}
	defer os.Remove(path)
	var maxID int64
	if err := db.ReadTx(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM establishments`).Scan(&maxID)
	}); err != nil {
		return res, err
	}
	rows = nil
	debug.FreeOSMemory() // the rows are in the file now: the peak is the import's own
	resetPeakRSS()
	stopGo := sampleMemory(&res, cfg.HeapProfile)
	a := app.New(db, nil)
	actx := app.AsSystem(ctx)
	start := time.Now()
	r, err := tabular.OpenFile(path)
	if err != nil {
		return res, err
	}
	job, err := a.StageImport(actx, path, r, app.ImportOptions{})
	r.Close()
	res.Phases[0] = time.Since(start)
	if err == nil {
		job, err = a.ConfirmImport(actx, job.ID, nil, app.ImportOptions{})
	}
	if err == nil {
		err = a.RunImportJob(actx, job.ID)
	}
	res.Phases[1] = time.Since(start) - res.Phases[0]
	if err == nil {
		job, err = a.ApplyImport(actx, job.ID)
	}
	if err == nil {
		err = a.RunImportJob(actx, job.ID)
	}
	res.Phases[2] = time.Since(start) - res.Phases[0] - res.Phases[1]
	if err == nil {
		job, err = a.ImportJob(actx, job.ID)
	}
	res.Import = time.Since(start)
	res.PeakRSS = peakRSS()
	stopGo()
	if err != nil {
		return res, err
	}
	res.Imported = job.Imported
	if job.State != nipp.ImportDone || job.Imported != cfg.Rows {
		return res, fmt.Errorf("import: %s, imported %d of %d, rejected %d (%s)", job.State, job.Imported, cfg.Rows, job.RejectedRows, job.Message)
	}
	if cfg.Measured != nil {
		cfg.Measured(res)
	}
	if cfg.Keep {
		return res, nil
	}
	return res, db.RawExec(ctx, `DELETE FROM establishments WHERE id > $1`, maxID)
}

// sampleMemory keeps res.PeakGo at the most memory Go's runtime holds from
// the OS (mapped, less what it released), and res.AtPeak at the figures of
// the highest resident memory, sampled four times a second until the
// returned function is called; with heapProfile, Go's heap profile at that
// high is written there.
func sampleMemory(res *ImportResult, heapProfile string) (stop func()) {
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/gc/heap/live:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		var profiled int64
		for {
			metrics.Read(samples)
			goMem := int64(samples[0].Value.Uint64() - samples[1].Value.Uint64())
			res.PeakGo = max(res.PeakGo, goMem)
			if rss := residentNow(); rss > res.AtPeak.RSS {
				res.AtPeak.RSS, res.AtPeak.Go, res.AtPeak.Live = rss, goMem, int64(samples[2].Value.Uint64())
				if heapProfile != "" && rss >= profiled+4<<20 {
					profiled = rss
					if f, err := os.Create(heapProfile); err == nil {
						pprof.Lookup("heap").WriteTo(f, 0)
						f.Close()
					}
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// residentNow returns the process's resident memory now (Linux; 0
// elsewhere).
func residentNow() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.ParseInt(f[1], 10, 64)
	return n * int64(os.Getpagesize())
}

// resetPeakRSS starts the process's peak resident memory afresh (Linux).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS returns the process's peak resident memory (Linux; 0 elsewhere).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// PrintImports writes the import figures as a Markdown table.
func PrintImports(w io.Writer, res []ImportResult) {
	fmt.Fprintln(w, "| engine | registry before | file | rows | import s | import rows/s | bare loop rows/s | import / loop | peak RSS MB | of which Go MB | at the highest sample: RSS, Go, live heap MB | staging, validating, applying s |")
	fmt.Fprintln(w, "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
	for _, r := range res {
		imp, loop := r.RowsPerSec()
		loopRate, ratio := "not run", "-"
		if loop > 0 {
			loopRate = fmt.Sprintf("%.0f", loop)
		}
		if loop > 0 && imp > 0 {
			ratio = fmt.Sprintf("%.0f%%", 100*imp/loop)
		}
		fmt.Fprintf(w, "| %s | %d | %s | %d | %.1f | %.0f | %s | %s | %d | %d | %d, %d, %d | %.1f, %.1f, %.1f |\n", r.Engine, r.Registry, r.Format, r.Rows,
			r.Import.Seconds(), imp, loopRate, ratio, r.PeakRSS>>20, r.PeakGo>>20, r.AtPeak.RSS>>20, r.AtPeak.Go>>20, r.AtPeak.Live>>20,
			r.Phases[0].Seconds(), r.Phases[1].Seconds(), r.Phases[2].Seconds())
	}
}

// PrintImportGoals writes issue 20's import goals, met or missed: at least
// 50% of the bare loop's rows a second, into an empty database and into a
// populated one alike (linear), and .xlsx within 2x of CSV.
func PrintImportGoals(w io.Writer, res []ImportResult) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| goal | figure | met |")
	fmt.Fprintln(w, "|---|---|---|")
	byKey := map[string]ImportResult{}
	for _, r := range res {
		if imp, loop := r.RowsPerSec(); loop > 0 && imp > 0 {
			fmt.Fprintf(w, "| %s %s into %d: at least 50%% of the bare loop | %.0f%% | %s |\n", r.Engine, r.Format, r.Registry, 100*imp/loop, yes(imp >= loop/2))
		}
		byKey[fmt.Sprintf("%s/%d", r.Format, r.Registry)] = r
	}
	for _, r := range res {
		if r.Import == 0 {
			return // the loops alone
		}
	}
	for _, r := range res {
		if r.Format == "xlsx" {
			if c, ok := byKey[fmt.Sprintf("csv/%d", r.Registry)]; ok {
				fmt.Fprintf(w, "| %s .xlsx within 2x of CSV (registry %d) | %.2fx | %s |\n", r.Engine, r.Registry, r.Import.Seconds()/c.Import.Seconds(),
					yes(r.Import <= 2*c.Import))
			}
		}
	}
	if len(res) >= 2 {
		first, last := res[0], res[len(res)-1]
		for _, r := range res {
			if r.Format == first.Format && r.Registry > first.Registry {
				last = r
			}
		}
		if last.Registry > first.Registry {
			a, _ := first.RowsPerSec()
			b, _ := last.RowsPerSec()
			fmt.Fprintf(w, "| %s linear: %s rows/s into %d vs into %d | %.0f%% | %s |\n", first.Engine, first.Format, last.Registry, first.Registry,
				100*b/a, yes(b >= a/2))
		}
	}
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}
