package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"nipp/internal/nipp"
)

// programColumns are read by scanProgram, from programs p LEFT JOIN
// admin_units u ON u.id = p.province_id.
const programColumns = `p.id, p.public_id, p.code, p.name_vi, p.name_en, p.level, p.start_year, p.end_year, p.decision_no, p.decision_date,
	p.approved_by, p.approved_by_en, COALESCE(u.code, ''), COALESCE(u.name_vi, ''), p.note, p.version`

func scanProgram(row interface{ Scan(...any) error }) (*nipp.Program, error) {
	p := &nipp.Program{}
	err := row.Scan(&p.ID, &p.PublicID, &p.Code, &p.NameVI, &p.NameEN, &p.Level, &p.StartYear, &p.EndYear, &p.DecisionNo, &p.DecisionDate,
		&p.ApprovedBy, &p.ApprovedByEN, &p.ProvinceCode, &p.ProvinceName, &p.Note, &p.Version)
	return p, err
}

// FindPrograms returns the programs f selects: national ones first, newest
// first, then local ones by province and period; each with the targets of
// its latest revision. Programs are few (a national one per five years, a
// local one or two per province and period), so the list is not paged.
func (tx *Tx) FindPrograms(ctx context.Context, f nipp.ProgramFilter) (_ []*nipp.Program, err error) {
	defer nipp.Wrap(&err, "store.FindPrograms()")
	where, args := []string{"TRUE"}, []any{}
	if f.Level != "" {
		args = append(args, f.Level)
		where = append(where, fmt.Sprintf("p.level = $%d", len(args)))
	}
	if f.Province != "" {
		args = append(args, f.Province)
		where = append(where, fmt.Sprintf("(p.level = 'national' OR u.code = $%d)", len(args)))
	}
	rows, err := tx.Query(ctx, `SELECT `+programColumns+` FROM programs p LEFT JOIN admin_units u ON u.id = p.province_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY CASE WHEN p.level = 'national' THEN 0 ELSE 1 END, COALESCE(u.code, ''), p.start_year DESC, p.code`, args...)
	if err != nil {
		return nil, err
	}
	var out []*nipp.Program
	for rows.Next() {
		p, err := scanProgram(rows)
		if err != nil {
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

// FindProgramByCode returns a program without its targets.
func (tx *Tx) FindProgramByCode(ctx context.Context, code string) (_ *nipp.Program, err error) {
	defer nipp.Wrap(&err, "store.FindProgramByCode(%q)", code)
	p, err := scanProgram(tx.QueryRow(ctx, `SELECT `+programColumns+` FROM programs p LEFT JOIN admin_units u ON u.id = p.province_id
		WHERE p.code = $1`, code))
	if err != nil {
		return nil, notFoundOr(err, "program", code)
	}
	return p, nil
}

// CreateProgram stores a new program (p.ProvinceCode a 2025 province code
// for local ones) and sets its ID, public id and version. A code in use is
// ECONFLICT.
func (tx *Tx) CreateProgram(ctx context.Context, p *nipp.Program) (err error) {
	defer nipp.Wrap(&err, "store.CreateProgram()")
	var prov any
	if p.ProvinceCode != "" {
		id, err := tx.ProvinceID(ctx, p.ProvinceCode, Gen2025)
		if nipp.ErrorCode(err) == nipp.ENOTFOUND {
			return nipp.FieldError("province", "err.store.no_province_code_use_code", p.ProvinceCode)
		}
		if err != nil {
			return err
		}
		prov = id
	}
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM programs WHERE code = $1)`, p.Code).Scan(&taken); err != nil {
		return mapError(err)
	}
	if taken {
		return &nipp.Error{Code: nipp.ECONFLICT, Msg: nipp.M("err.store.program_code_taken", p.Code), Field: "code"}
	}
	p.PublicID = NewPublicID("prog-")
	id, err := tx.InsertID(ctx, `INSERT INTO programs (public_id, code, name_vi, name_en, level, province_id, start_year, end_year, decision_no, decision_date, approved_by, approved_by_en, note, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1)`,
		p.PublicID, p.Code, p.NameVI, p.NameEN, p.Level, prov, p.StartYear, p.EndYear, p.DecisionNo, p.DecisionDate, p.ApprovedBy, p.ApprovedByEN, p.Note)
	if err != nil {
		return err
	}
	p.ID, p.Version = id, 1
	return nil
}

// UpdateProgram writes p's descriptive fields (not its code, level or
// province) if the stored version is still fromVersion; otherwise ECONFLICT.
func (tx *Tx) UpdateProgram(ctx context.Context, p *nipp.Program, fromVersion int) (err error) {
	defer nipp.Wrap(&err, "store.UpdateProgram(%v)", fromVersion)
	res, err := tx.Exec(ctx, `UPDATE programs SET name_vi = $1, name_en = $2, start_year = $3, end_year = $4, decision_no = $5, decision_date = $6,
		approved_by = $7, approved_by_en = $8, note = $9, version = version + 1
		WHERE id = $10 AND version = $11`,
		p.NameVI, p.NameEN, p.StartYear, p.EndYear, p.DecisionNo, p.DecisionDate, p.ApprovedBy, p.ApprovedByEN, p.Note, p.ID, fromVersion)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return mapError(err)
	} else if n == 0 {
		return nipp.Errorf(nipp.ECONFLICT, "err.store.program_was_changed_by_someone")
	}
	p.Version = fromVersion + 1
	return nil
}

// FindTargetRevisions returns every target revision of a program, oldest
// first, each with its targets. Programs have a handful of revisions.
func (tx *Tx) FindTargetRevisions(ctx context.Context, programID int64) (_ []*nipp.TargetRevision, err error) {
	defer nipp.Wrap(&err, "store.FindTargetRevisions(%v)", programID)
	rows, err := tx.Query(ctx, `SELECT r.id, r.revision, r.decision_no, r.decision_date, r.note, COALESCE(u.email, ''), r.created_at
		FROM target_revisions r LEFT JOIN users u ON u.id = r.created_by
		WHERE r.program_id = $1 ORDER BY r.revision`, programID)
	if err != nil {
		return nil, err
	}
	var out []*nipp.TargetRevision
	byID := map[int64]*nipp.TargetRevision{}
	for rows.Next() {
		r := &nipp.TargetRevision{Targets: []nipp.Target{}}
		if err := rows.Scan(&r.ID, &r.Revision, &r.DecisionNo, &r.DecisionDate, &r.Note, &r.CreatedBy, &r.CreatedAt); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	trows, err := tx.Query(ctx, `SELECT t.revision_id, t.indicator_code, i.name_vi, i.name_en, i.unit_vi, i.unit_en, COALESCE(u.code, ''), COALESCE(t.year, 0), t.value
		FROM targets t JOIN target_revisions r ON r.id = t.revision_id JOIN indicators i ON i.code = t.indicator_code LEFT JOIN admin_units u ON u.id = t.province_id
		WHERE r.program_id = $1 ORDER BY r.revision, i.sort, i.code, u.code, t.year`, programID)
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		var revID int64
		var t nipp.Target
		if err := trows.Scan(&revID, &t.IndicatorCode, &t.NameVI, &t.NameEN, &t.UnitVI, &t.UnitEN, &t.ProvinceCode, &t.Year, &t.Value); err != nil {
			return nil, mapError(err)
		}
		byID[revID].Targets = append(byID[revID].Targets, t)
	}
	return out, mapError(trows.Err())
}

// CreateTargetRevision adds the next revision of a program's targets. Old
// revisions are never touched. Province codes are 2025 codes.
func (tx *Tx) CreateTargetRevision(ctx context.Context, programID int64, rev *nipp.TargetRevision) (err error) {
	defer nipp.Wrap(&err, "store.CreateTargetRevision(%v)", programID)
	var next int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(revision), 0) + 1 FROM target_revisions WHERE program_id = $1`, programID).Scan(&next); err != nil {
		return mapError(err)
	}
	var by any
	if p := nipp.PrincipalFrom(ctx); !p.Anonymous() {
		by = p.UserID
	}
	id, err := tx.InsertID(ctx, `INSERT INTO target_revisions (program_id, revision, decision_no, decision_date, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, programID, next, rev.DecisionNo, rev.DecisionDate, rev.Note, by, tx.Now())
	if err != nil {
		return err
	}
	rev.ID, rev.Revision, rev.CreatedAt = id, next, tx.Now()
	provinces := map[string]int64{}
	for _, t := range rev.Targets {
		var prov, year any
		if t.ProvinceCode != "" {
			pid, ok := provinces[t.ProvinceCode]
			if !ok {
				if err := tx.QueryRow(ctx, `SELECT id FROM admin_units WHERE level = 'province' AND generation = 2025 AND code = $1`, t.ProvinceCode).Scan(&pid); err != nil {
					return notFoundOr(err, "province", t.ProvinceCode)
				}
				provinces[t.ProvinceCode] = pid
			}
			prov = pid
		}
		if t.Year != 0 {
			year = t.Year
		}
		if _, err := tx.Exec(ctx, `INSERT INTO targets (revision_id, indicator_code, province_id, year, value) VALUES ($1, $2, $3, $4, $5)`,
			id, t.IndicatorCode, prov, year, t.Value); err != nil {
			return err
		}
	}
	return nil
}

// FindIndicators returns every indicator in display order.
func (tx *Tx) FindIndicators(ctx context.Context) (_ []nipp.Indicator, err error) {
	defer nipp.Wrap(&err, "store.FindIndicators()")
	rows, err := tx.Query(ctx, `SELECT code, name_vi, name_en, unit_vi, unit_en FROM indicators ORDER BY sort, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nipp.Indicator
	for rows.Next() {
		var i nipp.Indicator
		if err := rows.Scan(&i.Code, &i.NameVI, &i.NameEN, &i.UnitVI, &i.UnitEN); err != nil {
			return nil, mapError(err)
		}
		out = append(out, i)
	}
	return out, mapError(rows.Err())
}
