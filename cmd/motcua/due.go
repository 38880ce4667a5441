package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/procedures"
)

const dueUsage = `Usage: motcua due --received RFC3339 --limit LIMIT [flags]
       motcua due --received RFC3339 --procedure FILE [flags]

Prints the due instant (RFC 3339, in the calendar's offset) on the first
line. --explain adds the derivation below it. Warnings (a year whose holiday
table is provisional or missing) go to stderr, so that the first line of
stdout is always the instant alone.

With --procedure, the procedure's time limit and cut-off are used (--limit
and --cutoff override them) and each step's budget follows, one per line:
state id, name, budget.

Flags:
  --received RFC3339   reception instant, e.g. 2026-02-12T16:30:00+07:00
  --limit LIMIT        e.g. "3 working days", "0.5 working days", "30 days",
                       "same day", "3 ngày làm việc", "trong ngày"
  --cutoff HH:MM       receptions after it count from the next working day
  --calendar FILE      calendar YAML (default: the built-in vn calendar)
  --procedure FILE     procedure YAML
  --explain            print the derivation a clerk can check
  --lang vi|en         language of the derivation and warnings (default vi)
`

// dueRequest is one due computation, parsed from flags; split from
// runDue so tests can drive the procedure path with a hand-built
// procedure.
type dueRequest struct {
	cal      *calendar.Calendar
	received time.Time
	limit    *calendar.Duration // nil: take the procedure's
	cutoff   *calendar.Clock    // nil: take the procedure's, if any
	explain  bool
	lang     string
}

// runDue prints the due instant of a reception under a limit.
func runDue(_ context.Context, m *Main, args []string) error {
	fs := newFlags("due", dueUsage)
	fs.terse = true
	received := fs.String("received", "", "")
	limitS := fs.String("limit", "", "")
	cutoffS := fs.String("cutoff", "", "")
	calPath := fs.String("calendar", "", "")
	procPath := fs.String("procedure", "", "")
	explain := fs.Bool("explain", false, "")
	lang := fs.String("lang", "vi", "")
	if err := fs.parse(m, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("due: unexpected argument %q (quote the limit: --limit \"3 working days\")", fs.Arg(0))
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	req := dueRequest{explain: *explain, lang: *lang}
	if *received == "" {
		return usagef("due: --received is required, e.g. --received 2026-02-12T16:30:00+07:00")
	}
	t, err := time.Parse(time.RFC3339, *received)
	if err != nil {
		return usagef("due: --received %q is not an RFC 3339 instant such as 2026-02-12T16:30:00+07:00", *received)
	}
	req.received = t
	if *limitS != "" {
		d, err := calendar.ParseDuration(*limitS)
		if err != nil {
			return usagef("due: --limit: %v", err)
		}
		req.limit = &d
	} else if *procPath == "" {
		return usagef("due: --limit (e.g. \"3 working days\") or --procedure is required")
	}
	if *cutoffS != "" {
		c, err := calendar.ParseClock(*cutoffS)
		if err != nil {
			return usagef("due: --cutoff: %v", err)
		}
		req.cutoff = &c
	}
	if req.cal, err = loadCalendarFlag(*calPath); err != nil {
		return err
	}
	if *procPath == "" {
		return req.print(m, nil)
	}
	p, err := procedures.LoadFile(*procPath)
	if err != nil {
		return fmt.Errorf("due: --procedure: %w", err)
	}
	return req.print(m, p)
}

// print writes the due instant, the derivation and, for a procedure, the
// step budgets to stdout; warnings go to stderr.
func (r dueRequest) print(m *Main, p *engine.Procedure) error {
	limit, cutoff := r.limit, r.cutoff
	if p != nil {
		if limit == nil {
			if p.TimeLimit.IsZero() {
				return usagef("due: procedure %s has no time limit; give --limit", p.Code)
			}
			limit = &p.TimeLimit
		}
		if cutoff == nil {
			cutoff = p.Cutoff
		}
	}
	res := r.cal.Due(r.received, *limit, cutoff)
	fmt.Fprintln(m.Stdout, formatRFC3339(res.Due, r.cal))
	if r.explain {
		// Warnings are printed once, on stderr, below; Explain would
		// repeat them on stdout.
		quiet := res
		quiet.Warnings = nil
		fmt.Fprintln(m.Stdout, r.cal.Explain(quiet, r.lang))
	}
	if p != nil {
		r.printBudgets(m, p, *limit)
	}
	printWarnings(m, res.Warnings, r.lang)
	return nil
}

// printBudgets lists each step's budget from the internal process (quy
// trình nội bộ) and warns when working-time budgets add up to more than
// the legal limit they split.
func (r dueRequest) printBudgets(m *Main, p *engine.Procedure, limit calendar.Duration) {
	var total time.Duration
	comparable := limit.IsWorkingTime()
	for _, s := range p.States {
		if s.TimeLimit.IsZero() {
			continue
		}
		name := s.Name
		if r.lang == "en" && s.NameEN != "" {
			name = s.NameEN
		}
		fmt.Fprintf(m.Stdout, "%s  %s  %s\n", s.ID, name, s.TimeLimit.Format(r.lang))
		if s.TimeLimit.IsWorkingTime() {
			total += r.cal.Work(s.TimeLimit)
		} else {
			comparable = false
		}
	}
	if comparable && total > r.cal.Work(limit) {
		hours := strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", total.Hours()), "0"), ".")
		if r.lang == "en" {
			fmt.Fprintf(m.Stderr, "warning: step budgets total %s working hours, more than the limit %s\n", hours, limit.Format("en"))
		} else {
			fmt.Fprintf(m.Stderr, "cảnh báo: tổng thời gian các bước là %s giờ làm việc, vượt thời hạn %s\n",
				strings.ReplaceAll(hours, ".", ","), limit.Format("vi"))
		}
	}
}

// formatRFC3339 prints t in the calendar's offset; fractions of a second
// appear only when a limit such as "0.001 working hours" produces them.
func formatRFC3339(t time.Time, cal *calendar.Calendar) string {
	return t.In(cal.Location()).Format(time.RFC3339Nano)
}

func printWarnings(m *Main, ws []calendar.Warning, lang string) {
	prefix := "cảnh báo: "
	if lang == "en" {
		prefix = "warning: "
	}
	for _, w := range ws {
		fmt.Fprintln(m.Stderr, prefix+w.Message(lang))
	}
}

func checkLang(lang string) error {
	if lang != "vi" && lang != "en" {
		return usagef("--lang %q: want vi or en", lang)
	}
	return nil
}

// loadCalendarFlag returns the calendar named by a --calendar flag, the
// built-in vn calendar when it is empty.
func loadCalendarFlag(path string) (*calendar.Calendar, error) {
	if path == "" {
		return calendar.VN(), nil
	}
	c, err := procedures.LoadCalendar(path)
	if err != nil {
		return nil, fmt.Errorf("--calendar: %w", err)
	}
	return c, nil
}
