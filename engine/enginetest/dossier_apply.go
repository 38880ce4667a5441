package enginetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/motcua/motcua/engine"
)

// dossierApplyTests pin the contract of Apply.
var dossierApplyTests = []storeTest{
	{"Apply/RightVersionWritesDossierAndNotifications", false, testApply},
	{"Apply/StaleVersionConflictsAndWritesNothing", false, testApplyStale},
	{"Concurrency/ApplyFromSamePrevHasOneWinner", true, testConcurrentApply},
}

func testApply(t *testing.T, s engine.Store) {
	ctx := t.Context()
	d := NewDossier("XA01-260302-0001")
	n1 := NewNotification(d.Code+"/1/handover", d.Code, at(0))
	mustInsert(t, s, d, n1)

	nd := next(d, "phe_duyet", at(hour))
	nd.DueAt = nil // a pointer set before and cleared now must be cleared in the store
	nd.Fired = append(nd.Fired, "v2/g1/r1")
	nd.Uses["gia_han"] = 2
	n2 := NewNotification(d.Code+"/3/handover", d.Code, at(hour))
	if err := s.Apply(ctx, nd, 1, []engine.Notification{n2}); err != nil {
		t.Fatalf("Apply from the stored version: %v", err)
	}
	got := mustGet(t, s, d.Code)
	if diff := Diff(nd, got); diff != "" {
		t.Fatalf("Get after Apply: %s", diff)
	}
	ns, err := s.Notifications(ctx, d.Code, 10)
	if err != nil {
		t.Fatal(err)
	}
	if ids := idsOf(ns); !slices.Equal(ids, []string{n2.ID, n1.ID}) {
		t.Errorf("notifications after Apply: got %v, want [%s %s]", ids, n2.ID, n1.ID)
	}

	// A second transition from version 2.
	nd3 := next(got, "tra_ket_qua", at(2*hour))
	if err := s.Apply(ctx, nd3, 2, nil); err != nil {
		t.Fatalf("Apply version 3: %v", err)
	}
	if got := mustGet(t, s, d.Code); got.Version != 3 || len(got.History) != 4 {
		t.Errorf("after two transitions: version %d, %d history rows; want 3, 4", got.Version, len(got.History))
	}
}

func testApplyStale(t *testing.T, s engine.Store) {
	ctx := t.Context()
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	v2 := next(d, "phe_duyet", at(hour))
	if err := s.Apply(ctx, v2, 1, nil); err != nil {
		t.Fatal(err)
	}
	stale := next(d, "tu_choi", at(2*hour)) // computed from version 1
	note := NewNotification(d.Code+"/stale", d.Code, at(2*hour))
	err := s.Apply(ctx, stale, 1, []engine.Notification{note})
	var conflict *engine.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("Apply from a stale version: got %v, want *ConflictError", err)
	}
	if engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("ErrorCode: got %s, want conflict", engine.ErrorCode(err))
	}
	got := mustGet(t, s, d.Code)
	if diff := Diff(v2, got); diff != "" {
		t.Errorf("a conflicting Apply changed the dossier: %s", diff)
	}
	ns, err := s.Notifications(ctx, d.Code, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 0 {
		t.Errorf("a conflicting Apply stored its notifications: %v", idsOf(ns))
	}
}

func testConcurrentApply(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	const n = 8
	errs := make([]error, n)
	cands := make([]*engine.Dossier, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		cands[i] = next(d, fmt.Sprintf("state_%d", i), at(hour))
		note := NewNotification(fmt.Sprintf("race/%d", i), d.Code, at(hour))
		wg.Go(func() {
			<-start
			errs[i] = s.Apply(context.Background(), cands[i], 1, []engine.Notification{note})
		})
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		var conflict *engine.ConflictError
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("both %d and %d won the race from version 1", winner, i)
		case err == nil:
			winner = i
		case !errors.As(err, &conflict):
			t.Errorf("loser %d: got %v, want *ConflictError", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no Apply won")
	}
	if diff := Diff(cands[winner], mustGet(t, s, d.Code)); diff != "" {
		t.Errorf("stored dossier is not the winner's: %s", diff)
	}
	ns, err := s.Notifications(t.Context(), d.Code, 100)
	if err != nil {
		t.Fatal(err)
	}
	if ids := idsOf(ns); !slices.Equal(ids, []string{fmt.Sprintf("race/%d", winner)}) {
		t.Errorf("only the winner's notifications may be stored: got %v", ids)
	}
}
