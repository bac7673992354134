package main

import (
	"context"
	"strings"
	"testing"

	"nipp/internal/store"
)

func TestTokenCreateAndAuditVerify(t *testing.T) {
	dir := t.TempDir()
	vars := env(map[string]string{"NIPP_DATA": dir})
	ctx := context.Background()
	var out syncBuffer
	if err := run(ctx, []string{"user", "add", "--email", "Robot@Example.VN", "--role", "auditor", "--password", "long enough password"}, vars, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	out = syncBuffer{}
	if err := run(ctx, []string{"token", "create", "--email", "robot@example.vn", "--name", "nightly export"}, vars, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "nipp_") || len(last) != len("nipp_")+43 {
		t.Fatalf("the token is not the last line: %q", out.String())
	}
	if err := run(ctx, []string{"token", "create", "--email", "nobody@example.vn"}, vars, &out, &out); err == nil {
		t.Fatal("token for an unknown account succeeded")
	}
	if err := run(ctx, []string{"token", "create"}, vars, &out, &out); err == nil {
		t.Fatal("token create without --email succeeded")
	}

	out = syncBuffer{}
	if err := run(ctx, []string{"audit", "verify"}, vars, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	if !strings.Contains(out.String(), "audit trail intact: 2 entries") {
		t.Fatalf("verify: %q", out.String())
	}

	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RawExec(ctx, `UPDATE audit_log SET actor = 'someone' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out = syncBuffer{}
	err = run(ctx, []string{"audit", "verify"}, vars, &out, &out)
	if err == nil {
		t.Fatalf("verify of a tampered trail succeeded: %q", out.String())
	}
	if !strings.Contains(out.String(), "seq 2 (api_token 1): altered") {
		t.Fatalf("verify does not name the altered entry: %q", out.String())
	}
}
