package store

import (
	"context"
	"fmt"
	"time"

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
	err = ScanOne(tx.QueryRow(ctx, detailStampSQL, publicID), "project",
		&s.ProjectID, &s.Project, &s.Shared)
	return s, err
}

// FindProjectHistoryAndAttachments returns a project's history and its
// attachments, each oldest first, in one statement: a UNION ALL of both,
// each row tagged with its kind. The first branch's timestamp is a plain
// column, so that SQLite's driver reads the union's as a timestamp.
func (tx *Tx) FindProjectHistoryAndAttachments(ctx context.Context, projectID int64) (_ []nipp.ProjectEvent, _ []nipp.Attachment, err error) {
	defer nipp.Wrap(&err, "store.FindProjectHistoryAndAttachments(%v)", projectID)
	var events []nipp.ProjectEvent
	var atts []nipp.Attachment
	err = tx.each(ctx, historySQL("$1"), []any{projectID}, historyRow(&events, &atts))
	return events, atts, err
}

// historySQL reads the history and the attachments of the project whose
// id is the SQL expression id; historyRow reads its rows.
func historySQL(id string) string {
	return `SELECT 1, t.id, t.at, t.action, t.from_state, t.to_state, t.comment, t.actor, CAST(0 AS BIGINT)
		FROM project_transitions t WHERE t.project_id = ` + id + `
		UNION ALL
		SELECT 2, a.id, a.uploaded_at, a.kind, a.filename, a.content_type, a.sha256, COALESCE(u.email, ''), a.size
		FROM project_attachments a LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.project_id = ` + id + `
		ORDER BY 1, 2`
}

func historyRow(events *[]nipp.ProjectEvent, atts *[]nipp.Attachment) func(scan func(...any) error) error {
	return func(scan func(...any) error) error {
		var kind int
		var id, n int64
		var at time.Time
		var s [5]string
		if err := scan(&kind, &id, &at, &s[0], &s[1], &s[2], &s[3], &s[4], &n); err != nil {
			return err
		}
		switch kind {
		case 1:
			*events = append(*events, nipp.ProjectEvent{Action: s[0], FromState: nipp.ProjectState(s[1]), ToState: nipp.ProjectState(s[2]),
				Comment: s[3], Actor: s[4], At: at})
		case 2:
			*atts = append(*atts, nipp.Attachment{ID: id, Kind: s[0], Filename: s[1], ContentType: s[2], SHA256: s[3], UploadedBy: s[4],
				Size: n, UploadedAt: at})
		default:
			return fmt.Errorf("history and attachments: row of kind %d", kind)
		}
		return nil
	}
}
