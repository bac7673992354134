package webtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"nipp/internal/store"
)

// Provinces the authorization tests use: a provincial officer's own
// province and another one (2025 statistical codes).
const (
	OwnProvince   = "01" // Hà Nội
	OtherProvince = "79" // Thành phố Hồ Chí Minh
)

// Record identifies a fixture row.
type Record struct {
	ID       int64
	PublicID string
	Province string
	Version  int
}

func fixtureID(prefix string) string {
	b := make([]byte, 5)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// InsertEstablishment inserts an establishment in the province (2025 code)
// directly with SQL, bypassing the use cases, for authorization tests.
func InsertEstablishment(t testing.TB, db *store.DB, province string, published bool) Record {
	t.Helper()
	ctx := context.Background()
	rec := Record{PublicID: fixtureID("E"), Province: province, Version: 1}
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		pid, err := tx.ProvinceID(ctx, province, store.Gen2025)
		if err != nil {
			return err
		}
		rec.ID, err = tx.InsertID(ctx, `INSERT INTO establishments (public_id, name, name_fold, legal_form, province_id, orig_province_id, published, recorded_on, version, created_at, updated_at)
			VALUES ($1, $2, $3, 'household', $4, $4, $5, $6, 1, $7, $7)`,
			rec.PublicID, "Cơ sở thử "+rec.PublicID, "co so thu "+rec.PublicID, pid, published, tx.Now().Format("2006-01-02"), tx.Now())
		return err
	})
	if err != nil {
		t.Fatalf("inserting an establishment in %s: %v", province, err)
	}
	return rec
}

// InsertProject inserts a draft project in the province (2025 code), with
// the first program, activity type and organization, directly with SQL.
func InsertProject(t testing.TB, db *store.DB, province string, published bool) Record {
	t.Helper()
	ctx := context.Background()
	rec := Record{PublicID: fixtureID("P"), Province: province, Version: 1}
	err := db.WriteTx(ctx, func(tx *store.Tx) error {
		pid, err := tx.ProvinceID(ctx, province, store.Gen2025)
		if err != nil {
			return err
		}
		var program, org int64
		var activity string
		if err := tx.QueryRow(ctx, `SELECT id FROM programs ORDER BY id LIMIT 1`).Scan(&program); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT code FROM activity_types ORDER BY code LIMIT 1`).Scan(&activity); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM organizations ORDER BY (CASE WHEN province_id = $1 THEN 0 ELSE 1 END), id LIMIT 1`, pid).Scan(&org); err != nil {
			return err
		}
		rec.ID, err = tx.InsertID(ctx, `INSERT INTO projects (public_id, code, program_id, year, title, activity_type_code, implementing_org_id, province_id, orig_province_id, published, version, created_at, updated_at)
			VALUES ($1, $2, $3, 2026, $4, $5, $6, $7, $7, $8, 1, $9, $9)`,
			rec.PublicID, rec.PublicID, program, "Đề án thử "+rec.PublicID, activity, org, pid, published, tx.Now())
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO project_provinces (project_id, province_id) VALUES ($1, $2)`, rec.ID, pid)
		return err
	})
	if err != nil {
		t.Fatalf("inserting a project in %s: %v", province, err)
	}
	return rec
}
