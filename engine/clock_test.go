package engine

import (
	"strings"
	"testing"
	"time"
)

// TestReceptionStart checks the valid reception instant and the due
// instant of a same-day procedure with a 15:00 cut-off (Decree 61/2018
// Art 18; birth registration: same day, after 15:00 the next working day).
func TestReceptionStart(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	cases := []struct {
		rule, received, start, due, stepDue string
	}{
		{"within office hours counting starts at once",
			"2026-03-09T09:00:00+07:00", "2026-03-09T09:00:00+07:00", "2026-03-09T17:00:00+07:00", "2026-03-09T14:00:00+07:00"},
		{"exactly at the cut-off is not after it",
			"2026-02-12T15:00:00+07:00", "2026-02-12T15:00:00+07:00", "2026-02-12T17:00:00+07:00", "2026-02-13T10:00:00+07:00"},
		{"after the cut-off counts from the next working day",
			"2026-02-12T16:30:00+07:00", "2026-02-13T08:00:00+07:00", "2026-02-13T17:00:00+07:00", "2026-02-13T12:00:00+07:00"},
		{"after the cut-off on the eve of Tết counts from after Tết",
			"2026-02-13T15:01:00+07:00", "2026-02-23T08:00:00+07:00", "2026-02-23T17:00:00+07:00", "2026-02-23T12:00:00+07:00"},
		// The 4 h step budget ends exactly at the close, and stays there.
		{"during the lunch break counting starts at the afternoon session",
			"2026-03-09T12:10:00+07:00", "2026-03-09T13:00:00+07:00", "2026-03-09T17:00:00+07:00", "2026-03-09T17:00:00+07:00"},
		{"on a weekend counting starts on Monday morning",
			"2026-03-07T10:00:00+07:00", "2026-03-09T08:00:00+07:00", "2026-03-09T17:00:00+07:00", "2026-03-09T12:00:00+07:00"},
		{"the make-up Saturday 10/01/2026 is a working day",
			"2026-01-10T09:00:00+07:00", "2026-01-10T09:00:00+07:00", "2026-01-10T17:00:00+07:00", "2026-01-10T14:00:00+07:00"},
		{"a reception in UTC is read in the calendar's zone (08:30Z is 15:30, after the cut-off)",
			"2026-03-09T08:30:00Z", "2026-03-10T08:00:00+07:00", "2026-03-10T17:00:00+07:00", "2026-03-10T12:00:00+07:00"},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			d := receive(t, env, c.received)
			if got := showT(d.StartAt); got != c.start {
				t.Errorf("StartAt = %s, want %s", got, c.start)
			}
			if got := show(d.DueAt); got != c.due {
				t.Errorf("DueAt = %s, want %s", got, c.due)
			}
			if got := show(d.AppointmentAt); got != c.due {
				t.Errorf("AppointmentAt = %s, want the due %s", got, c.due)
			}
			if got := show(d.StepDueAt); got != c.stepDue {
				t.Errorf("StepDueAt = %s, want %s", got, c.stepDue)
			}
			if got := showT(d.ReceivedAt); got != showT(at(t, c.received)) {
				t.Errorf("ReceivedAt = %s, want the desk's instant %s", got, c.received)
			}
			if d.Status != StatusInProgress || d.State != "received" || d.Unit != "tiep-nhan" || len(d.History) != 1 || d.History[0].Seq != 1 {
				t.Errorf("status %s state %s unit %s history %d", d.Status, d.State, d.Unit, len(d.History))
			}
		})
	}
}

