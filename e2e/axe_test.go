package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
)

// axe-core, vendored from npm (`npm pack axe-core@4.14.1`, package/axe.min.js;
// see testdata/AXE_VERSION). It is injected into the page by WebDriver, never
// served by nipp, so the server's CSP does not change.
const (
	axeFile   = "testdata/axe.min.js"
	axeSHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
)

func loadAxe(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axeFile)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != axeSHA256 {
		t.Fatalf("%s does not have the recorded sha256 (testdata/AXE_VERSION)", axeFile)
	}
	return string(b)
}

// runAxe checks the current page with axe-core (WCAG 2.x A and AA rules and
// best practices) and returns its serious and critical violations, one line
// each with up to three of the offending elements.
func runAxe(t *testing.T, d *webDriver, axe string) []string {
	t.Helper()
	if ok, _ := d.script(`return typeof window.axe === "object";`).(bool); !ok {
		d.script(axe + "\nreturn true;")
	}
	res := d.asyncScript(`var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"], noHtml: true}).then(function (r) {
  done(r.violations.filter(function (v) { return v.impact === "serious" || v.impact === "critical"; }).map(function (v) {
    return v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(function (n) { return n.target.join(" ") + " (" + (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 160) + ")"; }).join("; ") + (v.nodes.length > 3 ? "; and " + (v.nodes.length - 3) + " more" : "");
  }));
}, function (e) { done(["axe failed: " + e]); });`)
	list, ok := res.([]any)
	if !ok {
		return []string{fmt.Sprintf("axe returned %v", res)}
	}
	var out []string
	for _, v := range list {
		out = append(out, strings.TrimSpace(fmt.Sprint(v)))
	}
	return out
}
