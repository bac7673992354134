package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"nipp/internal/nipp"
	"nipp/internal/store"
)

// API tokens look like "nipp_" followed by 43 URL-safe characters (32
// random bytes). Being high-entropy, they are stored as a plain SHA-256.
const (
	tokenPrefix    = "nipp_"
	tokenShownLen  = len(tokenPrefix) + 6 // the part kept visible to tell tokens apart
	tokenTouchFreq = time.Minute          // last use is recorded at most this often
)

// CreateToken creates an API token for the signed-in user and returns it
// with the secret, which is shown once and never stored.
func (a *App) CreateToken(ctx context.Context, name string) (_ *nipp.APIToken, _ string, err error) {
	defer nipp.Wrap(&err, "app.CreateToken(%q)", name)
	p, err := authorize(ctx, nipp.PermSignedIn)
	if err != nil {
		return nil, "", err
	}
	if p.TokenID != 0 {
		return nil, "", nipp.Errorf(nipp.EFORBIDDEN, "err.app.token_cannot_create_tokens_sign")
	}
	if err := nipp.CheckText("name", name, nipp.MaxNameLen, false); err != nil {
		return nil, "", err
	}
	return a.createToken(ctx, p.UserID, name)
}

// CreateTokenAsSystem creates a token for the account with the e-mail, on
// behalf of the operator at the command line (nipp token create).
func (a *App) CreateTokenAsSystem(ctx context.Context, email, name string) (_ *nipp.APIToken, _ string, err error) {
	defer nipp.Wrap(&err, "app.CreateTokenAsSystem(%q, %q)", email, name)
	email, err = nipp.NormalizeEmail(email)
	if err != nil {
		return nil, "", err
	}
	var u *nipp.User
	if err := a.readOwn(ctx, func(tx *store.Tx) (err error) { u, err = tx.FindUserByEmail(ctx, email); return err }); err != nil {
		return nil, "", err
	}
	if !u.Active {
		return nil, "", nipp.FieldError("email", "err.app.account_disabled")
	}
	return a.createToken(nipp.WithPrincipal(ctx, &nipp.Principal{Email: "system"}), u.ID, name)
}

