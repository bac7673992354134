package store

import (
	"context"
	"database/sql"

	"nipp/internal/nipp"
)

// FindPrograms returns all programs, newest first, each with the targets
// of its latest revision.
func (tx *Tx) FindPrograms(ctx context.Context) ([]*nipp.Program, error) {
	rows, err := tx.Query(ctx, `SELECT id, public_id, code, name_vi, name_en, level, start_year, end_year, decision_no, decision_date, approved_by
		FROM programs ORDER BY start_year DESC, code`)
	if err != nil {
		return nil, err
	}
	var out []*nipp.Program
	for rows.Next() {
		p := &nipp.Program{}
		if err := rows.Scan(&p.ID, &p.PublicID, &p.Code, &p.NameVI, &p.NameEN, &p.Level, &p.StartYear, &p.EndYear, &p.DecisionNo, &p.DecisionDate, &p.ApprovedBy); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	for _, p := range out {
		rev, err := tx.latestTargets(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		p.Targets = rev
	}
	return out, nil
}

func (tx *Tx) latestTargets(ctx context.Context, programID int64) (*nipp.TargetRevision, error) {
	var revID int64
	rev := &nipp.TargetRevision{}
	err := tx.QueryRow(ctx, `SELECT id, revision, decision_no, decision_date, note FROM target_revisions
		WHERE program_id = $1 ORDER BY revision DESC LIMIT 1`, programID).Scan(&revID, &rev.Revision, &rev.DecisionNo, &rev.DecisionDate, &rev.Note)
	if err == sql.ErrNoRows {
		return nil, nil // a program without targets yet is normal (2026-2030)
	}
	if err != nil {
		return nil, mapError(err)
	}
	rows, err := tx.Query(ctx, `SELECT t.indicator_code, i.name_vi, i.name_en, i.unit_vi, i.unit_en, COALESCE(u.code, ''), COALESCE(t.year, 0), t.value
		FROM targets t JOIN indicators i ON i.code = t.indicator_code LEFT JOIN admin_units u ON u.id = t.province_id
		WHERE t.revision_id = $1 ORDER BY i.sort, i.code, u.code, t.year`, revID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t nipp.Target
		if err := rows.Scan(&t.IndicatorCode, &t.NameVI, &t.NameEN, &t.UnitVI, &t.UnitEN, &t.ProvinceCode, &t.Year, &t.Value); err != nil {
			return nil, mapError(err)
		}
		rev.Targets = append(rev.Targets, t)
	}
	return rev, mapError(rows.Err())
}
