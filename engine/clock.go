package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// ClockEventKind is the kind of a legal-clock ledger event.
type ClockEventKind string

// Ledger event kinds.
const (
	ClockStart     ClockEventKind = "start"     // reception: the limit starts at the valid reception instant
	ClockPause     ClockEventKind = "pause"     // waiting for the applicant, supplement: pause
	ClockStop      ClockEventKind = "stop"      // waiting for the applicant, supplement: restart
	ClockResume    ClockEventKind = "resume"    // back from a pause with the time left
	ClockRestart   ClockEventKind = "restart"   // the full limit again from now
	ClockExtend    ClockEventKind = "extend"    // the limit lengthened (extension decision)
	ClockReappoint ClockEventKind = "reappoint" // a new appointment (apology letter, form 04)
	ClockFinish    ClockEventKind = "finish"    // the result: the clock stops for good
)

// ClockEvent is one ledger entry. The ledger is append-only; due instants
// are derived from it (DeriveClock), never edited by hand.
type ClockEvent struct {
	Kind ClockEventKind `json:"kind" bson:"kind"`
	At   time.Time      `json:"at" bson:"at"`
	// Limit is the limit started (start, restart) or added (extend).
	Limit string `json:"limit,omitempty" bson:"limit,omitempty"`
	// Appointment is the new appointment of a reappoint event.
	Appointment *time.Time `json:"appointment,omitempty" bson:"appointment,omitempty"`
	// Action is the action that caused the event.
	Action string `json:"action,omitempty" bson:"action,omitempty"`
}

// ClockState is the legal clock derived from a ledger.
type ClockState struct {
	// Start is the valid instant the current generation counts from.
	Start time.Time
	// Due is the legal due instant; zero while paused or stopped.
	Due time.Time
	// Appointment is Due, or a later appointment set by an apology letter.
	Appointment time.Time
	// Paused is true while waiting for the applicant.
	Paused bool
	// Finished is true after the finish event; FinishedAt is its instant.
	Finished   bool
	FinishedAt time.Time
	// Generation counts starts and restarts; a restart re-arms the ladder.
	Generation int
	// Consumed is office time counted so far in this generation (for
	// working-time limits), paused time excluded.
	Consumed time.Duration
	// WorkTaken is all office time counted across generations.
	WorkTaken time.Duration
	// Limit is the limit of the current generation, extensions included.
	Limit []calendar.Duration
	// Explanation is one line per ledger event: how Due came about.
	Explanation []string
}

