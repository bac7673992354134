package store

import (
	"context"

	"nipp/internal/nipp"
)

// CreateAppraisalRound inserts a round with its criteria, setting ids.
func (tx *Tx) CreateAppraisalRound(ctx context.Context, r *nipp.AppraisalRound, createdBy int64) (err error) {
	defer nipp.Wrap(&err, "store.CreateAppraisalRound(%v)", createdBy)
	id, err := tx.InsertID(ctx, `INSERT INTO appraisal_rounds (year, name, pass_mark, created_at, created_by) VALUES ($1, $2, $3, $4, $5)`,
		r.Year, r.Name, r.PassMark, tx.Now(), nullID(createdBy))
	if err != nil {
		return err
	}
	r.ID = id
	for i := range r.Criteria {
		c := &r.Criteria[i]
		if c.ID, err = tx.InsertID(ctx, `INSERT INTO appraisal_criteria (round_id, code, name, weight, max_score, sort) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, c.Code, c.Name, c.Weight, c.MaxScore, i); err != nil {
			return err
		}
	}
	return nil
}

// FindAppraisalRounds returns the rounds, newest first (without details).
func (tx *Tx) FindAppraisalRounds(ctx context.Context) (_ []nipp.AppraisalRound, err error) {
	defer nipp.Wrap(&err, "store.FindAppraisalRounds()")
	var out []nipp.AppraisalRound
	err = tx.each(ctx, `SELECT id, year, name, pass_mark FROM appraisal_rounds ORDER BY year DESC, id DESC LIMIT 200`, nil,
		func(scan func(...any) error) error {
			var r nipp.AppraisalRound
			if err := scan(&r.ID, &r.Year, &r.Name, &r.PassMark); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	return out, err
}

// FindAppraisalRoundByID returns a round with criteria, councils, members
// and assigned projects.
func (tx *Tx) FindAppraisalRoundByID(ctx context.Context, id int64) (_ *nipp.AppraisalRound, err error) {
	defer nipp.Wrap(&err, "store.FindAppraisalRoundByID(%v)", id)
	r := &nipp.AppraisalRound{}
	if err := ScanOne(tx.QueryRow(ctx, `SELECT id, year, name, pass_mark FROM appraisal_rounds WHERE id = $1`, id),
		"appraisal_round", &r.ID, &r.Year, &r.Name, &r.PassMark); err != nil {
		return nil, err
	}
	if r.Criteria, err = tx.findCriteria(ctx, id); err != nil {
		return nil, err
	}
	idx := map[int64]int{}
	err = tx.each(ctx, `SELECT id, name FROM appraisal_councils WHERE round_id = $1 ORDER BY id`, []any{id}, func(scan func(...any) error) error {
		c := nipp.Council{RoundID: id}
		if err := scan(&c.ID, &c.Name); err != nil {
			return err
		}
		idx[c.ID] = len(r.Councils)
		r.Councils = append(r.Councils, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.each(ctx, `SELECT am.council_id, u.id, u.email, u.name FROM appraisal_members am JOIN users u ON u.id = am.user_id
		JOIN appraisal_councils c ON c.id = am.council_id WHERE c.round_id = $1 ORDER BY u.email`, []any{id}, func(scan func(...any) error) error {
		var cid int64
		var m nipp.CouncilMember
		if err := scan(&cid, &m.UserID, &m.Email, &m.Name); err != nil {
			return err
		}
		r.Councils[idx[cid]].Members = append(r.Councils[idx[cid]].Members, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.each(ctx, `SELECT aa.council_id, p.code FROM appraisal_assignments aa JOIN projects p ON p.id = aa.project_id
		JOIN appraisal_councils c ON c.id = aa.council_id WHERE c.round_id = $1 ORDER BY p.code`, []any{id}, func(scan func(...any) error) error {
		var cid int64
		var code string
		if err := scan(&cid, &code); err != nil {
			return err
		}
		r.Councils[idx[cid]].Projects = append(r.Councils[idx[cid]].Projects, code)
		return nil
	})
	return r, err
}

func (tx *Tx) findCriteria(ctx context.Context, roundID int64) ([]nipp.Criterion, error) {
	var out []nipp.Criterion
	err := tx.each(ctx, `SELECT id, code, name, weight, max_score FROM appraisal_criteria WHERE round_id = $1 ORDER BY sort, id`,
		[]any{roundID}, func(scan func(...any) error) error {
			var c nipp.Criterion
			if err := scan(&c.ID, &c.Code, &c.Name, &c.Weight, &c.MaxScore); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	return out, err
}

// CreateCouncil adds a council to a round.
func (tx *Tx) CreateCouncil(ctx context.Context, roundID int64, name string) (_ int64, err error) {
	defer nipp.Wrap(&err, "store.CreateCouncil(%v, %q)", roundID, name)
	id, err := tx.InsertID(ctx, `INSERT INTO appraisal_councils (round_id, name) VALUES ($1, $2)`, roundID, name)
	if IsUniqueViolation(err) {
		return 0, nipp.FieldError("name", "err.store.round_already_has_council_name")
	}
	return id, err
}

// CouncilRound returns the round of a council.
func (tx *Tx) CouncilRound(ctx context.Context, councilID int64) (_ int64, err error) {
	defer nipp.Wrap(&err, "store.CouncilRound(%v)", councilID)
	var id int64
	err = ScanOne(tx.QueryRow(ctx, `SELECT round_id FROM appraisal_councils WHERE id = $1`, councilID), "council", &id)
	return id, err
}

// AddCouncilMember seats a user on a council.
func (tx *Tx) AddCouncilMember(ctx context.Context, councilID, userID int64) (err error) {
	defer nipp.Wrap(&err, "store.AddCouncilMember(%v, %v)", councilID, userID)
	_, err = tx.Exec(ctx, `INSERT INTO appraisal_members (council_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, councilID, userID)
	return err
}

// AssignProjectToCouncil makes a council appraise a project (replacing an
// earlier assignment).
func (tx *Tx) AssignProjectToCouncil(ctx context.Context, projectID, councilID int64) (err error) {
	defer nipp.Wrap(&err, "store.AssignProjectToCouncil(%v, %v)", projectID, councilID)
	_, err = tx.Exec(ctx, `INSERT INTO appraisal_assignments (project_id, council_id) VALUES ($1, $2)
		ON CONFLICT (project_id) DO UPDATE SET council_id = excluded.council_id`, projectID, councilID)
	return err
}

// IsProjectAppraiser reports whether a user sits on the council a project
// is assigned to.
func (tx *Tx) IsProjectAppraiser(ctx context.Context, projectID, userID int64) (_ bool, err error) {
	defer nipp.Wrap(&err, "store.IsProjectAppraiser(%v, %v)", projectID, userID)
	var n int
	err = tx.QueryRow(ctx, `SELECT COUNT(*) FROM appraisal_assignments aa JOIN appraisal_members am ON am.council_id = aa.council_id
		WHERE aa.project_id = $1 AND am.user_id = $2`, projectID, userID).Scan(&n)
	return n > 0, mapError(err)
}

// FindProjectAppraisal returns a project's appraisal, or ENOTFOUND when it
// is not assigned to a council.
func (tx *Tx) FindProjectAppraisal(ctx context.Context, projectID int64) (_ *nipp.ProjectAppraisal, err error) {
	defer nipp.Wrap(&err, "store.FindProjectAppraisal(%v)", projectID)
	pa := &nipp.ProjectAppraisal{}
	var roundID int64
	if err := ScanOne(tx.QueryRow(ctx, `SELECT c.id, c.name, c.round_id FROM appraisal_assignments aa JOIN appraisal_councils c ON c.id = aa.council_id
		WHERE aa.project_id = $1`, projectID), "appraisal", &pa.CouncilID, &pa.Council, &roundID); err != nil {
		return nil, err
	}
	if err := ScanOne(tx.QueryRow(ctx, `SELECT id, year, name, pass_mark FROM appraisal_rounds WHERE id = $1`, roundID),
		"appraisal_round", &pa.Round.ID, &pa.Round.Year, &pa.Round.Name, &pa.Round.PassMark); err != nil {
		return nil, err
	}
	if pa.Round.Criteria, err = tx.findCriteria(ctx, roundID); err != nil {
		return nil, err
	}
	idx := map[int64]int{}
	err = tx.each(ctx, `SELECT u.id, u.email, COALESCE(cf.reason, ''), cf.user_id IS NOT NULL FROM appraisal_members am JOIN users u ON u.id = am.user_id
		LEFT JOIN appraisal_conflicts cf ON cf.project_id = $1 AND cf.user_id = am.user_id
		WHERE am.council_id = $2 ORDER BY u.email`, []any{projectID, pa.CouncilID}, func(scan func(...any) error) error {
		m := nipp.MemberScore{Scores: map[int64]int{}}
		if err := scan(&m.UserID, &m.Member, &m.Reason, &m.Conflict); err != nil {
			return err
		}
		idx[m.UserID] = len(pa.Members)
		pa.Members = append(pa.Members, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.each(ctx, `SELECT user_id, criterion_id, score FROM appraisal_scores WHERE project_id = $1`, []any{projectID}, func(scan func(...any) error) error {
		var uid, cid int64
		var s int
		if err := scan(&uid, &cid, &s); err != nil {
			return err
		}
		if i, ok := idx[uid]; ok {
			pa.Members[i].Scores[cid] = s
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range pa.Members {
		m := &pa.Members[i]
		m.Weighted, m.Complete = nipp.WeightedScore(pa.Round.Criteria, m.Scores)
	}
	pa.Aggregate = nipp.AggregateScores(pa.Round.Criteria, pa.Members, pa.Round.PassMark)
	return pa, nil
}

// SetAppraisalScores replaces a member's scores of a project.
func (tx *Tx) SetAppraisalScores(ctx context.Context, projectID, userID int64, scores map[int64]int) (err error) {
	defer nipp.Wrap(&err, "store.SetAppraisalScores(%v, %v)", projectID, userID)
	if _, err := tx.Exec(ctx, `DELETE FROM appraisal_scores WHERE project_id = $1 AND user_id = $2`, projectID, userID); err != nil {
		return err
	}
	for cid, s := range scores {
		if _, err := tx.Exec(ctx, `INSERT INTO appraisal_scores (project_id, user_id, criterion_id, score, scored_at) VALUES ($1, $2, $3, $4, $5)`,
			projectID, userID, cid, s, tx.Now()); err != nil {
			return err
		}
	}
	return nil
}

// DeclareConflict records a member's conflict of interest on a project.
func (tx *Tx) DeclareConflict(ctx context.Context, projectID, userID int64, reason string) (err error) {
	defer nipp.Wrap(&err, "store.DeclareConflict(%v, %v, %q)", projectID, userID, reason)
	_, err = tx.Exec(ctx, `INSERT INTO appraisal_conflicts (project_id, user_id, reason, declared_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (project_id, user_id) DO UPDATE SET reason = excluded.reason, declared_at = excluded.declared_at`, projectID, userID, reason, tx.Now())
	return err
}

// FindOpenRounds returns the open rounds, newest first, and how many there
// are (the list stops at limit).
func (tx *Tx) FindOpenRounds(ctx context.Context, limit int) (_ []nipp.OpenRound, _ int64, err error) {
	defer nipp.Wrap(&err, "store.FindOpenRounds(%v)", limit)
	var out []nipp.OpenRound
	var n int64
	pending := `CASE WHEN p.state IN (` + sqlStates(nipp.PendingStates()) + `) THEN 1 ELSE 0 END`
	err = tx.each(ctx, `SELECT r.id, r.year, r.name, r.pass_mark, COUNT(p.id), COALESCE(SUM(`+pending+`), 0)
		FROM appraisal_rounds r
		LEFT JOIN appraisal_councils c ON c.round_id = r.id
		LEFT JOIN appraisal_assignments aa ON aa.council_id = c.id
		LEFT JOIN projects p ON p.id = aa.project_id
		GROUP BY r.id, r.year, r.name, r.pass_mark
		HAVING COUNT(p.id) = 0 OR SUM(`+pending+`) > 0
		ORDER BY r.year DESC, r.id DESC`, nil, func(scan func(...any) error) error {
		var r nipp.OpenRound
		if err := scan(&r.ID, &r.Year, &r.Name, &r.PassMark, &r.Assigned, &r.Pending); err != nil {
			return err
		}
		n++
		if len(out) < limit {
			out = append(out, r)
		}
		return nil
	})
	return out, n, err
}

// FindAssignments returns the projects assigned to the councils a user sits
// on, newest first (at most 500).
func (tx *Tx) FindAssignments(ctx context.Context, userID int64) (_ []nipp.Assignment, err error) {
	defer nipp.Wrap(&err, "store.FindAssignments(%v)", userID)
	var out []nipp.Assignment
	err = tx.each(ctx, `SELECT p.public_id, p.code, p.title, p.state, r.name, c.name,
			(SELECT COUNT(*) FROM appraisal_criteria ac WHERE ac.round_id = r.id),
			(SELECT COUNT(*) FROM appraisal_scores s JOIN appraisal_criteria ac ON ac.id = s.criterion_id AND ac.round_id = r.id
				WHERE s.project_id = p.id AND s.user_id = $1),
			(SELECT COUNT(*) FROM appraisal_conflicts cf WHERE cf.project_id = p.id AND cf.user_id = $1)
		FROM appraisal_assignments aa
		JOIN appraisal_members am ON am.council_id = aa.council_id AND am.user_id = $1
		JOIN appraisal_councils c ON c.id = aa.council_id
		JOIN appraisal_rounds r ON r.id = c.round_id
		JOIN projects p ON p.id = aa.project_id
		ORDER BY p.id DESC LIMIT 500`, []any{userID}, func(scan func(...any) error) error {
		var a nipp.Assignment
		var state string
		var conflicts int
		if err := scan(&a.ProjectPublicID, &a.Code, &a.Title, &state, &a.Round, &a.Council, &a.Criteria, &a.Scored, &conflicts); err != nil {
			return err
		}
		a.State, a.Conflict = nipp.ProjectState(state), conflicts > 0
		out = append(out, a)
		return nil
	})
	return out, err
}