// TestSupplementPause: a pause stops the clock; the resume continues with
// the working time left (the "pause" mode real systems offer).
func TestSupplementPause(t *testing.T) {
	t.Parallel()
	env := envOf(t, businessProc(t, SupplementPause))
	d := receive(t, env, "2026-03-09T09:00:00+07:00")
	// 3 working days = 24 h: Mon 7 h, Tue 8, Wed 8, Thu 1.
	if got := show(d.DueAt); got != "2026-03-12T09:00:00+07:00" {
		t.Fatalf("DueAt = %s, want Thu 12/03 09:00", got)
	}
	d = run(t, env, d,
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-10T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu"}})
	if d.Status != StatusPaused || d.DueAt != nil || d.AppointmentAt != nil || d.StepDueAt != nil {
		t.Fatalf("while waiting: status %s due %s appointment %s step due %s; want paused with no due",
			d.Status, show(d.DueAt), show(d.AppointmentAt), show(d.StepDueAt))
	}
	// 9 h consumed (Mon 7, Tue 2): 15 h left from Fri 14:00 → Fri 3, Mon 8,
	// Tue 4 → Tue 17/03 12:00, kept at the session's end.
	resumed := run(t, env, d, act{"2026-03-13T14:00:00+07:00", "supplemented", "tn01", nil})
	if resumed.Status != StatusInProgress || show(resumed.DueAt) != "2026-03-17T12:00:00+07:00" {
		t.Errorf("resumed: status %s due %s, want in_progress due Tue 17/03 12:00", resumed.Status, show(resumed.DueAt))
	}
	// A resume outside office hours counts from the next session.
	late := run(t, env, d, act{"2026-03-13T18:00:00+07:00", "supplemented", "tn01", nil})
	if got := show(late.DueAt); got != "2026-03-17T16:00:00+07:00" {
		t.Errorf("resumed Fri 18:00: due %s, want Tue 17/03 16:00 (Mon 8 h + Tue 7 h)", got)
	}
	kinds := ledgerKinds(resumed)
	if kinds != "start pause resume" {
		t.Errorf("ledger %q, want start pause resume", kinds)
	}
	// Finished after the resume: work taken excludes the paused time.
	done := run(t, env, resumed, act{"2026-03-16T10:00:00+07:00", "issue", "kt01", nil})
	if want := 14 * time.Hour; done.WorkTaken != want { // 9 h before + Fri 3 h + Mon 2 h
		t.Errorf("WorkTaken = %s, want %s", done.WorkTaken, want)
	}
	if done.Timeliness != Early {
		t.Errorf("finished Mon, due Tue: timeliness %s, want early", done.Timeliness)
	}
}

// TestSupplementRestart: the limit restarts from zero once the complete
// dossier comes back (Decree 61/2018 Art 19 as amended by 107/2021).
func TestSupplementRestart(t *testing.T) {
	t.Parallel()
	env := envOf(t, businessProc(t, SupplementRestart))
	d := run(t, env, receive(t, env, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-10T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu"}})
	if d.Status != StatusPaused || d.DueAt != nil {
		t.Fatalf("while waiting: status %s due %s, want paused, no due", d.Status, show(d.DueAt))
	}
	cases := []struct{ rule, back, due string }{
		{"the full 3 working days from the return", "2026-03-16T14:00:00+07:00", "2026-03-19T14:00:00+07:00"},
		{"a return after the cut-off counts from the next working day", "2026-03-16T16:00:00+07:00", "2026-03-19T17:00:00+07:00"},
		{"a return just before Tết counts after it", "2026-02-13T10:00:00+07:00", "2026-02-24T10:00:00+07:00"},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			if c.back < "2026-03" { // a dossier that waited over Tết
				d := run(t, env, receive(t, env, "2026-02-09T09:00:00+07:00"),
					act{"2026-02-09T10:00:00+07:00", "transfer", "tn01", nil},
					act{"2026-02-10T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu"}})
				// Fri 13/02 10:00 + 24 h: Fri 6 h, Mon 23/02 8, Tue 8, Wed 2.
				r := run(t, env, d, act{c.back, "supplemented", "tn01", nil})
				if got := show(r.DueAt); got != "2026-02-25T10:00:00+07:00" {
					t.Errorf("due %s, want Wed 25/02 10:00", got)
				}
				return
			}
			r := run(t, env, d, act{c.back, "supplemented", "tn01", nil})
			if got := show(r.DueAt); got != c.due {
				t.Errorf("due %s, want %s", got, c.due)
			}
			if r.Status != StatusInProgress || ledgerKinds(r) != "start stop restart" {
				t.Errorf("status %s ledger %q", r.Status, ledgerKinds(r))
			}
		})
	}
}

