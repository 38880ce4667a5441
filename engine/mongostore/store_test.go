package mongostore_test

import (
	"context"
	"errors"
	"os"
	"reflect"
	"sort"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/internal/ferrettest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	ferrettest.Stop()
	os.Exit(code)
}

// newStore opens a store on a database of the test's own, dropped after
// the test.
func newStore(t testing.TB) *mongostore.Store {
	t.Helper()
	uri := ferrettest.Start(t)
	name := ferrettest.DBName(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := mongostore.Open(ctx, uri, name)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		_ = s.Database().Drop(context.Background())
		_ = s.Close()
	})
	return s
}

// t0 is a Monday morning in Hà Nội, in UTC and at millisecond precision,
// as the store keeps instants.
var t0 = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)

func ptr(t time.Time) *time.Time { return &t }

func dossier(code string) *engine.Dossier {
	due := t0.Add(72 * time.Hour)
	return &engine.Dossier{
		Code: code, Procedure: "1.001193", ProcedureVersion: 1, Kind: "dossier",
		Applicant: engine.Applicant{Name: "Nguyễn Văn An", Phone: "0900000001"},
		Channel:   engine.ChannelCounter, ReceivingUnit: "mot-cua", ReceivedBy: "tn01",
		State: "received", Unit: "mot-cua", Status: engine.StatusInProgress,
		ReceivedAt: t0, StartAt: t0, DueAt: &due, AppointmentAt: &due,
		StepStartedAt: t0, StepVisit: 1,
		Ledger:      []engine.ClockEvent{{Kind: engine.ClockStart, At: t0, Limit: "3 working days"}},
		History:     []engine.HistoryRow{{Seq: 1, At: t0, Action: "receive", Actor: "tn01", ToState: "received", ToUnit: "mot-cua"}},
		NextCheckAt: &due,
		Version:     1, UpdatedAt: t0,
	}
}

// next returns d advanced by one transition at `at`, as the pure step
// would: version+1 and one more history row.
func next(d *engine.Dossier, action, to string, at time.Time) *engine.Dossier {
	n := d.Clone()
	n.History = append(n.History, engine.HistoryRow{
		Seq: len(d.History) + 1, At: at, Action: action, Actor: "cb01",
		FromState: d.State, ToState: to, Inputs: map[string]string{"note": "đủ hồ sơ"},
	})
	n.State, n.StepStartedAt, n.StepVisit = to, at, d.StepVisit+1
	n.Version, n.UpdatedAt = d.Version+1, at
	return n
}

