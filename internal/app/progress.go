package app

import (
	"context"

	"nipp/internal/nipp"
)

// Progress of a program (issue 19; docs/ARCHITECTURE.md, "Progress
// summaries"): the dashboard of a program for a scope and period, the
// review report, and the check and rebuild of the summaries they read.
// Dashboards read only the summaries the handlers keep current
// (progress_* tables) and the reference and target tables, never the
// projects, their lines, outputs, beneficiaries or ledger entries.
//
// Authorization: any signed-in role reads the progress of a published
// program (nipp.ProgramReadableBy; routes use nipp.PermSignedIn). A
// provincial officer sees national figures; the projects behind a figure
// are reached through the project list (/projects?program=&year=&
// province=&activity_type=&state=), which keeps its own scope. An
// unpublished program is "not found" to whoever may not edit it.

// ProgramDashboard returns the progress of q.Program for q's scope and
// period (nipp.ProgressQuery.Resolve fills the period): per indicator the
// target (of the revision in force at the period's end, allocated to the
// scope where allocations exist), achieved, committed, remaining, share
// done, projection and pace mark; funding by year and source (budget
// lines and ledger), growth and leverage; establishments reached; the
// breakdowns by province (in q.Gen's map, with region), activity type and
// year; and for a province scope its rank on each indicator.
// EINVALID names the field of a bad query (unknown province of that map,
// region, activity type or indicator); ENOTFOUND an unknown or unreadable
// program.
func (a *App) ProgramDashboard(ctx context.Context, q nipp.ProgressQuery) (_ *nipp.Dashboard, err error) {
	defer nipp.Wrap(&err, "app.ProgramDashboard(%q)", q.Program)
	return nil, nipp.Errorf(nipp.EINTERNAL, "err.app.not_yet")
}

// ProgramReview returns the review report of q.Program for q's period and
// scope: the headline figures and sentences (nipp.ReviewOf), the
// attainment table, the funding table and the leading activity types.
// Same authorization and errors as ProgramDashboard.
func (a *App) ProgramReview(ctx context.Context, q nipp.ProgressQuery) (_ *nipp.Review, err error) {
	defer nipp.Wrap(&err, "app.ProgramReview(%q)", q.Program)
	d, err := a.ProgramDashboard(ctx, q)
	if err != nil {
		return nil, err
	}
	return nipp.ReviewOf(d), nil
}

// VerifyRollups recomputes every progress summary from the base tables and
// returns each difference from what is kept (none: the summaries are
// right). Administrators and auditors (audit.read) may run it; the command
// line runs it as the system.
func (a *App) VerifyRollups(ctx context.Context) (_ []nipp.RollupDifference, err error) {
	defer nipp.Wrap(&err, "app.VerifyRollups()")
	return nil, nipp.Errorf(nipp.EINTERNAL, "err.app.not_yet")
}

// RepairRollups rebuilds every progress summary from the base tables in
// one write transaction and returns the differences it mended (audited as
// repair of entity rollup). Administrators only; the command line runs it
// as the system.
func (a *App) RepairRollups(ctx context.Context) (_ []nipp.RollupDifference, err error) {
	defer nipp.Wrap(&err, "app.RepairRollups()")
	return nil, nipp.Errorf(nipp.EINTERNAL, "err.app.not_yet")
}

// TargetTable returns the targets of a program's revision in force laid
// out as the ministry's allocation table (a row per province, and year
// when the targets have years; a column per indicator; the national row
// first), for the program page's allocation form. Public, as programs are.
func (a *App) TargetTable(ctx context.Context, programCode string) (_ *nipp.TargetTable, err error) {
	defer nipp.Wrap(&err, "app.TargetTable(%q)", programCode)
	return nil, nipp.Errorf(nipp.EINTERNAL, "err.app.not_yet")
}

// AllocateTargets stores a new target revision from an allocation table
// entered in the form (decision number and date in rev, the values in t),
// versioned as ReviseTargets: national programs by the ministry, a local
// one also by its province's officers. Every problem at once, each naming
// its cell ("<indicator>.<province>.<year>").
func (a *App) AllocateTargets(ctx context.Context, programCode string, rev *nipp.TargetRevision, t *nipp.TargetTable) (_ *nipp.TargetRevision, err error) {
	defer nipp.Wrap(&err, "app.AllocateTargets(%q)", programCode)
	return nil, nipp.Errorf(nipp.EINTERNAL, "err.app.not_yet")
}

// ImportTargetTable reads the ministry's allocation table from a .xlsx
// file (rows: provinces by code or name of either map, a national or
// total row; columns: indicators by code or name; optionally a year
// column) and stores it as a new revision decided by rev, as
// AllocateTargets. A wrong cell is reported by row and column as the
// registry import does (RowErrors inside EINVALID), and nothing is stored.
func (a *App) ImportTargetTable(ctx context.Context, programCode string, rev *nipp.TargetRevision, filename string, data []byte) (_ *nipp.TargetRevision, err error) {
	defer nipp.Wrap(&err, "app.ImportTargetTable(%q, %q)", programCode, filename)
	return nil, nipp.Errorf(nipp.EINTERNAL, "err.app.not_yet")
}
