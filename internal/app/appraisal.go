package app

import (
	"context"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// CreateAppraisalRound creates a round with its weighted criteria.
func (a *App) CreateAppraisalRound(ctx context.Context, r nipp.AppraisalRound) (_ *nipp.AppraisalRound, err error) {
	defer nipp.Wrap(&err, "app.CreateAppraisalRound()")
	p, err := authorize(ctx, nipp.PermProjectDecide)
	if err != nil {
		return nil, err
	}
	r.Name = strings.TrimSpace(r.Name)
	if err := r.Validate(); err != nil {
		return nil, err
	}
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateAppraisalRound(ctx, &r, p.UserID); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionCreate, "appraisal_round", strconv.FormatInt(r.ID, 10), nil, r)
	})
	return &r, err
}

// AppraisalRounds lists the rounds.
func (a *App) AppraisalRounds(ctx context.Context) (_ []nipp.AppraisalRound, err error) {
	defer nipp.Wrap(&err, "app.AppraisalRounds()")
	if _, err := authorize(ctx, nipp.PermProjectDecide); err != nil {
		return nil, err
	}
	var out []nipp.AppraisalRound
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.FindAppraisalRounds(ctx)
		return err
	})
	return out, err
}

// AppraisalRound returns a round with its councils.
func (a *App) AppraisalRound(ctx context.Context, id int64) (_ *nipp.AppraisalRound, err error) {
	defer nipp.Wrap(&err, "app.AppraisalRound(%v)", id)
	if _, err := authorize(ctx, nipp.PermProjectDecide); err != nil {
		return nil, err
	}
	var r *nipp.AppraisalRound
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		r, err = tx.FindAppraisalRoundByID(ctx, id)
		return err
	})
	return r, err
}

// CreateCouncil adds a council to a round.
func (a *App) CreateCouncil(ctx context.Context, roundID int64, name string) (_ int64, err error) {
	defer nipp.Wrap(&err, "app.CreateCouncil(%v, %q)", roundID, name)
	if _, err := authorize(ctx, nipp.PermProjectDecide); err != nil {
		return 0, err
	}
	name = strings.TrimSpace(name)
	if err := nipp.CheckText("name", name, nipp.MaxNameLen, false); err != nil {
		return 0, err
	}
	if name == "" {
		return 0, nipp.FieldError("name", "err.app.enter_council_s_name")
	}
	var id int64
	err = a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.FindAppraisalRoundByID(ctx, roundID); err != nil {
			return err
		}
		var err error
		if id, err = tx.CreateCouncil(ctx, roundID, name); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionCreate, "appraisal_council", strconv.FormatInt(id, 10), nil, map[string]any{"round": roundID, "name": name})
	})
	return id, err
}

// AddCouncilMember seats an appraiser (by e-mail) on a council.
func (a *App) AddCouncilMember(ctx context.Context, councilID int64, email string) (err error) {
	defer nipp.Wrap(&err, "app.AddCouncilMember(%v, %q)", councilID, email)
	if _, err := authorize(ctx, nipp.PermProjectDecide); err != nil {
		return err
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.CouncilRound(ctx, councilID); err != nil {
			return err
		}
		// One answer for "no account" and "an account, but not an
		// appraiser's", so the form does not tell which e-mails have accounts.
		u, err := tx.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
		if nipp.ErrorCode(err) == nipp.ENOTFOUND || (err == nil && u.Role != nipp.RoleAppraiser) {
			return nipp.FieldError("email", "err.app.no_appraiser_account")
		}
		if err != nil {
			return err
		}
		if err := tx.AddCouncilMember(ctx, councilID, u.ID); err != nil {
			return err
		}
		return a.record(ctx, tx, "add_member", "appraisal_council", strconv.FormatInt(councilID, 10), nil, map[string]any{"member": u.Email})
	})
}

