package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `nipp import establishments FILE --addresses-as-of DATE`: the file's
// addresses are read in the units of that date (default today); the
// summary says where the table ended.
func TestImportCommandAddressesAsOf(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	file := filepath.Join(dir, "ds.csv")
	csv := "Tên cơ sở,Tỉnh/TP,Xã/phường\nHTX Gốm Bát Tràng,Hà Nội,Xã Bát Tràng\nCơ sở Thêu,Hà Nội,Phường Ba Đình\nTổng cộng,,\nNgười lập biểu,,\nNguyễn Văn An,,\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	// Before 1 July 2025 "Xã Bát Tràng" is the former commune, split in 2025.
	if err := run(ctx, []string{"import", "establishments", file, "--data", dir, "--addresses-as-of", "30/06/2025"}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 1, updated 0, unchanged 0, rejected 1") ||
		!strings.Contains(out.String(), "the table ends at row 3; 3 rows below it") {
		t.Errorf("as of 30/06/2025: %q", out.String())
	}
	out.Reset()
	// Default today: today's Xã Bát Tràng, with a note.
	if err := run(ctx, []string{"import", "establishments", "--data", dir, file}, env(nil), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 1, updated 0, unchanged 1, rejected 0") || !strings.Contains(out.String(), "1 imported rows carry a note") {
		t.Errorf("as of today: %q", out.String())
	}
	var ue usageError
	if err := run(ctx, []string{"import", "establishments", file, "--data", dir, "--addresses-as-of", "31/02/2025"}, env(nil), io.Discard, io.Discard); !errors.As(err, &ue) {
		t.Errorf("an impossible date: %v, want a usage error", err)
	}
}
