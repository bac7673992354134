package app

import (
	"context"
	"strconv"

	"nipp/internal/nipp"
	"nipp/internal/rulefile"
	"nipp/internal/store"
)

// RuleSets lists the rule sets, newest first. Rule sets are legal data:
// anyone may read them.
func (a *App) RuleSets(ctx context.Context) (_ []nipp.RuleSetSummary, err error) {
	defer nipp.Wrap(&err, "app.RuleSets()")
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var out []nipp.RuleSetSummary
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.FindRuleSets(ctx)
		return err
	})
	return out, err
}

// RuleSet returns a rule set with all its rules, by code.
func (a *App) RuleSet(ctx context.Context, code string) (_ *nipp.RuleSet, err error) {
	defer nipp.Wrap(&err, "app.RuleSet(%q)", code)
	if _, err := authorize(ctx, nipp.PermPublic); err != nil {
		return nil, err
	}
	var rs *nipp.RuleSet
	err = a.read(ctx, func(tx *store.Tx) (err error) {
		rs, err = tx.FindRuleSetByCode(ctx, code)
		return err
	})
	return rs, err
}

// PreviewRuleSet parses and validates a rule-set file (text or xlsx)
// without storing anything: what LoadRuleSet would load, or every problem
// with its line and column (the error is EINVALID and wraps
// rulefile.Problems).
func (a *App) PreviewRuleSet(ctx context.Context, data []byte) (_ *nipp.RuleSet, err error) {
	defer nipp.Wrap(&err, "app.PreviewRuleSet()")
	if _, err := authorize(ctx, nipp.PermReferenceEdit); err != nil {
		return nil, err
	}
	return a.previewRuleSet(ctx, data)
}

// PreviewRuleSetAsSystem is PreviewRuleSet for the operator at the command
// line (nipp rules load --check FILE).
func (a *App) PreviewRuleSetAsSystem(ctx context.Context, data []byte) (_ *nipp.RuleSet, err error) {
	defer nipp.Wrap(&err, "app.PreviewRuleSetAsSystem()")
	return a.previewRuleSet(ctx, data)
}

func (a *App) previewRuleSet(ctx context.Context, data []byte) (*nipp.RuleSet, error) {
	var rs *nipp.RuleSet
	err := a.read(ctx, func(tx *store.Tx) (err error) {
		rs, err = parseRuleSet(ctx, tx, data)
		return err
	})
	return rs, err
}

// LoadRuleSet validates a rule-set file and stores it, all or nothing, in
// one transaction. A rule set's code is unique and a loaded set never
// changes, so projects approved under an older set keep their rules.
func (a *App) LoadRuleSet(ctx context.Context, data []byte, source string) (_ *nipp.RuleSet, err error) {
	defer nipp.Wrap(&err, "app.LoadRuleSet(%q)", source)
	if _, err := authorize(ctx, nipp.PermReferenceEdit); err != nil {
		return nil, err
	}
	return a.loadRuleSet(ctx, data, source)
}

// LoadRuleSetAsSystem is LoadRuleSet for the operator at the command line
// (nipp rules load FILE).
func (a *App) LoadRuleSetAsSystem(ctx context.Context, data []byte, source string) (_ *nipp.RuleSet, err error) {
	defer nipp.Wrap(&err, "app.LoadRuleSetAsSystem(%q)", source)
	return a.loadRuleSet(nipp.WithPrincipal(ctx, &nipp.Principal{Email: "system"}), data, source)
}

