package store

import (
	"context"
	"database/sql"
	"errors"

	"nipp/internal/nipp"
)

const orgSelect = `SELECT o.id, o.code, o.kind, o.name_vi, o.name_en, COALESCE(p.code, ''), COALESCE(p.generation, 0), COALESCE(par.code, ''),
		COALESCE(s.code, ''), o.valid_from, o.valid_to
	FROM organizations o
	LEFT JOIN admin_units p ON p.id = o.province_id
	LEFT JOIN organizations par ON par.id = o.parent_id
	LEFT JOIN organizations s ON s.id = o.successor_id`

func scanOrg(sc interface{ Scan(...any) error }) (*nipp.Organization, error) {
	o := &nipp.Organization{}
	err := sc.Scan(&o.ID, &o.Code, &o.Kind, &o.NameVI, &o.NameEN, &o.ProvinceCode, &o.ProvinceGen, &o.ParentCode, &o.Successor, &o.ValidFrom, &o.ValidTo)
	return o, err
}

// FindOrganizations lists organisations (about 130: the ministry, the
// central agency and each province's department and center, old and new),
// by kind, then province, then code.
func (tx *Tx) FindOrganizations(ctx context.Context, f nipp.OrganizationFilter) (_ []*nipp.Organization, err error) {
	defer nipp.Wrap(&err, "store.FindOrganizations()")
	q := orgSelect + ` WHERE ($1 = '' OR o.kind = $1) AND ($2 = '' OR p.code = $2)`
	args := []any{f.Kind, f.ProvinceCode}
	if f.Active != nil {
		if *f.Active {
			q += ` AND o.valid_to IS NULL`
		} else {
			q += ` AND o.valid_to IS NOT NULL`
		}
	}
	rows, err := tx.Query(ctx, q+` ORDER BY CASE o.kind WHEN 'ministry' THEN 0 WHEN 'central_agency' THEN 1 WHEN 'provincial_department' THEN 2 WHEN 'promotion_center' THEN 3 ELSE 4 END, p.code, o.code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*nipp.Organization{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, mapError(err)
		}
		out = append(out, o)
	}
	return out, mapError(rows.Err())
}

// FindOrganizationByCode returns an organisation with its names over time
// and the units it continues.
func (tx *Tx) FindOrganizationByCode(ctx context.Context, code string) (_ *nipp.Organization, err error) {
	defer nipp.Wrap(&err, "store.FindOrganizationByCode(%q)", code)
	o, err := scanOrg(tx.QueryRow(ctx, orgSelect+` WHERE o.code = $1`, code))
	if err != nil {
		return nil, notFoundOr(err, "organization", code)
	}
	rows, err := tx.Query(ctx, `SELECT valid_from, valid_to, name_vi, name_en, legal_basis, legal_basis_en FROM organization_names WHERE org_id = $1 ORDER BY valid_from`, o.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n nipp.OrgName
		if err := rows.Scan(&n.ValidFrom, &n.ValidTo, &n.NameVI, &n.NameEN, &n.LegalBasis, &n.LegalBasisEN); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		if n.ValidFrom == nipp.NewDate(1, 1, 1) {
			n.ValidFrom = nipp.Date{}
		}
		o.Names = append(o.Names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	prows, err := tx.Query(ctx, `SELECT code FROM organizations WHERE successor_id = $1 ORDER BY code`, o.ID)
	if err != nil {
		return nil, err
	}
	defer prows.Close()
	for prows.Next() {
		var c string
		if err := prows.Scan(&c); err != nil {
			return nil, mapError(err)
		}
		o.Predecessors = append(o.Predecessors, c)
	}
	return o, mapError(prows.Err())
}

// FindOrganizationNameOn returns the name an organisation bore on a date
// (to print the issuing agency on a decision): the dated name in force
// then, or the organisation's own name when it has no dated names for that
// day.
func (tx *Tx) FindOrganizationNameOn(ctx context.Context, orgID int64, on nipp.Date) (_ nipp.OrgName, err error) {
	defer nipp.Wrap(&err, "store.FindOrganizationNameOn(%v)", orgID)
	var n nipp.OrgName
	err = tx.QueryRow(ctx, `SELECT valid_from, valid_to, name_vi, name_en, legal_basis, legal_basis_en FROM organization_names
		WHERE org_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to >= $2) ORDER BY valid_from DESC LIMIT 1`, orgID, on).
		Scan(&n.ValidFrom, &n.ValidTo, &n.NameVI, &n.NameEN, &n.LegalBasis, &n.LegalBasisEN)
	if err == nil {
		return n, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return n, mapError(err)
	}
	err = tx.QueryRow(ctx, `SELECT valid_from, valid_to, name_vi, name_en FROM organizations WHERE id = $1`, orgID).Scan(&n.ValidFrom, &n.ValidTo, &n.NameVI, &n.NameEN)
	return n, notFoundOr(err, "organization")
}
