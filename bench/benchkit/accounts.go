package benchkit

import (
	"context"
	"fmt"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
)

// Account is a user the benchmarks act as, with an API token and a session.
type Account struct {
	Email     string
	Role      nipp.Role
	Provinces []string
	Token     string // API token (Authorization: Bearer)
	Session   string // session cookie value
}

// benchPassword is the benchmark accounts' password (they live only in
// benchmark databases).
const benchPassword = "bench password 2026 long enough"

// Accounts makes sure the benchmark's accounts exist (a central officer and
// a provincial officer of province 01) and gives each a new API token and a
// signed-in session.
func Accounts(ctx context.Context, db *store.DB) (central, provincial *Account, err error) {
	a := app.New(db, nil)
	central = &Account{Email: "bench-central@nipp.local", Role: nipp.RoleCentral}
	provincial = &Account{Email: "bench-provincial@nipp.local", Role: nipp.RoleProvincial, Provinces: []string{"01"}}
	for _, acc := range []*Account{central, provincial} {
		var exists bool
		err := db.ReadTx(ctx, func(tx *store.Tx) error {
			_, err := tx.FindUserByEmail(ctx, acc.Email)
			if nipp.ErrorCode(err) == nipp.ENOTFOUND {
				return nil
			}
			exists = err == nil
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		if !exists {
			if _, _, err := a.CreateUserAsSystem(ctx, nipp.NewUser{Email: acc.Email, Name: "Bench " + string(acc.Role),
				Role: acc.Role, Provinces: acc.Provinces, Password: benchPassword}); err != nil {
				return nil, nil, fmt.Errorf("creating %s: %w", acc.Email, err)
			}
		}
		if _, acc.Token, err = a.CreateTokenAsSystem(ctx, acc.Email, "bench"); err != nil {
			return nil, nil, fmt.Errorf("token for %s: %w", acc.Email, err)
		}
		res, err := a.Login(ctx, acc.Email, benchPassword, "127.0.0.1", "bench")
		if err != nil {
			return nil, nil, fmt.Errorf("signing in %s: %w", acc.Email, err)
		}
		acc.Session = res.Token
	}
	return central, provincial, nil
}