func (a *App) loadRuleSet(ctx context.Context, data []byte, source string) (*nipp.RuleSet, error) {
	var rs *nipp.RuleSet
	err := a.db.WriteTx(ctx, func(tx *store.Tx) (err error) {
		if rs, err = parseRuleSet(ctx, tx, data); err != nil {
			return err
		}
		if err := tx.CreateRuleSet(ctx, rs, source); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionCreate, "rule_set", strconv.FormatInt(rs.ID, 10), nil, rs)
	})
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// parseRuleSet parses data against the store's reference data and refuses
// a code already taken.
func parseRuleSet(ctx context.Context, tx *store.Tx, data []byte) (*nipp.RuleSet, error) {
	codes, err := tx.FindActivityTypeCodes(ctx)
	if err != nil {
		return nil, err
	}
	ref := rulefile.Ref{ActivityTypes: map[string]bool{}}
	for _, c := range codes {
		ref.ActivityTypes[c] = true
	}
	rs, problems := rulefile.Parse(data, ref)
	if len(problems) > 0 {
		return nil, problems.Err()
	}
	if _, err := tx.FindRuleSetByCode(ctx, rs.Code); err == nil {
		return nil, nipp.Errorf(nipp.ECONFLICT, "err.app.rule_set_already_exists_loaded", rs.Code)
	} else if nipp.ErrorCode(err) != nipp.ENOTFOUND {
		return nil, err
	}
	return rs, nil
}

// CheckEligibility checks an establishment as a beneficiary under a rule
// set (the one a project pins): its legal form, the type of today's
// commune, and its priority groups. Refused: EINVALID naming the rule.
// The projects use case calls it when a beneficiary is added; inside an
// existing transaction use eligibilityIn.
func (a *App) CheckEligibility(ctx context.Context, ruleSetID, establishmentID int64) (_ nipp.EligibilityResult, err error) {
	defer nipp.Wrap(&err, "app.CheckEligibility(%v, %v)", ruleSetID, establishmentID)
	p, err := authorize(ctx, nipp.PermRegistryRead)
	if err != nil {
		return nipp.EligibilityResult{}, err
	}
	var res nipp.EligibilityResult
	err = a.read(ctx, func(tx *store.Tx) error {
		rs, err := tx.FindRuleSetByID(ctx, ruleSetID)
		if err != nil {
			return err
		}
		b, err := tx.FindBeneficiary(ctx, establishmentID)
		if err != nil {
			return err
		}
		res, err = assess(p, rs, b)
		return err
	})
	return res, err
}

// CheckEligibilityByCode is CheckEligibility by rule-set code and the
// establishment's public id (the JSON API's identifiers).
func (a *App) CheckEligibilityByCode(ctx context.Context, ruleSetCode, establishmentPublicID string) (_ nipp.EligibilityResult, err error) {
	defer nipp.Wrap(&err, "app.CheckEligibilityByCode(%q, %q)", ruleSetCode, establishmentPublicID)
	p, err := authorize(ctx, nipp.PermRegistryRead)
	if err != nil {
		return nipp.EligibilityResult{}, err
	}
	var res nipp.EligibilityResult
	err = a.read(ctx, func(tx *store.Tx) error {
		rs, err := tx.FindRuleSetByCode(ctx, ruleSetCode)
		if err != nil {
			return err
		}
		b, err := tx.FindBeneficiaryByPublicID(ctx, establishmentPublicID)
		if err != nil {
			return err
		}
		res, err = assess(p, rs, b)
		return err
	})
	return res, err
}

// eligibilityIn checks eligibility inside the caller's transaction (for
// use cases such as adding a beneficiary to a project, which authorize and
// scope-check themselves).
func eligibilityIn(ctx context.Context, tx *store.Tx, ruleSetID, establishmentID int64) (nipp.EligibilityResult, error) {
	rs, err := tx.FindRuleSetByID(ctx, ruleSetID)
	if err != nil {
		return nipp.EligibilityResult{}, err
	}
	b, err := tx.FindBeneficiary(ctx, establishmentID)
	if err != nil {
		return nipp.EligibilityResult{}, err
	}
	return rs.Assess(b.Beneficiary)
}

// assess applies the scope rule (a provincial officer sees only own
// provinces' establishments and published ones) and the rule set.
func assess(p *nipp.Principal, rs *nipp.RuleSet, b *store.BeneficiaryRecord) (nipp.EligibilityResult, error) {
	if !b.Published && !p.InProvince(b.ProvinceCode) {
		return nipp.EligibilityResult{}, store.NotFound("establishment")
	}
	return rs.Assess(b.Beneficiary)
}