func note(id, code string, at time.Time) engine.Notification {
	return engine.Notification{
		ID: id, Dossier: code, Kind: "handover", To: []string{"cb01"}, At: at,
		Data:   map[string]string{"code": code, "step": "thẩm định"},
		Status: engine.NotificationPending, NextAttempt: at,
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func mustInsert(t *testing.T, s *mongostore.Store, d *engine.Dossier, out ...engine.Notification) {
	t.Helper()
	if err := s.Insert(ctxT(t), d, out); err != nil {
		t.Fatalf("Insert %s: %v", d.Code, err)
	}
}

func TestRoundTripKeepsEveryField(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := dossier("MC-260302-0001")
	d.Uses = map[string]int{"extend": 1}
	d.Fired = []string{"v1/g1/r1"}
	d.ReceiveKey = "req-1"
	mustInsert(t, s, d)
	got, err := s.Get(ctxT(t), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, d)
	}
	if got.ReceivedAt.Location() != time.UTC {
		t.Errorf("instants come back in %v, want UTC", got.ReceivedAt.Location())
	}
	byKey, err := s.GetByReceiveKey(ctxT(t), "req-1")
	if err != nil || byKey.Code != d.Code {
		t.Errorf("GetByReceiveKey = %v, %v; want %s", byKey, err, d.Code)
	}
}

func TestApplyAppendsOneRowAndClearsFields(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := dossier("MC-260302-0002")
	mustInsert(t, s, d)
	// Pausing clears the due instant: the stored field must go too.
	n := next(d, "request_supplement", "waiting", t0.Add(time.Hour))
	n.Status, n.DueAt, n.NextCheckAt = engine.StatusPaused, nil, nil
	if err := s.Apply(ctxT(t), n, 1, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctxT(t), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, n) {
		t.Errorf("after Apply:\n got %+v\nwant %+v", got, n)
	}
	if got.DueAt != nil || got.NextCheckAt != nil {
		t.Errorf("cleared fields kept: due %v, next check %v", got.DueAt, got.NextCheckAt)
	}
}

func TestApplyOnADossierStoredWithoutHistory(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	// Not what the engine writes, but a store must not wedge on it: a nil
	// history is stored as null, which $push refuses and $size misses.
	d := dossier("MC-260302-0012")
	d.History = nil
	mustInsert(t, s, d)
	same := d.Clone()
	same.Version = 2
	if err := s.ApplyAlarms(ctxT(t), same, 1, nil); err != nil {
		t.Fatalf("ApplyAlarms without rows: %v", err)
	}
	n := next(same, "transfer", "review", t0.Add(time.Hour))
	if err := s.Apply(ctxT(t), n, 2, nil); err != nil {
		t.Fatalf("Apply of the first row: %v", err)
	}
	got, err := s.Get(ctxT(t), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.History) != 1 || got.History[0].Seq != 1 || got.Version != 3 {
		t.Errorf("history %+v at version %d; want one row at version 3", got.History, got.Version)
	}
}

func TestApplyStaleVersionIsConflictAndWritesNothing(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := dossier("MC-260302-0004")
	mustInsert(t, s, d)
	first := next(d, "transfer", "review", t0.Add(time.Hour))
	if err := s.Apply(ctxT(t), first, 1, []engine.Notification{note("n1", d.Code, t0)}); err != nil {
		t.Fatal(err)
	}
	// A second officer who read version 1 too.
	late := next(d, "refuse", "refused", t0.Add(2*time.Hour))
	err := s.Apply(ctxT(t), late, 1, []engine.Notification{note("n2", d.Code, t0)})
	var conflict *engine.ConflictError
	if !errors.As(err, &conflict) || engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("stale Apply = %v, want *engine.ConflictError", err)
	}
	got, _ := s.Get(ctxT(t), d.Code)
	if got.State != "review" || len(got.History) != 2 || got.Version != 2 {
		t.Errorf("stale write leaked: state %s, %d rows, version %d", got.State, len(got.History), got.Version)
	}
	ns, err := s.Notifications(ctxT(t), d.Code, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].ID != "n1" {
		t.Errorf("notifications %v, want only n1", ns)
	}
}

func TestApplyToMissingDossierIsNotFound(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := next(dossier("MC-260302-0404"), "transfer", "review", t0)
	err := s.Apply(ctxT(t), d, 1, nil)
	var nf *engine.NotFoundError
	if !errors.As(err, &nf) || nf.ID != d.Code {
		t.Fatalf("Apply on a missing dossier = %v, want *engine.NotFoundError for %s", err, d.Code)
	}
}

