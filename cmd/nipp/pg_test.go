package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"

	"nipp/internal/store"
)

// freshPostgres creates an empty database on the test server and returns
// its URL; the database is dropped when the test ends.
func freshPostgres(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := store.OpenAdmin(ctx, base)
	if err != nil {
		t.Fatalf("test PostgreSQL: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "nipp_e2e_" + hex.EncodeToString(b)
	if err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := store.OpenAdmin(context.Background(), base); err == nil {
			a.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			a.Close()
		}
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}
