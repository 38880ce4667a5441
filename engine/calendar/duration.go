package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit a legal time limit is expressed in.
type Unit int

// The units of time Vietnamese law uses for time limits (domain brief, "Time rules").
const (
	// WorkingDays counts standard working days of the calendar (ngày làm việc).
	WorkingDays Unit = iota + 1
	// WorkingHours counts office hours (giờ làm việc).
	WorkingHours
	// WorkingMinutes counts office minutes, for budgets finer than an hour.
	WorkingMinutes
	// Days counts calendar days (ngày); the end moves to the next working
	// day when it falls on a day off (Civil Code 2015, Art 148).
	Days
	// SameDay ends at the close of the working day counting starts on (trong ngày).
	SameDay
)

// String returns the canonical English name of the unit.
func (u Unit) String() string {
	switch u {
	case WorkingDays:
		return "working days"
	case WorkingHours:
		return "working hours"
	case WorkingMinutes:
		return "working minutes"
	case Days:
		return "days"
	case SameDay:
		return "same day"
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// milli is the fixed-point scale of Duration amounts: three decimals are
// enough for "0.5 working days" and keep arithmetic exact.
const milli = 1000

// Duration is a legal time limit such as "3 working days" or "30 ngày".
// The zero value is invalid; build one with ParseDuration or the helpers.
type Duration struct {
	// Unit says how Amount is counted.
	Unit Unit
	// Milli is the amount in thousandths of Unit (1500 = 1.5). Zero for SameDay.
	Milli int64
}

// WorkingDaysOf returns a duration of n working days.
func WorkingDaysOf(n int) Duration { return Duration{Unit: WorkingDays, Milli: int64(n) * milli} }

// WorkingHoursOf returns a duration of n working hours.
func WorkingHoursOf(n int) Duration { return Duration{Unit: WorkingHours, Milli: int64(n) * milli} }

// DaysOf returns a duration of n calendar days.
func DaysOf(n int) Duration { return Duration{Unit: Days, Milli: int64(n) * milli} }

// SameDayLimit is the "same day" (trong ngày) limit.
var SameDayLimit = Duration{Unit: SameDay}

// IsZero reports whether d is the zero (invalid) duration.
func (d Duration) IsZero() bool { return d.Unit == 0 }

// IsWorkingTime reports whether d is counted in office time, so that
// elapsed working time can be subtracted from it.
func (d Duration) IsWorkingTime() bool {
	return d.Unit == WorkingDays || d.Unit == WorkingHours || d.Unit == WorkingMinutes
}

// Amount returns the amount as a float, for display.
func (d Duration) Amount() float64 { return float64(d.Milli) / milli }

// Add returns d + e. Both must share a unit, or both be working time
// (the result is then in working minutes of a day of dayWork length).
func (d Duration) Add(e Duration) (Duration, error) {
	if d.Unit == e.Unit && d.Unit != SameDay {
		return Duration{Unit: d.Unit, Milli: d.Milli + e.Milli}, nil
	}
	return Duration{}, fmt.Errorf("cannot add %s to %s: different units", e, d)
}

func amountString(m int64) string {
	s := strconv.FormatFloat(float64(m)/milli, 'f', -1, 64)
	return s
}

// String returns the canonical English form, which ParseDuration accepts.
func (d Duration) String() string {
	if d.Unit == SameDay {
		return "same day"
	}
	if d.Unit == 0 {
		return "0"
	}
	n := amountString(d.Milli)
	name := d.Unit.String()
	if d.Milli == milli {
		name = strings.TrimSuffix(name, "s")
	}
	return n + " " + name
}

// Vietnamese returns the Vietnamese form, e.g. "3 ngày làm việc".
func (d Duration) Vietnamese() string {
	n := strings.ReplaceAll(amountString(d.Milli), ".", ",")
	switch d.Unit {
	case WorkingDays:
		return n + " ngày làm việc"
	case WorkingHours:
		return n + " giờ làm việc"
	case WorkingMinutes:
		return n + " phút làm việc"
	case Days:
		return n + " ngày"
	case SameDay:
		return "trong ngày"
	}
	return d.String()
}

// Format renders d in the given language ("vi" or "en").
func (d Duration) Format(lang string) string {
	if lang == "en" {
		return d.String()
	}
	return d.Vietnamese()
}

// unitNames maps every accepted unit spelling to its unit. Keys are
// lower-case with single spaces.
var unitNames = map[string]Unit{
	"working day": WorkingDays, "working days": WorkingDays, "ngày làm việc": WorkingDays,
	"wd":           WorkingDays,
	"working hour": WorkingHours, "working hours": WorkingHours, "giờ làm việc": WorkingHours,
	"wh":             WorkingHours,
	"working minute": WorkingMinutes, "working minutes": WorkingMinutes, "phút làm việc": WorkingMinutes,
	"day": Days, "days": Days, "ngày": Days, "calendar day": Days, "calendar days": Days,
}

// AcceptedForms describes the duration syntax, for error messages.
const AcceptedForms = `"N working days", "N working hours", "N working minutes", "N days", "same day" ` +
	`(or "N ngày làm việc", "N giờ làm việc", "N phút làm việc", "N ngày", "trong ngày"); N may be a decimal such as 0.5`

// DurationError reports a string that is not a duration.
type DurationError struct {
	Input  string
	Reason string
}

func (e *DurationError) Error() string {
	return fmt.Sprintf("invalid duration %q: %s; accepted forms: %s", e.Input, e.Reason, AcceptedForms)
}

// ParseDuration parses a legal time limit. It accepts English and
// Vietnamese forms (see AcceptedForms), case-insensitively, with a decimal
// point or comma. Negative amounts are rejected; zero is allowed (an
// escalation rung "after: 0 working hours" fires at the deadline).
func ParseDuration(s string) (Duration, error) {
	norm := strings.Join(strings.Fields(strings.ToLower(s)), " ")
	if norm == "" {
		return Duration{}, &DurationError{s, "empty"}
	}
	if norm == "same day" || norm == "trong ngày" || norm == "same-day" {
		return SameDayLimit, nil
	}
	i := strings.IndexByte(norm, ' ')
	if i < 0 {
		// Allow "3d"-style compact numbers to get a helpful message.
		return Duration{}, &DurationError{s, "missing unit"}
	}
	num, rest := norm[:i], norm[i+1:]
	unit, ok := unitNames[rest]
	if !ok {
		return Duration{}, &DurationError{s, fmt.Sprintf("unknown unit %q", rest)}
	}
	m, err := parseMilli(strings.ReplaceAll(num, ",", "."))
	if err != nil {
		return Duration{}, &DurationError{s, err.Error()}
	}
	if unit == Days && m%milli != 0 {
		return Duration{}, &DurationError{s, "calendar days must be a whole number"}
	}
	return Duration{Unit: unit, Milli: m}, nil
}

// parseMilli parses a non-negative decimal with at most three decimals.
func parseMilli(s string) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("missing amount")
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if intPart == "" || (hasFrac && frac == "") {
		return 0, fmt.Errorf("amount %q is not a number", s)
	}
	for _, r := range intPart + frac {
		if r < '0' || r > '9' {
			if r == '-' {
				return 0, fmt.Errorf("amount %q is negative", s)
			}
			return 0, fmt.Errorf("amount %q is not a number", s)
		}
	}
	if len(frac) > 3 {
		return 0, fmt.Errorf("amount %q has more than three decimals", s)
	}
	// The cap keeps every limit representable as a time.Duration of
	// office time (99999 working days of up to 24 hours each), so Work
	// cannot overflow; no legal limit comes near it.
	if len(strings.TrimLeft(intPart, "0")) > 5 {
		return 0, fmt.Errorf("amount %q is too large (at most 99999)", s)
	}
	n, _ := strconv.ParseInt(intPart, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt((frac + "000")[:3], 10, 64)
	}
	return n*milli + f, nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Work converts a working-time duration to office time on c (a working day
// lasts as long as c's office sessions). It returns 0 for other units.
func (c *Calendar) Work(d Duration) time.Duration {
	var unit time.Duration
	switch d.Unit {
	case WorkingDays:
		unit = c.dayWork
	case WorkingHours:
		unit = time.Hour
	case WorkingMinutes:
		unit = time.Minute
	default:
		return 0
	}
	// Whole and fractional parts apart: Milli*unit overflows int64 for
	// amounts far below the parser's cap.
	whole, frac := time.Duration(d.Milli/milli), time.Duration(d.Milli%milli)
	return whole*unit + frac*unit/milli
}
