package store

import (
	"context"

	"nipp/internal/nipp"
)

// DetailStamp says which version of a project's detail a read sees
// (migration 0020): the project's own stamp (project_stamps, moved by
// triggers on every row the detail shows of that project alone) and the
// stamp of what details share (change_stamps 'details': names of
// programs, units, organizations, councils, users' e-mail...). Two reads
// with equal stamps of the same project see the same detail.
type DetailStamp struct {
	ProjectID int64
	Project   int64
	Shared    int64
}

// ProjectDetailStamp returns the detail stamp of the project with a public
// id, or ENOTFOUND. One statement: outside a transaction
// (ReadStatement), or inside the transaction that reads the detail, so
// that what it reads is exactly that version.
func (tx *Tx) ProjectDetailStamp(ctx context.Context, publicID string) (_ DetailStamp, err error) {
	defer nipp.Wrap(&err, "store.ProjectDetailStamp(%q)", publicID)
	var s DetailStamp
	err = ScanOne(tx.QueryRow(ctx, `SELECT p.id, CAST(COALESCE(ps.n, 0) AS BIGINT),
		(SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM change_stamps c WHERE c.name = 'details')
		FROM projects p LEFT JOIN project_stamps ps ON ps.project_id = p.id WHERE p.public_id = $1`, publicID), "project",
		&s.ProjectID, &s.Project, &s.Shared)
	return s, err
}
