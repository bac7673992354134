package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Background work as jobs (docs/ARCHITECTURE.md "Background work as
// jobs"). A job is a row of `jobs`; a kind's handler does its work in
// chunks, each committing with its own cursor (the job's state lives in
// its own tables: an import's in import_jobs), so a run that is killed
// midway is resumed from the last committed chunk by whichever worker
// takes the job over when its lease expires. Workers claim one job at a
// time (store.ClaimJob), renew their lease while it runs, and then mark
// it done, queue it again after a backoff that doubles with each attempt,
// or, after its last attempt or a permanent error, mark it failed with its
// error (and tell the kind, which shows it: an import fails with the
// reason).

// jobHandler runs one kind of job.
type jobHandler struct {
	// run does (the rest of) the job's work. It returns nil when done,
	// an error to be tried again, or Permanent(err) to fail at once.
	run func(ctx context.Context, r *jobRun) error
	// failed is told, in a write transaction, that the job was given up.
	failed func(ctx context.Context, tx *store.Tx, j *nipp.Job, cause error) error
}

// jobConfig tunes the workers (tests shorten it).
type jobConfig struct {
	lease      time.Duration // how long a claim holds without renewal
	renew      time.Duration // how often a running job's lease is renewed
	backoff    time.Duration // the pause after the first failed attempt
	maxBackoff time.Duration
	poll       time.Duration // how often idle workers look for due jobs
}

var defaultJobConfig = jobConfig{lease: 60 * time.Second, renew: 15 * time.Second, backoff: 2 * time.Second, maxBackoff: 5 * time.Minute, poll: 2 * time.Second}

// WithJobTiming sets the workers' lease, renewal period, first backoff and
// poll period (zero keeps the default).
func WithJobTiming(lease, renew, backoff, poll time.Duration) Option {
	return func(a *App) {
		for _, f := range []struct {
			dst *time.Duration
			v   time.Duration
		}{{&a.jobs.lease, lease}, {&a.jobs.renew, renew}, {&a.jobs.backoff, backoff}, {&a.jobs.poll, poll}} {
			if f.v > 0 {
				*f.dst = f.v
			}
		}
	}
}

// permanentError is an error that trying again cannot mend.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one a job's next attempt would meet again: the job
// fails at once.
func Permanent(err error) error { return permanentError{err} }

// errLeaseLost ends a run whose lease another worker has taken over.
var errLeaseLost = errors.New("the job's lease was lost to another worker")

// jobRun is one run of a claimed job.
type jobRun struct {
	a     *App
	job   *nipp.Job
	owner string
}

// progress records a line of progress, and reports errLeaseLost when the
// job is no longer this run's (its chunks must then stop).
func (r *jobRun) progress(ctx context.Context, s string) error {
	var ok bool
	err := r.a.db.WriteTx(ctx, func(tx *store.Tx) error {
		var err error
		ok, err = tx.SetJobProgress(ctx, r.job.ID, r.owner, s)
		return err
	})
	if err == nil && !ok {
		return errLeaseLost
	}
	return err
}

// jobsState is the App's part of the mechanism.
type jobsState struct {
	jobConfig
	handlers map[string]jobHandler
	wake     chan struct{} // a job was queued by this process
	host     string
	seq      int64
	mu       sync.Mutex
}

func (a *App) initJobs() {
	a.jobs.jobConfig = defaultJobConfig
	a.jobs.handlers = map[string]jobHandler{}
	a.jobs.wake = make(chan struct{}, 1)
	h, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	a.jobs.host = fmt.Sprintf("%s:%d:%s", h, os.Getpid(), hex.EncodeToString(b[:]))
}

// handleJobs registers the handler of a kind of job.
func (a *App) handleJobs(kind string, h jobHandler) { a.jobs.handlers[kind] = h }

// newOwner names a worker (unique across processes and runs).
func (a *App) newOwner() string {
	a.jobs.mu.Lock()
	defer a.jobs.mu.Unlock()
	a.jobs.seq++
	return fmt.Sprintf("%s/%d", a.jobs.host, a.jobs.seq)
}

// enqueue queues a job in tx (once per dedup key while queued); the
// process's workers are woken when tx commits (wakeJobs).
func enqueue(ctx context.Context, tx *store.Tx, kind, key, payload string) (*nipp.Job, error) {
	j := &nipp.Job{Kind: kind, DedupKey: key, Payload: payload}
	return j, tx.EnqueueJob(ctx, j)
}

// wakeJobs tells this process's idle workers a job was queued.
func (a *App) wakeJobs() {
	select {
	case a.jobs.wake <- struct{}{}:
	default:
	}
}

// claim takes the next due job (only job id when id != 0) for owner.
func (a *App) claim(ctx context.Context, owner string, id int64) (*nipp.Job, error) {
	var j *nipp.Job
	err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
		var err error
		j, err = tx.ClaimJob(ctx, owner, a.jobs.lease, id)
		return err
	})
	return j, err
}