func (a *App) createToken(ctx context.Context, userID int64, name string) (*nipp.APIToken, string, error) {
	name = strings.TrimSpace(name)
	if len([]rune(name)) > nipp.MaxTokenNameLen {
		return nil, "", nipp.FieldError("name", "err.app.name_too_long_most_characters", nipp.MaxTokenNameLen)
	}
	secret := tokenPrefix + randomToken(32)
	t := &nipp.APIToken{UserID: userID, Name: name, Prefix: secret[:tokenShownLen]}
	err := a.db.WriteTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateAPIToken(ctx, t, hashToken(secret)); err != nil {
			return err
		}
		return a.record(ctx, tx, nipp.ActionCreate, "api_token", strconv.FormatInt(t.ID, 10), nil, tokenView(t))
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

type tokenAudit struct {
	UserID  int64      `json:"user_id"`
	Name    string     `json:"name"`
	Prefix  string     `json:"prefix"`
	Revoked *time.Time `json:"revoked_at,omitempty"`
}

func tokenView(t *nipp.APIToken) tokenAudit {
	return tokenAudit{UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, Revoked: t.RevokedAt}
}

// Tokens lists the signed-in user's tokens.
func (a *App) Tokens(ctx context.Context) (_ []*nipp.APIToken, err error) {
	defer nipp.Wrap(&err, "app.Tokens()")
	p, err := authorize(ctx, nipp.PermSignedIn)
	if err != nil {
		return nil, err
	}
	var out []*nipp.APIToken
	err = a.read(ctx, func(tx *store.Tx) (err error) { out, err = tx.FindAPITokens(ctx, p.UserID); return err })
	return out, err
}

// RevokeToken revokes one of the signed-in user's tokens (an administrator
// may revoke anyone's). Another user's token is "not found".
func (a *App) RevokeToken(ctx context.Context, id int64) (err error) {
	defer nipp.Wrap(&err, "app.RevokeToken(%v)", id)
	p, err := authorize(ctx, nipp.PermSignedIn)
	if err != nil {
		return err
	}
	return a.db.WriteTx(ctx, func(tx *store.Tx) error {
		t, err := tx.FindAPITokenByID(ctx, id)
		if err != nil {
			return err
		}
		if t.UserID != p.UserID && !p.Can(nipp.PermUserManage) {
			return store.NotFound("token")
		}
		if t.Revoked() {
			return nil
		}
		before := tokenView(t)
		if err := tx.RevokeAPIToken(ctx, id); err != nil {
			return err
		}
		now := tx.Now()
		t.RevokedAt = &now
		return a.record(ctx, tx, nipp.ActionUpdate, "api_token", strconv.FormatInt(id, 10), before, tokenView(t))
	})
}

// AuthenticateToken returns the principal of an API token: its user's role
// and scope. Unknown, revoked or disabled tokens are EUNAUTHORIZED.
func (a *App) AuthenticateToken(ctx context.Context, secret string) (_ *nipp.Principal, err error) {
	defer nipp.Wrap(&err, "app.AuthenticateToken()")
	p, _, err := a.authenticateToken(ctx, secret, "")
	return p, err
}

// AuthenticateTokenForProject is AuthenticateToken for a call that reads
// the project with the public id: when a detail of it is kept, the token
// statement also reads the project's detail stamp, and the context
// returned carries it for KeptProject (one statement per call instead of
// two; on PostgreSQL one round trip).
func (a *App) AuthenticateTokenForProject(ctx context.Context, secret, publicID string) (_ *nipp.Principal, _ context.Context, err error) {
	defer nipp.Wrap(&err, "app.AuthenticateTokenForProject()")
	if !a.details.has(publicID) {
		publicID = ""
	}
	p, st, err := a.authenticateToken(ctx, secret, publicID)
	if err != nil {
		return nil, ctx, err
	}
	if publicID != "" {
		ctx = context.WithValue(ctx, readStampKey{}, readStamp{publicID: publicID, stamp: st})
	}
	return p, ctx, nil
}

// readStampKey carries a project's detail stamp read with the token
// (AuthenticateTokenForProject) to KeptProject.
type readStampKey struct{}

type readStamp struct {
	publicID string
	stamp    *store.DetailStamp // nil: no such project
}

func (a *App) authenticateToken(ctx context.Context, secret, publicID string) (*nipp.Principal, *store.DetailStamp, error) {
	bad := nipp.Errorf(nipp.EUNAUTHORIZED, "err.app.invalid_revoked_api_token")
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return nil, nil, bad
	}
	var t *nipp.APIToken
	var u *nipp.User
	var st *store.DetailStamp
	// One statement, on the primary (a token just made or revoked counts).
	err := a.db.ReadPrimaryStatement(ctx, func(tx *store.Tx) (err error) {
		if publicID == "" {
			t, u, err = tx.FindAPITokenUser(ctx, hashToken(secret))
		} else {
			t, u, st, err = tx.FindAPITokenUserAndStamp(ctx, hashToken(secret), publicID)
		}
		return err
	})
	if nipp.ErrorCode(err) == nipp.ENOTFOUND {
		return nil, nil, bad
	}
	if err != nil {
		return nil, nil, err
	}
	if t.Revoked() || !u.Active {
		return nil, nil, bad
	}
	now := a.db.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenTouchFreq {
		if err := a.db.WriteTx(ctx, func(tx *store.Tx) error { return tx.TouchAPIToken(ctx, t.ID) }); err != nil {
			return nil, nil, err
		}
	}
	p := u.Principal()
	p.TokenID = t.ID
	return p, st, nil
}
