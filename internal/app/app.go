// Package app holds nipp's use cases. Each exported method is one
// transaction: it authorizes the principal in ctx (role and province
// scope), validates, changes the store and writes the audit entry in the
// same transaction. The HTML UI and the JSON API both call these methods,
// so they obey the same rules.
package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"

	"nipp/internal/address"
	"nipp/internal/nipp"
	"nipp/internal/store"
)

// App is the use-case layer.
type App struct {
	db       *store.DB
	log      *slog.Logger
	filesDir string

	addrOnce  sync.Once
	addr      *address.Resolver // built on first use from the embedded reference data
	addrErr   error
	placesMu  sync.Mutex
	unitIDs   map[unitKey]nipp.Unit // admin_units rows by code and generation, read on first use
	placeMemo *placeMemo            // places resolved, kept once unitIDs is

	hashes   *hashGate // bounds concurrent argon2id computations
	hashHook func()

	handlers []eventHandler // run in order by raise, in the raiser's transaction
	skip     map[string]bool
	extra    []func() // handlers given as options, registered after the built-in ones

	jobs jobsState // the background jobs' handlers and timing (jobs.go)

	details detailCache // projects' details kept per stamp (detail.go)
	// applyRowHook, when set (tests), is called before each row an import
	// applies, inside the chunk's transaction; an error is the row's.
	applyRowHook func(row int) error
	// serialChunks, when set (tests), checks and prepares each chunk of
	// an import only after the one before it is recorded or written
	// (validateChunks, applyChunks).
	serialChunks bool
	// aheadTaken counts the chunks recorded or written as checked or
	// prepared ahead (tests).
	aheadTaken atomic.Int64
}

// Option adjusts an App.
type Option func(*App)

// WithFilesDir sets the folder where uploaded files (attachments) are kept,
// content-addressed. Without it, uploads are refused.
func WithFilesDir(dir string) Option { return func(a *App) { a.filesDir = dir } }

// New returns an App over db.
func New(db *store.DB, log *slog.Logger, opts ...Option) *App {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &App{db: db, log: log, hashes: newHashGate(DefaultHashSlots(), HashWait)}
	a.initJobs()
	for _, o := range opts {
		o(a)
	}
	a.hashes.hook = a.hashHook
	a.registerHandlers()
	a.registerJobs()
	return a
}

// Ready reports whether the service can answer: unreachable is set when
// the database cannot be reached, schema when its schema is not the one
// this binary knows. engine names the database engine.
func (a *App) Ready(ctx context.Context) (engine string, unreachable, schema error) {
	engine = string(a.db.Dialect())
	if err := a.db.Ping(ctx); err != nil {
		return engine, err, nil
	}
	return engine, nil, a.db.CheckSchema(ctx)
}

// Three kinds of access. Every use case runs in exactly one of them:
//   - a.db.WriteTx: writes (the primary; retried on PostgreSQL conflicts);
//   - a.readOwn: reads that must see one's own writes (the primary): the
//     session and token behind a request, sign-in's throttle, a worker's
//     own job;
//   - a.read: every other read (lists, pages, exports), which a replica
//     may serve, except right after the principal saved something
//     (WithOwnWrites), when it goes to the primary too, so the page shown
//     after a save shows what was saved.

// ownWritesKey marks a context whose reads must see the caller's writes.
type ownWritesKey struct{}

// WithOwnWrites returns ctx with its reads sent to the primary: the
// request follows (or is) a save of its principal's, so a lagging replica
// would show the record as it was before.
func WithOwnWrites(ctx context.Context) context.Context {
	return context.WithValue(ctx, ownWritesKey{}, true)
}

// ReadsOwnWrites reports whether ctx was marked by WithOwnWrites.
func ReadsOwnWrites(ctx context.Context) bool {
	v, _ := ctx.Value(ownWritesKey{}).(bool)
	return v
}

// read runs fn in a read-only transaction a replica may serve, unless ctx
// asks to see its own writes.
func (a *App) read(ctx context.Context, fn func(tx *store.Tx) error) error {
	if ReadsOwnWrites(ctx) {
		return a.db.ReadPrimaryTx(ctx, fn)
	}
	return a.db.ReadTx(ctx, fn)
}

// readStatement runs fn, which runs one read statement, outside a
// transaction (store.ReadStatement), on the same node a.read would use.
func (a *App) readStatement(ctx context.Context, fn func(tx *store.Tx) error) error {
	if ReadsOwnWrites(ctx) {
		return a.db.ReadPrimaryStatement(ctx, fn)
	}
	return a.db.ReadStatement(ctx, fn)
}

// readOwn runs fn in a read-only transaction on the primary.
func (a *App) readOwn(ctx context.Context, fn func(tx *store.Tx) error) error {
	return a.db.ReadPrimaryTx(ctx, fn)
}

// authorize checks the principal in ctx holds perm.
func authorize(ctx context.Context, perm nipp.Permission) (*nipp.Principal, error) {
	p := nipp.PrincipalFrom(ctx)
	if p.Can(perm) {
		return p, nil
	}
	if p.Anonymous() {
		return p, nipp.Errorf(nipp.EUNAUTHORIZED, "err.app.please_sign")
	}
	return p, nipp.Forbidden()
}

// auditEvent appends the audit entry of ev, made in tx by the principal in
// ctx: the first handler of every event.
func auditEvent(ctx context.Context, tx *store.Tx, ev nipp.Event) error {
	rec := ev.Audit()
	p := nipp.PrincipalFrom(ctx)
	e := &nipp.AuditEntry{
		UserID: max(p.UserID, 0), Actor: p.Email, RemoteAddr: p.RemoteAddr,
		Action: rec.Action, Entity: rec.Entity, EntityID: rec.EntityID,
	}
	if e.Actor == "" {
		e.Actor = "system"
	}
	var err error
	if e.Before, err = jsonOrEmpty(rec.Before); err != nil {
		return err
	}
	if e.After, err = jsonOrEmpty(rec.After); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, e)
}

func jsonOrEmpty(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", nipp.Internal(err)
	}
	return string(b), nil
}

// Programs lists the programs with the targets of the revision in force.
// Programs are public data.
func (a *App) Programs(ctx context.Context) (_ []*nipp.Program, err error) {
	defer nipp.Wrap(&err, "app.Programs()")
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var out []*nipp.Program
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.FindPrograms(ctx, nipp.ProgramFilter{})
		return err
	})
	return out, err
}
