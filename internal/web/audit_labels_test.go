package web

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every action and entity the app writes to the audit trail has a name in
// both languages, and the entity filter offers every entity. The audit
// entries are read from the source (a.record calls in app, the Audit
// methods of the typed events in nipp), so a new entity or action fails
// here until it is named.
func TestAuditActionsAndEntitiesNamed(t *testing.T) {
	call := regexp.MustCompile(`(?:record\([^,]+, tx, |Audited\{)((?:nipp\.)?Action[A-Za-z]+|"[a-z_]+"), "([a-z_]+)"`)
	appFiles, _ := filepath.Glob("../app/*.go")
	domainFiles, _ := filepath.Glob("../nipp/*.go")
	files := append(appFiles, domainFiles...)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			seen++
			action := strings.Trim(m[1], `"`)
			if rest, ok := strings.CutPrefix(strings.TrimPrefix(action, "nipp."), "Action"); ok {
				action = strings.ToLower(rest)
			}
			for _, key := range []string{"audit.action." + action, "audit.entity." + m[2]} {
				for _, l := range []L{{"vi"}, {"en"}} {
					if l.T(key) == key {
						t.Errorf("%s: %s has no %s name", filepath.Base(f), key, l.Lang)
					}
				}
			}
			if !slices.Contains(auditEntities, m[2]) {
				t.Errorf("%s: entity %q is not offered by the audit filter (auditEntities)", filepath.Base(f), m[2])
			}
		}
	}
	if seen < 30 {
		t.Fatalf("found %d audit entries in internal/app and internal/nipp; the pattern no longer matches them", seen)
	}
}
