package enginetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// dossierApplyTests pin the contract of Apply and ApplyAlarms.
var dossierApplyTests = []storeTest{
	{"Apply/RightVersionWritesDossierAndNotifications", false, testApply},
	{"Apply/StaleVersionConflictsAndWritesNothing", false, testApplyStale},
	{"Apply/RefusalsInOrderWriteNothing", false, testApplyRefusals},
	{"Apply/StoredHistoryRowsAreKept", false, testApplyKeepsRows},
	{"Apply/ReceptionKeyIsInsertsOnly", false, testApplyKeepsKey},
	{"Apply/CallersValuesAreNotModified", false, testApplyKeepsCaller},
	{"ApplyAlarms/WritesOnlyTheAlarmFields", false, testApplyAlarms},
	{"ApplyAlarms/ClearsNextCheckAndFired", false, testApplyAlarmsClears},
	{"ApplyAlarms/RefusalsWriteNothing", false, testApplyAlarmsRefusals},
	{"Concurrency/ApplyFromSamePrevHasOneWinner", true, testConcurrentApply},
	{"Concurrency/ApplyAlarmsFromSamePrevHasOneWinner", true, testConcurrentApplyAlarms},
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

// refusal is one write a store must refuse: the error it returns, and
// that nothing was written.
type refusal struct {
	rule string
	prev int64
	d    *engine.Dossier
	want engine.Code
}

// checkRefusals runs write on each case and checks the error code and
// that neither the dossier nor any notification changed.
func checkRefusals(t *testing.T, s engine.Store, stored *engine.Dossier, cases []refusal,
	write func(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error) {
	t.Helper()
	ctx := t.Context()
	for i, c := range cases {
		note := NewNotification(fmt.Sprintf("refused/%d", i), c.d.Code, at(hour))
		err := write(ctx, c.d, c.prev, []engine.Notification{note})
		if engine.ErrorCode(err) != c.want {
			t.Errorf("%s: got %v (code %s), want %s", c.rule, err, engine.ErrorCode(err), c.want)
		}
	}
	if diff := Diff(stored, mustGet(t, s, stored.Code)); diff != "" {
		t.Errorf("a refused write changed the dossier: %s", diff)
	}
	if ns, err := s.Notifications(ctx, "", 0); err != nil || len(ns) != 0 {
		t.Errorf("a refused write stored notifications: %v %v", idsOf(ns), err)
	}
}

// testApplyRefusals pins Apply's refusals, each checked in the contract's
// order: the version rule, the dossier, its version, its history. (They
// once differed: a missing dossier was a conflict on SQLite and not found
// on MongoDB; a version that does not follow a plain error on one and
// invalid input on the other.)
func testApplyRefusals(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	v2 := next(d, "phe_duyet", at(hour))
	if err := s.Apply(t.Context(), v2, 1, nil); err != nil {
		t.Fatal(err)
	}
	jump := next(v2, "tra_ket_qua", at(2*hour))
	jump.Version = 4
	same := next(v2, "tra_ket_qua", at(2*hour))
	same.Version = 2
	missing := next(NewDossier("XA01-260302-0404"), "phe_duyet", at(hour))
	missingJump := missing.Clone()
	missingJump.Version = 5
	noRow := v2.Clone()
	noRow.Version = 3
	twoRows := next(next(v2, "tra_ket_qua", at(2*hour)), "da_tra", at(3*hour))
	twoRows.Version = 3
	none := v2.Clone()
	none.Version, none.History = 3, nil
	checkRefusals(t, s, v2, []refusal{
		{"version prev+2 is invalid input", 2, jump, engine.EINVALID},
		{"version equal to prev is invalid input", 2, same, engine.EINVALID},
		{"the version rule comes before the dossier", 1, missingJump, engine.EINVALID},
		{"a missing dossier is not found", 1, missing, engine.ENOTFOUND},
		{"a stale prev is a conflict", 1, next(d, "tu_choi", at(2*hour)), engine.ECONFLICT},
		{"no new history row is invalid input", 2, noRow, engine.EINVALID},
		{"two new history rows are invalid input", 2, twoRows, engine.EINVALID},
		{"no history at all is invalid input", 2, none, engine.EINVALID},
	}, s.Apply)
	var conflict *engine.ConflictError
	if err := s.Apply(t.Context(), next(d, "tu_choi", at(2*hour)), 1, nil); !errors.As(err, &conflict) || conflict.Code != d.Code || conflict.Version != 1 {
		t.Errorf("a stale Apply: got %v, want *ConflictError{%s, 1}", err, d.Code)
	}
	var nf *engine.NotFoundError
	if err := s.Apply(t.Context(), missing, 1, nil); !errors.As(err, &nf) || nf.ID != missing.Code {
		t.Errorf("Apply on a missing dossier: got %v, want *NotFoundError{ID: %s}", err, missing.Code)
	}
}

// testApplyKeepsRows: the stored rows are the record; a caller holding
// an edited copy of an old row does not rewrite it.
func testApplyKeepsRows(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	nd := next(d, "phe_duyet", at(hour))
	nd.History[0].Actor, nd.History[0].Inputs = "someone-else", map[string]string{"ghi_chu": "sửa lại"}
	if err := s.Apply(t.Context(), nd, 1, nil); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, d.Code)
	want := append(append([]engine.HistoryRow(nil), d.History...), nd.History[len(nd.History)-1])
	if diff := Diff(want, got.History); diff != "" {
		t.Errorf("history after Apply: %s", diff)
	}
}

// testApplyKeepsKey: the reception key is written once, by Insert.
func testApplyKeepsKey(t *testing.T, s engine.Store) {
	ctx := t.Context()
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	nd := next(d, "phe_duyet", at(hour))
	nd.ReceiveKey = ""
	if err := s.Apply(ctx, nd, 1, nil); err != nil {
		t.Fatal(err)
	}
	nd3 := next(mustGet(t, s, d.Code), "tra_ket_qua", at(2*hour))
	nd3.ReceiveKey = "another-key"
	if err := s.Apply(ctx, nd3, 2, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetByReceiveKey(ctx, d.ReceiveKey)
	if err != nil || got.Code != d.Code || got.ReceiveKey != d.ReceiveKey || got.Version != 3 {
		t.Errorf("GetByReceiveKey after Apply without the key: %v, %v", got, err)
	}
	if _, err := s.GetByReceiveKey(ctx, "another-key"); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("Apply wrote a reception key: %v", err)
	}
}

func testApplyKeepsCaller(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	for i, write := range []func(context.Context, *engine.Dossier, int64, []engine.Notification) error{s.Apply, s.ApplyAlarms} {
		cur := mustGet(t, s, d.Code)
		nd := next(cur, fmt.Sprintf("state_%d", i), at(hour))
		if i == 1 {
			nd = cur.Clone()
			nd.Version, nd.NextCheckAt, nd.Fired = cur.Version+1, ptr(at(day)), append(nd.Fired, "v9/g1/r1")
		}
		nd.UpdatedAt = at(hour).In(time.FixedZone("ICT", 7*3600)).Add(time.Microsecond)
		n := NewNotification(fmt.Sprintf("keep/%d", i), d.Code, at(hour))
		want, wantN := nd.Clone(), n
		if err := write(t.Context(), nd, cur.Version, []engine.Notification{n}); err != nil {
			t.Fatal(err)
		}
		if diff := Diff(want, nd); diff != "" || nd.UpdatedAt.Location() == time.UTC {
			t.Errorf("write %d modified the caller's dossier: %s", i, diff)
		}
		if diff := Diff(wantN, n); diff != "" {
			t.Errorf("write %d modified the caller's notification: %s", i, diff)
		}
	}
}

// testApplyAlarms: the watch's write of fired alarms changes the alarm
// fields and the version, and nothing else; the history gets no row. (On
// MongoDB this write once went through Apply, failed its history
// condition, re-read the dossier and updated it a second time.)
func testApplyAlarms(t *testing.T, s engine.Store) {
	ctx := t.Context()
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	nd := d.Clone()
	nd.Version = 2
	nd.Fired = append(nd.Fired, "v1/g1/r2")
	nd.NextCheckAt = ptr(at(4 * day))
	nd.UpdatedAt = at(hour)
	// Anything else the caller changed is ignored.
	nd.State, nd.Unit, nd.StepVisit = "phe_duyet", UnitLeader, 9
	nd.History = append(nd.History, engine.HistoryRow{Seq: 3, At: at(hour), Action: "ignored", Actor: engine.ActorSystem, ToState: "phe_duyet"})
	nd.ReceiveKey = ""
	n := NewNotification(d.Code+"/v1/g1/r2", d.Code, at(hour))
	if err := s.ApplyAlarms(ctx, nd, 1, []engine.Notification{n}); err != nil {
		t.Fatalf("ApplyAlarms from the stored version: %v", err)
	}
	want := d.Clone()
	want.Version, want.Fired, want.NextCheckAt, want.UpdatedAt = 2, nd.Fired, nd.NextCheckAt, nd.UpdatedAt
	got := mustGet(t, s, d.Code)
	if diff := Diff(want, got); diff != "" {
		t.Errorf("Get after ApplyAlarms: %s", diff)
	}
	ns, err := s.Notifications(ctx, d.Code, 0)
	if err != nil || !slices.Equal(idsOf(ns), []string{n.ID}) {
		t.Errorf("notifications after ApplyAlarms: %v %v, want [%s]", idsOf(ns), err, n.ID)
	}
	due, err := s.DueForCheck(ctx, at(4*day), engine.Cursor{}, 0)
	if err != nil || !slices.Equal(codesOf(due), []string{d.Code}) {
		t.Errorf("DueForCheck at the new next check: %v %v", codesOf(due), err)
	}
	if early, _ := s.DueForCheck(ctx, at(3*day), engine.Cursor{}, 0); len(early) != 0 {
		t.Errorf("DueForCheck before the new next check: %v", codesOf(early))
	}
	// A transition follows from the version the alarms wrote.
	if err := s.Apply(ctx, next(got, "phe_duyet", at(2*hour)), 2, nil); err != nil {
		t.Errorf("Apply after ApplyAlarms: %v", err)
	}
}

func testApplyAlarmsClears(t *testing.T, s engine.Store) {
	ctx := t.Context()
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	nd := d.Clone()
	nd.Version, nd.Fired, nd.NextCheckAt, nd.UpdatedAt = 2, nil, nil, at(hour)
	if err := s.ApplyAlarms(ctx, nd, 1, nil); err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, s, d.Code)
	if got.NextCheckAt != nil || len(got.Fired) != 0 || got.Version != 2 {
		t.Errorf("after clearing: next check %v, fired %v, version %d", got.NextCheckAt, got.Fired, got.Version)
	}
	if due, _ := s.DueForCheck(ctx, at(100*day), engine.Cursor{}, 0); len(due) != 0 {
		t.Errorf("a dossier without a next check is never due: %v", codesOf(due))
	}
}

