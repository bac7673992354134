package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

func countCheckpoints(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	err := db.ReadTx(context.Background(), func(tx *store.Tx) error {
		return tx.EachAuditCheckpoint(context.Background(), store.CheckpointFilter{Ascending: true}, func(*nipp.AuditCheckpoint) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The daily checkpoint: one per Vietnam calendar day however many nodes
// run the step at once; the day turns at 17:00 UTC (midnight UTC+7).
func TestDailyCheckpointOncePerDayAcrossNodes(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 16, 59, 0, 0, time.UTC) // 23:59 in Hà Nội
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	storetest.EachWith(t, storetest.Options{Now: clock}, func(t *testing.T, db *store.DB) {
		set(time.Date(2026, 12, 1, 16, 59, 0, 0, time.UTC))
		ctx := context.Background()
		nodes := []*app.App{app.New(db, nil), app.New(db, nil), app.New(db, nil), app.New(db, nil)}
		// An empty trail has no head to publish.
		if _, taken, err := nodes[0].DailyAuditCheckpoint(ctx); err != nil || taken {
			t.Fatalf("empty trail: taken %v, %v", taken, err)
		}
		sevenEntries(t, nodes[0])
		// Several nodes run the step at once, on ten days in a row.
		for day := range 10 {
			set(time.Date(2026, 11, 20+day, 10, 0, 0, 0, time.UTC))
			var wg sync.WaitGroup
			var mu sync.Mutex
			taken := 0
			for _, a := range nodes {
				wg.Go(func() {
					_, ok, err := a.DailyAuditCheckpoint(ctx)
					if err != nil {
						t.Error(err)
					}
					if ok {
						mu.Lock()
						taken++
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if taken != 1 || countCheckpoints(t, db) != day+1 {
				t.Fatalf("day %d: four nodes took %d checkpoints (%d stored), want 1", day, taken, countCheckpoints(t, db))
			}
		}
		set(time.Date(2026, 12, 1, 16, 59, 0, 0, time.UTC))
		if cp, ok, err := nodes[0].DailyAuditCheckpoint(ctx); err != nil || !ok || cp.Number != 11 {
			t.Fatalf("1 December: %+v %v %v", cp, ok, err)
		}
		// 16:59:59 UTC is still the same day in Vietnam; 17:00 is the next.
		set(time.Date(2026, 12, 1, 16, 59, 59, 0, time.UTC))
		if _, ok, _ := nodes[1].DailyAuditCheckpoint(ctx); ok {
			t.Fatal("a second checkpoint on the same Vietnam day")
		}
		set(time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC))
		cp, ok, err := nodes[2].DailyAuditCheckpoint(ctx)
		if err != nil || !ok || cp.Number != 12 || cp.Seq != 7 {
			t.Fatalf("next day: %+v %v %v", cp, ok, err)
		}
	})
}

// On demand: a new checkpoint only when the head moved; numbers run without
// gaps; the seq and hash are the last entry's; only auditors and
// administrators may take one; a truncated chain is refused.
func TestTakeCheckpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := app.New(db, nil)
		if _, _, err := a.TakeAuditCheckpointAsSystem(ctx); nipp.ErrorCode(err) != nipp.ECONFLICT {
			t.Fatalf("empty trail: %v", err)
		}
		sevenEntries(t, a)
		for _, role := range []nipp.Role{nipp.RoleCentral, nipp.RoleProvincial, nipp.RoleAppraiser, nipp.RolePublic} {
			p := &nipp.Principal{UserID: 1, Role: role, Provinces: []string{"01"}}
			if role == nipp.RolePublic {
				p = &nipp.Principal{}
			}
			if _, _, err := a.TakeAuditCheckpoint(nipp.WithPrincipal(ctx, p)); err == nil {
				t.Fatalf("%s took a checkpoint", role)
			}
		}
		auditor := nipp.WithPrincipal(ctx, &nipp.Principal{UserID: 1, Email: "u0@test.nipp", Role: nipp.RoleAuditor})
		cp, taken, err := a.TakeAuditCheckpoint(auditor)
		if err != nil || !taken || cp.Number != 1 || cp.Seq != 7 || cp.Hash != entry(t, db, 7).Hash {
			t.Fatalf("first: %+v %v %v", cp, taken, err)
		}
		if again, taken, err := a.TakeAuditCheckpoint(auditor); err != nil || taken || again.Number != 1 {
			t.Fatalf("unchanged head: %+v %v %v", again, taken, err)
		}
		sevenEntries2(t, a)
		if cp, taken, err := a.TakeAuditCheckpointAsSystem(ctx); err != nil || !taken || cp.Number != 2 || cp.Seq != 8 {
			t.Fatalf("after a new entry: %+v %v %v", cp, taken, err)
		}
		// Truncate to seq 7 and move the head back: refused (the last
		// checkpoint is no longer reached), and verify names it.
		storetest.MustExec(t, db, `DELETE FROM audit_log WHERE seq = 8`)
		storetest.MustExec(t, db, `UPDATE audit_head SET seq = 7, hash = $1 WHERE id = 1`, entry(t, db, 7).Hash)
		if _, _, err := a.TakeAuditCheckpointAsSystem(ctx); nipp.ErrorCode(err) != nipp.ECONFLICT {
			t.Fatalf("checkpoint of a truncated chain: %v", err)
		}
		rep, err := a.VerifyAuditAsSystem(ctx, nil)
		if err != nil || rep.OK() || len(rep.Issues) != 1 || rep.Issues[0].Problem != nipp.AuditCheckpointLost || rep.Issues[0].Seq != 8 {
			t.Fatalf("verify with the stored checkpoints: %+v %v", rep, err)
		}
	})
}

func sevenEntries2(t *testing.T, a *app.App) {
	t.Helper()
	if _, _, err := a.CreateUserAsSystem(context.Background(), nipp.NewUser{Email: fmt.Sprintf("late%d@test.nipp", time.Now().UnixNano()), Role: nipp.RoleCentral, Password: "long enough password"}); err != nil {
		t.Fatal(err)
	}
}
