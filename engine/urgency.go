package engine

import (
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// DueFlags says how pressing d is at now: overdue when it is unfinished
// and past its legal due instant, due today when it is unfinished and due
// later on now's date in loc (the calendar's zone, where the legal day
// is). A finished dossier, or one without a due instant, is neither. The
// inbox, the lists, the dossier page and the metrics all read it here.
func DueFlags(d *Dossier, now time.Time, loc *time.Location) (overdue, dueToday bool) {
	if d.IsFinished() || d.DueAt == nil {
		return false, false
	}
	if d.DueAt.Before(now) {
		return true, false
	}
	return false, calendar.DateOf(*d.DueAt, loc) == calendar.DateOf(now, loc)
}
