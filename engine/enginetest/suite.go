package enginetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// SuiteOptions adjusts the conformance suite to a store's known limits.
type SuiteOptions struct {
	// SkipConcurrency, when not empty, skips the concurrency tests with
	// this reason (FerretDB 1.24 is not atomic under concurrent
	// conditional updates; see docs/stores.md).
	SkipConcurrency string
}

// storeTest is one conformance test; concurrent ones can be skipped.
type storeTest struct {
	name       string
	concurrent bool
	run        func(t *testing.T, s engine.Store)
}

// RunStoreSuite runs the engine.Store contract against fresh stores made
// by newStore (one per test, each in its own database, so tests run in
// parallel), then RunEngineSuite on the same stores.
func RunStoreSuite(t *testing.T, newStore func(t *testing.T) engine.Store, opts SuiteOptions) {
	t.Helper()
	tests := []storeTest{
		{"NextSequence/SeriesStartAtOneAndAreIndependent", false, testNextSequence},
		{"Insert/RoundTripKeepsEveryField", false, testRoundTrip},
		{"Insert/NilPointersStayNil", false, testRoundTripNils},
		{"Insert/WritesItsNotifications", false, testInsertNotifications},
		{"Insert/DuplicateCodeOrKeyIsRefused", false, testInsertDuplicate},
		{"Insert/SeveralDossiersWithoutReceiveKey", false, testNoReceiveKey},
		{"Get/UnknownIsNotFound", false, testGetUnknown},
		{"GetByReceiveKey/FindsTheDossier", false, testGetByReceiveKey},
		{"Apply/RightVersionWritesDossierAndNotifications", false, testApply},
		{"Apply/StaleVersionConflictsAndWritesNothing", false, testApplyStale},
		{"List/Filters", false, testList},
		{"Scan/VisitsEveryMatchAndStopsOnError", false, testScan},
		{"List/FinishedRangeAndOpenAt", false, testFinishedBounds},
		{"DueForCheck/OrderCursorLimitAndExclusions", false, testDueForCheck},
		{"AddNotification/AtMostOncePerID", false, testAddNotification},
		{"PendingNotifications/DueOldestFirst", false, testPending},
		{"UpdateNotification/RecordsDeliveryState", false, testUpdateNotification},
		{"Notifications/NewestFirstPerDossier", false, testNotifications},
		{"AcquireLease/FreeHeldRenewedTakenOver", false, testLease},
		{"ReleaseLease/HandsTheLeaseOnAtOnce", false, testLeaseRelease},
		{"Concurrency/NextSequenceIsContiguous", true, testConcurrentSequence},
		{"Concurrency/ApplyFromSamePrevHasOneWinner", true, testConcurrentApply},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.concurrent && opts.SkipConcurrency != "" {
				t.Skip(opts.SkipConcurrency)
			}
			tc.run(t, newStore(t))
		})
	}
	t.Run("Engine", func(t *testing.T) { RunEngineSuite(t, newStore, opts) })
}

// at returns the reference instant plus d, the suite's time axis.
func at(d time.Duration) time.Time { return base.Add(d) }

func ptr(t time.Time) *time.Time { return &t }

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

func mustInsert(t *testing.T, s engine.Store, d *engine.Dossier, outbox ...engine.Notification) {
	t.Helper()
	if err := s.Insert(t.Context(), d, outbox); err != nil {
		t.Fatalf("Insert %s: %v", d.Code, err)
	}
}

func mustGet(t *testing.T, s engine.Store, code string) *engine.Dossier {
	t.Helper()
	d, err := s.Get(t.Context(), code)
	if err != nil {
		t.Fatalf("Get %s: %v", code, err)
	}
	return d
}

func codesOf(ds []*engine.Dossier) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}

func idsOf(ns []engine.Notification) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

// next returns a transition of d: version+1, a new state and history row.
func next(d *engine.Dossier, state string, now time.Time) *engine.Dossier {
	nd := d.Clone()
	nd.Version = d.Version + 1
	nd.History = append(nd.History, engine.HistoryRow{
		Seq: len(d.History) + 1, At: now, Action: "to_" + state, Actor: Officer,
		FromState: d.State, ToState: state, FromUnit: d.Unit, ToUnit: UnitLeader,
	})
	nd.State, nd.Unit = state, UnitLeader
	nd.StepStartedAt = now
	nd.UpdatedAt = now
	return nd
}