func testApplyAlarmsRefusals(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	v2 := next(d, "phe_duyet", at(hour))
	if err := s.Apply(t.Context(), v2, 1, nil); err != nil {
		t.Fatal(err)
	}
	alarm := func(from *engine.Dossier, version int64) *engine.Dossier {
		nd := from.Clone()
		nd.Version, nd.Fired, nd.NextCheckAt = version, append(nd.Fired, "v1/g1/r9"), ptr(at(5*day))
		return nd
	}
	checkRefusals(t, s, v2, []refusal{
		{"version prev+2 is invalid input", 2, alarm(v2, 4), engine.EINVALID},
		{"version equal to prev is invalid input", 2, alarm(v2, 2), engine.EINVALID},
		{"a missing dossier is not found", 1, alarm(NewDossier("XA01-260302-0404"), 2), engine.ENOTFOUND},
		{"a stale prev is a conflict", 1, alarm(d, 2), engine.ECONFLICT},
	}, s.ApplyAlarms)
}

func testConcurrentApplyAlarms(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		nd := d.Clone()
		nd.Version, nd.Fired = 2, append(nd.Fired, fmt.Sprintf("race/%d", i))
		note := NewNotification(fmt.Sprintf("race/%d", i), d.Code, at(hour))
		wg.Go(func() {
			<-start
			errs[i] = s.ApplyAlarms(context.Background(), nd, 1, []engine.Notification{note})
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
		t.Fatal("no ApplyAlarms won")
	}
	got := mustGet(t, s, d.Code)
	if !slices.Contains(got.Fired, fmt.Sprintf("race/%d", winner)) || len(got.Fired) != len(d.Fired)+1 {
		t.Errorf("stored fired keys %v are not the winner's (%d)", got.Fired, winner)
	}
	if ns, _ := s.Notifications(t.Context(), d.Code, 0); !slices.Equal(idsOf(ns), []string{fmt.Sprintf("race/%d", winner)}) {
		t.Errorf("only the winner's notifications may be stored: got %v", idsOf(ns))
	}
}
