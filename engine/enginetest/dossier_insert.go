package enginetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// dossierInsertTests pin the contract of Insert.
var dossierInsertTests = []storeTest{
	{"Insert/RoundTripKeepsEveryField", false, testRoundTrip},
	{"Insert/NilPointersStayNil", false, testRoundTripNils},
	{"Insert/WritesItsNotifications", false, testInsertNotifications},
	{"Insert/DuplicateCodeOrKeyIsRefused", false, testInsertDuplicate},
	{"Insert/SeveralDossiersWithoutReceiveKey", false, testNoReceiveKey},
	{"Insert/UsedKeyWinsOverUsedCode", false, testInsertDuplicateBoth},
	{"Insert/VersionOtherThanOneIsInvalid", false, testInsertVersion},
	{"Insert/CallersValuesAreNotModified", false, testInsertKeepsCaller},
	{"Insert/InstantsComeBackInUTCToTheMillisecond", false, testInstants},
	{"Insert/NotificationWithAStoredIDIsKept", false, testInsertStoredNotification},
}

func testRoundTrip(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001", func(d *engine.Dossier) {
		d.Assignee = Officer
		d.RegisterBook, d.RegisterNo = "XA01/2026", 7
	})
	fin := NewDossier("XA01-260302-0002", func(d *engine.Dossier) {
		d.ReceiveKey = ""
		d.State, d.Unit, d.Status = "da_tra", "", engine.StatusFinished
		d.FinishedAt = ptr(at(3*day + 5*time.Millisecond))
		d.Result, d.Timeliness = engine.OutcomeApproved, engine.Early
		d.NextCheckAt = nil
	})
	// Every field of engine.Dossier is set in one of the two, so that a
	// field added to the domain type and forgotten by a store's own
	// document fails here instead of vanishing on the first write.
	dv, fv := reflect.ValueOf(d).Elem(), reflect.ValueOf(fin).Elem()
	for i := range dv.NumField() {
		if dv.Field(i).IsZero() && fv.Field(i).IsZero() {
			t.Fatalf("the round-trip samples leave engine.Dossier.%s unset: set it, so every store is held to keep it", dv.Type().Field(i).Name)
		}
	}
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

// testInsertDuplicateBoth: a retried reception whose number was taken
// again collides on both the code and the key; the key must win, since
// the engine answers it with the first reception.
func testInsertDuplicateBoth(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	again := NewDossier(d.Code) // same code, same reception key
	err := s.Insert(t.Context(), again, nil)
	var dup *engine.DuplicateError
	if !errors.As(err, &dup) || dup.Key != d.ReceiveKey || dup.Code != "" {
		t.Fatalf("Insert colliding on code and key: got %#v (%v), want *DuplicateError{Key: %s}", dup, err, d.ReceiveKey)
	}
}

func testInsertVersion(t *testing.T, s engine.Store) {
	for _, v := range []int64{0, 2} {
		d := NewDossier("XA01-260302-0001", func(d *engine.Dossier) { d.Version = v })
		err := s.Insert(t.Context(), d, []engine.Notification{NewNotification("v-note", d.Code, at(0))})
		var inv *engine.InvalidInputError
		if !errors.As(err, &inv) || engine.ErrorCode(err) != engine.EINVALID {
			t.Errorf("Insert at version %d: got %v, want *InvalidInputError", v, err)
		}
		if _, err := s.Get(t.Context(), d.Code); engine.ErrorCode(err) != engine.ENOTFOUND {
			t.Errorf("Insert at version %d stored the dossier: Get err %v", v, err)
		}
	}
	if ns, _ := s.Notifications(t.Context(), "", 0); len(ns) != 0 {
		t.Errorf("a refused insert stored its notifications: %v", idsOf(ns))
	}
}

// testInsertKeepsCaller: a store never writes into the values it is
// given (MongoDB's Insert once set d.Version).
func testInsertKeepsCaller(t *testing.T, s engine.Store) {
	ict := time.FixedZone("ICT", 7*3600)
	d := NewDossier("XA01-260302-0001", func(d *engine.Dossier) {
		d.ReceivedAt = d.ReceivedAt.In(ict).Add(456 * time.Microsecond)
	})
	n := NewNotification("keep-note", d.Code, at(0))
	want, wantN := d.Clone(), n
	mustInsert(t, s, d, n)
	if diff := Diff(want, d); diff != "" {
		t.Errorf("Insert modified the caller's dossier: %s", diff)
	}
	if d.ReceivedAt.Location() != ict {
		t.Errorf("Insert changed the zone of the caller's instant to %v", d.ReceivedAt.Location())
	}
	if diff := Diff(wantN, n); diff != "" {
		t.Errorf("Insert modified the caller's notification: %s", diff)
	}
}

// testInstants: instants are kept to the millisecond, truncated, and
// come back in UTC whatever zone they were given in.
func testInstants(t *testing.T, s engine.Store) {
	ict := time.FixedZone("ICT", 7*3600)
	sub := 999 * time.Microsecond
	d := NewDossier("XA01-260302-0001", func(d *engine.Dossier) {
		d.ReceivedAt = d.ReceivedAt.In(ict).Add(sub)
		d.DueAt = ptr(d.DueAt.In(ict).Add(sub))
		d.History[0].At = d.History[0].At.In(ict).Add(sub)
		d.Ledger[0].At = d.Ledger[0].At.In(ict)
	})
	mustInsert(t, s, d)
	got := mustGet(t, s, d.Code)
	check := func(name string, got, given time.Time) {
		t.Helper()
		if want := given.UTC().Truncate(time.Millisecond); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("%s: got %s, want %s in UTC", name, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
		}
	}
	check("ReceivedAt", got.ReceivedAt, d.ReceivedAt)
	check("DueAt", *got.DueAt, *d.DueAt)
	check("History[0].At", got.History[0].At, d.History[0].At)
	check("Ledger[0].At", got.Ledger[0].At, d.Ledger[0].At)
}

// testInsertStoredNotification: a notification ID already stored is the
// at-most-once key; Insert keeps the stored one and its delivery state.
func testInsertStoredNotification(t *testing.T, s engine.Store) {
	ctx := t.Context()
	d := NewDossier("XA01-260302-0001")
	sent := NewNotification(d.Code+"/1/handover", d.Code, at(0))
	sent.Status, sent.Attempts, sent.SentAt = engine.NotificationSent, 1, ptr(at(time.Minute))
	if ok, err := s.AddNotification(ctx, sent); err != nil || !ok {
		t.Fatalf("AddNotification: %v %v", ok, err)
	}
	again := NewNotification(sent.ID, d.Code, at(0))
	mustInsert(t, s, d, again)
	ns, err := s.Notifications(ctx, d.Code, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || Diff(sent, ns[0]) != "" {
		t.Errorf("the stored notification must be kept as it was: got %d, %s", len(ns), Diff(sent, ns[0]))
	}
	if p, _ := s.PendingNotifications(ctx, at(hour), 0); len(p) != 0 {
		t.Errorf("a sent notification was made pending again: %v", idsOf(p))
	}
}