func testNextSequence(t *testing.T, s engine.Store) {
	ctx := t.Context()
	seq := func(unit, day string) int {
		t.Helper()
		n, err := s.NextSequence(ctx, unit, day)
		if err != nil {
			t.Fatalf("NextSequence(%s, %s): %v", unit, day, err)
		}
		return n
	}
	for want := 1; want <= 3; want++ {
		if got := seq("XA01", "260302"); got != want {
			t.Fatalf("XA01/260302: got %d, want %d", got, want)
		}
	}
	if got := seq("XA01", "260303"); got != 1 {
		t.Errorf("a new day restarts the series at 1 (Circular 03/2025 Art 13): got %d", got)
	}
	if got := seq("XA02", "260302"); got != 1 {
		t.Errorf("another unit has its own series: got %d", got)
	}
	if got := seq("XA01", "260302"); got != 4 {
		t.Errorf("other series must not disturb XA01/260302: got %d, want 4", got)
	}
}

func testRoundTrip(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	fin := NewDossier("XA01-260302-0002", func(d *engine.Dossier) {
		d.ReceiveKey = ""
		d.State, d.Unit, d.Status = "da_tra", "", engine.StatusFinished
		d.FinishedAt = ptr(at(3*day + 5*time.Millisecond))
		d.Result, d.Timeliness = engine.OutcomeApproved, engine.Early
		d.NextCheckAt = nil
	})
	mustInsert(t, s, d)
	mustInsert(t, s, fin)
	for _, want := range []*engine.Dossier{d, fin} {
		got := mustGet(t, s, want.Code)
		if diff := Diff(want, got); diff != "" {
			t.Errorf("Get %s after Insert: %s", want.Code, diff)
		}
		if got.ReceivedAt.Nanosecond() != want.ReceivedAt.Nanosecond() {
			t.Errorf("milliseconds lost: got %s", got.ReceivedAt.Format(time.RFC3339Nano))
		}
	}
}

func testRoundTripNils(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001", func(d *engine.Dossier) {
		d.Status, d.State, d.Unit = engine.StatusPaused, "cho_bo_sung", ""
		d.DueAt, d.AppointmentAt, d.StepDueAt, d.FinishedAt, d.NextCheckAt = nil, nil, nil, nil, nil
		d.Uses, d.Fired, d.ReceiveKey = nil, nil, ""
		d.History = d.History[:1]
		d.History[0].Inputs = nil
	})
	mustInsert(t, s, d)
	got := mustGet(t, s, d.Code)
	if diff := Diff(d, got); diff != "" {
		t.Fatalf("round trip: %s", diff)
	}
	if got.DueAt != nil || got.AppointmentAt != nil || got.StepDueAt != nil || got.FinishedAt != nil || got.NextCheckAt != nil {
		t.Errorf("nil instants must come back nil: due=%v appt=%v stepdue=%v fin=%v next=%v",
			got.DueAt, got.AppointmentAt, got.StepDueAt, got.FinishedAt, got.NextCheckAt)
	}
	if len(got.Uses) != 0 || len(got.Fired) != 0 {
		t.Errorf("no uses or fired keys were stored: got %v %v", got.Uses, got.Fired)
	}
}

func testInsertNotifications(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	n := NewNotification("XA01-260302-0001/1/handover", d.Code, at(0))
	mustInsert(t, s, d, n)
	got, err := s.Notifications(t.Context(), d.Code, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("Notifications after Insert: got %v, want [%s]", idsOf(got), n.ID)
	}
	if diff := Diff(n, got[0]); diff != "" {
		t.Errorf("notification round trip: %s", diff)
	}
}

