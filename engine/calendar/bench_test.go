package calendar_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// loopAddWork is the benchmark's reference: the plain day-by-day loop a
// first implementation would write, asking the calendar about each day in
// turn. It exists only to measure what the prefix tables save; the
// package never uses it.
func loopAddWork(c *calendar.Calendar, from time.Time, work time.Duration) time.Time {
	loc := c.Location()
	t := from.In(loc)
	if work <= 0 {
		return t
	}
	sessions := c.Sessions()
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	off := t.Sub(day)
	for {
		if c.IsWorkingDay(calendar.DateOf(day, loc)) {
			for _, s := range sessions {
				a, b := max(off, time.Duration(s.Start)*time.Minute), time.Duration(s.End)*time.Minute
				if b <= a {
					continue
				}
				if b-a >= work {
					return day.Add(a + work)
				}
				work -= b - a
			}
		}
		day = day.AddDate(0, 0, 1)
		off = 0
	}
}

// benchStarts are valid reception instants spread over 2026 at varied
// times of day, shared by both sides of each comparison.
func benchStarts() []time.Time {
	base := time.Date(2026, 1, 5, 8, 0, 0, 0, vn.Location())
	starts := make([]time.Time, 64)
	for i := range starts {
		starts[i] = vn.Start(base.Add(time.Duration(i*131)*time.Hour+time.Duration(i*7)*time.Minute), nil)
	}
	return starts
}

// TestLoopReferenceAgrees makes the benchmark honest: both sides compute
// the same instants.
func TestLoopReferenceAgrees(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 20, 60, 250} {
		w := vn.Work(calendar.WorkingDaysOf(n))
		for _, s := range benchStarts() {
			if a, b := vn.AddWork(s, w), loopAddWork(vn, s, w); !a.Equal(b) {
				t.Fatalf("%d working days from %s: tables %s, loop %s", n, s, a, b)
			}
		}
	}
}

var sink time.Time

// BenchmarkAddWork compares the prefix tables with the day-by-day loop
// on the same inputs; see docs/benchmarks.md.
func BenchmarkAddWork(b *testing.B) {
	starts := benchStarts()
	for _, n := range []int{1, 20, 60, 250} {
		w := vn.Work(calendar.WorkingDaysOf(n))
		b.Run(fmt.Sprintf("days=%d/tables", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				sink = vn.AddWork(starts[i%len(starts)], w)
				i++
			}
		})
		b.Run(fmt.Sprintf("days=%d/loop", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				sink = loopAddWork(vn, starts[i%len(starts)], w)
				i++
			}
		})
	}
}

// BenchmarkDue measures a whole deadline as the engine asks for it: the
// valid start, the due instant, the skipped days off and the warnings.
func BenchmarkDue(b *testing.B) {
	starts := benchStarts()
	co := calendar.Clock(15 * 60)
	for _, n := range []int{1, 60, 250} {
		limit := calendar.WorkingDaysOf(n)
		b.Run(fmt.Sprintf("days=%d", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				sink = vn.Due(starts[i%len(starts)], limit, &co).Due
				i++
			}
		})
	}
}
