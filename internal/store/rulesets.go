package store

import (
	"context"
	"database/sql"
	"slices"

	"nipp/internal/nipp"
)

// CreateRuleSet inserts a rule set and its caps, setting rs.ID.
func (tx *Tx) CreateRuleSet(ctx context.Context, rs *nipp.RuleSet, source string) (err error) {
	defer nipp.Wrap(&err, "store.CreateRuleSet(%q)", source)
	var loadedBy any
	if p := nipp.PrincipalFrom(ctx); !p.Anonymous() {
		loadedBy = p.UserID
	}
	id, err := tx.InsertID(ctx, `INSERT INTO rule_sets (code, name_vi, name_en, legal_basis, valid_from, valid_to, loaded_at, source, note, loaded_by,
		legal_basis_en, note_en) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, rs.Code, rs.NameVI, rs.NameEN, rs.LegalBasis,
		rs.ValidFrom, rs.ValidTo, tx.Now(), source, rs.Note, loadedBy, rs.LegalBasisEN, rs.NoteEN)
	if err != nil {
		if IsUniqueViolation(err) {
			return nipp.Errorf(nipp.ECONFLICT, "err.app.rule_set_already_exists_loaded", rs.Code)
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
	e := rs.Eligibility
	for _, kv := range []struct {
		kind   string
		values []string
	}{{"legal_form", e.LegalForms}, {"unit_type", e.UnitTypes}, {"priority_group", e.PriorityGroups}, {"activity_type", e.ActivityTypes}} {
		for _, v := range kv.values {
			if _, err := tx.Exec(ctx, `INSERT INTO rule_set_eligibility (rule_set_id, kind, value) VALUES ($1, $2, $3)`, id, kv.kind, v); err != nil {
				return err
			}
		}
	}
	for _, l := range rs.AdvanceLimits {
		if _, err := tx.Exec(ctx, `INSERT INTO advance_limits (rule_set_id, funding_source, first_max_bp, cumulative_max_bp, article, note) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, l.FundingSource, l.FirstMaxBP, l.CumulativeMaxBP, l.Article, l.Note); err != nil {
			return err
		}
	}
	for _, a := range rs.Approvals {
		var bound any
		if a.MaxChangeBP > 0 {
			bound = a.MaxChangeBP
		}
		if _, err := tx.Exec(ctx, `INSERT INTO approval_rules (rule_set_id, action, level, authority, max_change_bp, note) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, a.Action, a.Level, a.Authority, bound, a.Note); err != nil {
			return err
		}
	}
	return nil
}

// FindRuleSets lists every rule set, newest validity first, each with the
// number of projects pinned to it. Rule sets are few (one per decree), so
// the list is not paged. The counts read projects(rule_set_id) (migration
// 0019) and are kept per change stamp: the page is public, and at national
// scale counting reads 200,000 index entries.
func (tx *Tx) FindRuleSets(ctx context.Context) (_ []nipp.RuleSetSummary, err error) {
	defer nipp.Wrap(&err, "store.FindRuleSets()")
	v, err := tx.keptProjects(ctx, "rule set projects", func() (any, error) {
		counts := map[int64]int{}
		err := tx.each(ctx, `SELECT rule_set_id, COUNT(*) FROM projects WHERE rule_set_id IS NOT NULL GROUP BY rule_set_id`, nil,
			func(scan func(...any) error) error {
				var id int64
				var n int
				if err := scan(&id, &n); err != nil {
					return err
				}
				counts[id] = n
				return nil
			})
		return counts, err
	})
	if err != nil {
		return nil, err
	}
	counts := v.(map[int64]int)
	out := []nipp.RuleSetSummary{}
	err = tx.each(ctx, `SELECT r.id, r.code, r.name_vi, r.name_en, r.legal_basis, r.legal_basis_en, r.valid_from, r.valid_to, r.loaded_at, r.source
		FROM rule_sets r ORDER BY r.valid_from DESC, r.id DESC`, nil, func(scan func(...any) error) error {
		var r nipp.RuleSetSummary
		if err := scan(&r.ID, &r.Code, &r.NameVI, &r.NameEN, &r.LegalBasis, &r.LegalBasisEN, &r.ValidFrom, &r.ValidTo, &r.LoadedAt, &r.Source); err != nil {
			return err
		}
		r.Projects = counts[r.ID]
		out = append(out, r)
		return nil
	})
	return out, err
}

// RuleSetIDs lists the ids of every rule set, newest validity first
// (FindRuleSets without the count of projects under each, which reads
// every project).
func (tx *Tx) RuleSetIDs(ctx context.Context) (_ []int64, err error) {
	defer nipp.Wrap(&err, "store.RuleSetIDs()")
	var out []int64
	err = tx.each(ctx, `SELECT id FROM rule_sets ORDER BY valid_from DESC, id DESC`, nil, func(scan func(...any) error) error {
		var id int64
		if err := scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	})
	return out, err
}

// FindRuleSetByCode returns a rule set with all its rules.
func (tx *Tx) FindRuleSetByCode(ctx context.Context, code string) (_ *nipp.RuleSet, err error) {
	defer nipp.Wrap(&err, "store.FindRuleSetByCode(%q)", code)
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM rule_sets WHERE code = $1`, code).Scan(&id); err != nil {
		return nil, notFoundOr(err, "rule_set", code)
	}
	return tx.FindRuleSetByID(ctx, id)
}