func testInsertDuplicate(t *testing.T, s engine.Store) {
	ctx := t.Context()
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)

	again := NewDossier(d.Code, func(x *engine.Dossier) { x.ReceiveKey = "another"; x.State = "phe_duyet" })
	extra := NewNotification("dup-code-note", d.Code, at(0))
	err := s.Insert(ctx, again, []engine.Notification{extra})
	var dup *engine.DuplicateError
	if !errors.As(err, &dup) || dup.Code != d.Code {
		t.Fatalf("Insert of an existing code: got %v, want *DuplicateError{Code: %s}", err, d.Code)
	}
	if engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("ErrorCode: got %s, want conflict", engine.ErrorCode(err))
	}

	other := NewDossier("XA01-260302-0002", func(x *engine.Dossier) { x.ReceiveKey = d.ReceiveKey })
	err = s.Insert(ctx, other, []engine.Notification{NewNotification("dup-key-note", other.Code, at(0))})
	dup = nil
	if !errors.As(err, &dup) || dup.Key != d.ReceiveKey {
		t.Fatalf("Insert with a used reception key: got %v, want *DuplicateError{Key: %s}", err, d.ReceiveKey)
	}

	if got := mustGet(t, s, d.Code); got.State != d.State {
		t.Errorf("a refused insert overwrote the dossier: state %q", got.State)
	}
	if _, err := s.Get(ctx, other.Code); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("a refused insert stored the dossier: Get err %v", err)
	}
	ns, err := s.Notifications(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 0 {
		t.Errorf("a refused insert stored its notifications: %v", idsOf(ns))
	}
}

func testNoReceiveKey(t *testing.T, s engine.Store) {
	for _, c := range Codes("XA01", 3) {
		mustInsert(t, s, NewDossier(c, func(d *engine.Dossier) { d.ReceiveKey = "" }))
	}
	ds, err := s.List(t.Context(), engine.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Errorf("dossiers without a reception key must not collide: listed %v", codesOf(ds))
	}
}

func testGetUnknown(t *testing.T, s engine.Store) {
	_, err := s.Get(t.Context(), "XA01-260302-9999")
	if engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("Get unknown: got %v (code %s), want not_found", err, engine.ErrorCode(err))
	}
	_, err = s.GetByReceiveKey(t.Context(), "no-such-key")
	if engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("GetByReceiveKey unknown: got %v (code %s), want not_found", err, engine.ErrorCode(err))
	}
}

