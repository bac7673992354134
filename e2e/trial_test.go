package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTrialShots (manual): NIPP_TRIAL_BASE=http://... NIPP_TRIAL_USER=email:password
// NIPP_TRIAL_PATHS=/work,/projects NIPP_TRIAL_OUT=dir [NIPP_TRIAL_LANGS=vi,en] [NIPP_TRIAL_WIDTHS=1366,390]
func TestTrialShots(t *testing.T) {
	base := os.Getenv("NIPP_TRIAL_BASE")
	if base == "" {
		t.Skip("manual")
	}
	drv := requireBrowser(t)
	d := startDriver(t, drv)
	d.setTimeouts(60*time.Second, 60*time.Second)
	out := os.Getenv("NIPP_TRIAL_OUT")
	os.MkdirAll(out, 0o755)
	if u := os.Getenv("NIPP_TRIAL_USER"); u != "" {
		email, pw, _ := strings.Cut(u, ":")
		signIn(t, d, base, email, pw)
	}
	langs := strings.Split(envOr("NIPP_TRIAL_LANGS", "vi"), ",")
	widths := strings.Split(envOr("NIPP_TRIAL_WIDTHS", "1366"), ",")
	for _, lang := range langs {
		d.navigate(base + "/?lang=" + lang)
		for _, p := range strings.Split(os.Getenv("NIPP_TRIAL_PATHS"), ",") {
			for _, w := range widths {
				s := screens[0]
				if w == "390" {
					s = screens[1]
				}
				d.viewport(s.width, s.height, s.mobile)
				d.navigate(base + p)
				name := fmt.Sprintf("%s-%s-%s.png", lang, w, shotName(p))
				d.screenshot(filepath.Join(out, name), s, 4000)
				t.Logf("%s -> %s", p, name)
			}
		}
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
