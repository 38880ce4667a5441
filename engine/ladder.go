package engine

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// RungKey identifies one firing of one rung: the dossier, the step visit
// and the clock generation it belongs to. A new visit or a restarted
// clock yields new keys, which re-arms the ladder.
func RungKey(d *Dossier, generation, level int) string {
	return fmt.Sprintf("v%d/g%d/r%d", d.StepVisit, generation, level)
}

// NextCheck returns when the deadline watch must next look at d: the
// earliest instant at which an escalation rung or a state timeout
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
	st, ok := env.Procedure.State(d.State)
	if ok && st.Timeout != nil {
		consider(env.Calendar.Add(env.Calendar.Start(d.StepStartedAt, nil), st.Timeout.After))
	}
	if d.Status == StatusPaused {
		return best // deadlines do not escalate while waiting for the applicant
	}
	deadline := d.StepDueAt
	if deadline == nil {
		deadline = d.DueAt
	}
	if deadline == nil {
		return best
	}
	for _, r := range env.Procedure.Escalation {
		if r.Before != nil {
			consider(SubWork(env.Calendar, *deadline, *r.Before))
		} else if r.After != nil {
			consider(env.Calendar.Add(*deadline, *r.After))
		}
	}
	if d.DueAt != nil {
		consider(*d.DueAt)
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
	// Elapsed(t, end) does not increase with t: binary search by second
	// over a window wide enough for any working-time span.
	lo := end.Add(-work*7 - 90*24*time.Hour)
	hi := end
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		if cal.Elapsed(mid, end) >= work {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo.Truncate(time.Second)
}
