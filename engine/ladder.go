package engine

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// Kinds of notification the deadline watch decides (Notification.Kind).
const (
	// NoteReminder tells the acting unit's officers that a step deadline
	// is near (a rung with Before).
	NoteReminder = "reminder"
	// NoteBreach tells the unit head that a step deadline has passed (the
	// first rung at or right after the deadline: After of zero).
	NoteBreach = "breach"
	// NoteEscalation tells the head of the named unit that a deadline is
	// well past (a rung with a positive After).
	NoteEscalation = "escalation"
	// NoteApologyDue tells the acting unit to issue the apology letter with
	// a new appointment (form 04), at least one working day before the
	// overall due instant (Decree 61/2018 Art 19, as amended).
	NoteApologyDue = "apology_due"
	// NoteDigest is a unit head's daily digest.
	NoteDigest = "digest"
	// NoteHandover tells a unit that a dossier has reached it.
	NoteHandover = "handover"
	// NoteAssigned tells an officer that the unit head assigned them the
	// dossier's current step (assign.go).
	NoteAssigned = "assigned"
)

// Rung targets besides a unit id (whose head is told).
const (
	NotifyAssignee = "assignee"  // the officers of the unit acting in the state
	NotifyUnitHead = "unit_head" // the head of that unit
)

// RungKey identifies one firing of one rung: the dossier, the step visit
// and the clock generation it belongs to. A new visit or a restarted
// clock yields new keys, which re-arms the ladder.
func RungKey(d *Dossier, generation, level int) string {
	return fmt.Sprintf("v%d/g%d/r%d", d.StepVisit, generation, level)
}

// ApologyKey identifies the apology-letter notice of one clock
// generation. It does not depend on the step visit: the notice is about
// the overall due instant, which a handover does not move.
func ApologyKey(generation int) string {
	return fmt.Sprintf("g%d/apology", generation)
}

