package store

import (
	"context"

	"nipp/internal/nipp"
)

// CreateRuleSet inserts a rule set and its caps, setting rs.ID.
func (tx *Tx) CreateRuleSet(ctx context.Context, rs *nipp.RuleSet, source string) error {
	id, err := tx.InsertID(ctx, `INSERT INTO rule_sets (code, name_vi, name_en, legal_basis, valid_from, valid_to, loaded_at, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, rs.Code, rs.NameVI, rs.NameEN, rs.LegalBasis, rs.ValidFrom, rs.ValidTo, tx.Now(), source)
	if err != nil {
		if IsUniqueViolation(err) {
			return nipp.Errorf(nipp.ECONFLICT, "bộ quy định %s đã có; bộ quy định đã nạp không thay đổi, hãy dùng mã mới / rule set %s already exists; loaded rule sets never change, use a new code", rs.Code, rs.Code)
		}
		return err
	}
	rs.ID = id
	for _, c := range rs.Caps {
		var amount any
		if c.MaxAmount > 0 {
			amount = c.MaxAmount
		}
		if _, err := tx.Exec(ctx, `INSERT INTO support_caps (rule_set_id, activity_type_code, area_category, funding_source, max_share_bp, max_amount, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, c.ActivityTypeCode, c.AreaCategory, c.FundingSource, c.MaxShareBP, amount, c.Note); err != nil {
			return err
		}
	}
	return nil
}

const ruleSetCols = `id, code, name_vi, name_en, legal_basis, valid_from, valid_to`

// FindRuleSetByID returns a rule set with its caps.
func (tx *Tx) FindRuleSetByID(ctx context.Context, id int64) (*nipp.RuleSet, error) {
	rs := &nipp.RuleSet{}
	err := tx.QueryRow(ctx, `SELECT `+ruleSetCols+` FROM rule_sets WHERE id = $1`, id).
		Scan(&rs.ID, &rs.Code, &rs.NameVI, &rs.NameEN, &rs.LegalBasis, &rs.ValidFrom, &rs.ValidTo)
	if err != nil {
		return nil, notFoundOr(err, "bộ quy định/rule set")
	}
	return rs, tx.loadRuleSetDetails(ctx, rs)
}

// FindRuleSetInForce returns the rule set in force on d (the latest one
// that started on or before d and has not ended).
func (tx *Tx) FindRuleSetInForce(ctx context.Context, d nipp.Date) (*nipp.RuleSet, error) {
	rs := &nipp.RuleSet{}
	err := tx.QueryRow(ctx, `SELECT `+ruleSetCols+` FROM rule_sets
		WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1) ORDER BY valid_from DESC, id DESC LIMIT 1`, d).
		Scan(&rs.ID, &rs.Code, &rs.NameVI, &rs.NameEN, &rs.LegalBasis, &rs.ValidFrom, &rs.ValidTo)
	if err != nil {
		return nil, notFoundOr(err, "bộ quy định có hiệu lực ngày "+d.Format("vi")+"/rule set in force on "+d.String())
	}
	return rs, tx.loadRuleSetDetails(ctx, rs)
}

// loadRuleSetDetails fills in caps (and, as later migrations add them,
// eligibility and other rules).
func (tx *Tx) loadRuleSetDetails(ctx context.Context, rs *nipp.RuleSet) error {
	rows, err := tx.Query(ctx, `SELECT activity_type_code, area_category, funding_source, max_share_bp, COALESCE(max_amount, 0), note
		FROM support_caps WHERE rule_set_id = $1 ORDER BY activity_type_code, area_category, funding_source`, rs.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	rs.Caps = nil
	for rows.Next() {
		var c nipp.SupportCap
		if err := rows.Scan(&c.ActivityTypeCode, &c.AreaCategory, &c.FundingSource, &c.MaxShareBP, &c.MaxAmount, &c.Note); err != nil {
			return mapError(err)
		}
		rs.Caps = append(rs.Caps, c)
	}
	return mapError(rows.Err())
}
