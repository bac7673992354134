package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nipp/internal/store"
)

// cli runs one nipp command and returns its output and error.
func cli(t *testing.T, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	var out syncBuffer
	err := run(context.Background(), args, env(vars), &out, &out)
	return out.String(), err
}

func mustCLI(t *testing.T, want string, args ...string) string {
	t.Helper()
	out, err := cli(t, nil, args...)
	if err != nil || !strings.Contains(out, want) {
		t.Fatalf("nipp %s: %v\n%s\nwant output containing %q", strings.Join(args, " "), err, out, want)
	}
	return out
}

// openEngine opens the database an engine's flags name, as an attacker
// with database access would.
func openEngine(t *testing.T, e engine) *store.DB {
	t.Helper()
	cfg := store.Config{}
	if e.args[0] == "--db" {
		cfg.URL = e.args[1]
	} else {
		cfg.DataDir = e.args[1]
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// Issue 16, attack 7: deleting the last entries and moving audit_head back
// leaves a chain that verifies as intact on its own. Checkpoints exported
// from the public endpoints and kept outside nipp catch it.
func TestAuditCheckpointsCatchTruncation(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			dir := t.TempDir()
			a := e.args
			pw := []string{"--password", "long enough password"}
			cmd := func(args ...string) []string { return append(args, a...) }
			mustCLI(t, "created user", cmd(append([]string{"user", "add", "--email", "a@test.vn", "--role", "admin"}, pw...)...)...)   // seq 1
			mustCLI(t, "created user", cmd(append([]string{"user", "add", "--email", "b@test.vn", "--role", "auditor"}, pw...)...)...) // seq 2
			mustCLI(t, "checkpoint 1 taken: seq 2", cmd("audit", "checkpoint")...)                                                     // checkpoint 1
			mustCLI(t, "checkpoint 1 unchanged", cmd("audit", "checkpoint")...)                                                        // the head has not moved
			mustCLI(t, "nipp_", cmd("token", "create", "--email", "a@test.vn")...)                                                     // seq 3
			mustCLI(t, "created user", cmd(append([]string{"user", "add", "--email", "c@test.vn", "--role", "central"}, pw...)...)...) // seq 4
			mustCLI(t, "checkpoint 2 taken: seq 4", cmd("audit", "checkpoint")...)                                                     // checkpoint 2

			// An auditor exports the checkpoints from the public endpoints
			// (no sign-in) and keeps them outside nipp.
			base, _, stop := startServe(t, a, map[string]string{})
			files := map[string]string{}
			for name, path := range map[string]string{"checkpoints.csv": "/audit/checkpoints.csv", "checkpoints.json": "/api/v1/audit/checkpoints"} {
				code, body, _ := get(t, base+path)
				if code != 200 || strings.Count(body, "\n") < 3 {
					t.Fatalf("GET %s = %d %q", path, code, body)
				}
				files[name] = filepath.Join(dir, name)
				if err := os.WriteFile(files[name], []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if code, body, _ := get(t, base+"/audit/checkpoints"); code != 200 || !strings.Contains(body, "Điểm chốt nhật ký") || strings.Count(body, `<code class="hash">`) != 2 {
				t.Fatalf("public checkpoint page = %d", code)
			}
			if err := stop(); err != nil {
				t.Fatal(err)
			}

			// The attacker deletes entries 3 and 4 and moves the head back.
			db := openEngine(t, e)
			ctx := context.Background()
			for _, q := range []string{
				`DELETE FROM audit_log WHERE seq > 2`,
				`UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1`,
			} {
				if err := db.RawExec(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			// A careless one leaves the stored checkpoints: verify names the lost one.
			out, err := cli(t, nil, cmd("audit", "verify")...)
			if err == nil || !strings.Contains(out, "seq 4: checkpoint: checkpoint 2 of") || !strings.Contains(out, "no longer reaches it") {
				t.Fatalf("verify with stored checkpoints: %v\n%s", err, out)
			}
			// A careful one deletes them too: on its own, the chain now
			// verifies as intact. This is why checkpoints are kept outside.
			if err := db.RawExec(ctx, `DELETE FROM audit_checkpoints WHERE number > 1`); err != nil {
				t.Fatal(err)
			}
			mustCLI(t, "audit trail intact: 2 entries", cmd("audit", "verify")...)
			// With the exported file (CSV or JSON), the missing checkpoint is
			// reported and the command fails (exit 1).
			for _, f := range []string{files["checkpoints.csv"], files["checkpoints.json"]} {
				out, err := cli(t, nil, cmd("audit", "verify", "--checkpoints", f)...)
				if _, usage := err.(usageError); err == nil || usage || !strings.Contains(err.Error(), "TAMPERED: 1 problem") {
					t.Fatalf("verify --checkpoints %s: %v\n%s", f, err, out)
				}
				if !strings.Contains(out, "seq 4: checkpoint: checkpoint 2 of") || !strings.Contains(out, "entry 4 is missing") || strings.Contains(out, "checkpoint 1 ") {
					t.Fatalf("verify --checkpoints %s does not name checkpoint 2 alone:\n%s", f, out)
				}
			}
			// Writing new entries over the truncated past does not help: seq 4
			// exists again, with another hash.
			mustCLI(t, "created user", cmd(append([]string{"user", "add", "--email", "d@test.vn", "--role", "central"}, pw...)...)...)
			mustCLI(t, "created user", cmd(append([]string{"user", "add", "--email", "e@test.vn", "--role", "central"}, pw...)...)...)
			out, err = cli(t, nil, cmd("audit", "verify", "--checkpoints", files["checkpoints.csv"])...)
			if err == nil || !strings.Contains(out, "seq 4") || !strings.Contains(out, "the chain was rewritten") {
				t.Fatalf("verify of a rewritten past: %v\n%s", err, out)
			}
			db.Close()

			// A file that is not a checkpoints export: one sentence naming the line.
			bad := filepath.Join(dir, "bad.csv")
			os.WriteFile(bad, []byte("number,seq,hash,at\n1,2,abc,2026-12-01T00:00:00Z\n"), 0o600)
			if _, err := cli(t, nil, cmd("audit", "verify", "--checkpoints", bad)...); err == nil || !strings.Contains(err.Error(), "line 2: hash must be 64 hexadecimal digits") {
				t.Fatalf("bad file: %v", err)
			}
		})
	}
}
