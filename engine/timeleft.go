package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// TimeLeft is the working time on cal between now and due: the time
// left while due is not past, or how late once it is (late true). It is
// office time, not wall time, so that a weekend or a holiday costs the
// officer nothing. Exactly at due it is zero and not late, as DueFlags
// judges "overdue".
func TimeLeft(cal *calendar.Calendar, now, due time.Time) (left time.Duration, late bool) {
	if now.After(due) {
		return cal.Elapsed(due, now), true
	}
	return cal.Elapsed(now, due), false
}

// FormatTimeLeft writes the result of TimeLeft for a person, in working
// days of dayWork (the calendar's working day) and hours, or in minutes
// under an hour: "còn 1 ngày 3 giờ làm việc" / "1 working day 3 hours
// left", "quá hạn 2 giờ làm việc" / "2 working hours late". Hours and
// minutes are rounded down, so that the time left is never overstated.
func FormatTimeLeft(left time.Duration, late bool, dayWork time.Duration, lang string) string {
	en := lang == "en"
	if left < time.Minute {
		switch {
		case late && en:
			return "just overdue"
		case late:
			return "vừa quá hạn"
		case en:
			return "due now"
		default:
			return "đến hạn"
		}
	}
	var days, hours, mins int64
	if dayWork > 0 {
		days = int64(left / dayWork)
		left %= dayWork
	}
	hours = int64(left / time.Hour)
	if days == 0 && hours == 0 {
		mins = int64(left / time.Minute)
	}
	if en {
		var parts []string
		if days > 0 {
			parts = append(parts, fmt.Sprintf("%d working %s", days, plural(days, "day")))
		}
		if hours > 0 {
			unit := plural(hours, "hour")
			if days == 0 {
				unit = "working " + unit
			}
			parts = append(parts, fmt.Sprintf("%d %s", hours, unit))
		}
		if mins > 0 {
			parts = append(parts, fmt.Sprintf("%d working %s", mins, plural(mins, "minute")))
		}
		if late {
			return strings.Join(parts, " ") + " late"
		}
		return strings.Join(parts, " ") + " left"
	}
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d ngày", days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf("%d giờ", hours))
	}
	if mins > 0 {
		parts = append(parts, fmt.Sprintf("%d phút", mins))
	}
	if late {
		return "quá hạn " + strings.Join(parts, " ") + " làm việc"
	}
	return "còn " + strings.Join(parts, " ") + " làm việc"
}

func plural(n int64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
