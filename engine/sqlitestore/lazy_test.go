package sqlitestore

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// TestLazyBatchRestoresFullSync: an acknowledgement commits alone, lazily,
// and the writer is back at synchronous=FULL (2) afterwards, so that the
// writes that take it directly, and the next transition, are fsynced.
func TestLazyBatchRestoresFullSync(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	n := engine.Notification{ID: "n1", Kind: engine.NotePortalSync, Status: engine.NotificationPending, At: at, NextAttempt: at}
	if _, err := s.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	sent := n
	sent.Status, sent.Attempts, sent.SentAt = engine.NotificationSent, 1, &at
	if err := s.UpdateNotification(ctx, sent, n); err != nil {
		t.Fatal(err)
	}
	var mode int
	if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != 2 {
		t.Errorf("synchronous is %d after a lazy batch, want 2 (FULL)", mode)
	}
	if got, err := s.PendingNotifications(ctx, at, 0); err != nil || len(got) != 0 {
		t.Errorf("pending after the acknowledgement: %v %v", got, err)
	}
}
