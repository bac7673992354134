package store

import (
	"net/url"
	"testing"
)

// A URL that sets jit keeps it; any other gets jit=off beside its own
// parameters.
func TestWithoutJIT(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h:5432/nipp":                        "postgres://u@h:5432/nipp?jit=off",
		"postgres://u@h:5432/nipp?sslmode=disable":        "postgres://u@h:5432/nipp?jit=off&sslmode=disable",
		"postgres://u@h:5432/nipp?jit=on&sslmode=require": "postgres://u@h:5432/nipp?jit=on&sslmode=require",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := withoutJIT(u); got != want {
			t.Errorf("withoutJIT(%s) = %s, want %s", in, got, want)
		}
	}
}
