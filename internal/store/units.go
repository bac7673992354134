package store

import (
	"context"

	"nipp/internal/nipp"
)

// UnitRow is an administrative unit with its parent and successors, for
// building an in-memory address index.
type UnitRow struct {
	nipp.Unit
	Level      string
	ParentID   int64
	NameFold   string
	Successors []int64 // 2025 units an old unit went into
	Partial    bool    // some successor got only part of it
}

// FindUnits returns every province and commune of both generations with
// their successors. It is reference data: a few tens of thousands of rows.
func (tx *Tx) FindUnits(ctx context.Context) ([]*UnitRow, error) {
	rows, err := tx.Query(ctx, `SELECT id, level, code, generation, name_vi, name_fold, unit_type, COALESCE(parent_id, 0)
		FROM admin_units WHERE level IN ('province', 'commune', 'district') ORDER BY id`)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*UnitRow{}
	var out []*UnitRow
	for rows.Next() {
		u := &UnitRow{}
		if err := rows.Scan(&u.ID, &u.Level, &u.Code, &u.Generation, &u.Name, &u.NameFold, &u.Type, &u.ParentID); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		byID[u.ID] = u
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	srows, err := tx.Query(ctx, `SELECT old_id, new_id, share FROM admin_unit_successors ORDER BY old_id, new_id`)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var o, n int64
		var share string
		if err := srows.Scan(&o, &n, &share); err != nil {
			return nil, mapError(err)
		}
		if u := byID[o]; u != nil {
			u.Successors = append(u.Successors, n)
			if share == "partial" {
				u.Partial = true
			}
		}
	}
	return out, mapError(srows.Err())
}
