package portalsync

import (
	"context"
	"time"

	"github.com/motcua/motcua/engine"
)

// Sync states of a dossier.
const (
	Synced  = "synced"  // every record acknowledged
	Pending = "pending" // records waiting, none failed yet
	Failed  = "failed"  // the oldest waiting record failed (retried at NextAttempt), or was given up
)

// State is a dossier's sync with the national portal, derived from its
// records in the outbox: nothing else is kept, so it can never disagree
// with what is to be sent.
type State struct {
	State string `json:"state"`
	// Records counts the dossier's sync records; Sent those acknowledged.
	Records int `json:"records"`
	Sent    int `json:"sent"`
	// LastSent is when the last acknowledged record went.
	LastSent *time.Time `json:"last_sent,omitempty"`
	// LastError is the last failed attempt's error, when State is failed.
	LastError string `json:"last_error,omitempty"`
	// NextAttempt is when the failed record is tried again; nil when it
	// was given up.
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
}

// StateOf reads the sync state of dossier code; ok is false when the
// dossier has no sync record (sync off when it changed).
func StateOf(ctx context.Context, st engine.Store, code string) (State, bool, error) {
	ns, err := st.NotificationsOfKind(ctx, code, engine.NotePortalSync, false)
	if err != nil {
		return State{}, false, err
	}
	return Summarize(ns)
}

// Summarize derives the sync state from a dossier's notifications (any
// order; other kinds are ignored).
func Summarize(ns []engine.Notification) (State, bool, error) {
	var s State
	var head, gaveUp, lastSent *engine.Notification
	for i := range ns {
		n := &ns[i]
		if n.Kind != engine.NotePortalSync {
			continue
		}
		s.Records++
		switch n.Status {
		case engine.NotificationSent:
			s.Sent++
			if lastSent == nil || before(*lastSent, *n) {
				lastSent = n
			}
			if n.SentAt != nil && (s.LastSent == nil || n.SentAt.After(*s.LastSent)) {
				t := *n.SentAt
				s.LastSent = &t
			}
		case engine.NotificationPending:
			if head == nil || before(*n, *head) {
				head = n
			}
		case engine.NotificationFailed:
			if gaveUp == nil || before(*gaveUp, *n) {
				gaveUp = n
			}
		}
	}
	if s.Records == 0 {
		return s, false, nil
	}
	switch {
	case head != nil && head.LastError != "":
		s.State, s.LastError = Failed, head.LastError
		t := head.NextAttempt
		s.NextAttempt = &t
	case head != nil:
		s.State = Pending
	case gaveUp != nil && (lastSent == nil || before(*lastSent, *gaveUp)):
		// The last word on the dossier was not delivered: the portal's
		// picture is stale until a later change or a resync.
		s.State, s.LastError = Failed, gaveUp.LastError
	default:
		s.State = Synced
	}
	return s, true, nil
}
