package demo

import (
	"context"
	"testing"
	"time"

	"nipp/internal/store/storetest"
)

func TestTuneParams(t *testing.T) {
	for _, p := range []int{400} {
		sqliteParams = p
		db := storetest.OpenSQLite(t, storetest.Options{})
		start := time.Now()
		if _, err := Load(context.Background(), db, Small); err != nil {
			t.Fatal(err)
		}
		t.Logf("params %d: %v", p, time.Since(start))
	}
}