// runClaimed runs a job owner has claimed and records the outcome. It
// returns ctx's error when the worker is stopping (the job is handed
// back), nil otherwise (the outcome is the job's).
func (a *App) runClaimed(ctx context.Context, j *nipp.Job, owner string) error {
	h, ok := a.jobs.handlers[j.Kind]
	var err error
	switch {
	case !ok:
		err = Permanent(fmt.Errorf("no handler for jobs of kind %q", j.Kind))
	case j.Attempts > j.MaxAttempts:
		err = Permanent(fmt.Errorf("gave up after %d attempts (its worker stopped each time)", j.MaxAttempts))
	default:
		err = a.runWithLease(ctx, h, j, owner)
	}
	if errors.Is(err, errLeaseLost) {
		a.log.Warn("job taken over by another worker", "job", j.ID, "kind", j.Kind)
		return nil
	}
	bg := context.WithoutCancel(ctx)
	if ctx.Err() != nil {
		// The worker is stopping: hand the job back (a killed process
		// cannot, and its lease expires instead).
		a.db.WriteTx(bg, func(tx *store.Tx) error { _, err := tx.ReleaseJob(bg, j.ID, owner); return err })
		return ctx.Err()
	}
	return a.db.WriteTx(bg, func(tx *store.Tx) error {
		if err == nil {
			_, err := tx.FinishJob(bg, j.ID, owner)
			return err
		}
		var perm permanentError
		if !errors.As(err, &perm) && j.Attempts < j.MaxAttempts {
			a.log.Warn("job attempt failed; trying again", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "err", err)
			_, rerr := tx.RetryJob(bg, j.ID, owner, tx.Now().Add(nipp.JobBackoff(a.jobs.backoff, a.jobs.maxBackoff, j.Attempts)), err.Error())
			return rerr
		}
		a.log.Error("job failed", "job", j.ID, "kind", j.Kind, "attempts", j.Attempts, "err", err)
		held, ferr := tx.FailJob(bg, j.ID, owner, err.Error())
		if ferr != nil || !held || h.failed == nil {
			return ferr
		}
		return h.failed(bg, tx, j, err)
	})
}

// runWithLease runs h on j, renewing the lease until it returns; the run's
// context ends with errLeaseLost when the lease is lost.
func (a *App) runWithLease(ctx context.Context, h jobHandler, j *nipp.Job, owner string) error {
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(a.jobs.renew)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-rctx.Done():
				return
			case <-t.C:
			}
			var held bool
			err := a.db.WriteTx(rctx, func(tx *store.Tx) error {
				var err error
				held, err = tx.RenewJobLease(rctx, j.ID, owner, a.jobs.lease)
				return err
			})
			if err == nil && !held {
				cancel(errLeaseLost)
				return
			}
		}
	}()
	err := h.run(rctx, &jobRun{a: a, job: j, owner: owner})
	close(done)
	if context.Cause(rctx) == errLeaseLost && ctx.Err() == nil {
		return errLeaseLost
	}
	return err
}

// RunJobs runs due jobs one after another in this goroutine until none is
// due, and returns how many it ran.
func (a *App) RunJobs(ctx context.Context) (_ int, err error) {
	defer nipp.Wrap(&err, "app.RunJobs()")
	owner := a.newOwner()
	n := 0
	for {
		j, err := a.claim(ctx, owner, 0)
		if err != nil || j == nil {
			return n, err
		}
		n++
		if err := a.runClaimed(ctx, j, owner); err != nil {
			return n, err
		}
	}
}

// RunJobWorkers runs n workers until ctx ends and they have stopped: each
// claims a due job, runs it, and looks again; idle, it looks every poll
// period or as soon as this process queues a job. serve starts them.
func (a *App) RunJobWorkers(ctx context.Context, n int) {
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.jobWorker(ctx)
		}()
	}
	wg.Wait()
}

func (a *App) jobWorker(ctx context.Context) {
	owner := a.newOwner()
	t := time.NewTicker(a.jobs.poll)
	defer t.Stop()
	for ctx.Err() == nil {
		j, err := a.claim(ctx, owner, 0)
		if err != nil && ctx.Err() == nil {
			a.log.Error("job worker: claiming", "err", err)
		}
		if j != nil {
			if err := a.runClaimed(ctx, j, owner); err != nil && ctx.Err() == nil {
				a.log.Error("job worker", "job", j.ID, "err", err)
			}
			continue
		}
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-a.jobs.wake:
			a.wakeJobs() // pass it on to the other idle workers
			time.Sleep(time.Millisecond)
		}
	}
}

// runJobsByKey runs the jobs queued under key in this goroutine until none
// is left queued or running, waiting while another worker holds one (and
// through the backoff of a failed attempt): the command line's way of
// doing an import's work before it prints the summary.
func (a *App) runJobsByKey(ctx context.Context, key string) error {
	owner := a.newOwner()
	for {
		var jobs []*nipp.Job
		if err := a.readOwn(ctx, func(tx *store.Tx) error {
			var err error
			jobs, err = tx.FindJobsByKey(ctx, key)
			return err
		}); err != nil {
			return err
		}
		active := false
		for _, j := range jobs {
			if j.State != nipp.JobQueued && j.State != nipp.JobRunning {
				continue
			}
			active = true
			c, err := a.claim(ctx, owner, j.ID)
			if err != nil {
				return err
			}
			if c != nil {
				if err := a.runClaimed(ctx, c, owner); err != nil {
					return err
				}
			}
		}
		if !active {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
