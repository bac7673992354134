package nipp

import "time"

// Job is a unit of background work kept as a database row (the jobs
// mechanism, docs/ARCHITECTURE.md "Background work as jobs"): a worker
// claims it, holds a lease on it while it runs, and marks it done, or
// queues it again after a pause that doubles with each attempt, or marks
// it failed with its error after MaxAttempts.
type Job struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	DedupKey    string    `json:"dedup_key,omitempty"`
	Payload     string    `json:"payload,omitempty"`
	State       string    `json:"state"`
	Attempts    int       `json:"attempts"`
	MaxAttempts int       `json:"max_attempts"`
	RunAfter    time.Time `json:"run_after"`
	LeaseOwner  string    `json:"lease_owner,omitempty"`
	LeaseUntil  time.Time `json:"lease_until,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	Progress    string    `json:"progress,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Job states.
const (
	JobQueued  = "queued"  // waiting for run_after, then for a worker
	JobRunning = "running" // held by lease_owner until lease_until
	JobDone    = "done"
	JobFailed  = "failed" // gave up after max_attempts (or a permanent error); last_error says why
)

// JobBackoff is the pause before attempt n+1 after n failed attempts:
// base, 2×base, 4×base, ... at most max.
func JobBackoff(base, max time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}
