package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"nipp/internal/app"
	"nipp/internal/nipp"
	"nipp/internal/store"
	"nipp/internal/store/storetest"
)

// eventLog records the events a handler sees, with the project's state as
// the transaction sees it at that moment.
type eventLog struct {
	mu  sync.Mutex
	got []string
}

func (l *eventLog) handler(ctx context.Context, tx *store.Tx, ev nipp.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e := ev.(type) {
	case nipp.ProjectCreated:
		l.got = append(l.got, "created "+string(e.Project.State))
	case nipp.ProjectEdited:
		l.got = append(l.got, fmt.Sprintf("edited v%d->v%d", e.Before.Version, e.After.Version))
	case nipp.ProjectTransitioned:
		// The handler runs inside the change: the stored state is already the new one.
		stored, err := tx.FindProjectByPublicID(ctx, e.After.PublicID)
		if err != nil {
			return err
		}
		l.got = append(l.got, fmt.Sprintf("%s %s->%s stored %s", e.Action, e.Before.State, e.After.State, stored.State))
	case nipp.BeneficiaryAdded:
		l.got = append(l.got, "beneficiary+ "+e.Establishment)
	case nipp.BeneficiaryRemoved:
		l.got = append(l.got, "beneficiary- "+e.Establishment)
	case nipp.Recorded:
		// accounts, settings: not a project change
		if _, ok := ev.(nipp.ProjectChange); ok {
			return errors.New("a Recorded event claims to change a project")
		}
	}
	return nil
}

// TestEventsFollowAProject drives a project through the API and checks the
// typed events a handler registered at wiring receives, in order, each in
// the transaction of its change.
func TestEventsFollowAProject(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		log := &eventLog{}
		f := newFixtureWith(t, db, app.WithEventHandler("test", log.handler))
		p := f.create(proposal(200_000_000, 300_000_000))
		in := proposal(210_000_000, 300_000_000)
		in.Version = p.Version
		if r := f.prov.SendJSON("PUT", "/api/v1/projects/"+p.PublicID, in); r.Status != http.StatusOK {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		v := f.get(p.PublicID).Version
		if r := f.prov.SendJSON("POST", "/api/v1/projects/"+p.PublicID+"/beneficiaries", map[string]any{"establishment": "cs-test00000", "version": v}); r.Status != http.StatusOK {
			t.Fatalf("beneficiary: %d %s", r.Status, r.Body)
		}
		for _, a := range []string{"submit", "start_appraisal"} {
			if r := f.transition(f.admin, p.PublicID, a); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", a, r.Status, r.Body)
			}
		}
		want := []string{
			"created draft",
			fmt.Sprintf("edited v%d->v%d", p.Version, p.Version+1),
			"beneficiary+ cs-test00000",
			"submit draft->submitted stored submitted",
			"start_appraisal submitted->under_appraisal stored under_appraisal",
		}
		log.mu.Lock()
		defer log.mu.Unlock()
		if !slices.Equal(log.got, want) {
			t.Errorf("events\n got %q\nwant %q", log.got, want)
		}
	})
}

// TestFailingHandlerRollsTheChangeBack: a handler's error undoes the change
// it follows, its audit entry included, and the user is told.
func TestFailingHandlerRollsTheChangeBack(t *testing.T) {
	storetest.EachWith(t, projectClock, func(t *testing.T, db *store.DB) {
		fail := func(ctx context.Context, tx *store.Tx, ev nipp.Event) error {
			if e, ok := ev.(nipp.ProjectTransitioned); ok && e.Action == nipp.ActSubmit {
				return errors.New("summary handler broke")
			}
			return nil
		}
		f := newFixtureWith(t, db, app.WithEventHandler("test", fail))
		p := f.ready(f.create(proposal(200_000_000, 300_000_000)))
		auditRows := func() int {
			return count(t, db, `SELECT COUNT(*) FROM audit_log WHERE entity = 'project' AND entity_id = $1`, p.PublicID)
		}
		before := auditRows()
		r := f.transition(f.prov, p.PublicID, nipp.ActSubmit)
		if r.Status != http.StatusInternalServerError {
			t.Fatalf("submit with a failing handler: %d %s", r.Status, r.Body)
		}
		if got := f.get(p.PublicID); got.State != nipp.StateDraft || got.Version != p.Version {
			t.Errorf("after the failed handler: state %s v%d, want draft v%d", got.State, got.Version, p.Version)
		}
		if after := auditRows(); after != before {
			t.Errorf("audit entries %d -> %d: the failed change left an entry", before, after)
		}
	})
}
