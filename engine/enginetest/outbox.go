package enginetest

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// outboxTests pin the contract of the notification outbox.
var outboxTests = []storeTest{
	{"AddNotification/AtMostOncePerID", false, testAddNotification},
	{"PendingNotifications/DueOldestFirst", false, testPending},
	{"UpdateNotification/RecordsDeliveryState", false, testUpdateNotification},
	{"Notifications/NewestFirstPerDossier", false, testNotifications},
	{"NotificationsOfKind/OneDossiersOfOneKindWithoutPayload", false, testOfKind},
	{"AddNotification/IDWrittenWithADossierIsTaken", false, testAddNotificationAfterApply},
	{"PendingNotifications/TiesByID", false, testPendingTies},
	{"Notifications/TiesByIDDescending", false, testNotificationTies},
	{"UpdateNotification/WritesOnlyTheDeliveryState", false, testUpdateNotificationOnly},
	{"UpdateNotification/TwoDispatchersInTurnOneRecordStands", false, testUpdateNotificationInTurn},
	{"UpdateNotification/TwoDispatchersRacingOneRecordStands", true, testUpdateNotificationRace},
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
	read := n
	n.Attempts, n.LastError, n.NextAttempt = 1, "smtp: 451 thử lại sau", at(5*time.Minute)
	if err := s.UpdateNotification(ctx, n, read); err != nil {
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
	read = n
	n.Status, n.Attempts, n.SentAt, n.LastError = engine.NotificationSent, 2, ptr(at(5*time.Minute)), ""
	if err := s.UpdateNotification(ctx, n, read); err != nil {
		t.Fatal(err)
	}
	ns, _ = s.Notifications(ctx, n.Dossier, 10)
	if len(ns) != 1 || Diff(n, ns[0]) != "" {
		t.Errorf("after sending: %v", Diff(n, ns[0]))
	}
	if p, _ := s.PendingNotifications(ctx, at(hour), 10); len(p) != 0 {
		t.Errorf("a sent notification is not pending: got %v", idsOf(p))
	}
	ghost := NewNotification("no-such-id", "", at(0))
	err = s.UpdateNotification(ctx, ghost, ghost)
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

// testOfKind: a dossier's notifications of a kind, all or the pending
// ones due or not, none of another kind or another dossier, each with its
// delivery state as last recorded and its data but not its payload
// (engine.SyncPayloadKey), which Notifications still returns.
func testOfKind(t *testing.T, s engine.Store) {
	ctx := t.Context()
	add := func(id, dossier string, when time.Time, status string) engine.Notification {
		n := NewNotification(id, dossier, when)
		n.Kind, n.Status, n.NextAttempt = engine.NotePortalSync, status, when
		n.Data = map[string]string{"seq": id, engine.SyncPayloadKey: `{"record_id":"` + id + `"}`}
		if _, err := s.AddNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	add("a1", "A", at(time.Minute), engine.NotificationSent)
	a2 := add("a2", "A", at(2*time.Minute), engine.NotificationPending)
	add("a3", "A", at(3*time.Minute), engine.NotificationFailed)
	add("a4", "A", at(24*time.Hour), engine.NotificationPending) // waiting for a later attempt
	add("b1", "B", at(time.Minute), engine.NotificationPending)
	// An attempt recorded after the insert is what the answer reflects.
	sent := a2
	sent.Status, sent.Attempts, sent.SentAt = engine.NotificationSent, 1, new(at(time.Hour))
	if err := s.UpdateNotification(ctx, sent, a2); err != nil {
		t.Fatal(err)
	}
	add("a5", "A", at(4*time.Minute), engine.NotificationPending)
	other := NewNotification("a6", "A", at(5*time.Minute)) // pending, another kind
	if _, err := s.AddNotification(ctx, other); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rule        string
		pendingOnly bool
		want        []string
	}{
		{"pending of A: a2 sent since, a1 sent, a3 given up, a6 another kind, b1 another dossier's", true, []string{"a4", "a5"}},
		{"all of A's sync records, none of another kind or dossier", false, []string{"a1", "a2", "a3", "a4", "a5"}},
	} {
		got, err := s.NotificationsOfKind(ctx, "A", engine.NotePortalSync, c.pendingOnly)
		if err != nil {
			t.Fatal(err)
		}
		ids := idsOf(got)
		slices.Sort(ids)
		if !slices.Equal(ids, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, ids, c.want)
		}
		for _, n := range got {
			if _, ok := n.Data[engine.SyncPayloadKey]; ok || n.Data["seq"] != n.ID {
				t.Errorf("%s: %s's data %v, want its seq and no payload", c.rule, n.ID, n.Data)
			}
			if n.ID == "a2" && (n.Status != engine.NotificationSent || n.Attempts != 1) {
				t.Errorf("%s: a2 %s after %d attempts, want sent after 1", c.rule, n.Status, n.Attempts)
			}
		}
	}
	if got, err := s.NotificationsOfKind(ctx, "Z", engine.NotePortalSync, false); err != nil || len(got) != 0 {
		t.Errorf("unknown dossier: %v %v, want none", idsOf(got), err)
	}
	// The payload is only left out of this read: the dispatcher's read
	// of the same record carries it.
	ns, err := s.Notifications(ctx, "A", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.Kind == engine.NotePortalSync && n.Data[engine.SyncPayloadKey] != `{"record_id":"`+n.ID+`"}` {
			t.Errorf("Notifications: %s's payload %q", n.ID, n.Data[engine.SyncPayloadKey])
		}
	}
}

// testAddNotificationAfterApply: the ID is the at-most-once key across
// the outbox, including notifications written with a dossier (which
// MongoDB keeps in the dossier's document until relayed).
func testAddNotificationAfterApply(t *testing.T, s engine.Store) {
	ctx := t.Context()
	d := NewDossier("XA01-260302-0001")
	first := NewNotification(d.Code+"/1/handover", d.Code, at(0))
	mustInsert(t, s, d, first)
	second := NewNotification(d.Code+"/2/handover", d.Code, at(hour))
	if err := s.Apply(ctx, next(d, "phe_duyet", at(hour)), 1, []engine.Notification{second}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []engine.Notification{first, second} {
		again := NewNotification(n.ID, "", at(day))
		again.Kind = "digest"
		ok, err := s.AddNotification(ctx, again)
		if err != nil || ok {
			t.Errorf("AddNotification of %s, written with the dossier: %v %v, want false, nil", n.ID, ok, err)
		}
	}
	ns, err := s.Notifications(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || Diff(second, ns[0]) != "" || Diff(first, ns[1]) != "" {
		t.Errorf("the notifications written with the dossier must be kept as they were: %v", idsOf(ns))
	}
}

// testPendingTies: notifications due at the same instant come by ID,
// whatever their decision instants (MongoDB once sorted those first).
func testPendingTies(t *testing.T, s engine.Store) {
	ctx := t.Context()
	for _, n := range []struct {
		id      string
		decided time.Time
	}{{"t-c", at(time.Minute)}, {"t-a", at(3 * time.Minute)}, {"t-b", at(2 * time.Minute)}} {
		note := NewNotification(n.id, "", n.decided)
		note.NextAttempt = at(5 * time.Minute)
		if _, err := s.AddNotification(ctx, note); err != nil {
			t.Fatal(err)
		}
	}
	for _, limit := range []int{0, -1, 10} {
		got, err := s.PendingNotifications(ctx, at(hour), limit)
		if err != nil {
			t.Fatal(err)
		}
		if ids := idsOf(got); !slices.Equal(ids, []string{"t-a", "t-b", "t-c"}) {
			t.Errorf("limit %d: got %v, want [t-a t-b t-c] (by next attempt, then ID)", limit, ids)
		}
	}
}

func testNotificationTies(t *testing.T, s engine.Store) {
	ctx := t.Context()
	for _, id := range []string{"t-b", "t-c", "t-a"} {
		if _, err := s.AddNotification(ctx, NewNotification(id, "A", at(time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	for _, limit := range []int{0, -1} {
		got, err := s.Notifications(ctx, "A", limit)
		if err != nil {
			t.Fatal(err)
		}
		if ids := idsOf(got); !slices.Equal(ids, []string{"t-c", "t-b", "t-a"}) {
			t.Errorf("limit %d: got %v, want [t-c t-b t-a] (newest first, then ID descending)", limit, ids)
		}
	}
}

// testUpdateNotificationOnly: UpdateNotification records a delivery
// attempt and nothing else (SQLite once rewrote the whole document).
func testUpdateNotificationOnly(t *testing.T, s engine.Store) {
	ctx := t.Context()
	n := NewNotification("XA01-260302-0001/2/handover", "XA01-260302-0001", at(0))
	if _, err := s.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	upd := n
	upd.Status, upd.Attempts, upd.NextAttempt = engine.NotificationFailed, 3, at(hour)
	upd.SentAt, upd.LastError = ptr(at(time.Minute)), "webhook: 500"
	upd.Kind, upd.To, upd.Data, upd.At, upd.Dossier = "reminder", []string{"someone"}, nil, at(day), "other"
	if err := s.UpdateNotification(ctx, upd, n); err != nil {
		t.Fatal(err)
	}
	want := n
	want.Status, want.Attempts, want.NextAttempt, want.SentAt, want.LastError = upd.Status, upd.Attempts, upd.NextAttempt, upd.SentAt, upd.LastError
	ns, err := s.Notifications(ctx, n.Dossier, 0)
	if err != nil || len(ns) != 1 {
		t.Fatalf("Notifications: %v %v", idsOf(ns), err)
	}
	if diff := Diff(want, ns[0]); diff != "" {
		t.Errorf("after UpdateNotification: %s", diff)
	}
	// A nil SentAt and an empty LastError clear them.
	read := upd
	upd.SentAt, upd.LastError, upd.Status = nil, "", engine.NotificationPending
	if err := s.UpdateNotification(ctx, upd, read); err != nil {
		t.Fatal(err)
	}
	ns, _ = s.Notifications(ctx, n.Dossier, 0)
	if len(ns) != 1 || ns[0].SentAt != nil || ns[0].LastError != "" || ns[0].Status != engine.NotificationPending {
		t.Errorf("clearing the sent instant and the last error: %+v", ns)
	}
}

// attempt is what a dispatcher records after sending n: sent, or a
// failed attempt to retry later.
func attempt(n engine.Notification, ok bool, now time.Time) engine.Notification {
	n.Attempts++
	if ok {
		n.Status, n.SentAt, n.LastError = engine.NotificationSent, ptr(now), ""
	} else {
		n.LastError, n.NextAttempt = "smtp: 451", now.Add(5*time.Minute)
	}
	return n
}

// testUpdateNotificationInTurn: two dispatchers whose leases overlapped
// both read the same pending notification; the first records "sent", the
// second's record of a failed attempt, read before, is refused with a
// *NotificationChangedError and "sent" stands. Without the condition the
// notification went back to pending and was sent again.
func testUpdateNotificationInTurn(t *testing.T, s engine.Store) {
	ctx := t.Context()
	n := NewNotification("XA01-260302-0001/2/handover", "XA01-260302-0001", at(0))
	if _, err := s.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	readA, errA := s.PendingNotifications(ctx, at(time.Minute), 10)
	readB, errB := s.PendingNotifications(ctx, at(time.Minute), 10)
	if errA != nil || errB != nil || len(readA) != 1 || len(readB) != 1 {
		t.Fatalf("both dispatchers read it pending: %v %v, %v %v", idsOf(readA), errA, idsOf(readB), errB)
	}
	sent := attempt(readA[0], true, at(time.Minute))
	if err := s.UpdateNotification(ctx, sent, readA[0]); err != nil {
		t.Fatalf("the first record: %v", err)
	}
	err := s.UpdateNotification(ctx, attempt(readB[0], false, at(time.Minute)), readB[0])
	var changed *engine.NotificationChangedError
	if !errors.As(err, &changed) || engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("the second record, from the same read: got %v, want *NotificationChangedError (conflict)", err)
	}
	ns, err := s.Notifications(ctx, n.Dossier, 0)
	if err != nil || len(ns) != 1 {
		t.Fatalf("Notifications: %v %v", idsOf(ns), err)
	}
	if diff := Diff(sent, ns[0]); diff != "" {
		t.Errorf("the first record must stand: %s", diff)
	}
	if p, _ := s.PendingNotifications(ctx, at(day), 10); len(p) != 0 {
		t.Errorf("a sent notification went back to pending: %v", idsOf(p))
	}
}

// testUpdateNotificationRace: two dispatchers record attempts read from
// the same state at once, many times over: exactly one record of each
// round stands, and the stored attempts count every round once.
func testUpdateNotificationRace(t *testing.T, s engine.Store) {
	ctx := t.Context()
	n := NewNotification("XA01-260302-0001/2/handover", "XA01-260302-0001", at(0))
	if _, err := s.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	const rounds = 20
	for r := range rounds {
		ns, err := s.Notifications(ctx, n.Dossier, 0)
		if err != nil || len(ns) != 1 {
			t.Fatalf("round %d: %v %v", r, idsOf(ns), err)
		}
		read := ns[0]
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				errs[i] = s.UpdateNotification(ctx, attempt(read, false, at(time.Duration(r)*time.Minute)), read)
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			var changed *engine.NotificationChangedError
			switch {
			case err == nil:
				won++
			case !errors.As(err, &changed):
				t.Fatalf("round %d: %v, want nil or *NotificationChangedError", r, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d records stood, want 1", r, won)
		}
	}
	ns, err := s.Notifications(ctx, n.Dossier, 0)
	if err != nil || len(ns) != 1 || ns[0].Attempts != rounds {
		t.Fatalf("after %d rounds: %+v %v, want %d attempts", rounds, ns, err, rounds)
	}
}
