package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
	"nipp/internal/tabular"
)

// Two processes' worker pools (two workers each) running at once never
// run the same job: each of many short jobs runs exactly once.
func TestJobsNeverRunTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 60
		var mu sync.Mutex
		runs := map[int64][]string{}
		apps := make([]*App, 2)
		for i := range apps {
			apps[i] = New(db, nil, WithJobTiming(0, 0, 0, 5*time.Millisecond))
			apps[i].handleJobs("test.count", jobHandler{run: func(ctx context.Context, r *jobRun) error {
				mu.Lock()
				runs[r.job.ID] = append(runs[r.job.ID], r.owner)
				mu.Unlock()
				time.Sleep(2 * time.Millisecond) // hold it while the others claim
				return nil
			}})
		}
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			for i := range n {
				if _, err := enqueue(ctx, tx, "test.count", "", fmt.Sprint(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		wctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		for _, a := range apps {
			wg.Add(1)
			go func() { defer wg.Done(); a.RunJobWorkers(wctx, 2) }()
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			mu.Lock()
			done := len(runs)
			mu.Unlock()
			if done == n || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // a second run would show now
		stop()
		wg.Wait()
		owners := map[string]bool{}
		for id, rs := range runs {
			if len(rs) != 1 {
				t.Errorf("job %d ran %d times: %v", id, len(rs), rs)
			}
			owners[rs[0]] = true
		}
		if len(runs) != n {
			t.Fatalf("%d of %d jobs ran", len(runs), n)
		}
		t.Logf("%d jobs, run by %d workers", n, len(owners))
		var left int
		if err := db.ReadTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT COUNT(*) FROM jobs WHERE kind = 'test.count' AND state <> 'done'`).Scan(&left)
		}); err != nil || left != 0 {
			t.Fatalf("%d jobs not done (%v)", left, err)
		}
	})
}

// A job whose worker dies in the middle of a chunk (its context cancelled
// while the chunk's transaction is open, its lease left to expire) is
// taken over by another process's worker once the lease expires, and
// finished from the last committed chunk: every row imported exactly once.
func TestJobKilledMidChunkIsResumed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		const rows = applyChunk*2 + 37
		var csv strings.Builder
		csv.WriteString("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường\n")
		for i := range rows {
			fmt.Fprintf(&csv, "Cơ sở gốm bị ngắt giữa chừng số %d,HKD,Hà Nội,Phường Ba Đình\n", i+1)
		}
		const lease = 3 * time.Second
		dead := New(db, nil, WithJobTiming(lease, time.Hour, 0, 0)) // never renews: its lease runs out
		r, err := tabular.NewCSVReader(strings.NewReader(csv.String()))
		if err != nil {
			t.Fatal(err)
		}
		job, err := dead.StageImport(ctx, "killed.csv", r, ImportOptions{})
		if err == nil {
			job, err = dead.ConfirmImport(ctx, job.ID, nil, ImportOptions{})
		}
		if err == nil {
			err = dead.RunImportJob(ctx, job.ID)
		}
		if err == nil {
			job, err = dead.ApplyImport(ctx, job.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		// The dying worker claims the job and is killed inside its second chunk.
		owner := dead.newOwner()
		claimed, err := dead.claim(ctx, owner, 0)
		if err != nil || claimed == nil {
			t.Fatalf("claim: %v, %v", claimed, err)
		}
		kctx, kill := context.WithCancel(ctx)
		dead.applyRowHook = func(row int) error {
			if row == applyChunk+100 {
				kill()
			}
			return nil
		}
		err = dead.runWithLease(kctx, dead.jobs.handlers[importJobKind], claimed, owner)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("killed run: %v", err)
		}
		count := func() (n, distinct int) {
			err := db.ReadTx(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT name) FROM establishments WHERE name LIKE 'Cơ sở gốm bị ngắt giữa chừng số %'`).Scan(&n, &distinct)
			})
			if err != nil {
				t.Fatal(err)
			}
			return n, distinct
		}
		if n, _ := count(); n != applyChunk {
			t.Fatalf("after the kill: %d rows stored, want the first chunk's %d", n, applyChunk)
		}
		// Another process: nothing to take while the lease holds.
		other := New(db, nil)
		if n, err := other.RunJobs(ctx); err != nil || n != 0 {
			t.Fatalf("while the lease holds: ran %d, %v", n, err)
		}
		time.Sleep(lease + 100*time.Millisecond)
		if n, err := other.RunJobs(ctx); err != nil || n != 1 {
			t.Fatalf("after the lease expired: ran %d, %v", n, err)
		}
		if n, d := count(); n != rows || d != rows {
			t.Fatalf("after resuming: %d rows (%d distinct), want %d", n, d, rows)
		}
		var done *nipp.ImportJob
		var jb *nipp.Job
		err = db.ReadTx(ctx, func(tx *store.Tx) (err error) {
			if done, err = tx.FindImportJobByID(ctx, job.ID); err != nil {
				return err
			}
			jb, err = tx.FindJob(ctx, claimed.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if done.State != nipp.ImportDone || done.Imported != rows || done.Updated+done.Unchanged != 0 {
			t.Fatalf("import: %s, imported %d, updated %d, unchanged %d; want done, %d", done.State, done.Imported, done.Updated, done.Unchanged, rows)
		}
		if jb.State != nipp.JobDone || jb.Attempts != 2 || jb.LeaseOwner != "" {
			t.Fatalf("job: %+v; want done after 2 attempts", jb)
		}
	})
}

