package main

import (
	"context"
	"strings"
	"testing"
)

// nipp rollup verify finds a summary corrupted on purpose (exit 1, one line
// naming the row and column), --repair mends it, and verify is clean again.
func TestRollupVerifyAndRepair(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			cmd := func(args ...string) []string { return append(args, e.args...) }
			mustCLI(t, "demo data loaded", cmd("demo")...)
			mustCLI(t, "progress summaries match the base tables", cmd("rollup", "verify")...)
			db := openEngine(t, e)
			if err := db.RawExec(context.Background(), `UPDATE progress_funding SET approved = approved + 7
				WHERE source = 'national' AND year = (SELECT MIN(year) FROM progress_funding WHERE source = 'national' AND approved > 0)
				AND approved > 0`); err != nil {
				t.Fatal(err)
			}
			db.Close()
			out, err := cli(t, nil, cmd("rollup", "verify")...)
			if err == nil || !strings.Contains(err.Error(), "DIFFER") || !strings.Contains(out, "progress_funding program_id=") ||
				!strings.Contains(out, ": approved kept ") {
				t.Fatalf("verify after corruption: %v\n%s", err, out)
			}
			mustCLI(t, "difference(s) mended", cmd("rollup", "verify", "--repair")...)
			mustCLI(t, "progress summaries match the base tables", cmd("rollup", "verify")...)
		})
	}
}
