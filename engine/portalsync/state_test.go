package portalsync_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/portalsync"
)

// TestSummarize names each rule of the derived sync state.
func TestSummarize(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	rec := func(seq int, status, lastErr string) engine.Notification {
		at := t0.Add(time.Duration(seq) * time.Minute)
		n := engine.Notification{ID: engine.SyncRecordID("X", seq, ""), Dossier: "X", Kind: engine.NotePortalSync,
			Channel: engine.ChannelPortal, At: at, Status: status, LastError: lastErr, NextAttempt: at.Add(time.Hour),
			Data: map[string]string{"seq": string(rune('0' + seq))}}
		if status == engine.NotificationSent {
			sent := at.Add(time.Second)
			n.SentAt = &sent
		}
		return n
	}
	staff := engine.Notification{ID: "X/1/handover", Dossier: "X", Kind: "handover", Status: engine.NotificationFailed, LastError: "smtp"}
	cases := []struct {
		rule    string
		ns      []engine.Notification
		state   string
		lastErr string
	}{
		{"every record acknowledged is synced; staff notices do not count",
			[]engine.Notification{rec(1, engine.NotificationSent, ""), rec(2, engine.NotificationSent, ""), staff}, portalsync.Synced, ""},
		{"a record waiting, not yet tried, is pending",
			[]engine.Notification{rec(1, engine.NotificationSent, ""), rec(2, engine.NotificationPending, "")}, portalsync.Pending, ""},
		{"the oldest waiting record failed: failed, with its error",
			[]engine.Notification{rec(1, engine.NotificationPending, "503"), rec(2, engine.NotificationPending, "")}, portalsync.Failed, "503"},
		{"the last record given up: failed, with its error",
			[]engine.Notification{rec(1, engine.NotificationSent, ""), rec(2, engine.NotificationFailed, "gave up")}, portalsync.Failed, "gave up"},
		{"the last record given up, though an earlier one was acknowledged after it was decided: failed",
			[]engine.Notification{withSentAt(rec(1, engine.NotificationSent, ""), t0.Add(time.Hour)), rec(2, engine.NotificationFailed, "gave up")}, portalsync.Failed, "gave up"},
		{"a record given up, then a later one acknowledged: synced (it carries the whole picture)",
			[]engine.Notification{rec(1, engine.NotificationFailed, "gave up"), rec(2, engine.NotificationSent, "")}, portalsync.Synced, ""},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			st, ok, err := portalsync.Summarize(c.ns)
			if err != nil || !ok || st.State != c.state || st.LastError != c.lastErr {
				t.Fatalf("got %+v ok %v err %v, want %s %q", st, ok, err, c.state, c.lastErr)
			}
		})
	}
	if _, ok, _ := portalsync.Summarize([]engine.Notification{staff}); ok {
		t.Error("a dossier without sync records has a sync state")
	}
}

func withSentAt(n engine.Notification, at time.Time) engine.Notification {
	n.SentAt = &at
	return n
}