func testGetByReceiveKey(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	mustInsert(t, s, NewDossier("XA01-260302-0002"))
	got, err := s.GetByReceiveKey(t.Context(), d.ReceiveKey)
	if err != nil {
		t.Fatal(err)
	}
	if diff := Diff(d, got); diff != "" {
		t.Errorf("GetByReceiveKey: %s", diff)
	}
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

// listFixture stores six dossiers that tell the Query filters apart and
// returns them by letter.
func listFixture(t *testing.T, s engine.Store) {
	mk := func(code string, mod func(d *engine.Dossier)) {
		d := NewDossier(code, func(d *engine.Dossier) { d.ReceiveKey = "" })
		mod(d)
		mustInsert(t, s, d)
	}
	mk("XA01-260302-0001", func(d *engine.Dossier) { // A
		d.Applicant.Name = "Nguyễn Văn Án"
		d.DueAt = ptr(at(7 * day))
	})
	mk("XA01-260302-0002", func(d *engine.Dossier) { // B
		d.Applicant.Name = "Trần Thị Bình"
		d.State, d.Unit = "phe_duyet", UnitLeader
		d.DueAt = ptr(at(day))
	})
	mk("XA01-260303-0001", func(d *engine.Dossier) { // C
		d.Applicant.Name = "Lê Văn Cường"
		d.State, d.Unit, d.Status = "cho_bo_sung", "", engine.StatusPaused
		d.DueAt, d.AppointmentAt = nil, nil
		d.ReceivedAt = at(day)
	})
	mk("XA01-260303-0002", func(d *engine.Dossier) { // D
		d.Applicant.Name = "NGUYỄN THỊ DUNG"
		d.State, d.Unit, d.Status = "da_tra", "", engine.StatusFinished
		d.DueAt = ptr(at(hour))
		d.FinishedAt = ptr(at(3 * day))
		d.ReceivedAt = at(day + hour)
	})
	mk("XA02-260304-0001", func(d *engine.Dossier) { // E
		d.Applicant.Name = "Phạm Khiếu Nại"
		d.Procedure, d.Kind, d.State = "KN.01", engine.KindComplaint, "thu_ly"
		d.DueAt = ptr(at(3 * day))
		d.ReceivedAt = at(2 * day)
	})
	mk("XA01-260304-0001", func(d *engine.Dossier) { // F
		d.Applicant.Name = "Đỗ (Văn) Ánh"
		d.DueAt = ptr(at(day)) // ties with B: the code breaks the tie
		d.ReceivedAt = at(2*day + hour)
	})
}

func testList(t *testing.T, s engine.Store) {
	listFixture(t, s)
	const (
		A = "XA01-260302-0001"
		B = "XA01-260302-0002"
		C = "XA01-260303-0001"
		D = "XA01-260303-0002"
		E = "XA02-260304-0001"
		F = "XA01-260304-0001"
	)
	cases := []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"no filter: all, ordered by code", engine.Query{}, []string{A, B, C, D, F, E}},
		{"units: responsible unit in one", engine.Query{Units: []string{UnitOffice}}, []string{A, F, E}},
		{"units: responsible unit in several", engine.Query{Units: []string{UnitOffice, UnitLeader}}, []string{A, B, F, E}},
		{"state", engine.Query{State: "tham_dinh"}, []string{A, F}},
		{"procedure", engine.Query{Procedure: "KN.01"}, []string{E}},
		{"kind", engine.Query{Kind: engine.KindComplaint}, []string{E}},
		{"status in one", engine.Query{Status: []engine.Status{engine.StatusPaused}}, []string{C}},
		{"status in several", engine.Query{Status: []engine.Status{engine.StatusInProgress, engine.StatusPaused}}, []string{A, B, C, F, E}},
		{"overdue: unfinished, due before now; paused (no due) and finished excluded", engine.Query{Overdue: true, Now: at(2 * day)}, []string{B, F}},
		{"text: applicant name, case-insensitive with diacritics", engine.Query{Text: "nguyễn"}, []string{A, D}},
		{"text: upper-case query with diacritics", engine.Query{Text: "NGUYỄN"}, []string{A, D}},
		{"text: part of a name", engine.Query{Text: "bình"}, []string{B}},
		{"text: part of the code", engine.Query{Text: "260303"}, []string{C, D}},
		{"text: code case-insensitive", engine.Query{Text: "xa02"}, []string{E}},
		{"text: pattern characters are literal", engine.Query{Text: "(văn)"}, []string{F}},
		{"text: a dot is not a wildcard", engine.Query{Text: "n.uy"}, nil},
		{"received range [from, to)", engine.Query{ReceivedFrom: at(day), ReceivedTo: at(2 * day)}, []string{C, D}},
		{"received from only", engine.Query{ReceivedFrom: at(2 * day)}, []string{F, E}},
		{"received to only", engine.Query{ReceivedTo: at(day)}, []string{A, B}},
		{"order by due, nil last, ties by code", engine.Query{OrderByDue: true}, []string{D, B, F, E, A, C}},
		{"order by due within a unit (inbox)", engine.Query{OrderByDue: true, Units: []string{UnitOffice}}, []string{F, E, A}},
		{"offset and limit", engine.Query{Offset: 1, Limit: 2}, []string{B, C}},
		{"offset and limit by due", engine.Query{OrderByDue: true, Offset: 4, Limit: 5}, []string{A, C}},
		{"offset past the end", engine.Query{Offset: 10}, nil},
		{"filters combine", engine.Query{Units: []string{UnitOffice}, State: "tham_dinh", Text: "án"}, []string{A, F}},
	}
	for _, c := range cases {
		got, err := s.List(t.Context(), c.q)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if codes := codesOf(got); !slices.Equal(codes, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, codes, c.want)
		}
	}
	// Listed dossiers are whole.
	got, err := s.List(t.Context(), engine.Query{Text: "bình"})
	if err != nil || len(got) != 1 {
		t.Fatalf("List bình: %v %v", got, err)
	}
	if diff := Diff(mustGet(t, s, B), got[0]); diff != "" {
		t.Errorf("listed dossier differs from Get: %s", diff)
	}
}