// extensionSuffix distinguishes the keys of alarms on an overall due
// instant that extensions of the current generation moved ("/e1", "/e2");
// empty when none did, so keys stay stable for the common case.
func extensionSuffix(d *Dossier) string {
	n := 0
	for _, ev := range d.Ledger {
		switch ev.Kind {
		case ClockStart, ClockRestart:
			n = 0
		case ClockExtend:
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("/e%d", n)
}

// Generation returns the clock generation of d, the number of starts and
// restarts in its ledger: the same value DeriveClock reports, without
// replaying the calendar.
func Generation(d *Dossier) int {
	n := 0
	for _, ev := range d.Ledger {
		if ev.Kind == ClockStart || ev.Kind == ClockRestart {
			n++
		}
	}
	return n
}

// Alarm is one armed item of a dossier's watch: a rung of the ladder or
// the apology-letter notice, with the instant it fires.
type Alarm struct {
	// Key is what goes into Dossier.Fired once it has fired.
	Key string
	// Kind is the notification kind (NoteReminder, NoteBreach, ...).
	Kind string
	// Level is the rung's position on the ladder (1 = first); 0 for the
	// apology notice.
	Level int
	// Rung is the ladder rung; nil for the apology notice.
	Rung *Rung
	// Deadline is the instant the alarm is relative to: the step deadline
	// (or the overall due instant when the step has no budget), or the
	// overall due instant for the apology notice.
	Deadline time.Time
	// At is when the alarm fires: the rung's instant, moved to the next
	// office session start unless the rung may fire off hours.
	At time.Time
}

// Alarms returns the alarms armed for d in its current step visit and
// clock generation, fired or not, in ladder order. Paused and finished
// dossiers have none: deadlines do not escalate while the dossier waits
// for the applicant.
func Alarms(env Env, d *Dossier) []Alarm {
	if d.IsFinished() || d.Status == StatusPaused {
		return nil
	}
	cal, p := env.Calendar, env.Procedure
	gen := Generation(d)
	var out []Alarm
	deadline := d.StepDueAt
	if deadline == nil {
		deadline = d.DueAt
	}
	if deadline != nil {
		for i := range p.Escalation {
			r := &p.Escalation[i]
			var t time.Time
			kind := NoteEscalation
			switch {
			case r.Before != nil:
				t = SubWork(cal, *deadline, *r.Before)
				kind = NoteReminder
				// A step shorter than the reminder's lead time is reminded
				// as soon as it starts, not before it existed.
				if t.Before(d.StepStartedAt) {
					t = d.StepStartedAt
				}
			case r.After != nil:
				t = cal.Add(*deadline, *r.After)
				if r.After.Milli == 0 {
					kind = NoteBreach
				}
			default:
				continue
			}
			if !r.OffHours {
				t = cal.Start(t, nil)
			}
			key := RungKey(d, gen, i+1)
			if d.StepDueAt == nil {
				// The ladder hangs on the overall due instant, which an
				// extension moves: a moved deadline re-arms it.
				key += extensionSuffix(d)
			}
			out = append(out, Alarm{
				Key: key, Kind: kind, Level: i + 1, Rung: r,
				Deadline: deadline.UTC(), At: t.UTC(),
			})
		}
	}
	if a, ok := reappointAction(p); ok && d.DueAt != nil && d.Uses[a.ID] < max(a.Max, 1) {
		// At least one working day before the due instant the office
		// issues the apology letter (Decree 61/2018 Art 19): tell it then.
		t := cal.Start(SubWork(cal, *d.DueAt, calendar.WorkingDaysOf(1)), nil)
		// A limit of one working day or less leaves no such moment: no
		// notice rather than one at the reception desk.
		if !t.Before(d.StartAt) {
			out = append(out, Alarm{
				Key: ApologyKey(gen) + extensionSuffix(d), Kind: NoteApologyDue,
				Deadline: d.DueAt.UTC(), At: t.UTC(),
			})
		}
	}
	return out
}

// reappointAction returns the procedure's apology-letter action, if any.
func reappointAction(p *Procedure) (*Action, bool) {
	for _, a := range p.Actions {
		if a.Reappoint {
			return a, true
		}
	}
	return nil, false
}

// TimeoutAt returns when the current state's timed action fires, if the
// state declares one: its duration counted from the start of the step.
func TimeoutAt(env Env, d *Dossier) (time.Time, bool) {
	if d.IsFinished() {
		return time.Time{}, false
	}
	st, ok := env.Procedure.State(d.State)
	if !ok || st.Timeout == nil {
		return time.Time{}, false
	}
	return env.Calendar.Add(env.Calendar.Start(d.StepStartedAt, nil), st.Timeout.After).UTC(), true
}

// NextCheck returns when the deadline watch must next look at d: the
// earliest instant at which an alarm not yet fired or a state timeout
// becomes due; nil when nothing is armed.
func NextCheck(env Env, d *Dossier) *time.Time {
	if d.IsFinished() {
		return nil
	}
	var best *time.Time
	consider := func(t time.Time) {
		if best == nil || t.Before(*best) {
			best = timePtr(t.UTC())
		}
	}
	if t, ok := TimeoutAt(env, d); ok {
		consider(t)
	}
	for _, a := range Alarms(env, d) {
		if !contains(d.Fired, a.Key) {
			consider(a.At)
		}
	}
	return best
}

// SubWork returns the latest instant t ≤ end with at least the office
// time of d between t and end: "4 working hours before the deadline".
func SubWork(cal *calendar.Calendar, end time.Time, d calendar.Duration) time.Time {
	work := cal.Work(d)
	if d.Unit == calendar.Days {
		work = time.Duration(d.Amount()) * cal.DayWork()
	}
	if work <= 0 {
		return end
	}
	// Elapsed(t, end) does not increase with t: binary search over whole
	// seconds in a window wide enough for any working-time span. lo stays
	// on a whole second, so the answer is exact to the second (13:00:00
	// for 4 working hours before 17:00, not 12:59:59).
	lo := end.Truncate(time.Second).Add(-work*7 - 90*24*time.Hour)
	hi := end
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(max((hi.Sub(lo) / 2).Truncate(time.Second), time.Second))
		if cal.Elapsed(mid, end) >= work {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
