package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/tabular"
)

// A process killed in the middle of an import leaves no half-imported
// chunk, and the job resumes where it stopped in a new process: every row
// ends up imported exactly once.
func TestImportResumesAfterCrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		const rows = applyChunk*2 + 137
		var csv strings.Builder
		csv.WriteString("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường\n")
		for i := range rows {
			fmt.Fprintf(&csv, "Cơ sở mây tre đan thử nghiệm số %d,HKD,Hà Nội,Phường Ba Đình\n", i+1)
		}
		count := func() int {
			var n int
			if err := db.ReadTx(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT COUNT(*) FROM establishments WHERE name LIKE 'Cơ sở mây tre đan thử nghiệm số %'`).Scan(&n)
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}

		first := New(db, nil)
		r, err := tabular.NewCSVReader(strings.NewReader(csv.String()))
		if err != nil {
			t.Fatal(err)
		}
		job, err := first.StageImport(ctx, "resume.csv", r, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if job, err = first.ConfirmImport(ctx, job.ID, nil, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := first.RunImportJob(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		if job, err = first.ApplyImport(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		if job.RejectedRows != 0 || job.State != nipp.ImportApplying {
			t.Fatalf("job before applying: %+v", job)
		}
		p := nipp.PrincipalFrom(ctx)

		// Killed inside a chunk: its transaction never commits.
		killed := errors.New("process killed")
		err = db.WriteTx(ctx, func(tx *store.Tx) error {
			if err := first.applyChunk(ctx, tx, p, job); err != nil {
				return err
			}
			return killed
		})
		if !errors.Is(err, killed) {
			t.Fatalf("simulated kill: %v", err)
		}
		if n := count(); n != 0 {
			t.Fatalf("%d rows of a rolled-back chunk are stored", n)
		}

		// Killed between chunks: the first chunk and the job's cursor committed together.
		if err := db.WriteTx(ctx, func(tx *store.Tx) error { return first.applyChunk(ctx, tx, p, job) }); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != applyChunk {
			t.Fatalf("after one chunk: %d rows, want %d", n, applyChunk)
		}

		// A new process picks the job up and finishes it.
		second := New(db, nil)
		if n, err := second.RunImportJobs(context.Background()); err != nil || n != 1 {
			t.Fatalf("resume: %d jobs, %v", n, err)
		}
		if n := count(); n != rows {
			t.Fatalf("after resuming: %d rows, want %d", n, rows)
		}
		var done *nipp.ImportJob
		db.ReadTx(ctx, func(tx *store.Tx) (err error) { done, err = tx.FindImportJobByID(ctx, job.ID); return err })
		if done.State != nipp.ImportDone || done.Imported != rows || done.Updated != 0 {
			t.Fatalf("finished job: state %s, imported %d, updated %d; want done, %d, 0", done.State, done.Imported, done.Updated, rows)
		}
		// Nothing is left to do, and running again changes nothing.
		if n, err := second.RunImportJobs(context.Background()); err != nil || n != 0 {
			t.Fatalf("second run: %d jobs, %v", n, err)
		}
		if n := count(); n != rows {
			t.Fatalf("rows after a second run: %d", n)
		}
	})
}

// Two workers (two nodes) running the same job at once import every row
// exactly once and count it once.
func TestImportTwoWorkers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		const rows = applyChunk*3 + 11
		var csv strings.Builder
		csv.WriteString("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường\n")
		for i := range rows {
			fmt.Fprintf(&csv, "Cơ sở dệt thổ cẩm hai tiến trình số %d,HKD,Hà Nội,Phường Ba Đình\n", i+1)
		}
		a := New(db, nil)
		r, err := tabular.NewCSVReader(strings.NewReader(csv.String()))
		if err != nil {
			t.Fatal(err)
		}
		job, err := a.StageImport(ctx, "two.csv", r, ImportOptions{})
		if err == nil {
			job, err = a.ConfirmImport(ctx, job.ID, nil, ImportOptions{})
		}
		if err == nil {
			err = a.RunImportJob(ctx, job.ID)
		}
		if err == nil {
			job, err = a.ApplyImport(ctx, job.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 2)
		for range 2 {
			w := New(db, nil)
			go func() { errs <- w.RunImportJob(context.Background(), job.ID) }()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		var n int
		var done *nipp.ImportJob
		err = db.ReadTx(ctx, func(tx *store.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM establishments WHERE name LIKE 'Cơ sở dệt thổ cẩm hai tiến trình số %'`).Scan(&n); err != nil {
				return err
			}
			done, err = tx.FindImportJobByID(ctx, job.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != rows || done.State != nipp.ImportDone || done.Imported != rows || done.Updated+done.Unchanged != 0 {
			t.Fatalf("%d rows stored, job %s imported %d updated %d unchanged %d; want %d imported once", n, done.State, done.Imported, done.Updated, done.Unchanged, rows)
		}
	})
}
