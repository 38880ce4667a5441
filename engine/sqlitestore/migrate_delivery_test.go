package sqlitestore

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestMigrateKeepsDeliveryState opens a folder written before the
// delivery columns, whose notifications keep their delivery state in the
// document only: after the upgrade each reads as before, a sync record is
// found by its kind, and an attempt on an old row is recorded over the
// document's state (and refused when it was read stale).
func TestMigrateKeepsDeliveryState(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := schemaAt(t, dir, stepWith(t, "ADD COLUMN attempts"))
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	const code = "XA01-260302-0001"
	failed := enginetest.NewNotification(code+"/1/portal", code, at)
	failed.Kind, failed.Attempts, failed.LastError = engine.NotePortalSync, 2, "portal answered 503"
	failed.NextAttempt = at.Add(time.Hour)
	failed.Data = map[string]string{"seq": "1", engine.SyncPayloadKey: `{"record_id":"1"}`} // in the document, as before
	sent := enginetest.NewNotification(code+"/1/handover", code, at)
	sent.Status, sent.Attempts, sent.SentAt = engine.NotificationSent, 1, new(at.Add(time.Minute))
	for _, n := range []engine.Notification{failed, sent} {
		doc, err := json.Marshal(notificationDocOf(n))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO notifications (id, dossier, status, next_attempt, at, doc) VALUES (?, ?, ?, ?, ?, ?)`,
			n.ID, n.Dossier, n.Status, ms(n.NextAttempt), ms(n.At), doc); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	ns, err := s.Notifications(ctx, code, 0)
	if err != nil || len(ns) != 2 {
		t.Fatalf("after the upgrade: %v %v", ns, err)
	}
	byID := map[string]engine.Notification{ns[0].ID: ns[0], ns[1].ID: ns[1]}
	for _, want := range []engine.Notification{failed, sent} {
		if diff := enginetest.Diff(want, byID[want.ID]); diff != "" {
			t.Errorf("%s read after the upgrade: %s", want.ID, diff)
		}
	}
	pending, err := s.NotificationsOfKind(ctx, code, engine.NotePortalSync, true)
	if err != nil || len(pending) != 1 || pending[0].ID != failed.ID {
		t.Fatalf("the old sync record by its kind: %v %v", pending, err)
	}
	if _, ok := pending[0].Data[engine.SyncPayloadKey]; ok || pending[0].Data["seq"] != "1" {
		t.Errorf("the old sync record by its kind carries %v, want its seq and not the payload its document holds", pending[0].Data)
	}
	stale := failed
	stale.Attempts = 1
	next := failed
	next.Status, next.Attempts, next.SentAt, next.LastError = engine.NotificationSent, 3, new(at.Add(2*time.Hour)), ""
	var changed *engine.NotificationChangedError
	if err := s.UpdateNotification(ctx, next, stale); !errors.As(err, &changed) {
		t.Errorf("an attempt read with 1 attempt over the document's 2: %v, want NotificationChangedError", err)
	}
	if err := s.UpdateNotification(ctx, next, failed); err != nil {
		t.Fatal(err)
	}
	ns, err = s.Notifications(ctx, code, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.ID == next.ID {
			if diff := enginetest.Diff(next, n); diff != "" {
				t.Errorf("the old row after its attempt: %s", diff)
			}
		}
	}
}
