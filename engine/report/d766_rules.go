package report

import (
	"math"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// The rules of the Decision 766 indicators that need more than a count:
// the 766 judgement of 2.1, the resolution time of 2.2 and which files
// count for 4.1–4.3 (docs/reports.md).

// judge766 judges d for indicator 2.1 in the period: whether it counts,
// whether on time, and the unit it is attributed to.
//
// Decision 766 takes as the finish the first of: the result ready or
// returned (national status 9 or 10, the states' status: codes), a
// stop or a refusal (the final states), or a request for a supplement.
// So a dossier with one supplement request before the period's end and
// before its result is judged at that request; with more than one it is
// overdue, at the second request. Nothing after the first request is
// timed, which is how the supplement period is subtracted: unlike the
// legal rate, a restart of the clock by the supplement never gives the
// dossier a new due. One still open at the period's end, with no
// request, is judged then.
func (a *d766Acc) judge766(d *engine.Dossier) (counted, onTime bool, unit string, err error) {
	c := a.c
	done, doneUnit := a.resultAt(d)
	if d.FinishedAt != nil && (done.IsZero() || d.FinishedAt.Before(done)) {
		done, doneUnit = *d.FinishedAt, engine.FigureUnitBefore(d, d.FinishedAt.Add(time.Nanosecond))
	}
	var reqs [2]int // ledger indexes of the first two requests
	n := 0
	for i, ev := range d.Ledger {
		if (ev.Kind == engine.ClockPause || ev.Kind == engine.ClockStop) && ev.At.Before(c.end) && (done.IsZero() || ev.At.Before(done)) {
			if n < 2 {
				reqs[n] = i
			}
			n++
		}
	}
	switch {
	case n >= 2:
		at := d.Ledger[reqs[1]].At
		if at.Before(c.start) {
			return false, false, "", nil
		}
		return true, false, engine.FigureUnitBefore(d, at.Add(time.Nanosecond)), nil
	case n == 1:
		at := d.Ledger[reqs[0]].At
		if at.Before(c.start) {
			return false, false, "", nil
		}
		due, err := a.dueOf(d, d.Ledger[:reqs[0]])
		if err != nil || due.IsZero() {
			return false, false, "", err
		}
		return true, !at.After(due), engine.FigureUnitBefore(d, at.Add(time.Nanosecond)), nil
	}
	if !done.IsZero() && done.Before(c.end) {
		if done.Before(c.start) {
			return false, false, "", nil
		}
		if d.Timeliness != "" && done.Equal(*d.FinishedAt) {
			// No request: the legal clock ran once from reception, so the
			// engine's judgement at the finish is the 766 one.
			return true, d.Timeliness != engine.Late, doneUnit, nil
		}
		// The result ready before its return, a refusal or a withdrawal:
		// judged against the due of the ledger up to it (reception and
		// refusal may share an instant).
		k := 0
		for k < len(d.Ledger) && !d.Ledger[k].At.After(done) && d.Ledger[k].Kind != engine.ClockFinish {
			k++
		}
		var due time.Time
		if rest := d.Ledger[k:]; d.DueAt != nil && (len(rest) == 0 || len(rest) == 1 && rest[0].Kind == engine.ClockFinish) {
			// Nothing but the finish came after: the stored due is the one
			// these events derive.
			due = *d.DueAt
		} else if due, err = a.dueOf(d, d.Ledger[:k]); err != nil {
			return false, false, "", err
		}
		if due.IsZero() {
			return false, false, "", nil
		}
		return true, !done.After(due), doneUnit, nil
	}
	_, due, err := c.clockAt(d, c.end)
	if err != nil || due.IsZero() {
		return false, false, "", err
	}
	return true, !c.end.After(due), engine.FigureUnitBefore(d, c.end), nil
}

// resultAt is when d first entered a state of national status 9 (result
// ready) or 10 (returned), and the unit whose action put it there; zero
// when it never did or its procedure is unknown.
func (a *d766Acc) resultAt(d *engine.Dossier) (time.Time, string) {
	p := a.procedure(d)
	if p == nil {
		return time.Time{}, ""
	}
	for i := range d.History {
		h := &d.History[i]
		if st, ok := p.State(h.ToState); ok && (st.Status == 9 || st.Status == 10) {
			unit := h.FromUnit
			if unit == "" {
				unit = engine.FigureUnitBefore(d, h.At.Add(time.Nanosecond))
			}
			return h.At, unit
		}
	}
	return time.Time{}, ""
}

// dueOf is the due instant a prefix of d's ledger derives.
func (a *d766Acc) dueOf(d *engine.Dossier, ledger []engine.ClockEvent) (time.Time, error) {
	if len(ledger) == 0 {
		return time.Time{}, nil
	}
	if ev := &ledger[0]; len(ledger) == 1 && ev.Kind == engine.ClockStart {
		// The common prefix, reception alone: its due is the limit from
		// the valid start, as DeriveClock counts it, without replaying
		// (and explaining) the ledger.
		if p := a.procedure(d); p != nil {
			if l, ok := a.limit(ev.Limit); ok {
				return a.c.cal.Add(a.c.cal.Start(ev.At, p.Cutoff), l), nil
			}
		}
	}
	cs, err := a.c.derive(d, ledger)
	if err != nil {
		return time.Time{}, err
	}
	return cs.Due, nil
}

// limit parses a ledger limit once per report: a handful of distinct
// limits, each parsed for every dossier otherwise.
func (a *d766Acc) limit(s string) (calendar.Duration, bool) {
	if l, ok := a.limits[s]; ok {
		return l, true
	}
	l, err := calendar.ParseDuration(s)
	if err != nil {
		return l, false
	}
	if a.limits == nil {
		a.limits = map[string]calendar.Duration{}
	}
	a.limits[s] = l
	return l, true
}

// resolutionTime is the time d took, in its procedure's unit of time
// (2.2): office time for working-time limits (paused time excluded, as
// WorkTaken counts it), calendar days from the valid start to the finish
// less the paused days for limits in days. Without the procedure, working
// days.
func (a *d766Acc) resolutionTime(d *engine.Dossier, p *engine.Procedure) (string, float64) {
	cal := a.c.cal
	unit := calendar.WorkingDays
	if p != nil && !p.TimeLimit.IsZero() {
		unit = p.TimeLimit.Unit
	}
	switch unit {
	case calendar.WorkingHours, calendar.SameDay:
		return UnitWorkingHours, d.WorkTaken.Hours()
	case calendar.WorkingMinutes:
		return UnitWorkingMinutes, d.WorkTaken.Minutes()
	case calendar.Days:
		wall := d.FinishedAt.Sub(d.StartAt) - pausedWall(d)
		return UnitDays, math.Max(0, wall.Hours()/24)
	}
	return UnitWorkingDays, float64(d.WorkTaken) / float64(cal.DayWork())
}

// pausedWall is the wall time d's clock spent paused or stopped.
func pausedWall(d *engine.Dossier) time.Duration {
	var sum time.Duration
	var from *time.Time
	for i := range d.Ledger {
		ev := &d.Ledger[i]
		switch ev.Kind {
		case engine.ClockPause, engine.ClockStop:
			if from == nil {
				from = &ev.At
			}
		case engine.ClockResume, engine.ClockRestart, engine.ClockFinish:
			if from != nil {
				sum += ev.At.Sub(*from)
				from = nil
			}
		}
	}
	if from != nil && d.FinishedAt != nil {
		sum += d.FinishedAt.Sub(*from)
	}
	return sum
}

// currentFiles calls fn for each file of d no other file supersedes: a
// corrected scan replaces the old one in the figures, though both stay
// on record.
func currentFiles(d *engine.Dossier, fn func(*engine.FileRef)) {
	var gone map[string]bool
	for i := range d.Files {
		if s := d.Files[i].Supersedes; s != "" {
			if gone == nil {
				gone = map[string]bool{}
			}
			gone[s] = true
		}
	}
	for i := range d.Files {
		if !gone[d.Files[i].ID] {
			fn(&d.Files[i])
		}
	}
}

// digitised reports whether d holds a component scan and a result file.
func digitised(d *engine.Dossier) (component, result bool) {
	currentFiles(d, func(f *engine.FileRef) {
		if f.Result {
			result = true
		} else if f.Component != "" {
			component = true
		}
	})
	return component, result
}

// hasReuse reports whether a component of d reuses an earlier dossier's file.
func hasReuse(d *engine.Dossier) bool {
	reused := false
	currentFiles(d, func(f *engine.FileRef) {
		reused = reused || (f.ReusedFrom != "" && !f.Result)
	})
	return reused
}

func hasPaidOnline(d *engine.Dossier) bool {
	for i := range d.Fees {
		if d.Fees[i].Paid && d.Fees[i].Method == engine.PayOnline {
			return true
		}
	}
	return false
}