// TestExplicitRestart: a complaint's resolution time counts from its
// acceptance (Complaints Law 2011 Art 28), an action with clock: restart.
func TestExplicitRestart(t *testing.T) {
	t.Parallel()
	env := envOf(t, complaintProc(t))
	d := receive(t, env, "2026-03-02T09:00:00+07:00")
	// 30 days from Mon 02/03: Wed 01/04, end of office hours.
	if got := show(d.DueAt); got != "2026-04-01T17:00:00+07:00" {
		t.Fatalf("DueAt = %s, want Wed 01/04 17:00", got)
	}
	// Acceptance budget: 10 days (Arts 27, 36): Thu 12/03.
	if got := show(d.StepDueAt); got != "2026-03-12T17:00:00+07:00" {
		t.Errorf("StepDueAt = %s, want Thu 12/03 17:00", got)
	}
	d = run(t, env, d, act{"2026-03-11T10:00:00+07:00", "accept", "tt01", nil})
	// 30 days from Wed 11/03: Fri 10/04.
	if got := show(d.DueAt); got != "2026-04-10T17:00:00+07:00" {
		t.Errorf("after acceptance DueAt = %s, want Fri 10/04 17:00", got)
	}
	if got := ledgerKinds(d); got != "start restart" {
		t.Errorf("ledger %q, want start restart", got)
	}
	if d.History[1].StepResult != Early {
		t.Errorf("accepted on day 9 of 10: step result %q, want early", d.History[1].StepResult)
	}
}

// TestDenunciationExtensions: 30 days from acceptance, extended once or
// twice by 30 days (Denunciations Law 2018 Art 30), calendar days whose
// end moves off a day off (Civil Code 2015 Art 148).
func TestDenunciationExtensions(t *testing.T) {
	t.Parallel()
	env := envOf(t, denunciationProc(t))
	d := receive(t, env, "2026-03-31T10:00:00+07:00")
	// 31/03 + 30 days = Thu 30/04, a holiday (and 01–03/05): Mon 04/05.
	if got := show(d.DueAt); got != "2026-05-04T17:00:00+07:00" {
		t.Fatalf("DueAt = %s, want Mon 04/05 17:00 (Art 148 past 30/04–03/05)", got)
	}
	once := run(t, env, d, act{"2026-04-20T09:00:00+07:00", "extend", "tt01", map[string]string{"decision": "QĐ 1"}})
	// 60 days from 31/03: Sat 30/05 → Mon 01/06.
	if got := show(once.DueAt); got != "2026-06-01T17:00:00+07:00" {
		t.Errorf("after one extension DueAt = %s, want Mon 01/06 17:00", got)
	}
	twice := run(t, env, once, act{"2026-05-25T09:00:00+07:00", "extend", "tt01", map[string]string{"decision": "QĐ 2"}})
	// 90 days from 31/03: Mon 29/06.
	if got := show(twice.DueAt); got != "2026-06-29T17:00:00+07:00" {
		t.Errorf("after two extensions DueAt = %s, want Mon 29/06 17:00", got)
	}
	if twice.Uses["extend"] != 2 || ledgerKinds(twice) != "start extend extend" {
		t.Errorf("uses %v ledger %q", twice.Uses, ledgerKinds(twice))
	}
	if twice.State != "accepted" || len(twice.History) != 3 || twice.History[2].ToState != "accepted" {
		t.Errorf("an extension must not move the dossier: state %s, %d rows", twice.State, len(twice.History))
	}
	// Concluded after the first limit but within the extended one.
	done := run(t, env, twice, act{"2026-06-15T10:00:00+07:00", "conclude", "tt01", nil})
	if done.Timeliness != Early || done.Result != OutcomeApproved {
		t.Errorf("timeliness %s result %s, want early approved", done.Timeliness, done.Result)
	}
}