func outboxLen(t *testing.T, s *mongostore.Store, code string) int {
	t.Helper()
	var doc struct {
		Outbox []bson.Raw `bson:"outbox"`
	}
	if err := s.Database().Collection("dossiers").FindOne(ctxT(t), bson.D{{Key: "_id", Value: code}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return len(doc.Outbox)
}

func TestTransitionWritesNotificationsIntoTheDossier(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := dossier("MC-260302-0005")
	mustInsert(t, s, d, note("r1", d.Code, t0))
	n := next(d, "transfer", "review", t0.Add(time.Hour))
	if err := s.Apply(ctxT(t), n, 1, []engine.Notification{note("h1", d.Code, t0.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	// Written with the dossier, in the same document: nothing relayed yet.
	if got := outboxLen(t, s, d.Code); got != 2 {
		t.Errorf("outbox holds %d notifications, want 2", got)
	}
	if c, _ := s.Database().Collection("notifications").CountDocuments(ctxT(t), bson.D{}); c != 0 {
		t.Errorf("%d notifications relayed before any relay ran", c)
	}
}

func TestRelayTwiceSendsOnce(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := dossier("MC-260302-0006")
	mustInsert(t, s, d, note("r1", d.Code, t0), note("r2", d.Code, t0))
	if n, err := s.Relay(ctxT(t)); err != nil || n != 2 {
		t.Fatalf("first Relay = %d, %v; want 2", n, err)
	}
	if n, err := s.Relay(ctxT(t)); err != nil || n != 0 {
		t.Fatalf("second Relay = %d, %v; want 0", n, err)
	}
	if got := outboxLen(t, s, d.Code); got != 0 {
		t.Errorf("outbox still holds %d after relay", got)
	}
	pending, err := s.PendingNotifications(ctxT(t), t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 {
		t.Fatalf("pending = %d, want 2", len(pending))
	}
	for _, p := range pending {
		sent := p
		sent.Status, sent.Attempts, sent.SentAt = engine.NotificationSent, 1, ptr(t0.Add(time.Minute))
		if err := s.UpdateNotification(ctxT(t), sent, p); err != nil {
			t.Fatal(err)
		}
	}
	pending, err = s.PendingNotifications(ctxT(t), t0.Add(time.Hour), 10)
	if err != nil || len(pending) != 0 {
		t.Errorf("after sending: pending = %v, %v; want none", pending, err)
	}
}

func TestCrashBetweenRelayStepsLosesNothingAndSendsOnce(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := dossier("MC-260302-0007")
	kept := note("r1", d.Code, t0)
	mustInsert(t, s, d, kept, note("r2", d.Code, t0))
	// A relay that crashed after inserting r1 (which the dispatcher then
	// sent) and before removing anything from the dossier.
	sent := kept
	sent.Status, sent.Attempts, sent.SentAt = engine.NotificationSent, 1, ptr(t0.Add(time.Minute))
	if _, err := s.Database().Collection("notifications").InsertOne(ctxT(t), sent); err != nil {
		t.Fatal(err)
	}
	n, err := s.Relay(ctxT(t))
	if err != nil || n != 1 {
		t.Fatalf("Relay after crash = %d, %v; want 1 (r2 only)", n, err)
	}
	all, err := s.Notifications(ctxT(t), d.Code, 0)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, x := range all {
		status[x.ID] = x.Status
	}
	want := map[string]string{"r1": engine.NotificationSent, "r2": engine.NotificationPending}
	if !reflect.DeepEqual(status, want) {
		t.Errorf("after relay: %v, want %v (r1 not reset to pending, r2 not lost)", status, want)
	}
	if got := outboxLen(t, s, d.Code); got != 0 {
		t.Errorf("outbox still holds %d", got)
	}
}

func TestRelayLeavesNotificationsAddedSince(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := dossier("MC-260302-0008")
	mustInsert(t, s, d, note("r1", d.Code, t0))
	if _, err := s.Relay(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	// A transition after the relay: its notification must survive until
	// relayed in turn, and then appear once.
	n := next(d, "transfer", "review", t0.Add(time.Hour))
	if err := s.Apply(ctxT(t), n, 1, []engine.Notification{note("h2", d.Code, t0.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if got := outboxLen(t, s, d.Code); got != 1 {
		t.Fatalf("outbox holds %d, want 1", got)
	}
	all, err := s.Notifications(ctxT(t), d.Code, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range all {
		ids = append(ids, x.ID)
	}
	if !reflect.DeepEqual(ids, []string{"h2", "r1"}) {
		t.Errorf("notifications newest first = %v, want [h2 r1]", ids)
	}
}

func indexNames(t *testing.T, s *mongostore.Store, coll string) []string {
	t.Helper()
	cur, err := s.Database().Collection(coll).Indexes().List(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var specs []struct {
		Name string `bson:"name"`
	}
	if err := cur.All(ctxT(t), &specs); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range specs {
		names = append(names, x.Name)
	}
	sort.Strings(names)
	return names
}

func TestReopenFindsIndexesInPlace(t *testing.T) {
	t.Parallel()
	uri := ferrettest.Start(t)
	name := ferrettest.DBName(t)
	open := func() *mongostore.Store {
		s, err := mongostore.Open(ctxT(t), uri, name)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	}
	s1 := open()
	t.Cleanup(func() { _ = s1.Database().Drop(context.Background()); _ = s1.Close() })
	mustInsert(t, s1, dossier("MC-260302-0009"))
	before := indexNames(t, s1, "dossiers")
	s2 := open()
	defer s2.Close()
	after := indexNames(t, s2, "dossiers")
	want := []string{"_id_", "deadline_watch", "finished_at", "inbox", "open_figures", "outbox", "receive_key", "received_at", "search_keys", "status_code", "status_due", "unit_status_code"}
	if !reflect.DeepEqual(before, want) || !reflect.DeepEqual(after, want) {
		t.Errorf("indexes before reopen %v, after %v; want %v", before, after, want)
	}
	if got := indexNames(t, s2, "notifications"); !reflect.DeepEqual(got, []string{"_id_", "by_dossier_v2", "newest", "pending_v2"}) {
		t.Errorf("notification indexes %v", got)
	}
	if _, err := s2.Get(ctxT(t), "MC-260302-0009"); err != nil {
		t.Errorf("data lost on reopen: %v", err)
	}
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := dossier("MC-260302-0010")
	d.ReceiveKey = "req-10"
	mustInsert(t, s, d)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()

	other := dossier("MC-260302-0011")
	other.ReceiveKey = "req-10"
	tests := []struct {
		rule string
		err  error
		code engine.Code
		want any
	}{
		{"an unknown code is not found", get(s, "MC-000000-0000"), engine.ENOTFOUND, &engine.NotFoundError{What: "dossier", ID: "MC-000000-0000"}},
		{"an unknown reception key is not found", getKey(s, "nope"), engine.ENOTFOUND, &engine.NotFoundError{What: "reception key", ID: "nope"}},
		{"an empty reception key is not found", getKey(s, ""), engine.ENOTFOUND, nil},
		{"a code inserted twice is a duplicate code", s.Insert(context.Background(), dossier(d.Code), nil), engine.ECONFLICT, &engine.DuplicateError{Code: d.Code}},
		{"a reception key used twice is a duplicate key", s.Insert(context.Background(), other, nil), engine.ECONFLICT, &engine.DuplicateError{Key: "req-10"}},
		{"an update of an unknown notification is not found", s.UpdateNotification(context.Background(), note("ghost", "", t0), note("ghost", "", t0)), engine.ENOTFOUND, &engine.NotFoundError{What: "notification", ID: "ghost"}},
		{"a canceled context passes through", get2(canceled, s, d.Code), engine.EINTERNAL, nil},
	}
	for _, tc := range tests {
		if got := engine.ErrorCode(tc.err); got != tc.code {
			t.Errorf("%s: code %q (%v), want %q", tc.rule, got, tc.err, tc.code)
		}
		if tc.want != nil && !reflect.DeepEqual(any(tc.err), tc.want) {
			t.Errorf("%s: error %#v, want %#v", tc.rule, tc.err, tc.want)
		}
	}
	if err := get2(canceled, s, d.Code); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v, want context.Canceled in the chain", err)
	}
	if _, err := s.Get(ctxT(t), "MC-260302-0011"); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("rejected duplicate was stored: %v", err)
	}
	if ok, err := s.AddNotification(ctxT(t), note("d1", "", t0)); !ok || err != nil {
		t.Errorf("first AddNotification = %v, %v", ok, err)
	}
	if ok, err := s.AddNotification(ctxT(t), note("d1", "", t0)); ok || err != nil {
		t.Errorf("second AddNotification = %v, %v; want false, nil", ok, err)
	}
}

func get(s *mongostore.Store, code string) error {
	_, err := s.Get(context.Background(), code)
	return err
}

func get2(ctx context.Context, s *mongostore.Store, code string) error {
	_, err := s.Get(ctx, code)
	return err
}

func getKey(s *mongostore.Store, key string) error {
	_, err := s.GetByReceiveKey(context.Background(), key)
	return err
}

// TestFinishedIndexIsNotSparse guards the finished_at index against being
// made sparse: MongoDB does not use a sparse index for the
// {finished_at: null} clause of Query.OpenAt (it would miss the open
// dossiers), and an $or with a clause no index serves scans the whole
// collection. FerretDB ignores sparse, so only the specification can
// tell.
func TestFinishedIndexIsNotSparse(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	cur, err := s.Database().Collection("dossiers").Indexes().List(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var specs []struct {
		Name   string `bson:"name"`
		Key    bson.D `bson:"key"`
		Sparse bool   `bson:"sparse"`
	}
	if err := cur.All(ctxT(t), &specs); err != nil {
		t.Fatal(err)
	}
	for _, x := range specs {
		if x.Name != "finished_at" {
			continue
		}
		if x.Sparse {
			t.Error("finished_at index is sparse: OpenAt's {finished_at: null} clause could not use it")
		}
		if want := (bson.D{{Key: "finished_at", Value: int32(1)}}); !reflect.DeepEqual(x.Key, want) {
			t.Errorf("finished_at index keys %v, want %v", x.Key, want)
		}
		return
	}
	t.Error("no finished_at index on dossiers")
}
