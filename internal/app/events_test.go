package app_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAuditOnlyThroughEvents: the audit trail is written by one handler of
// the event seam; a use case that appended entries itself would bypass
// every other handler (balances, summaries) that follows the same change.
func TestAuditOnlyThroughEvents(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`\.AppendAudit\(`)
	var where []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if call.MatchString(line) {
				where = append(where, f+":"+strconv.Itoa(i+1))
			}
		}
	}
	if len(where) != 1 || !strings.HasPrefix(where[0], "app.go:") {
		t.Errorf("AppendAudit is called at %v; only the audit handler (auditEvent in app.go) may call it", where)
	}
}