const ruleSetCols = `id, code, name_vi, name_en, legal_basis, legal_basis_en, valid_from, valid_to, note, note_en`

// FindRuleSetByID returns a rule set with its caps.
//
// Loaded rule sets never change (nothing updates or deletes them), so a
// read transaction keeps each one it reads in memory by id (a project's
// page reads its pinned set: five statements) and gets copies of it after.
func (tx *Tx) FindRuleSetByID(ctx context.Context, id int64) (*nipp.RuleSet, error) {
	if !tx.write {
		if rs, ok := tx.db.ruleSets.Load(id); ok {
			return cloneRuleSet(rs.(*nipp.RuleSet)), nil
		}
	}
	rs, err := tx.findRuleSetByID(ctx, id)
	if err == nil && !tx.write {
		tx.db.ruleSets.Store(id, cloneRuleSet(rs))
	}
	return rs, err
}

// cloneRuleSet copies a rule set and its lists.
func cloneRuleSet(rs *nipp.RuleSet) *nipp.RuleSet {
	c := *rs
	c.Caps, c.AdvanceLimits, c.Approvals = slices.Clone(rs.Caps), slices.Clone(rs.AdvanceLimits), slices.Clone(rs.Approvals)
	e := &c.Eligibility
	e.LegalForms, e.UnitTypes = slices.Clone(e.LegalForms), slices.Clone(e.UnitTypes)
	e.PriorityGroups, e.ActivityTypes = slices.Clone(e.PriorityGroups), slices.Clone(e.ActivityTypes)
	return &c
}

func (tx *Tx) findRuleSetByID(ctx context.Context, id int64) (_ *nipp.RuleSet, err error) {
	defer nipp.Wrap(&err, "store.FindRuleSetByID(%v)", id)
	rs := &nipp.RuleSet{}
	err = tx.QueryRow(ctx, `SELECT `+ruleSetCols+` FROM rule_sets WHERE id = $1`, id).
		Scan(&rs.ID, &rs.Code, &rs.NameVI, &rs.NameEN, &rs.LegalBasis, &rs.LegalBasisEN, &rs.ValidFrom, &rs.ValidTo, &rs.Note, &rs.NoteEN)
	if err != nil {
		return nil, notFoundOr(err, "rule_set")
	}
	return rs, tx.loadRuleSetDetails(ctx, rs)
}

// FindRuleSetInForce returns the rule set in force on d (the latest one
// that started on or before d and has not ended).
func (tx *Tx) FindRuleSetInForce(ctx context.Context, d nipp.Date) (_ *nipp.RuleSet, err error) {
	defer nipp.Wrap(&err, "store.FindRuleSetInForce()")
	rs := &nipp.RuleSet{}
	err = tx.QueryRow(ctx, `SELECT `+ruleSetCols+` FROM rule_sets
		WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1) ORDER BY valid_from DESC, id DESC LIMIT 1`, d).
		Scan(&rs.ID, &rs.Code, &rs.NameVI, &rs.NameEN, &rs.LegalBasis, &rs.LegalBasisEN, &rs.ValidFrom, &rs.ValidTo, &rs.Note, &rs.NoteEN)
	if err != nil {
		return nil, notFoundOr(err, "rule_set_on", d)
	}
	return rs, tx.loadRuleSetDetails(ctx, rs)
}

