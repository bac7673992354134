package main

import (
	"errors"
	"strings"
	"testing"
)

// nipp demo --scale: an unknown scale is a usage error; the national scale
// loads into an empty database only (the national path itself runs at a
// small size in internal/demo's TestNationalPathSmall).
func TestDemoScale(t *testing.T) {
	dir := t.TempDir()
	_, err := cli(t, nil, "demo", "--scale", "huge", "--data", dir)
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "small or national") {
		t.Errorf("--scale huge: %v", err)
	}
	mustCLI(t, "demo data loaded", "demo", "--data", dir)
	if _, err := cli(t, nil, "demo", "--scale", "national", "--data", dir); err == nil || !strings.Contains(err.Error(), "empty database only") {
		t.Errorf("national into a loaded database: %v", err)
	}
}
