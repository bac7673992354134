package app

import (
	"context"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Organizations lists organisations (public data).
func (a *App) Organizations(ctx context.Context, f nipp.OrganizationFilter) (_ []*nipp.Organization, err error) {
	defer nipp.Wrap(&err, "app.Organizations()")
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var out []*nipp.Organization
	err = a.read(ctx, func(tx *store.Tx) (err error) { out, err = tx.FindOrganizations(ctx, f); return err })
	return out, err
}

// Organization returns an organisation with its names over time, its
// successor and the units it continues.
func (a *App) Organization(ctx context.Context, code string) (_ *nipp.Organization, err error) {
	defer nipp.Wrap(&err, "app.Organization(%q)", code)
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var o *nipp.Organization
	err = a.read(ctx, func(tx *store.Tx) (err error) { o, err = tx.FindOrganizationByCode(ctx, code); return err })
	return o, err
}

// OrganizationNameOn returns the name an organisation bore on a date: the
// central agency's old name on decisions before its 2025 renaming, the new
// one after. Inside another use case's transaction call
// tx.FindOrganizationNameOn.
func (a *App) OrganizationNameOn(ctx context.Context, code string, on nipp.Date) (_ nipp.OrgName, err error) {
	defer nipp.Wrap(&err, "app.OrganizationNameOn(%q)", code)
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nipp.OrgName{}, err
	}
	var n nipp.OrgName
	err = a.read(ctx, func(tx *store.Tx) error {
		o, err := tx.FindOrganizationByCode(ctx, code)
		if err != nil {
			return err
		}
		n, err = tx.FindOrganizationNameOn(ctx, o.ID, on)
		return err
	})
	return n, err
}
