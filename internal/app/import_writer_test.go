package app

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/tabular"
)

// importCSV stages, validates and (unless it is cancelled) applies a CSV
// text through the jobs, as the command line does.
func importCSV(t *testing.T, a *App, ctx context.Context, name, csv string, atomic bool) *nipp.ImportJob {
	t.Helper()
	r, err := tabular.NewCSVReader(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	opts := ImportOptions{Atomic: atomic}
	job, err := a.StageImport(ctx, name, r, opts)
	if err == nil {
		job, err = a.ConfirmImport(ctx, job.ID, nil, opts)
	}
	if err == nil {
		err = a.RunImportJob(ctx, job.ID)
	}
	if err == nil {
		job, err = a.ApplyImport(ctx, job.ID)
	}
	if err == nil {
		err = a.RunImportJob(ctx, job.ID)
	}
	if err == nil {
		job, err = a.ImportJob(ctx, job.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// An atomic import applies its rows chunk by chunk (so it never holds the
// writer for the whole file); when a row cannot be written after all, it
// puts back every record it created or changed, and ends cancelled with
// that row rejected: nothing is imported.
func TestAtomicImportPutsBackWhatItApplied(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		a := New(db, nil)
		const head = "Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường,Địa chỉ\n"
		if j := importCSV(t, a, ctx, "old.csv", head+"Cơ sở rèn Phúc Sen cũ,HKD,Hà Nội,Phường Ba Đình,Số 1 phố Cũ\n", false); j.Imported != 1 {
			t.Fatalf("setup: %+v", j)
		}
		const rows = applyChunk + 60
		var csv strings.Builder
		csv.WriteString(head)
		for i := range rows {
			if i == 1 {
				csv.WriteString("Cơ sở rèn Phúc Sen cũ,HKD,Hà Nội,Phường Ba Đình,Số 2 phố Mới\n") // updates the old record
				continue
			}
			fmt.Fprintf(&csv, "Cơ sở đan lát nguyên tử số %d,HKD,Hà Nội,Phường Ba Đình,\n", i+1)
		}
		failAt := 1 + applyChunk + 40 // in the second chunk (row 1 is the header)
		var applied []int
		a.applyRowHook = func(row int) error {
			applied = append(applied, row)
			if row == failAt {
				return &nipp.Error{Code: nipp.ECONFLICT, Field: "tax_code", Msg: nipp.M("err.app.tax_code_or_id_taken")}
			}
			return nil
		}
		job := importCSV(t, a, ctx, "atomic.csv", csv.String(), true)
		a.applyRowHook = nil
		if len(applied) < applyChunk+40 {
			t.Fatalf("only %d rows were applied before the failure", len(applied))
		}
		if job.State != nipp.ImportCancelled || job.Imported+job.Updated+job.Unchanged != 0 || job.RejectedRows != 1 || job.UndoRow != failAt {
			t.Fatalf("job: %s imported %d updated %d unchanged %d rejected %d undo row %d", job.State, job.Imported, job.Updated, job.Unchanged, job.RejectedRows, job.UndoRow)
		}
		var n int
		var addr string
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM establishments WHERE name LIKE 'Cơ sở đan lát nguyên tử số %'`).Scan(&n); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT address FROM establishments WHERE name = 'Cơ sở rèn Phúc Sen cũ'`).Scan(&addr)
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 || addr != "Số 1 phố Cũ" {
			t.Fatalf("after the atomic import failed: %d new records kept, old record's address %q; want none and \"Số 1 phố Cũ\"", n, addr)
		}
		rej, err := a.ImportRejected(ctx, job.ID, 0, 10)
		if err != nil || len(rej) != 1 || rej[0].Row != failAt {
			t.Fatalf("rejected rows: %+v, %v", rej, err)
		}
		// Imported again, whole, it goes through.
		job = importCSV(t, a, ctx, "atomic.csv", csv.String(), true)
		if job.State != nipp.ImportDone || job.Imported != rows-1 || job.Updated != 1 {
			t.Fatalf("second run: %s imported %d updated %d", job.State, job.Imported, job.Updated)
		}
	})
}

// An import does not keep SQLite's one writer: during an atomic import of
// 20,000 rows (NIPP_WRITER_ROWS), an unrelated one-row write made every
// 50 ms waits a short while at worst. (Measured before the import was
// staged outside the writer: 70 s. PostgreSQL's writers do not share a
// lock, so only SQLite is measured.)
func TestImportLeavesTheWriterFree(t *testing.T) {
	rows := 20000
	if s := os.Getenv("NIPP_WRITER_ROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	db := storetest.OpenSQLite(t, storetest.Options{})
	ctx := AsSystem(context.Background())
	a := New(db, nil)
	var csv strings.Builder
	csv.WriteString("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường,Mã số thuế\n")
	for i := range rows {
		fmt.Fprintf(&csv, "Cơ sở thử người ghi số %d,HKD,Hà Nội,Phường Ba Đình,\n", i+1)
	}
	if err := db.WriteTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('writer_probe', '0')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		waits []time.Duration
	)
	stop := make(chan struct{})
	probeDone := make(chan struct{})
	go func() {
		defer close(probeDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			start := time.Now()
			err := db.WriteTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, `UPDATE meta SET value = $1 WHERE key = 'writer_probe'`, strconv.Itoa(i))
				return err
			})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			waits = append(waits, time.Since(start))
			mu.Unlock()
		}
	}()
	start := time.Now()
	job := importCSV(t, a, ctx, "big.csv", csv.String(), true)
	took := time.Since(start)
	close(stop)
	<-probeDone
	if job.State != nipp.ImportDone || job.Imported != rows {
		t.Fatalf("import: %s, imported %d of %d", job.State, job.Imported, rows)
	}
	sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
	if len(waits) == 0 {
		t.Fatal("no write was measured")
	}
	worst, median := waits[len(waits)-1], waits[len(waits)/2]
	t.Logf("atomic import of %d rows in %v (%.0f rows/s); %d one-row writes meanwhile: median wait %v, worst %v",
		rows, took.Round(time.Millisecond), float64(rows)/took.Seconds(), len(waits), median.Round(time.Microsecond), worst.Round(time.Millisecond))
	if worst > 2*time.Second {
		t.Fatalf("a one-row write waited %v for the writer during the import (want well under a second; 2 s allowed for a loaded machine)", worst)
	}
}
