package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nipp rules load: a malformed file is refused with every problem by line
// and column and nothing is stored; a good one loads once, and only once.
func TestRulesLoadCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	vars := env(map[string]string{"NIPP_DATA": dir})
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := "[rule_set]\ncode = LOCAL-2030\nname_vi = Thử\nlegal_basis = Quyết định thử\nvalid_from = 2030-01-01\n\n[eligibility]\nkind,value\nunit_type,commune\nunit_type,ward\n"
	bad := strings.Replace(good, "unit_type,ward", "unit_type,street", 1)

	var out bytes.Buffer
	err := run(ctx, []string{"rules", "load", write("bad.txt", bad)}, vars, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "nothing was loaded") || !strings.Contains(out.String(), "line 10") || !strings.Contains(out.String(), "column value") {
		t.Fatalf("bad file: err %v, output %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"rules", "load", "--check", write("good.txt", good)}, vars, &out, io.Discard); err != nil || !strings.Contains(out.String(), "valid, not loaded") {
		t.Fatalf("check: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"rules", "load", filepath.Join(dir, "good.txt")}, vars, &out, io.Discard); err != nil || !strings.Contains(out.String(), "LOCAL-2030 loaded") {
		t.Fatalf("load: %v %q", err, out.String())
	}
	err = run(ctx, []string{"rules", "load", filepath.Join(dir, "good.txt")}, vars, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second load: %v", err)
	}
	if err := run(ctx, []string{"rules"}, vars, &out, io.Discard); err == nil {
		t.Fatal("nipp rules without a subcommand must fail")
	}
}
