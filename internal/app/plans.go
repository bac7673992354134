package app

import (
	"context"
	"strconv"
	"strings"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// AnnualPlan compiles a year's national plan. Officers of some provinces
// see their provinces' lines only.
func (a *App) AnnualPlan(ctx context.Context, year int) (_ *nipp.AnnualPlan, err error) {
	defer nipp.Wrap(&err, "app.AnnualPlan(%v)", year)
	p, err := authorize(ctx, nipp.PermProjectRead)
	if err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		return nil, nipp.FieldError("year", "err.app.invalid_year")
	}
	var provinces []string
	if !p.AllProvinces() {
		provinces = append([]string{}, p.Provinces...)
	}
	var pl *nipp.AnnualPlan
	err = a.read(ctx, func(tx *store.Tx) error {
		var err error
		pl, err = tx.FindAnnualPlan(ctx, year, provinces)
		return err
	})
	return pl, err
}

// SetPlanCeiling sets a year's national budget ceiling (version-checked:
// version is the plan version the change started from, 0 for a new plan).
func (a *App) SetPlanCeiling(ctx context.Context, year int, ceiling int64, note string, version int) (err error) {
	defer nipp.Wrap(&err, "app.SetPlanCeiling(%v, %v, %q, %v)", year, ceiling, note, version)
	p, err := authorize(ctx, nipp.PermProjectDecide)
	if err != nil {
		return err
	}
	if err := nipp.CheckText("note", note, nipp.MaxNoteLen, true); err != nil {
		return err
	}
	if year < 2000 || year > 2100 {
		return nipp.FieldError("year", "err.app.invalid_year")
	}
	if err := nipp.CheckAmount("ceiling", ceiling); err != nil {
		return err
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		before, err := tx.FindAnnualPlan(ctx, year, []string{})
		if err != nil {
			return err
		}
		if err := tx.SetPlanCeiling(ctx, year, ceiling, strings.TrimSpace(note), version, p.UserID); err != nil {
			return err
		}
		var old any
		if before.HasCeiling {
			old = map[string]any{"ceiling": before.Ceiling, "note": before.Note}
		}
		return a.record(ctx, tx, nipp.ActionUpdate, "annual_plan", strconv.Itoa(year), old, map[string]any{"ceiling": ceiling, "note": note})
	})
}