// testFinishedBounds checks Query.FinishedFrom/To ([From, To), a
// dossier not finished never matches) and Query.OpenAt (not finished
// before: never finished, or at or after), exactly at the millisecond
// boundaries, alone and with ReceivedTo, and on a dossier finished by
// Apply rather than inserted finished.
func testFinishedBounds(t *testing.T, s engine.Store) {
	const (
		O  = "XA01-260302-0001" // open, received on day 0
		F0 = "XA01-260302-0002" // finished 1 ms before day 1
		F1 = "XA01-260302-0003" // finished exactly at day 1
		F2 = "XA01-260302-0004" // finished 1 ms before day 2
		F3 = "XA01-260303-0001" // finished exactly at day 2, received on day 1
		A  = "XA01-260303-0002" // received on day 1, finished by Apply at day 1 + 1 h
	)
	ms := time.Millisecond
	mk := func(code string, received time.Time, finished *time.Time) *engine.Dossier {
		d := NewDossier(code, func(d *engine.Dossier) {
			d.ReceiveKey = ""
			d.ReceivedAt = received
			d.FinishedAt = finished
			if finished != nil {
				d.State, d.Unit, d.Status = "da_tra", "", engine.StatusFinished
				d.NextCheckAt = nil
			}
		})
		mustInsert(t, s, d)
		return d
	}
	mk(O, at(0), nil)
	mk(F0, at(0), ptr(at(day-ms)))
	mk(F1, at(0), ptr(at(day)))
	mk(F2, at(0), ptr(at(2*day-ms)))
	mk(F3, at(day), ptr(at(2*day)))
	a := mk(A, at(day), nil)
	fin := next(a, "da_tra", at(day+hour))
	fin.Unit, fin.Status, fin.FinishedAt, fin.NextCheckAt = "", engine.StatusFinished, ptr(at(day+hour)), nil
	if err := s.Apply(t.Context(), fin, a.Version, nil); err != nil {
		t.Fatalf("Apply finishing %s: %v", A, err)
	}
	cases := []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"finished in [day 1, day 2): from inclusive, to exclusive, open excluded",
			engine.Query{FinishedFrom: at(day), FinishedTo: at(2 * day)}, []string{F1, F2, A}},
		{"finished from only: at or after, open excluded",
			engine.Query{FinishedFrom: at(2 * day)}, []string{F3}},
		{"finished to only: before, open excluded",
			engine.Query{FinishedTo: at(day)}, []string{F0}},
		{"finished in a millisecond: [from, from+1ms)",
			engine.Query{FinishedFrom: at(2*day - ms), FinishedTo: at(2 * day)}, []string{F2}},
		{"open at day 1: never finished, or finished at or after day 1",
			engine.Query{OpenAt: at(day)}, []string{O, F1, F2, F3, A}},
		{"open at day 2: a dossier finished exactly then was still open",
			engine.Query{OpenAt: at(2 * day)}, []string{O, F3}},
		{"carried into a period from day 1: received before, open at its start",
			engine.Query{ReceivedTo: at(day), OpenAt: at(day)}, []string{O, F1, F2}},
		{"finished in [day 1, day 2) among those received before day 1",
			engine.Query{ReceivedTo: at(day), FinishedFrom: at(day), FinishedTo: at(2 * day)}, []string{F1, F2}},
		{"finished bounds combine with a status filter",
			engine.Query{Status: []engine.Status{engine.StatusInProgress}, OpenAt: at(2 * day)}, []string{O}},
		{"finished bounds with a page",
			engine.Query{OpenAt: at(day), Offset: 1, Limit: 2}, []string{F1, F2}},
	}
	for _, c := range cases {
		got, err := s.List(t.Context(), c.q)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if codes := codesOf(got); !slices.Equal(codes, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, codes, c.want)
		}
	}
}