// loadRuleSetDetails fills in caps, eligibility, advance limits and
// approval rules.
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
	if err := mapError(rows.Err()); err != nil {
		return err
	}
	rows.Close()

	rs.Eligibility = nipp.Eligibility{}
	erows, err := tx.Query(ctx, `SELECT kind, value FROM rule_set_eligibility WHERE rule_set_id = $1 ORDER BY kind, value`, rs.ID)
	if err != nil {
		return err
	}
	defer erows.Close()
	for erows.Next() {
		var kind, value string
		if err := erows.Scan(&kind, &value); err != nil {
			return mapError(err)
		}
		rs.Eligibility.Add(kind, value)
	}
	if err := mapError(erows.Err()); err != nil {
		return err
	}
	erows.Close()

	rs.AdvanceLimits = nil
	lrows, err := tx.Query(ctx, `SELECT funding_source, first_max_bp, cumulative_max_bp, article, note FROM advance_limits WHERE rule_set_id = $1 ORDER BY funding_source`, rs.ID)
	if err != nil {
		return err
	}
	defer lrows.Close()
	for lrows.Next() {
		var l nipp.AdvanceLimit
		if err := lrows.Scan(&l.FundingSource, &l.FirstMaxBP, &l.CumulativeMaxBP, &l.Article, &l.Note); err != nil {
			return mapError(err)
		}
		rs.AdvanceLimits = append(rs.AdvanceLimits, l)
	}
	if err := mapError(lrows.Err()); err != nil {
		return err
	}
	lrows.Close()

	rs.Approvals = nil
	arows, err := tx.Query(ctx, `SELECT action, level, authority, COALESCE(max_change_bp, 0), note FROM approval_rules WHERE rule_set_id = $1 ORDER BY id`, rs.ID)
	if err != nil {
		return err
	}
	defer arows.Close()
	for arows.Next() {
		var a nipp.ApprovalRule
		if err := arows.Scan(&a.Action, &a.Level, &a.Authority, &a.MaxChangeBP, &a.Note); err != nil {
			return mapError(err)
		}
		rs.Approvals = append(rs.Approvals, a)
	}
	return mapError(arows.Err())
}

// BeneficiaryRecord is what eligibility rules look at for an establishment,
// with what scope checks need.
type BeneficiaryRecord struct {
	nipp.Beneficiary
	EstablishmentID int64
	PublicID        string
	ProvinceCode    string // today's province (2025 code)
	Published       bool
}

const beneficiarySelect = `SELECT e.id, e.public_id, e.name, e.legal_form, COALESCE(c.unit_type, ''), e.women_owned, e.ethnic_minority_owned,
		e.craft_village, e.artisan, p.code, e.published
	FROM establishments e
	JOIN admin_units p ON p.id = e.province_id
	LEFT JOIN admin_units c ON c.id = e.commune_id AND c.generation = 2025`

// FindBeneficiary returns what the eligibility rules look at for an
// establishment: its legal form, the type of today's commune (commune,
// ward, special_zone) and its priority flags.
func (tx *Tx) FindBeneficiary(ctx context.Context, establishmentID int64) (_ *BeneficiaryRecord, err error) {
	defer nipp.Wrap(&err, "store.FindBeneficiary(%v)", establishmentID)
	return tx.scanBeneficiary(tx.QueryRow(ctx, beneficiarySelect+` WHERE e.id = $1`, establishmentID))
}

// FindBeneficiaryByPublicID is FindBeneficiary by the establishment's
// public id.
func (tx *Tx) FindBeneficiaryByPublicID(ctx context.Context, publicID string) (_ *BeneficiaryRecord, err error) {
	defer nipp.Wrap(&err, "store.FindBeneficiaryByPublicID(%q)", publicID)
	return tx.scanBeneficiary(tx.QueryRow(ctx, beneficiarySelect+` WHERE e.public_id = $1`, publicID))
}

func (tx *Tx) scanBeneficiary(row *sql.Row) (*BeneficiaryRecord, error) {
	b := &BeneficiaryRecord{}
	var craftVillage string
	err := row.Scan(&b.EstablishmentID, &b.PublicID, &b.Name, &b.LegalForm, &b.CommuneType, &b.WomenOwned, &b.EthnicMinorityOwned,
		&craftVillage, &b.Artisan, &b.ProvinceCode, &b.Published)
	if err != nil {
		return nil, notFoundOr(err, "establishment")
	}
	b.CraftVillage = craftVillage != ""
	return b, nil
}

// FindActivityTypeCodes returns every activity type code.
func (tx *Tx) FindActivityTypeCodes(ctx context.Context) (_ []string, err error) {
	defer nipp.Wrap(&err, "store.FindActivityTypeCodes()")
	rows, err := tx.Query(ctx, `SELECT code FROM activity_types ORDER BY sort, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, mapError(err)
		}
		out = append(out, c)
	}
	return out, mapError(rows.Err())
}

// RuleSetByID returns a loaded rule set by id, as FindRuleSetByID: from
// memory once a read has kept it, else read in a read transaction of its
// own (on the primary when primary is set). A loaded rule set never
// changes, so it may be read outside the snapshot of what names it.
func (db *DB) RuleSetByID(ctx context.Context, id int64, primary bool) (*nipp.RuleSet, error) {
	if rs, ok := db.ruleSets.Load(id); ok {
		return cloneRuleSet(rs.(*nipp.RuleSet)), nil
	}
	pool := db.replica
	if primary {
		pool = db.read
	}
	var rs *nipp.RuleSet
	err := db.runTx(ctx, pool, false, func(tx *Tx) (err error) {
		rs, err = tx.FindRuleSetByID(ctx, id)
		return err
	})
	return rs, err
}
