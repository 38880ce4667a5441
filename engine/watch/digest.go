package watch

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// maxListed bounds the dossier codes a digest lists per line; the counts
// stay exact.
const maxListed = 20

// DigestID is the at-most-once key of a head's digest for a day.
func DigestID(person string, day calendar.Date) string {
	return "digest/" + person + "/" + day.String()
}

// DigestOnce records today's digest for every unit head, at most once
// per head and day (the notification ID is the key), and returns how many
// it recorded. Nothing is recorded on a day off of the calendar.
//
// A digest covers the units the person heads: open dossiers whose step
// deadline (the overall one for steps without a budget) is today or past,
// dossiers waiting for the applicant after one of those units asked, and the previous working day's
// finished dossiers that passed through those units with how many were
// on time (early + on time, domain brief "Statistics").
func (w *Watcher) DigestOnce(ctx context.Context, now time.Time) (int, error) {
	cal, dir := w.Engine.Calendar, w.Engine.Directory
	loc := cal.Location()
	today := calendar.DateOf(now, loc)
	if !cal.IsWorkingDay(today) {
		return 0, nil
	}
	prev := previousWorkingDay(cal, today)
	heads := map[string][]string{} // person → units headed
	var order []string
	for _, u := range dir.Units() {
		if u.Head == "" {
			continue
		}
		if _, ok := heads[u.Head]; !ok {
			order = append(order, u.Head)
		}
		heads[u.Head] = append(heads[u.Head], u.ID)
	}
	if len(order) == 0 {
		return 0, nil
	}
	finished, err := w.finishedOn(ctx, prev)
	if err != nil {
		return 0, err
	}
	// Dossiers waiting for the applicant belong to no unit; they count
	// for the unit that asked for the supplement.
	var waiting []*engine.Dossier
	err = w.Store.Scan(ctx, engine.Query{Status: []engine.Status{engine.StatusPaused}}, func(d *engine.Dossier) error {
		waiting = append(waiting, d)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("digest: %w", err)
	}
	recorded := 0
	for _, person := range order {
		units := heads[person]
		var dueToday, overdue, paused []string
		err := w.Store.Scan(ctx, engine.Query{Units: units, Status: []engine.Status{engine.StatusInProgress}},
			func(d *engine.Dossier) error {
				// A head answers for the step in their unit: its own
				// deadline counts, the overall one when it has none.
				due := d.StepDueAt
				if due == nil {
					due = d.DueAt
				}
				switch {
				case due == nil:
				case due.Before(now):
					overdue = append(overdue, d.Code)
				case calendar.DateOf(*due, loc) == today:
					dueToday = append(dueToday, d.Code)
				}
				return nil
			})
		if err != nil {
			return recorded, fmt.Errorf("digest for %s: %w", person, err)
		}
		for _, d := range waiting {
			if slices.Contains(units, lastUnit(d)) {
				paused = append(paused, d.Code)
			}
		}
		done, onTime := 0, 0
		for _, d := range finished {
			if passedThrough(d, units) {
				done++
				if d.Timeliness == engine.Early || d.Timeliness == engine.OnTime {
					onTime++
				}
			}
		}
		var names []string
		for _, id := range units {
			if u, ok := dir.Unit(id); ok && u.Name != "" {
				names = append(names, u.Name)
			} else {
				names = append(names, id)
			}
		}
		data := map[string]string{
			"date":              today.Short() + "/" + strconv.Itoa(today.Year),
			"day":               today.String(),
			"units":             strings.Join(names, ", "),
			"unit_ids":          strings.Join(units, ","),
			"due_today":         strconv.Itoa(len(dueToday)),
			"overdue":           strconv.Itoa(len(overdue)),
			"paused":            strconv.Itoa(len(paused)),
			"due_today_codes":   listed(dueToday),
			"overdue_codes":     listed(overdue),
			"paused_codes":      listed(paused),
			"previous_day":      prev.Short() + "/" + strconv.Itoa(prev.Year),
			"finished_previous": strconv.Itoa(done),
			"on_time_previous":  strconv.Itoa(onTime),
		}
		if done > 0 {
			data["on_time_rate"] = strconv.FormatFloat(100*float64(onTime)/float64(done), 'f', 1, 64) + "%"
		}
		ok, err := w.Store.AddNotification(ctx, engine.Notification{
			ID: DigestID(person, today), Kind: engine.NoteDigest, To: []string{person},
			At: now.UTC(), Data: data, Status: engine.NotificationPending, NextAttempt: now.UTC(),
		})
		if err != nil {
			return recorded, fmt.Errorf("digest for %s: %w", person, err)
		}
		if ok {
			recorded++
		}
	}
	return recorded, nil
}

// finishedOn returns the dossiers finished on day: those whose finished
// instant falls in [00:00 of day, 00:00 of the next day) in the
// calendar's zone, read through the store's finished-instant index (one
// day's dossiers, not every dossier ever finished), once per digest run
// rather than once per head.
func (w *Watcher) finishedOn(ctx context.Context, day calendar.Date) ([]*engine.Dossier, error) {
	loc := w.Engine.Calendar.Location()
	from := time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, loc)
	// AddDate on the civil date, not 24 hours: a legal day is a date in
	// the calendar's zone.
	to := from.AddDate(0, 0, 1)
	var out []*engine.Dossier
	err := w.Store.Scan(ctx, engine.Query{FinishedFrom: from, FinishedTo: to}, func(d *engine.Dossier) error {
		out = append(out, d)
		return nil
	})
	return out, err
}

// passedThrough reports whether any step of d was handled by one of units.
func passedThrough(d *engine.Dossier, units []string) bool {
	for _, h := range d.History {
		for _, u := range units {
			if h.FromUnit == u || h.ToUnit == u {
				return true
			}
		}
	}
	return false
}

// lastUnit returns the unit that handed d over last: for a dossier
// waiting for the applicant, the unit that asked for the supplement.
func lastUnit(d *engine.Dossier) string {
	for i := len(d.History) - 1; i >= 0; i-- {
		if u := d.History[i].FromUnit; u != "" {
			return u
		}
	}
	return d.ReceivingUnit
}

func previousWorkingDay(cal *calendar.Calendar, d calendar.Date) calendar.Date {
	t := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, cal.Location())
	for i := 0; i < 60; i++ {
		t = t.AddDate(0, 0, -1)
		if pd := calendar.DateOf(t, cal.Location()); cal.IsWorkingDay(pd) {
			return pd
		}
	}
	return calendar.DateOf(t, cal.Location())
}

func listed(codes []string) string {
	sort.Strings(codes)
	if len(codes) > maxListed {
		return strings.Join(codes[:maxListed], ", ") + fmt.Sprintf(" … (+%d)", len(codes)-maxListed)
	}
	return strings.Join(codes, ", ")
}
