package store

import (
	"context"

	"nipp/internal/nipp"
)

// FindUnits returns every province, island district and commune of both
// generations (id, code, generation, name, type), for mapping resolved
// addresses to rows. It is reference data: about 13,500 rows.
func (tx *Tx) FindUnits(ctx context.Context) (_ []nipp.Unit, err error) {
	defer nipp.Wrap(&err, "store.FindUnits()")
	rows, err := tx.Query(ctx, `SELECT id, code, generation, name_vi, unit_type
		FROM admin_units WHERE level IN ('province', 'commune', 'district') ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []nipp.Unit
	for rows.Next() {
		var u nipp.Unit
		if err := rows.Scan(&u.ID, &u.Code, &u.Generation, &u.Name, &u.Type); err != nil {
			return nil, mapError(err)
		}
		out = append(out, u)
	}
	return out, mapError(rows.Err())
}
