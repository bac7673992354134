package nipp

import (
	"context"
	"slices"
)

// Role is what a user is allowed to do; the scope (provinces) narrows it.
type Role string

const (
	RoleAdmin      Role = "admin"      // system administrator
	RoleCentral    Role = "central"    // central program officer (the ministry's agency), all provinces
	RoleProvincial Role = "provincial" // department or center staff, own province(s) only
	RoleAppraiser  Role = "appraiser"  // scores projects assigned to their council
	RoleAuditor    Role = "auditor"    // reads everything incl. the audit trail, changes nothing
	RolePublic     Role = ""           // anonymous: published data only
)

// Roles lists the roles a user account may have.
func Roles() []Role {
	return []Role{RoleAdmin, RoleCentral, RoleProvincial, RoleAppraiser, RoleAuditor}
}

// Valid reports whether r is a role a user account may have.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Permission is what a route needs. Every route declares exactly one.
type Permission string

const (
	PermPublic        Permission = "public"         // anyone, signed in or not
	PermSignedIn      Permission = "signed_in"      // any signed-in user (own account)
	PermRegistryRead  Permission = "registry.read"  // establishments (scope applies)
	PermRegistryWrite Permission = "registry.write" // create, edit, import, merge establishments
	PermProjectRead   Permission = "project.read"   // projects (scope applies)
	PermProjectWrite  Permission = "project.write"  // propose and edit projects, transitions of the proposer
	PermProjectDecide Permission = "project.decide" // appraisal rounds, approval, rejection: the ministry
	PermAppraise      Permission = "project.appraise"
	PermReferenceEdit Permission = "reference.edit" // programs, targets, rule sets, organisations
	// PermProgramEdit: create and edit local programs and revise their
	// targets, for the program's province (scope); national programs still
	// need PermReferenceEdit (Program.EditableBy).
	PermProgramEdit Permission = "program.edit"
	PermAuditRead   Permission = "audit.read"
	PermUserManage  Permission = "user.manage"
	// PermLedgerRead: a project's co-financing ledger and the program's
	// balances (scope applies: a provincial officer reads their provinces'
	// projects only). PermLedgerWrite: record entries, reversals and
	// imports, for the projects in scope.
	PermLedgerRead  Permission = "ledger.read"
	PermLedgerWrite Permission = "ledger.write"
)

// Permissions lists every permission, for the authorization matrix.
func Permissions() []Permission {
	return []Permission{PermPublic, PermSignedIn, PermRegistryRead, PermRegistryWrite, PermProjectRead,
		PermProjectWrite, PermProjectDecide, PermAppraise, PermReferenceEdit, PermProgramEdit, PermAuditRead, PermUserManage,
		PermLedgerRead, PermLedgerWrite}
}

// rolePermissions is what each role may do, as allow-lists: a new
// permission belongs to no role until it is written here (the public and
// signed-in permissions are implied, see RoleHas).
var rolePermissions = map[Role][]Permission{
	RoleAdmin: {PermRegistryRead, PermRegistryWrite, PermProjectRead, PermProjectWrite, PermProjectDecide,
		PermAppraise, PermReferenceEdit, PermProgramEdit, PermAuditRead, PermUserManage, PermLedgerRead},
	RoleCentral: {PermRegistryRead, PermRegistryWrite, PermProjectRead, PermProjectWrite, PermProjectDecide,
		PermReferenceEdit, PermProgramEdit, PermLedgerRead, PermLedgerWrite},
	RoleProvincial: {PermRegistryRead, PermRegistryWrite, PermProjectRead, PermProjectWrite, PermProgramEdit, PermLedgerRead, PermLedgerWrite},
	RoleAppraiser:  {PermRegistryRead, PermProjectRead, PermAppraise},
	RoleAuditor:    {PermRegistryRead, PermProjectRead, PermAuditRead, PermLedgerRead},
}

// RoleHas reports whether a role holds a permission, before any scope.
func RoleHas(r Role, p Permission) bool {
	switch p {
	case PermPublic:
		return true
	case PermSignedIn:
		return r != RolePublic
	}
	return slices.Contains(rolePermissions[r], p)
}

// Principal is who is acting: a signed-in user (by session or API token)
// or the anonymous public (the zero value).
type Principal struct {
	UserID int64
	Email  string
	Name   string
	Role   Role
	// Provinces are the codes (2025 generation) a provincial officer serves.
	Provinces []string
	// TokenID is set when the request came with an API token.
	TokenID int64
	// SessionID is set when the request came with a browser session.
	SessionID string
	// RemoteAddr is the client address, for the audit trail.
	RemoteAddr string
	// MustChangePassword is set while the user still has a one-time
	// password: every page but the password change is closed to them.
	MustChangePassword bool
}

// Anonymous reports whether p is the public.
func (p *Principal) Anonymous() bool { return p == nil || p.UserID == 0 }

// Can reports whether p holds the permission (role level, before scope).
func (p *Principal) Can(perm Permission) bool {
	if p.Anonymous() {
		return perm == PermPublic
	}
	return RoleHas(p.Role, perm)
}

// AllProvinces reports whether p's scope is the whole country.
func (p *Principal) AllProvinces() bool {
	if p.Anonymous() {
		return false
	}
	switch p.Role {
	case RoleAdmin, RoleCentral, RoleAuditor:
		return true
	}
	return false
}

// InProvince reports whether a province (2025 code) is within p's scope.
func (p *Principal) InProvince(code string) bool {
	if p.AllProvinces() {
		return true
	}
	if p.Anonymous() {
		return false
	}
	return slices.Contains(p.Provinces, code)
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal in ctx, or the anonymous public.
func PrincipalFrom(ctx context.Context) *Principal {
	if p, ok := ctx.Value(principalKey{}).(*Principal); ok && p != nil {
		return p
	}
	return &Principal{}
}

// Forbidden is the error for a denied action. It does not reveal whether
// the record exists.
func Forbidden() *Error {
	return Errorf(EFORBIDDEN, "err.nipp.you_not_allowed_do")
}
