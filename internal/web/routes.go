package web

import (
	"encoding/base64"
	"net/http"

	"nipp/internal/app"
	"nipp/internal/nipp"
)

// routeTable is every route nipp serves, HTML and JSON alike, each with the
// permission it needs. The authorization matrix test walks this table; a
// route missing here does not exist.
func (s *Server) routeTable() []Route {
	return []Route{
		// Operations
		{"GET /healthz", nipp.PermPublic, s.healthz},
		{"GET /readyz", nipp.PermPublic, s.readyz},
		{"GET /metrics", nipp.PermPublic, s.metricsHandler},

		// Public pages
		{"GET /{$}", nipp.PermPublic, s.home},

		// A signed-in user's work page (where sign-in lands)
		{"GET /work", nipp.PermSignedIn, s.work},

		// Accounts
		{"GET /login", nipp.PermPublic, s.loginForm},
		{"POST /login", nipp.PermPublic, s.login},
		{"POST /logout", nipp.PermPublic, s.logout},
		{"GET /refused/{id}", nipp.PermPublic, s.refusedForm}, // a refused form again (refused.go)
		{"GET /account", nipp.PermSignedIn, s.account},
		{"GET /account/password", nipp.PermSignedIn, s.passwordForm},
		{"POST /account/password", nipp.PermSignedIn, s.changePassword},
		{"GET /account/tokens", nipp.PermSignedIn, s.tokens},
		{"POST /account/tokens", nipp.PermSignedIn, s.createToken},
		{"POST /account/tokens/{id}/revoke", nipp.PermSignedIn, s.revokeToken},

		// User administration
		{"GET /admin/users", nipp.PermUserManage, s.users},
		{"GET /admin/users/new", nipp.PermUserManage, s.newUserForm},
		{"POST /admin/users", nipp.PermUserManage, s.createUser},
		{"GET /admin/users/{id}", nipp.PermUserManage, s.userDetail},
		{"POST /admin/users/{id}", nipp.PermUserManage, s.updateUserAccess},
		{"POST /admin/users/{id}/active", nipp.PermUserManage, s.setUserActive},
		{"POST /admin/users/{id}/reset-password", nipp.PermUserManage, s.resetPassword},

		// Audit trail
		{"GET /audit", nipp.PermAuditRead, s.auditList},
		{"GET /audit/export.xlsx", nipp.PermAuditRead, s.auditExport},
		{"GET /audit/verify", nipp.PermAuditRead, s.auditVerify},
		{"GET /audit/checkpoints", nipp.PermPublic, s.auditCheckpoints},
		{"GET /audit/checkpoints.csv", nipp.PermPublic, s.auditCheckpointsCSV},
		{"POST /audit/checkpoints", nipp.PermAuditRead, s.auditTakeCheckpoint},

		// Projects (transitions check the action's own permission, Write or
		// Decide, and the province scope in the app layer)
		{"GET /projects", nipp.PermProjectRead, s.projectList},
		{"GET /projects/export.xlsx", nipp.PermProjectRead, s.projectExport},
		{"GET /projects/new", nipp.PermProjectWrite, s.projectNew},
		{"POST /projects", nipp.PermProjectWrite, s.projectCreate},
		{"GET /projects/{id}", nipp.PermProjectRead, s.projectShow},
		{"GET /projects/{id}/edit", nipp.PermProjectWrite, s.projectEdit},
		{"POST /projects/{id}", nipp.PermProjectWrite, s.projectUpdate},
		{"POST /projects/{id}/transitions/{action}", nipp.PermProjectWrite, s.projectTransition},
		{"POST /projects/{id}/beneficiaries", nipp.PermProjectWrite, s.projectAddBeneficiary},
		{"POST /projects/{id}/beneficiaries/{est}/delete", nipp.PermProjectWrite, s.projectRemoveBeneficiary},
		{"POST /projects/{id}/attachments", nipp.PermProjectWrite, s.projectUpload},
		{"GET /projects/{id}/attachments/{att}", nipp.PermProjectRead, s.projectDownload},
		{"POST /projects/{id}/scores", nipp.PermAppraise, s.projectScore},
		{"POST /projects/{id}/conflict", nipp.PermAppraise, s.projectConflict},
		{"GET /appraisal", nipp.PermProjectDecide, s.appraisalRounds},
		{"POST /appraisal", nipp.PermProjectDecide, s.appraisalCreateRound},
		{"GET /appraisal/{round}", nipp.PermProjectDecide, s.appraisalRound},
		{"POST /appraisal/{round}/councils", nipp.PermProjectDecide, s.appraisalCreateCouncil},
		{"POST /appraisal/councils/{council}/members", nipp.PermProjectDecide, s.appraisalAddMember},
		{"POST /appraisal/councils/{council}/projects", nipp.PermProjectDecide, s.appraisalAssign},
		{"GET /plans", nipp.PermProjectRead, s.plans},
		{"GET /plans/{year}", nipp.PermProjectRead, s.planShow},
		{"GET /plans/{year}/export.xlsx", nipp.PermProjectRead, s.planExport},
		{"POST /plans/{year}", nipp.PermProjectDecide, s.planCeiling},

		// The co-financing ledger (provincial officers record for their
		// provinces' projects, central officers for all; auditors and
		// administrators read)
		{"GET /projects/{id}/ledger", nipp.PermLedgerRead, s.ledgerShow},
		{"POST /projects/{id}/ledger", nipp.PermLedgerWrite, s.ledgerRecord},
		{"GET /projects/{id}/ledger/export.xlsx", nipp.PermLedgerRead, s.ledgerExport},
		{"GET /projects/{id}/ledger/{no}", nipp.PermLedgerRead, s.ledgerEntryShow},
		{"POST /projects/{id}/ledger/{no}/reverse", nipp.PermLedgerWrite, s.ledgerReverse},
		{"GET /ledger", nipp.PermLedgerRead, s.ledgerBalances},
		{"GET /ledger/export.xlsx", nipp.PermLedgerRead, s.ledgerBalancesExport},
		{"GET /ledger/entries", nipp.PermLedgerRead, s.ledgerEntries},
		{"GET /ledger/entries/export.xlsx", nipp.PermLedgerRead, s.ledgerEntriesExport},
		{"GET /ledger/imports", nipp.PermLedgerWrite, s.ledgerImports},
		{"GET /ledger/imports/template.xlsx", nipp.PermLedgerWrite, s.ledgerImportTemplate},
		{"POST /ledger/imports", nipp.PermLedgerWrite, s.ledgerImportUpload},
		{"GET /ledger/imports/{job}", nipp.PermLedgerWrite, s.ledgerImportJob},
		{"POST /ledger/imports/{job}/mapping", nipp.PermLedgerWrite, s.ledgerImportMapping},
		{"POST /ledger/imports/{job}/apply", nipp.PermLedgerWrite, s.ledgerImportApply},
		{"POST /ledger/imports/{job}/cancel", nipp.PermLedgerWrite, s.ledgerImportCancel},
		{"GET /ledger/imports/{job}/errors.xlsx", nipp.PermLedgerWrite, s.ledgerImportErrors},

		// Programs and their target revisions
		// (national ones: the ministry; local ones: also the province's officers)
		{"GET /programs", nipp.PermPublic, s.programs},
		{"GET /programs/new", nipp.PermProgramEdit, s.programNew},
		{"POST /programs", nipp.PermProgramEdit, s.programCreate},
		{"GET /programs/{code}", nipp.PermPublic, s.program},
		{"GET /progress", nipp.PermSignedIn, s.progressHome},
		{"GET /programs/{code}/progress", nipp.PermSignedIn, s.progressPage},
		{"GET /programs/{code}/progress/export.xlsx", nipp.PermSignedIn, s.progressExport},
		{"GET /programs/{code}/review", nipp.PermSignedIn, s.reviewPage},
		{"GET /programs/{code}/review/export.xlsx", nipp.PermSignedIn, s.reviewExport},
		{"GET /programs/{code}/edit", nipp.PermProgramEdit, s.programEdit},
		{"POST /programs/{code}", nipp.PermProgramEdit, s.programUpdate},
		{"GET /programs/{code}/revisions/new", nipp.PermProgramEdit, s.programReviseForm},
		{"POST /programs/{code}/revisions", nipp.PermProgramEdit, s.programRevise},
		{"POST /programs/{code}/targets/import", nipp.PermProgramEdit, s.programImport},
		{"GET /programs/{code}/targets.xlsx", nipp.PermPublic, s.programTargetsExport},
		{"GET /programs/{code}/allocation", nipp.PermProgramEdit, s.programAllocation},
		{"POST /programs/{code}/allocation", nipp.PermProgramEdit, s.programAllocate},
		{"POST /programs/{code}/allocation/import", nipp.PermProgramEdit, s.programAllocationImport},

		// Organisations (dated records: names over time, successors)
		{"GET /organizations", nipp.PermPublic, s.organizations},
		{"GET /organizations/{code}", nipp.PermPublic, s.organization},

		// Rule sets (legal data: public read)
		{"GET /rule-sets", nipp.PermPublic, s.ruleSets},
		{"GET /rule-sets/new", nipp.PermReferenceEdit, s.ruleSetNew},
		{"POST /rule-sets/preview", nipp.PermReferenceEdit, s.ruleSetPreview},
		{"POST /rule-sets", nipp.PermReferenceEdit, s.ruleSetCreate},
		{"GET /rule-sets/{code}", nipp.PermPublic, s.ruleSet},
		{"GET /rule-sets/{code}/download", nipp.PermPublic, s.ruleSetDownload},

		// Establishment registry
		{"GET /establishments", nipp.PermRegistryRead, s.establishments},
		{"GET /establishments/duplicates", nipp.PermRegistryRead, s.establishmentDuplicates},
		{"GET /establishments/export.xlsx", nipp.PermRegistryRead, s.establishmentExportXLSX},
		{"GET /establishments/export.csv", nipp.PermRegistryRead, s.establishmentExportCSV},
		{"GET /establishments/new", nipp.PermRegistryWrite, s.establishmentNew},
		{"POST /establishments", nipp.PermRegistryWrite, s.establishmentCreate},
		{"GET /establishments/{id}", nipp.PermRegistryRead, s.establishment},
		{"GET /establishments/{id}/edit", nipp.PermRegistryWrite, s.establishmentEdit},
		{"POST /establishments/{id}", nipp.PermRegistryWrite, s.establishmentUpdate},
		{"POST /establishments/{id}/archive", nipp.PermRegistryWrite, s.establishmentArchive},
		{"POST /establishments/{id}/merge", nipp.PermRegistryWrite, s.establishmentMerge},
		{"POST /establishments/{id}/not-duplicate", nipp.PermRegistryWrite, s.establishmentNotDuplicate},
		{"GET /imports/establishments", nipp.PermRegistryWrite, s.establishmentImports},
		{"POST /imports/establishments", nipp.PermRegistryWrite, s.establishmentImportUpload},
		{"GET /imports/{job}", nipp.PermRegistryWrite, s.establishmentImportJob},
		{"POST /imports/{job}/mapping", nipp.PermRegistryWrite, s.establishmentImportMapping},
		{"POST /imports/{job}/apply", nipp.PermRegistryWrite, s.establishmentImportApply},
		{"POST /imports/{job}/cancel", nipp.PermRegistryWrite, s.establishmentImportCancel},
		{"GET /imports/{job}/errors.xlsx", nipp.PermRegistryWrite, s.establishmentImportErrors},

		// JSON API v1
		{"GET /api/v1/programs", nipp.PermPublic, s.apiPrograms},
		{"GET /api/v1/programs/{code}", nipp.PermPublic, s.apiProgram},
		{"POST /api/v1/programs", nipp.PermProgramEdit, s.apiProgramCreate},
		{"PUT /api/v1/programs/{code}", nipp.PermProgramEdit, s.apiProgramUpdate},
		{"POST /api/v1/programs/{code}/revisions", nipp.PermProgramEdit, s.apiProgramRevise},
		{"GET /api/v1/communes", nipp.PermPublic, s.apiCommunes},
		{"GET /api/v1/organizations", nipp.PermPublic, s.apiOrganizations},
		{"GET /api/v1/organizations/{code}", nipp.PermPublic, s.apiOrganization},
		{"GET /api/v1/rule-sets", nipp.PermPublic, s.apiRuleSets},
		{"POST /api/v1/rule-sets", nipp.PermReferenceEdit, s.apiRuleSetLoad},
		{"GET /api/v1/rule-sets/{code}", nipp.PermPublic, s.apiRuleSet},
		{"GET /api/v1/rule-sets/{code}/eligibility", nipp.PermRegistryRead, s.apiEligibility},
		{"GET /api/v1/projects", nipp.PermProjectRead, s.apiProjects},
		{"POST /api/v1/projects", nipp.PermProjectWrite, s.apiProjectCreate},
		{"GET /api/v1/projects/{id}", nipp.PermProjectRead, s.apiProject},
		{"PUT /api/v1/projects/{id}", nipp.PermProjectWrite, s.apiProjectUpdate},
		{"POST /api/v1/projects/{id}/transitions/{action}", nipp.PermProjectWrite, s.apiProjectTransition},
		{"POST /api/v1/projects/{id}/beneficiaries", nipp.PermProjectWrite, s.apiProjectAddBeneficiary},
		{"DELETE /api/v1/projects/{id}/beneficiaries/{est}", nipp.PermProjectWrite, s.apiProjectRemoveBeneficiary},
		{"POST /api/v1/projects/{id}/scores", nipp.PermAppraise, s.apiProjectScore},
		{"POST /api/v1/projects/{id}/conflict", nipp.PermAppraise, s.apiProjectConflict},
		{"GET /api/v1/support-preview", nipp.PermProjectRead, s.apiSupportPreview},
		{"GET /api/v1/projects/{id}/ledger", nipp.PermLedgerRead, s.apiLedger},
		{"POST /api/v1/projects/{id}/ledger", nipp.PermLedgerWrite, s.apiLedgerRecord},
		{"POST /api/v1/projects/{id}/ledger/{no}/reverse", nipp.PermLedgerWrite, s.apiLedgerReverse},
		{"GET /api/v1/ledger/balances", nipp.PermLedgerRead, s.apiLedgerBalances},
		{"GET /api/v1/ledger/entries", nipp.PermLedgerRead, s.apiLedgerEntries},
		{"GET /api/v1/plans/{year}", nipp.PermProjectRead, s.apiPlan},
		{"PUT /api/v1/plans/{year}", nipp.PermProjectDecide, s.apiPlanCeiling},
		{"PUT /api/v1/settings/duplicate-support-years", nipp.PermReferenceEdit, s.apiDuplicateYears},
		{"GET /api/v1/account", nipp.PermSignedIn, s.apiAccount},
		{"POST /api/v1/account/password", nipp.PermSignedIn, s.apiChangePassword},
		{"GET /api/v1/audit", nipp.PermAuditRead, s.apiAudit},
		{"GET /api/v1/audit/verify", nipp.PermAuditRead, s.apiAuditVerify},
		{"GET /api/v1/audit/checkpoints", nipp.PermPublic, s.apiAuditCheckpoints},
		{"POST /api/v1/audit/checkpoints", nipp.PermAuditRead, s.apiTakeAuditCheckpoint},
		{"GET /api/v1/establishments", nipp.PermRegistryRead, s.apiEstablishments},
		{"POST /api/v1/establishments", nipp.PermRegistryWrite, s.apiEstablishmentCreate},
		{"GET /api/v1/establishments/{id}", nipp.PermRegistryRead, s.apiEstablishment},
		{"PUT /api/v1/establishments/{id}", nipp.PermRegistryWrite, s.apiEstablishmentUpdate},
		{"POST /api/v1/establishments/{id}/archive", nipp.PermRegistryWrite, s.apiEstablishmentArchive},
		{"POST /api/v1/establishments/{id}/merge", nipp.PermRegistryWrite, s.apiEstablishmentMerge},
	}
}