// DeriveClock replays the ledger on cal with the procedure's cut-off and
// returns the clock state. lang selects the explanation's language.
func DeriveClock(p *Procedure, cal *calendar.Calendar, ledger []ClockEvent, lang string) (ClockState, error) {
	var cs ClockState
	var segStart time.Time     // start of the current counting segment
	var remainingDays int      // calendar days left at a pause (Days limits)
	var appointment *time.Time // set by reappoint
	en := lang == "en"
	f := func(t time.Time) string { return cal.FormatInstant(t, lang) }
	say := func(vi, enText string) {
		if en {
			cs.Explanation = append(cs.Explanation, enText)
		} else {
			cs.Explanation = append(cs.Explanation, vi)
		}
	}
	dueFrom := func(from time.Time) time.Time {
		// The limit of this generation counted from `from`: extensions in
		// the same unit add up; mixed units apply in order.
		due := from
		for i, l := range cs.Limit {
			if i == 0 {
				due = cal.Add(from, l)
				continue
			}
			switch {
			case l.IsWorkingTime():
				due = cal.AddWork(due, cal.Work(l))
			case l.Unit == calendar.Days:
				due = cal.EndOfDays(due, int(l.Amount()))
			}
		}
		return due
	}
	for i, ev := range ledger {
		switch ev.Kind {
		case ClockStart, ClockRestart:
			l, err := calendar.ParseDuration(ev.Limit)
			if err != nil {
				return cs, fmt.Errorf("ledger event %d: %w", i+1, err)
			}
			cut := p.Cutoff
			cs.WorkTaken += cs.Consumed
			if !cs.Paused && cs.Generation > 0 && !cs.Due.IsZero() {
				cs.WorkTaken += cal.Elapsed(segStart, ev.At)
			}
			cs.Limit = []calendar.Duration{l}
			cs.Start = cal.Start(ev.At, cut)
			segStart = cs.Start
			cs.Consumed = 0
			cs.Paused = false
			cs.Generation++
			appointment = nil
			cs.Due = dueFrom(cs.Start)
			if ev.Kind == ClockStart {
				say(fmt.Sprintf("bắt đầu tính %s từ %s", l.Format(lang), f(cs.Start)),
					fmt.Sprintf("%s counted from %s", l.Format(lang), f(cs.Start)))
			} else {
				say(fmt.Sprintf("tính lại từ đầu %s từ %s", l.Format(lang), f(cs.Start)),
					fmt.Sprintf("restarted: %s counted from %s", l.Format(lang), f(cs.Start)))
			}
		case ClockPause, ClockStop:
			if cs.Paused || cs.Generation == 0 {
				continue
			}
			cs.Consumed += cal.Elapsed(segStart, ev.At)
			if len(cs.Limit) > 0 && cs.Limit[0].Unit == calendar.Days {
				dn := dayNumber(cs.Due, cal) - dayNumber(ev.At, cal)
				remainingDays = max(dn, 0)
			}
			cs.Paused = true
			if ev.Kind == ClockStop {
				say(fmt.Sprintf("dừng tính thời hạn lúc %s (chờ bổ sung; sẽ tính lại từ đầu)", f(ev.At)),
					fmt.Sprintf("clock stopped at %s (waiting for the supplement; will restart)", f(ev.At)))
			} else {
				say(fmt.Sprintf("tạm dừng lúc %s (chờ bổ sung)", f(ev.At)),
					fmt.Sprintf("paused at %s (waiting for the supplement)", f(ev.At)))
			}
			cs.Due = time.Time{}
		case ClockResume:
			if !cs.Paused {
				continue
			}
			start := cal.Start(ev.At, nil)
			segStart = start
			cs.Paused = false
			first := cs.Limit[0]
			if first.IsWorkingTime() || first.Unit == calendar.SameDay {
				total := time.Duration(0)
				for _, l := range cs.Limit {
					total += cal.Work(l)
				}
				if first.Unit == calendar.SameDay {
					total = cal.DayWork()
				}
				left := max(total-cs.Consumed, 0)
				cs.Due = cal.AddWork(start, left)
				say(fmt.Sprintf("tiếp tục từ %s, còn %s giờ làm việc", f(start), hours(left)),
					fmt.Sprintf("resumed from %s with %s working hours left", f(start), hours(left)))
			} else {
				cs.Due = cal.EndOfDays(start, remainingDays)
				say(fmt.Sprintf("tiếp tục từ %s, còn %d ngày", f(start), remainingDays),
					fmt.Sprintf("resumed from %s with %d days left", f(start), remainingDays))
			}
		case ClockExtend:
			l, err := calendar.ParseDuration(ev.Limit)
			if err != nil {
				return cs, fmt.Errorf("ledger event %d: %w", i+1, err)
			}
			// Same units add up; Add refuses some (same day + same day),
			// and a refused sum must not replace the limit with zero.
			if sum, err := addSame(cs.Limit, l); err == nil {
				cs.Limit = append([]calendar.Duration{sum}, cs.Limit[1:]...)
			} else {
				cs.Limit = append(cs.Limit, l)
			}
			switch {
			case cs.Paused && l.Unit == calendar.Days:
				remainingDays += int(l.Amount())
			case cs.Paused:
				// working time: the resume adds up cs.Limit
			case segStart.Equal(cs.Start):
				cs.Due = dueFrom(cs.Start)
			case l.IsWorkingTime():
				// After a pause the segment start moved: extend from the current due.
				cs.Due = cal.AddWork(cs.Due, cal.Work(l))
			case l.Unit == calendar.Days:
				cs.Due = cal.EndOfDays(cs.Due, int(l.Amount()))
			}
			say(fmt.Sprintf("gia hạn thêm %s (%s): hạn mới %s", l.Format(lang), ev.Action, f(cs.Due)),
				fmt.Sprintf("extended by %s (%s): new due %s", l.Format(lang), ev.Action, f(cs.Due)))
		case ClockReappoint:
			if ev.Appointment != nil {
				a := *ev.Appointment
				appointment = &a
				say(fmt.Sprintf("hẹn lại ngày trả kết quả %s (văn bản xin lỗi, mẫu 04)", f(a)),
					fmt.Sprintf("new appointment %s (apology letter, form 04)", f(a)))
			}
		case ClockFinish:
			if !cs.Paused {
				cs.Consumed += cal.Elapsed(segStart, ev.At)
			}
			cs.WorkTaken += cs.Consumed
			cs.Finished = true
			cs.FinishedAt = ev.At
			say(fmt.Sprintf("kết thúc lúc %s", f(ev.At)), fmt.Sprintf("finished at %s", f(ev.At)))
		default:
			return cs, fmt.Errorf("ledger event %d: unknown kind %q", i+1, ev.Kind)
		}
	}
	cs.Appointment = cs.Due
	if appointment != nil {
		cs.Appointment = *appointment
	}
	return cs, nil
}

// addSame adds l to the first limit when both share a unit Add accepts.
func addSame(limits []calendar.Duration, l calendar.Duration) (calendar.Duration, error) {
	if len(limits) == 0 || limits[0].Unit != l.Unit {
		return calendar.Duration{}, fmt.Errorf("different units")
	}
	return limits[0].Add(l)
}

func hours(d time.Duration) string {
	s := fmt.Sprintf("%.2f", d.Hours())
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func dayNumber(t time.Time, cal *calendar.Calendar) int {
	lt := t.In(cal.Location())
	return int(time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Judge compares a completion at done with the deadline due: late after
// the due instant; early when done on an earlier day than due's (in the
// calendar's zone); on time otherwise, finishing exactly at due included.
func Judge(done, due time.Time, cal *calendar.Calendar) Timeliness {
	switch {
	case done.After(due):
		return Late
	case dayNumber(done, cal) < dayNumber(due, cal):
		return Early
	default:
		return OnTime
	}
}