// AssignToCouncil makes a council appraise a submitted or appraised project.
func (a *App) AssignToCouncil(ctx context.Context, councilID int64, projectKey string) (err error) {
	defer nipp.Wrap(&err, "app.AssignToCouncil(%v)", councilID)
	p, err := authorize(ctx, nipp.PermProjectDecide)
	if err != nil {
		return err
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.CouncilRound(ctx, councilID); err != nil {
			return err
		}
		projectKey = strings.TrimSpace(projectKey)
		publicID := projectKey
		if ps, err := tx.FindProjects(ctx, nipp.ProjectFilter{Query: projectKey, Limit: 2}); err == nil && len(ps) == 1 && ps[0].Code == projectKey {
			publicID = ps[0].PublicID
		}
		proj, err := loadProject(ctx, tx, p, publicID)
		if err != nil {
			return nipp.FieldError("project", "err.app.no_project", projectKey)
		}
		if proj.State != nipp.StateSubmitted && proj.State != nipp.StateUnderAppraisal {
			return nipp.FieldError("project", "err.app.only_submitted_projects_projects_under")
		}
		if err := tx.AssignProjectToCouncil(ctx, proj.ID, councilID); err != nil {
			return err
		}
		return a.record(ctx, tx, "assign_council", "project", proj.PublicID, nil, map[string]any{"council": councilID})
	})
}

// ScoreProject records the principal's scores (criterion id -> score) of a
// project assigned to their council. Scores can be changed until the
// project is decided.
func (a *App) ScoreProject(ctx context.Context, publicID string, scores map[int64]int) (err error) {
	defer nipp.Wrap(&err, "app.ScoreProject(%q)", publicID)
	p, err := authorize(ctx, nipp.PermAppraise)
	if err != nil {
		return err
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		proj, pa, err := appraisalOf(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		for _, m := range pa.Members {
			if m.UserID == p.UserID && m.Conflict {
				return nipp.Errorf(nipp.EINVALID, "err.app.you_declared_conflict_interest_project")
			}
		}
		// Every criterion's problem at once, each beside its criterion.
		var errs []*nipp.Error
		for _, c := range pa.Round.Criteria {
			s, ok := scores[c.ID]
			switch {
			case !ok:
				errs = append(errs, nipp.FieldError("score."+c.Code, "err.app.score_criterion", c.Name))
			case s < 0 || s > c.MaxScore:
				errs = append(errs, nipp.FieldError("score."+c.Code, "err.app.score_range", c.Name, c.MaxScore))
			}
		}
		if len(errs) == 0 && len(scores) != len(pa.Round.Criteria) {
			errs = append(errs, nipp.FieldError("score", "err.app.scores_criteria_outside_round"))
		}
		if err := nipp.Join(errs...); err != nil {
			return err
		}
		if err := tx.SetAppraisalScores(ctx, proj.ID, p.UserID, scores); err != nil {
			return err
		}
		return a.record(ctx, tx, "score", "project", publicID, nil, map[string]any{"scores": scores})
	})
}

// DeclareConflict records the principal's conflict of interest with a
// project; their score no longer counts.
func (a *App) DeclareConflict(ctx context.Context, publicID, reason string) (err error) {
	defer nipp.Wrap(&err, "app.DeclareConflict(%q, %q)", publicID, reason)
	p, err := authorize(ctx, nipp.PermAppraise)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if err := nipp.CheckText("reason", reason, nipp.MaxNoteLen, true); err != nil {
		return err
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		proj, _, err := appraisalOf(ctx, tx, p, publicID)
		if err != nil {
			return err
		}
		if reason == "" {
			return nipp.FieldError("reason", "err.app.describe_conflict_interest")
		}
		if err := tx.DeclareConflict(ctx, proj.ID, p.UserID, reason); err != nil {
			return err
		}
		return a.record(ctx, tx, "declare_conflict", "project", publicID, nil, map[string]any{"reason": reason})
	})
}

// appraisalOf loads a project the principal appraises (member of its
// council) while it is still under appraisal.
func appraisalOf(ctx context.Context, tx *store.Tx, p *nipp.Principal, publicID string) (*nipp.Project, *nipp.ProjectAppraisal, error) {
	proj, err := loadProject(ctx, tx, p, publicID)
	if err != nil {
		return nil, nil, err
	}
	member, err := tx.IsProjectAppraiser(ctx, proj.ID, p.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !member {
		return nil, nil, nipp.Forbidden()
	}
	if proj.State != nipp.StateSubmitted && proj.State != nipp.StateUnderAppraisal {
		return nil, nil, nipp.Errorf(nipp.EINVALID, "err.app.project_no_longer_under_appraisal")
	}
	pa, err := tx.FindProjectAppraisal(ctx, proj.ID)
	return proj, pa, err
}
