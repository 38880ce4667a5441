package engine

import "testing"

// TestDueFlags names each rule of overdue and due today.
func TestDueFlags(t *testing.T) {
	t.Parallel()
	due := at(t, "2026-03-10T17:00:00+07:00")
	open := &Dossier{Status: StatusInProgress, DueAt: &due}
	paused := &Dossier{Status: StatusPaused, DueAt: &due}
	finished := &Dossier{Status: StatusFinished, DueAt: &due}
	undated := &Dossier{Status: StatusInProgress}
	cases := []struct {
		rule              string
		d                 *Dossier
		now               string
		overdue, dueToday bool
	}{
		{"due later today is due today", open, "2026-03-10T09:00:00+07:00", false, true},
		{"due at this very instant is not yet overdue", open, "2026-03-10T17:00:00+07:00", false, true},
		{"a moment past the due instant is overdue, not due today", open, "2026-03-10T17:00:01+07:00", true, false},
		{"due tomorrow is neither", open, "2026-03-09T23:59:00+07:00", false, false},
		{"the legal day is the calendar's: 01:00 UTC on the 10th is already the 10th in Hà Nội", open, "2026-03-10T01:00:00Z", false, true},
		{"a paused dossier past its due instant is overdue too", paused, "2026-03-11T08:00:00+07:00", true, false},
		{"a finished dossier is never overdue", finished, "2026-03-11T08:00:00+07:00", false, false},
		{"a dossier without a due instant is neither", undated, "2026-03-10T09:00:00+07:00", false, false},
	}
	for _, c := range cases {
		od, today := DueFlags(c.d, at(t, c.now), hcm)
		if od != c.overdue || today != c.dueToday {
			t.Errorf("%s: overdue %v, due today %v; want %v, %v", c.rule, od, today, c.overdue, c.dueToday)
		}
	}
}