// TestExtensionAfterPause: an extension after a resume adds to the due
// instant; during the pause it adds to the time left. Both must agree.
func TestExtensionAfterPause(t *testing.T) {
	t.Parallel()
	env := envOf(t, businessProc(t, SupplementPause))
	waiting := run(t, env, receive(t, env, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-10T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu"}})
	after := run(t, env, waiting,
		act{"2026-03-13T14:00:00+07:00", "supplemented", "tn01", nil},
		act{"2026-03-16T09:00:00+07:00", "extend", "kt01", nil})
	// Due Tue 17/03 12:00 after the resume, + 16 h: Tue 4, Wed 8, Thu 4.
	if got := show(after.DueAt); got != "2026-03-19T12:00:00+07:00" {
		t.Errorf("extended after the resume: due %s, want Thu 19/03 12:00", got)
	}
	during := run(t, env, waiting,
		act{"2026-03-11T09:00:00+07:00", "extend", "kt01", nil},
		act{"2026-03-13T14:00:00+07:00", "supplemented", "tn01", nil})
	if got := show(during.DueAt); got != "2026-03-19T12:00:00+07:00" {
		t.Errorf("extended while paused: due %s, want Thu 19/03 12:00 (40 h − 9 h from Fri 14:00)", got)
	}
	if during.Status != StatusInProgress {
		t.Errorf("status %s", during.Status)
	}
	// Before any pause, the extension lengthens the limit from the start.
	plain := run(t, env, receive(t, env, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-10T10:00:00+07:00", "extend", "kt01", nil})
	if got := show(plain.DueAt); got != "2026-03-16T09:00:00+07:00" {
		t.Errorf("extended without a pause: due %s, want Mon 16/03 09:00 (5 working days from Mon 09/03 09:00)", got)
	}
}

// TestReappointment: an apology letter (form 04) sets a new appointment
// for the applicant, but timeliness is still judged against the legal due.
func TestReappointment(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	d := run(t, env, receive(t, env, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-09T15:00:00+07:00", "apologize", "tp01", map[string]string{"due_at": "2026-03-10T17:00:00+07:00", "reason": "chờ xác minh"}})
	if show(d.AppointmentAt) != "2026-03-10T17:00:00+07:00" || show(d.DueAt) != "2026-03-09T17:00:00+07:00" {
		t.Fatalf("appointment %s due %s, want appointment Tue 10/03 17:00 and the legal due unchanged", show(d.AppointmentAt), show(d.DueAt))
	}
	if d.State != "processing" || d.Uses["apologize"] != 1 {
		t.Errorf("state %s uses %v", d.State, d.Uses)
	}
	done := run(t, env, d,
		act{"2026-03-10T09:00:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}},
		act{"2026-03-10T10:00:00+07:00", "sign", "ld01", nil})
	if done.Timeliness != Late {
		t.Errorf("finished before the new appointment but after the legal due: %s, want late", done.Timeliness)
	}
	if show(done.AppointmentAt) != "2026-03-10T17:00:00+07:00" {
		t.Errorf("finished dossier lost its appointment: %s", show(done.AppointmentAt))
	}
}

// TestFinishTimeliness: before the due day early, on the due day at or
// before the due instant on time, after it late (domain brief).
func TestFinishTimeliness(t *testing.T) {
	t.Parallel()
	birth := envOf(t, birthProc(t))
	biz := envOf(t, businessProc(t, SupplementRestart))
	cases := []struct {
		rule     string
		env      Env
		received string
		script   []act
		want     Timeliness
		finished string
	}{
		{"signed exactly at the due instant is on time", birth, "2026-03-09T09:00:00+07:00", []act{
			{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
			{"2026-03-09T11:00:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}},
			{"2026-03-09T17:00:00+07:00", "sign", "ld01", nil},
		}, OnTime, "2026-03-09T17:00:00+07:00"},
		{"a second after the due instant is late", birth, "2026-03-09T09:00:00+07:00", []act{
			{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
			{"2026-03-09T11:00:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}},
			{"2026-03-09T17:00:01+07:00", "sign", "ld01", nil},
		}, Late, "2026-03-09T17:00:01+07:00"},
		{"received after the cut-off before Tết, signed after Tết is late", birth, "2026-02-12T16:30:00+07:00", []act{
			{"2026-02-23T08:30:00+07:00", "transfer", "tn01", nil},
			{"2026-02-23T09:00:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}},
			{"2026-02-23T10:00:00+07:00", "sign", "ld01", nil},
		}, Late, "2026-02-23T10:00:00+07:00"},
		{"the same day before the due instant is on time, not early", birth, "2026-03-09T09:00:00+07:00", []act{
			{"2026-03-09T09:10:00+07:00", "transfer", "tn01", nil},
			{"2026-03-09T09:20:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}},
			{"2026-03-09T09:30:00+07:00", "sign", "ld01", nil},
		}, OnTime, "2026-03-09T09:30:00+07:00"},
		{"a day before the due day is early", biz, "2026-03-09T09:00:00+07:00", []act{
			{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
			{"2026-03-11T16:00:00+07:00", "issue", "kt01", nil},
		}, Early, "2026-03-11T16:00:00+07:00"},
		{"a refusal is judged like any result", birth, "2026-03-09T09:00:00+07:00", []act{
			{"2026-03-10T08:00:00+07:00", "refuse", "tn01", map[string]string{"reason": "không thuộc thẩm quyền"}},
		}, Late, "2026-03-10T08:00:00+07:00"},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			d := run(t, c.env, receive(t, c.env, c.received), c.script...)
			if d.Status != StatusFinished || d.Timeliness != c.want || show(d.FinishedAt) != c.finished {
				t.Errorf("status %s timeliness %s finished %s; want finished %s at %s",
					d.Status, d.Timeliness, show(d.FinishedAt), c.want, c.finished)
			}
			if d.NextCheckAt != nil || d.StepDueAt != nil {
				t.Errorf("a finished dossier keeps a next check %s or a step due %s", show(d.NextCheckAt), show(d.StepDueAt))
			}
			if k := ledgerKinds(d); !strings.HasSuffix(k, "finish") {
				t.Errorf("ledger %q does not end with finish", k)
			}
		})
	}
}

// TestWithdrawWhilePaused: the applicant may withdraw while the office
// waits for them (Decree 118/2025 Art 21); there is no due to judge.
func TestWithdrawWhilePaused(t *testing.T) {
	t.Parallel()
	env := envOf(t, businessProc(t, SupplementPause))
	d := run(t, env, receive(t, env, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-10T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu"}},
		act{"2026-03-12T09:00:00+07:00", "withdraw", "tn01", map[string]string{"note": "công dân rút"}})
	if d.Status != StatusFinished || d.Result != OutcomeWithdrawn || d.State != "withdrawn" {
		t.Fatalf("status %s result %s state %s", d.Status, d.Result, d.State)
	}
	if show(d.FinishedAt) != "2026-03-12T09:00:00+07:00" || d.DueAt != nil || d.Timeliness != "" {
		t.Errorf("finished %s due %s timeliness %q; want no due and no timeliness", show(d.FinishedAt), show(d.DueAt), d.Timeliness)
	}
	if d.WorkTaken != 9*time.Hour {
		t.Errorf("WorkTaken = %s, want 9h (the paused days excluded)", d.WorkTaken)
	}
	if got := ledgerKinds(d); got != "start pause finish" {
		t.Errorf("ledger %q", got)
	}
}

// TestStepBudgets: each history row judges the step just left against
// that step's own budget (process control slip, Circular 01/2018 form 05).
func TestStepBudgets(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	// Received Thu 12/02 16:30, after the cut-off: reception's 4 h budget
	// runs Fri 13/02 08:00–12:00; the office reopens after Tết.
	d := run(t, env, receive(t, env, "2026-02-12T16:30:00+07:00"),
		act{"2026-02-13T11:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-02-13T13:00:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}},
		act{"2026-02-23T09:00:00+07:00", "sign", "ld01", nil})
	want := []struct {
		seq                int
		action, from, to   string
		fromUnit, toUnit   string
		stepStart, stepDue string
		result             Timeliness
	}{
		{1, "receive", "", "received", "", "tiep-nhan", "<nil>", "<nil>", ""},
		{2, "transfer", "received", "processing", "tiep-nhan", "tu-phap", "2026-02-12T16:30:00+07:00", "2026-02-13T12:00:00+07:00", OnTime},
		// 2 working hours from Fri 11:00: 11–12 and 13–14.
		{3, "submit", "processing", "signing", "tu-phap", "lanh-dao", "2026-02-13T11:00:00+07:00", "2026-02-13T14:00:00+07:00", OnTime},
		// 1 working hour from Fri 13:00: 14:00; signed after Tết.
		{4, "sign", "signing", "returned", "lanh-dao", "", "2026-02-13T13:00:00+07:00", "2026-02-13T14:00:00+07:00", Late},
	}
	if len(d.History) != len(want) {
		t.Fatalf("%d rows, want %d", len(d.History), len(want))
	}
	for i, w := range want {
		h := d.History[i]
		got := []string{h.Action, h.FromState, h.ToState, h.FromUnit, h.ToUnit, show(h.StepStartedAt), show(h.StepDueAt), string(h.StepResult)}
		exp := []string{w.action, w.from, w.to, w.fromUnit, w.toUnit, w.stepStart, w.stepDue, string(w.result)}
		if h.Seq != w.seq || strings.Join(got, "|") != strings.Join(exp, "|") {
			t.Errorf("row %d: seq %d %v\n want seq %d %v", i, h.Seq, got, w.seq, exp)
		}
	}
	// The signing step entered Fri 13:00 has no budget left on Fri? It
	// does: 1 h, so the step due shown while in it must be 14:00.
	mid := run(t, env, receive(t, env, "2026-02-12T16:30:00+07:00"),
		act{"2026-02-13T11:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-02-13T16:30:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}})
	// Entered at 16:30: 30 min on Fri, 30 min after Tết.
	if got := show(mid.StepDueAt); got != "2026-02-23T08:30:00+07:00" {
		t.Errorf("signing step due %s, want Mon 23/02 08:30", got)
	}
	if mid.History[2].StepResult != Late {
		t.Errorf("submitted 16:30 against a 14:00 step due: %s, want late", mid.History[2].StepResult)
	}
	// Early against the step's own budget: review has 2 working days.
	biz := envOf(t, businessProc(t, SupplementRestart))
	b := run(t, biz, receive(t, biz, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-10T10:00:00+07:00", "issue", "kt01", nil})
	if h := b.History[2]; show(h.StepDueAt) != "2026-03-11T10:00:00+07:00" || h.StepResult != Early {
		t.Errorf("review: step due %s result %s, want Wed 11/03 10:00 early", show(h.StepDueAt), h.StepResult)
	}
}

// TestHistorySeq: rows are numbered 1..n without gaps, in-place actions
// (extensions, re-appointments) included; handovers notify the new unit.
func TestHistorySeq(t *testing.T) {
	t.Parallel()
	env := envOf(t, businessProc(t, SupplementRestart))
	d := receive(t, env, "2026-03-09T09:00:00+07:00")
	dec, err := Step(env, d, ActInput{Action: "transfer", Actor: "tn01"}, at(t, "2026-03-09T10:00:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dec.Notifications) != 1 || dec.Notifications[0].Kind != "handover" ||
		strings.Join(dec.Notifications[0].To, ",") != "kt01" || dec.Notifications[0].ID != d.Code+"/2/handover" {
		t.Errorf("handover notifications %+v", dec.Notifications)
	}
	if dec.Row.Seq != 2 || !sameRow(dec.Row, dec.Dossier.History[1]) {
		t.Errorf("Decision.Row %+v is not the appended row", dec.Row)
	}
	d = run(t, env, dec.Dossier,
		act{"2026-03-09T11:00:00+07:00", "extend", "kt01", nil},
		act{"2026-03-10T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu"}},
		act{"2026-03-12T10:00:00+07:00", "supplemented", "tn01", nil},
		act{"2026-03-13T10:00:00+07:00", "issue", "kt01", nil})
	for i, h := range d.History {
		if h.Seq != i+1 {
			t.Errorf("row %d has Seq %d", i, h.Seq)
		}
	}
	if len(d.History) != 6 {
		t.Errorf("%d rows, want 6", len(d.History))
	}
}

func sameRow(a, b HistoryRow) bool {
	return a.Seq == b.Seq && a.Action == b.Action && a.At.Equal(b.At) && a.ToState == b.ToState
}

// TestJudge: the comparison itself, in the calendar's zone.
func TestJudge(t *testing.T) {
	t.Parallel()
	due := at(t, "2026-03-09T17:00:00+07:00")
	cases := []struct {
		rule, done string
		want       Timeliness
	}{
		{"exactly at the due instant is on time", "2026-03-09T17:00:00+07:00", OnTime},
		{"earlier on the due day is on time", "2026-03-09T08:00:00+07:00", OnTime},
		{"the last instant of the previous day is early", "2026-03-08T23:59:59+07:00", Early},
		{"a nanosecond late is late", "2026-03-09T17:00:00.000000001+07:00", Late},
		// 00:30 on the 9th in Hanoi is the 8th in UTC: days count in the
		// calendar's zone, so this is the due day.
		{"the day is read in the calendar's zone", "2026-03-08T17:30:00Z", OnTime},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			done, err := time.Parse(time.RFC3339Nano, c.done)
			if err != nil {
				t.Fatal(err)
			}
			if got := Judge(done, due, vnCal); got != c.want {
				t.Errorf("Judge(%s) = %s, want %s", c.done, got, c.want)
			}
		})
	}
}

// TestDeriveClockLedger checks the ledger replay directly: explanation
// lines, errors, and that a derivation is a pure function of the ledger.
func TestDeriveClockLedger(t *testing.T) {
	t.Parallel()
	p := businessProc(t, SupplementPause)
	ledger := []ClockEvent{
		{Kind: ClockStart, At: at(t, "2026-03-09T09:00:00+07:00"), Limit: "3 working days"},
		{Kind: ClockPause, At: at(t, "2026-03-10T10:00:00+07:00")},
		{Kind: ClockPause, At: at(t, "2026-03-10T11:00:00+07:00")}, // a second pause is ignored
		{Kind: ClockResume, At: at(t, "2026-03-13T14:00:00+07:00")},
		{Kind: ClockResume, At: at(t, "2026-03-13T15:00:00+07:00")}, // so is a second resume
	}
	cs, err := DeriveClock(p, vnCal, ledger, "en")
	if err != nil {
		t.Fatal(err)
	}
	if showT(cs.Due) != "2026-03-17T12:00:00+07:00" || cs.Consumed != 9*time.Hour || cs.Paused || cs.Generation != 1 {
		t.Errorf("due %s consumed %s paused %v generation %d", showT(cs.Due), cs.Consumed, cs.Paused, cs.Generation)
	}
	if len(cs.Explanation) != 3 || !strings.Contains(cs.Explanation[2], "15 working hours left") {
		t.Errorf("explanation %q", cs.Explanation)
	}
	vi, _ := DeriveClock(p, vnCal, ledger, "vi")
	if !strings.Contains(vi.Explanation[2], "còn 15 giờ làm việc") {
		t.Errorf("Vietnamese explanation %q", vi.Explanation)
	}
	if _, err := DeriveClock(p, vnCal, []ClockEvent{{Kind: ClockStart, At: ledger[0].At, Limit: "three days"}}, "vi"); err == nil ||
		!strings.Contains(err.Error(), "ledger event 1") {
		t.Errorf("bad limit: %v", err)
	}
	if _, err := DeriveClock(p, vnCal, []ClockEvent{{Kind: "rewind", At: ledger[0].At}}, "vi"); err == nil ||
		!strings.Contains(err.Error(), `unknown kind "rewind"`) {
		t.Errorf("unknown kind: %v", err)
	}
	// Extending a same-day limit by a same-day limit has no meaning:
	// the clock must not collapse to zero (Duration.Add refuses it).
	same := []ClockEvent{
		{Kind: ClockStart, At: at(t, "2026-03-09T09:00:00+07:00"), Limit: "same day"},
		{Kind: ClockExtend, At: at(t, "2026-03-09T10:00:00+07:00"), Limit: "1 working day"},
	}
	cs, err = DeriveClock(birthProc(t), vnCal, same, "en")
	if err != nil {
		t.Fatal(err)
	}
	if showT(cs.Due) != "2026-03-10T17:00:00+07:00" {
		t.Errorf("same day + 1 working day: due %s, want Tue 10/03 17:00", showT(cs.Due))
	}
	same[1].Limit = "same day"
	cs, err = DeriveClock(birthProc(t), vnCal, same, "en")
	if err != nil {
		t.Fatal(err)
	}
	if showT(cs.Due) != "2026-03-09T17:00:00+07:00" {
		t.Errorf("same day + same day: due %s, want the same day's close, not the start", showT(cs.Due))
	}
}

func ledgerKinds(d *Dossier) string {
	var ks []string
	for _, e := range d.Ledger {
		ks = append(ks, string(e.Kind))
	}
	return strings.Join(ks, " ")
}
