package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command takes --data and --db (README), placed anywhere after the
// command's words. NIPP_DATA points where no database can be made, so a
// command that ignored the flag would fail.
func TestEverySubcommandTakesDataAndDB(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"NIPP_DATA": filepath.Join(blocker, "nowhere")}
	files := t.TempDir()
	rules := filepath.Join(files, "rules.txt")
	os.WriteFile(rules, []byte("[rule_set]\ncode = FLAGS-2030\nname_vi = Thử\nlegal_basis = Quyết định thử\nvalid_from = 2030-01-01\n\n[eligibility]\nkind,value\nunit_type,commune\n"), 0o600)
	est := filepath.Join(files, "est.csv")
	os.WriteFile(est, []byte("Tên cơ sở,Loại hình,Tỉnh/TP,Xã/phường\nCơ sở gốm thử cờ lệnh,HKD,Hà Nội,Phường Ba Đình\n"), 0o600)

	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			f := e.args // --data DIR or --db URL
			cases := []struct {
				args []string
				want string
			}{
				{append([]string{"migrate"}, f...), "schema version"},
				{append([]string{"user", "add"}, append(f, "--email", "flags@test.vn", "--role", "admin", "--password", "long enough password")...), "created user flags@test.vn"},
				{append([]string{"token", "create", "--email", "flags@test.vn"}, f...), "nipp_"},
				{append([]string{"audit", "verify"}, f...), "audit trail intact: 2 entries"},
				{append([]string{"audit", "checkpoint"}, f...), "checkpoint 1 taken: seq 2"},
				{append(append([]string{"rules", "load"}, f...), rules, "--check"), "valid, not loaded"},
				{append(append([]string{"import", "establishments"}, f...), est), "imported 1"},
				{append([]string{"demo"}, f...), "demo data loaded"},
				{append([]string{"rollup", "verify"}, f...), "progress summaries match the base tables"},
			}
			for _, c := range cases {
				out, err := cli(t, vars, c.args...)
				if err != nil || !strings.Contains(out, c.want) {
					t.Fatalf("nipp %s: %v\n%s", strings.Join(c.args, " "), err, out)
				}
			}
			// The same command without the flag reads NIPP_DATA and fails.
			if _, err := cli(t, vars, "audit", "verify"); err == nil || !strings.Contains(err.Error(), "data folder") {
				t.Fatalf("audit verify without --data: %v", err)
			}
			// The flags are the same flags everywhere: a bad --db is refused
			// in one sentence by every subcommand.
			for _, args := range [][]string{{"user", "add", "--email", "x@test.vn", "--role", "admin"}, {"token", "create", "--email", "x@test.vn"}, {"audit", "verify"}, {"audit", "checkpoint"}, {"rules", "load", rules}, {"import", "establishments", est}} {
				_, err := cli(t, vars, append(args, "--db", "mysql://x")...)
				if _, usage := err.(usageError); !usage || !strings.Contains(err.Error(), "PostgreSQL URL") {
					t.Errorf("nipp %s --db mysql://x: %v", strings.Join(args, " "), err)
				}
			}
		})
	}
}
