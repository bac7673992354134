package e2e

// The tests build ../cmd/nipp in a subprocess, which Go's test cache cannot
// see; importing the server's packages makes a change to them invalidate the
// cached result. (CI runs with -count=1 anyway.)
import (
	_ "nipp/internal/demo"
	_ "nipp/internal/web"
)