// A job that keeps failing is tried again after pauses that double, then
// fails with its error after its last attempt, and its kind is told (an
// import shows the reason).
func TestFailingJobRetriesWithBackoffThenFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const backoff = 150 * time.Millisecond
		a := New(db, nil, WithJobTiming(0, 0, backoff, 0))
		var attempts []time.Time
		var told error
		a.handleJobs("test.fail", jobHandler{
			run: func(ctx context.Context, r *jobRun) error {
				attempts = append(attempts, time.Now())
				return fmt.Errorf("the mail server refused (attempt %d)", r.job.Attempts)
			},
			failed: func(ctx context.Context, tx *store.Tx, j *nipp.Job, cause error) error {
				told = cause
				return nil
			},
		})
		var j *nipp.Job
		err := db.WriteTx(ctx, func(tx *store.Tx) error {
			j = &nipp.Job{Kind: "test.fail", MaxAttempts: 3}
			return tx.EnqueueJob(ctx, j)
		})
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for len(attempts) < 3 && time.Now().Before(deadline) {
			if _, err := a.RunJobs(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if len(attempts) != 3 {
			t.Fatalf("%d attempts, want 3", len(attempts))
		}
		for i, want := range []time.Duration{backoff, 2 * backoff} {
			gap := attempts[i+1].Sub(attempts[i])
			t.Logf("pause before attempt %d: %v (backoff %v)", i+2, gap.Round(time.Millisecond), want)
			if gap < want {
				t.Errorf("attempt %d came %v after the one before, want at least %v", i+2, gap, want)
			}
		}
		time.Sleep(4 * backoff)
		if n, err := a.RunJobs(ctx); err != nil || n != 0 {
			t.Fatalf("a failed job ran again: %d, %v", n, err)
		}
		var got *nipp.Job
		if err := db.ReadTx(ctx, func(tx *store.Tx) (err error) { got, err = tx.FindJob(ctx, j.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if got.State != nipp.JobFailed || got.Attempts != 3 || !strings.Contains(got.LastError, "refused (attempt 3)") {
			t.Fatalf("job: %+v; want failed after 3 attempts with the last error", got)
		}
		if told == nil || !strings.Contains(told.Error(), "attempt 3") {
			t.Fatalf("kind told %v", told)
		}
	})
}

// An import whose job gives up fails with the reason on its page.
func TestImportJobFailureShowsItsError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := AsSystem(context.Background())
		a := New(db, nil)
		r, err := tabular.NewCSVReader(strings.NewReader("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường\nCơ sở A,HKD,Hà Nội,Phường Ba Đình\n"))
		if err != nil {
			t.Fatal(err)
		}
		job, err := a.StageImport(ctx, "gone.csv", r, ImportOptions{})
		if err == nil {
			job, err = a.ConfirmImport(ctx, job.ID, nil, ImportOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
		// Its creator is no longer allowed to act: a permanent failure.
		if _, _, err := a.EnsureAdmin(ctx, "gone@nipp.local", "a long enough password 123"); err != nil {
			t.Fatal(err)
		}
		if err := db.WriteTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE import_jobs SET created_by = (SELECT MAX(id) FROM users) WHERE id = $1`, job.ID)
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE users SET active = $1`, false)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := a.RunImportJob(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		var got *nipp.ImportJob
		var jobs []*nipp.Job
		err = db.ReadTx(ctx, func(tx *store.Tx) (err error) {
			if got, err = tx.FindImportJobByID(ctx, job.ID); err != nil {
				return err
			}
			jobs, err = tx.FindJobsByKey(ctx, importKey(job.ID))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != nipp.ImportFailed || got.Message == "" {
			t.Fatalf("import: %s %q; want failed with a reason", got.State, got.Message)
		}
		if len(jobs) != 1 || jobs[0].State != nipp.JobFailed || jobs[0].Attempts != 1 || jobs[0].LastError == "" {
			t.Fatalf("jobs: %+v", jobs[0])
		}
	})
}