// bodyLimits are the routes whose request body may exceed formBodyLimit
// (1 MiB: every form and JSON body), with their own limit. guard applies
// the limit before anything reads the body; a new route gets 1 MiB unless
// it is listed here.
func bodyLimits() map[string]int64 {
	const slack = 1 << 20 // the other fields and multipart framing
	return map[string]int64{
		"POST /projects/{id}/attachments":         app.MaxAttachmentSize + slack,
		"POST /imports/establishments":            maxUpload + slack,
		"POST /projects/{id}/ledger":              app.MaxAttachmentSize + slack, // a contribution's evidence
		"POST /ledger/imports":                    maxUpload + slack,
		"POST /programs/{code}/targets/import":    maxTargetFile + slack,
		"POST /programs/{code}/allocation/import": maxTargetFile + slack,
		"POST /rule-sets/preview":                 maxRuleSetFile + slack,
		"POST /rule-sets":                         int64(base64.StdEncoding.EncodedLen(maxRuleSetFile)) + slack, // the previewed file comes back base64-encoded
		"POST /api/v1/rule-sets":                  maxRuleSetFile + slack,
		"POST /api/v1/programs/{code}/revisions":  4 << 20,
	}
}

// notFound is the catch-all for unknown paths.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, nipp.Errorf(nipp.ENOTFOUND, "error.not_found"))
}