func testScan(t *testing.T, s engine.Store) {
	listFixture(t, s)
	var seen []string
	err := s.Scan(t.Context(), engine.Query{Units: []string{UnitOffice}}, func(d *engine.Dossier) error {
		seen = append(seen, d.Code)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(seen)
	if want := []string{"XA01-260302-0001", "XA01-260304-0001", "XA02-260304-0001"}; !slices.Equal(seen, want) {
		t.Errorf("Scan units=[chuyen-mon]: got %v, want %v", seen, want)
	}
	stop := errors.New("stop")
	calls := 0
	err = s.Scan(t.Context(), engine.Query{}, func(*engine.Dossier) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Scan must stop at fn's first error and return it: err %v after %d calls", err, calls)
	}
}

func testDueForCheck(t *testing.T, s engine.Store) {
	ctx := t.Context()
	mk := func(code string, next *time.Time, status engine.Status) {
		mustInsert(t, s, NewDossier(code, func(d *engine.Dossier) {
			d.ReceiveKey, d.NextCheckAt, d.Status = "", next, status
		}))
	}
	mk("P1", ptr(at(hour)), engine.StatusInProgress)
	mk("P2", ptr(at(hour)), engine.StatusInProgress)
	mk("P3", ptr(at(2*hour)), engine.StatusInProgress)
	mk("P4", ptr(at(30*time.Minute)), engine.StatusFinished) // finished: never checked
	mk("P5", nil, engine.StatusInProgress)                   // nothing armed
	mk("P6", ptr(at(5*hour)), engine.StatusInProgress)       // not yet due
	mk("P7", ptr(at(90*time.Minute)), engine.StatusPaused)   // a waiting state's timeout

	all, err := s.DueForCheck(ctx, at(3*hour), engine.Cursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := codesOf(all), []string{"P1", "P2", "P7", "P3"}; !slices.Equal(got, want) {
		t.Errorf("DueForCheck at +3h: got %v, want %v (by next check, then code)", got, want)
	}
	edge, err := s.DueForCheck(ctx, at(2*hour), engine.Cursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(edge); !slices.Contains(got, "P3") {
		t.Errorf("a dossier whose check is exactly at `at` is due: got %v", got)
	}

	var pages [][]string
	cur := engine.Cursor{}
	for i := 0; i < 5; i++ {
		page, err := s.DueForCheck(ctx, at(3*hour), cur, 2)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, codesOf(page))
		if len(page) == 0 {
			break
		}
		last := page[len(page)-1]
		cur = engine.Cursor{At: *last.NextCheckAt, Code: last.Code}
	}
	want := [][]string{{"P1", "P2"}, {"P7", "P3"}, {}}
	if fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("pages of 2 with the cursor: got %v, want %v", pages, want)
	}
}

func testAddNotification(t *testing.T, s engine.Store) {
	ctx := t.Context()
	n := NewNotification("digest/2026-03-02/truong-phong", "", at(0))
	n.Kind = "digest"
	ok, err := s.AddNotification(ctx, n)
	if err != nil || !ok {
		t.Fatalf("first AddNotification: %v %v, want true", ok, err)
	}
	again := n
	again.Kind, again.To = "reminder", []string{"someone-else"}
	ok, err = s.AddNotification(ctx, again)
	if err != nil || ok {
		t.Fatalf("AddNotification with a used ID: %v %v, want false, nil", ok, err)
	}
	ns, err := s.Notifications(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 {
		t.Fatalf("one notification stored, got %v", idsOf(ns))
	}
	if diff := Diff(n, ns[0]); diff != "" {
		t.Errorf("the first notification must be kept: %s", diff)
	}
}

func testPending(t *testing.T, s engine.Store) {
	ctx := t.Context()
	note := func(id string, when time.Time, status string) engine.Notification {
		n := NewNotification(id, "XA01-260302-0001", when)
		n.Status = status
		return n
	}
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d, note("by-insert", at(time.Minute), engine.NotificationPending))
	if err := s.Apply(ctx, next(d, "phe_duyet", at(2*time.Minute)), 1,
		[]engine.Notification{note("by-apply", at(2*time.Minute), engine.NotificationPending)}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []engine.Notification{
		note("n1", at(10*time.Minute), engine.NotificationPending),
		note("n2", at(5*time.Minute), engine.NotificationPending),
		note("sent", at(0), engine.NotificationSent),
		note("failed", at(0), engine.NotificationFailed),
		note("later", at(hour), engine.NotificationPending),
	} {
		if _, err := s.AddNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		rule  string
		now   time.Time
		limit int
		want  []string
	}{
		{"pending, next attempt at or before now, oldest first", at(30 * time.Minute), 10, []string{"by-insert", "by-apply", "n2", "n1"}},
		{"limit", at(30 * time.Minute), 2, []string{"by-insert", "by-apply"}},
		{"next attempt exactly now is due", at(10 * time.Minute), 10, []string{"by-insert", "by-apply", "n2", "n1"}},
		{"nothing due yet", at(0), 10, nil},
	}
	for _, c := range cases {
		got, err := s.PendingNotifications(ctx, c.now, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if ids := idsOf(got); !slices.Equal(ids, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, ids, c.want)
		}
	}
}

func testUpdateNotification(t *testing.T, s engine.Store) {
	ctx := t.Context()
	n := NewNotification("XA01-260302-0001/2/handover", "XA01-260302-0001", at(0))
	if _, err := s.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	n.Attempts, n.LastError, n.NextAttempt = 1, "smtp: 451 thử lại sau", at(5*time.Minute)
	if err := s.UpdateNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	ns, err := s.Notifications(ctx, n.Dossier, 10)
	if err != nil || len(ns) != 1 {
		t.Fatalf("Notifications: %v %v", idsOf(ns), err)
	}
	if diff := Diff(n, ns[0]); diff != "" {
		t.Errorf("after a failed attempt: %s", diff)
	}
	if p, _ := s.PendingNotifications(ctx, at(time.Minute), 10); len(p) != 0 {
		t.Errorf("a retry scheduled at +5m is not due at +1m: got %v", idsOf(p))
	}
	n.Status, n.Attempts, n.SentAt, n.LastError = engine.NotificationSent, 2, ptr(at(5*time.Minute)), ""
	if err := s.UpdateNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	ns, _ = s.Notifications(ctx, n.Dossier, 10)
	if len(ns) != 1 || Diff(n, ns[0]) != "" {
		t.Errorf("after sending: %v", Diff(n, ns[0]))
	}
	if p, _ := s.PendingNotifications(ctx, at(hour), 10); len(p) != 0 {
		t.Errorf("a sent notification is not pending: got %v", idsOf(p))
	}
	err = s.UpdateNotification(ctx, NewNotification("no-such-id", "", at(0)))
	if engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("UpdateNotification of an unknown id: got %v, want not_found", err)
	}
}

func testNotifications(t *testing.T, s engine.Store) {
	ctx := t.Context()
	add := func(id, dossier string, when time.Time) {
		if _, err := s.AddNotification(ctx, NewNotification(id, dossier, when)); err != nil {
			t.Fatal(err)
		}
	}
	add("a1", "A", at(time.Minute))
	add("b1", "B", at(2*time.Minute))
	add("a2", "A", at(3*time.Minute))
	add("digest", "", at(4*time.Minute))
	add("a3", "A", at(5*time.Minute))
	cases := []struct {
		rule    string
		dossier string
		limit   int
		want    []string
	}{
		{"one dossier, newest first", "A", 10, []string{"a3", "a2", "a1"}},
		{"limit", "A", 2, []string{"a3", "a2"}},
		{"all", "", 10, []string{"a3", "digest", "a2", "b1", "a1"}},
		{"unknown dossier", "Z", 10, nil},
	}
	for _, c := range cases {
		got, err := s.Notifications(ctx, c.dossier, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if ids := idsOf(got); !slices.Equal(ids, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, ids, c.want)
		}
	}
}

func testLease(t *testing.T, s engine.Store) {
	ctx := t.Context()
	steps := []struct {
		rule        string
		holder      string
		now, until  time.Time
		wantAcquire bool
	}{
		{"a free lease is taken", "node-a", at(0), at(time.Minute), true},
		{"held by another until expiry", "node-b", at(30 * time.Second), at(90 * time.Second), false},
		{"still held a millisecond before expiry", "node-b", at(time.Minute - time.Millisecond), at(90 * time.Second), false},
		{"the holder renews", "node-a", at(50 * time.Second), at(2 * time.Minute), true},
		{"renewal moved the expiry", "node-b", at(90 * time.Second), at(3 * time.Minute), false},
		{"taken over after expiry", "node-b", at(2*time.Minute + time.Millisecond), at(4 * time.Minute), true},
		{"the old holder lost it", "node-a", at(3 * time.Minute), at(5 * time.Minute), false},
	}
	for _, st := range steps {
		ok, err := s.AcquireLease(ctx, "watch", st.holder, st.now, st.until)
		if err != nil {
			t.Fatalf("%s: %v", st.rule, err)
		}
		if ok != st.wantAcquire {
			t.Errorf("%s: AcquireLease(%s) = %v, want %v", st.rule, st.holder, ok, st.wantAcquire)
		}
	}
	ok, err := s.AcquireLease(ctx, "digest", "node-a", at(3*time.Minute), at(4*time.Minute))
	if err != nil || !ok {
		t.Errorf("leases are independent by name: %v %v", ok, err)
	}
}

func testConcurrentSequence(t *testing.T, s engine.Store) {
	const n = 50
	got := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = s.NextSequence(context.Background(), "XA01", "260302") })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("%d concurrent NextSequence calls must return 1..%d, each once: got %v", n, n, got)
		}
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
