package report

import (
	"math"
	"sort"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// The indicators of Decision 766/QĐ-TTg (23/6/2022) that come from
// dossier data: the Prime Minister's scoring of every agency from what it
// syncs to the national portal. The formulas follow the description in
// docs/reports.md ("Decision 766"); the thresholds below which the score
// is proportional are the national portal's, not computed here.
//
// Every figure is computed from *engine.Dossier fields only: ReceivedAt,
// ReceivingUnit, Channel, Procedure, ProcedureVersion, Result,
// FinishedAt, Timeliness, StartAt, WorkTaken, DueAt, Status, Ledger,
// History, Files, Fees and Rating.

// Rate is one indicator: Num of Den, and Num/Den, nil when Den is 0 (no
// data is not 0% or 100%).
type Rate struct {
	Num  int      `json:"num"`
	Den  int      `json:"den"`
	Rate *float64 `json:"rate"`
}

func (r *Rate) count(yes bool) {
	r.Den++
	if yes {
		r.Num++
	}
}

func (r *Rate) finish() { r.Rate = ratio(r.Num, r.Den) }

// Satisfaction is indicator 5.4: 100% − (overdue rate + rate of disliked
// ratings). Complaints about a dossier are not linked to it in the data,
// so only dislikes count from that half.
type Satisfaction struct {
	// Overdue and Judged are indicator 2.1's overdue count and its
	// denominator.
	Overdue int `json:"overdue"`
	Judged  int `json:"judged"`
	// Disliked and Rated are the ratings with a dislike and all ratings.
	Disliked int `json:"disliked"`
	Rated    int `json:"rated"`
	// Rate is nil without a rating: no rating is no satisfaction figure,
	// not 0%.
	Rate *float64 `json:"rate"`
}

// CriterionScore is the average score of one rating criterion.
type CriterionScore struct {
	// ID is the criterion's id as the rating stored it.
	ID      string  `json:"id"`
	Count   int     `json:"count"`
	Average float64 `json:"average"`
}

// Ratings summarises the applicants' ratings (Decree 61/2018 Art 30–31)
// of the dossiers finished in the period.
type Ratings struct {
	Count int `json:"count"`
	// Overall is the mean of each rating's mean score; nil when Count is 0.
	Overall *float64 `json:"overall"`
	// Disliked counts ratings with a dislike (see Query.DislikeAtMost).
	Disliked int `json:"disliked"`
	// Criteria are the per-criterion averages, by id.
	Criteria []CriterionScore `json:"criteria"`

	sum      float64
	criteria map[string]*[2]float64 // id → sum, count
}

// D766Figures are the Decision 766 indicators of one group or the total.
type D766Figures struct {
	// OnTime766 is indicator 2.1 by the 766 rule; OnTimeLegal the legal
	// on-time rate (Decree 61/2018 Art 19 as carried over by Decree
	// 118/2025: a supplement restarts the clock), the report's
	// on_time_rate, beside it.
	OnTime766   Rate `json:"on_time_766"`
	OnTimeLegal Rate `json:"on_time_legal"`
	// ResolutionAvg is indicator 2.2, the mean resolution time of the
	// approved dossiers finished in the period, in ResolutionUnit (the
	// procedures' own unit); nil when none, or when they count time in
	// different units.
	ResolutionAvg   *float64 `json:"resolution_avg"`
	ResolutionUnit  string   `json:"resolution_unit,omitempty"`
	ResolutionCount int      `json:"resolution_count"`
	// Online is 3.3, FeeData 3.5 (counted in procedures), PaidOnline 3.6,
	// EResult 4.1, Digitised 4.2, Reuse 4.3.
	Online       Rate         `json:"online"`
	FeeData      Rate         `json:"fee_data"`
	PaidOnline   Rate         `json:"paid_online"`
	EResult      Rate         `json:"e_result"`
	Digitised    Rate         `json:"digitised"`
	Reuse        Rate         `json:"reuse"`
	Satisfaction Satisfaction `json:"satisfaction"`
	Ratings      Ratings      `json:"ratings"`

	res   resolution
	feeBy map[string]*[2]int // procedure → dossiers, dossiers with fee data
}

// resolution accumulates 2.2 in one unit of time.
type resolution struct {
	unit  string
	mixed bool
	sum   float64
	n     int
}

func (r *resolution) add(unit string, v float64) {
	if r.n > 0 && r.unit != unit {
		r.mixed = true
	}
	r.unit = unit
	r.sum += v
	r.n++
}

// D766Row is the Decision 766 figures of one group of the report.
type D766Row struct {
	Group  string `json:"group"`
	Name   string `json:"name,omitempty"`
	NameEN string `json:"name_en,omitempty"`
	D766Figures
}

// RatingRow is the ratings of one unit or procedure.
type RatingRow struct {
	Group  string `json:"group"`
	Name   string `json:"name,omitempty"`
	NameEN string `json:"name_en,omitempty"`
	Ratings
}

// ProcedureTime is indicator 2.2 for one procedure.
type ProcedureTime struct {
	Procedure string `json:"procedure"`
	Name      string `json:"name,omitempty"`
	NameEN    string `json:"name_en,omitempty"`
	// Unit is the unit of the procedure's time limit: working_days,
	// working_hours, working_minutes or days.
	Unit    string   `json:"unit"`
	Count   int      `json:"count"`
	Average *float64 `json:"average"`
}

// D766 is the Decision 766 section of a report.
type D766 struct {
	// Rows are grouped like Report.Rows; Total is the whole period.
	Rows  []D766Row   `json:"rows"`
	Total D766Figures `json:"total"`
	// ResolutionTimes is indicator 2.2 per procedure.
	ResolutionTimes []ProcedureTime `json:"resolution_times"`
	// RatingsByUnit and RatingsByProcedure are the ratings per unit (the
	// unit that finished the dossier) and per procedure.
	RatingsByUnit      []RatingRow `json:"ratings_by_unit"`
	RatingsByProcedure []RatingRow `json:"ratings_by_procedure"`
}

// Resolution time units (2.2), named as in ProcedureTime.Unit.
const (
	UnitWorkingDays    = "working_days"
	UnitWorkingHours   = "working_hours"
	UnitWorkingMinutes = "working_minutes"
	UnitDays           = "days"
)

// d766Acc accumulates the Decision 766 section beside a computer.
type d766Acc struct {
	c         *computer
	rows      map[string]*D766Figures
	total     D766Figures
	times     map[string]*resolution
	byUnit    map[string]*Ratings
	byProc    map[string]*Ratings
	dislikeAt int
	// last is the procedure of the last dossier asked for (procedure).
	last        *engine.Procedure
	lastVersion int
}

func newD766(c *computer) *d766Acc {
	a := &d766Acc{c: c, rows: map[string]*D766Figures{}, times: map[string]*resolution{},
		byUnit: map[string]*Ratings{}, byProc: map[string]*Ratings{}, dislikeAt: c.q.DislikeAtMost}
	if a.dislikeAt == 0 {
		a.dislikeAt = 1
	}
	return a
}

// both applies fn to the total and the group's row, unless unit is out
// of the viewer's scope: the same attribution as the legal figures.
func (a *d766Acc) both(d *engine.Dossier, unit string, fn func(*D766Figures)) {
	c := a.c
	if c.scope != nil && !c.scope[unit] {
		return
	}
	fn(&a.total)
	var key string
	switch c.q.By {
	case ByNone:
		return
	case ByUnit:
		key = unit
	case ByProcedure:
		key = d.Procedure
	case ByKind:
		key = string(d.Kind)
	case ByChannel:
		key = string(d.Channel)
	}
	f := a.rows[key]
	if f == nil {
		f = &D766Figures{}
		a.rows[key] = f
	}
	fn(f)
}

// procedure returns d's procedure from the catalog, nil when unknown,
// remembering the last one: Catalog.Get builds its key on every call,
// and a report's dossiers come mostly of a few procedures.
func (a *d766Acc) procedure(d *engine.Dossier) *engine.Procedure {
	if a.c.q.Catalog == nil {
		return nil
	}
	if a.last != nil && a.last.Code == d.Procedure && a.lastVersion == d.ProcedureVersion {
		return a.last
	}
	p, err := a.c.q.Catalog.Get(d.Procedure, d.ProcedureVersion)
	if err != nil {
		return nil
	}
	a.last, a.lastVersion = p, d.ProcedureVersion
	return p
}

func (a *d766Acc) add(d *engine.Dossier) error {
	if a == nil {
		return nil // the legal figures alone (the benchmark's baseline)
	}
	c := a.c
	p := a.procedure(d)
	if c.in(d.ReceivedAt) {
		feeBearing := p != nil && len(p.Fees) > 0
		online, reused := d.Channel == engine.ChannelOnline, hasReuse(d)
		charged, paidOnline := len(d.Fees) > 0, hasPaidOnline(d)
		a.both(d, d.ReceivingUnit, func(f *D766Figures) {
			// 3.3: online dossiers ÷ all received.
			f.Online.count(online)
			// 4.3: dossiers reusing at least one component ÷ all received.
			f.Reuse.count(reused)
			// 3.6: dossiers with a fee paid online ÷ dossiers charged a fee.
			if charged {
				f.PaidOnline.count(paidOnline)
			}
			// 3.5: counted per fee-bearing procedure at the end.
			if feeBearing {
				if f.feeBy == nil {
					f.feeBy = map[string]*[2]int{}
				}
				n := f.feeBy[d.Procedure]
				if n == nil {
					n = &[2]int{}
					f.feeBy[d.Procedure] = n
				}
				n[0]++
				if charged {
					n[1]++
				}
			}
		})
	}
	counted, onTime, unit, err := a.judge766(d)
	if err != nil {
		return err
	}
	if counted {
		a.both(d, unit, func(f *D766Figures) { f.OnTime766.count(onTime) })
	}
	if d.FinishedAt == nil || !c.in(*d.FinishedAt) {
		return nil
	}
	unit = unitAt(d, d.FinishedAt.Add(time.Nanosecond))
	if c.scope != nil && !c.scope[unit] {
		return nil
	}
	if d.Result != engine.OutcomeRefused && d.Result != engine.OutcomeWithdrawn {
		resUnit, v := a.resolutionTime(d, p)
		comp, res := digitised(d)
		a.both(d, unit, func(f *D766Figures) {
			f.res.add(resUnit, v)
			// 4.1: approved dossiers with an electronic result ÷ all
			// approved dossiers (each returns a result on paper).
			f.EResult.count(res)
			// 4.2: a component scan and the result file ÷ the same.
			f.Digitised.count(comp && res)
		})
		t := a.times[d.Procedure]
		if t == nil {
			t = &resolution{}
			a.times[d.Procedure] = t
		}
		t.add(resUnit, v)
	}
	if d.Rating != nil {
		a.both(d, unit, func(f *D766Figures) { f.Ratings.add(d.Rating, a.dislikeAt) })
		for _, g := range []struct {
			m   map[string]*Ratings
			key string
		}{{a.byUnit, unit}, {a.byProc, d.Procedure}} {
			r := g.m[g.key]
			if r == nil {
				r = &Ratings{}
				g.m[g.key] = r
			}
			r.add(d.Rating, a.dislikeAt)
		}
	}
	return nil
}

// judge766 judges d for indicator 2.1 in the period: whether it counts,
// whether on time, and the unit it is attributed to.
//
// Decision 766 takes as the finish the first of: the result (finished,
// returned), a stop or a refusal, or a request for a supplement. So a
// dossier with one supplement request before the period's end is judged
// at that request; with more than one it is overdue, at the second
// request. Nothing after the first request is timed, which is how the
// supplement period is subtracted: unlike the legal rate, a restart of
// the clock by the supplement never gives the dossier a new due. One
// still open at the period's end, with no request, is judged then.
func (a *d766Acc) judge766(d *engine.Dossier) (counted, onTime bool, unit string, err error) {
	c := a.c
	var reqs [2]int // ledger indexes of the first two requests
	n := 0
	for i, ev := range d.Ledger {
		if (ev.Kind == engine.ClockPause || ev.Kind == engine.ClockStop) && ev.At.Before(c.end) {
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
		return true, false, unitAt(d, at.Add(time.Nanosecond)), nil
	case n == 1:
		at := d.Ledger[reqs[0]].At
		if at.Before(c.start) {
			return false, false, "", nil
		}
		due, err := a.dueOf(d, d.Ledger[:reqs[0]])
		if err != nil || due.IsZero() {
			return false, false, "", err
		}
		return true, !at.After(due), unitAt(d, at.Add(time.Nanosecond)), nil
	}
	if d.FinishedAt != nil && d.FinishedAt.Before(c.end) {
		at := *d.FinishedAt
		if at.Before(c.start) {
			return false, false, "", nil
		}
		unit = unitAt(d, at.Add(time.Nanosecond))
		if d.Timeliness != "" {
			// No request: the legal clock ran once from reception, so the
			// engine's judgement is the 766 one.
			return true, d.Timeliness != engine.Late, unit, nil
		}
		// A refusal or a withdrawal: judged against the due of the events
		// up to it (reception and refusal may share an instant).
		k := 0
		for k < len(d.Ledger) && !d.Ledger[k].At.After(at) && d.Ledger[k].Kind != engine.ClockFinish {
			k++
		}
		due, err := a.dueOf(d, d.Ledger[:k])
		if err != nil || due.IsZero() {
			return false, false, "", err
		}
		return true, !at.After(due), unit, nil
	}
	_, due, err := c.clockAt(d, c.end)
	if err != nil || due.IsZero() {
		return false, false, "", err
	}
	return true, !c.end.After(due), unitAt(d, c.end), nil
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
			if l, err := calendar.ParseDuration(ev.Limit); err == nil {
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

// add counts one rating: a dislike when any criterion is scored at or
// below dislikeAt.
func (r *Ratings) add(rt *engine.Rating, dislikeAt int) {
	if r.criteria == nil {
		r.criteria = map[string]*[2]float64{}
	}
	sum, n, disliked := 0, 0, false
	for id, s := range rt.Scores {
		c := r.criteria[id]
		if c == nil {
			c = &[2]float64{}
			r.criteria[id] = c
		}
		c[0] += float64(s)
		c[1]++
		sum += s
		n++
		disliked = disliked || s <= dislikeAt
	}
	r.Count++
	if n > 0 {
		r.sum += float64(sum) / float64(n)
	}
	if disliked {
		r.Disliked++
	}
}

func (r *Ratings) finish() {
	r.Overall = nil
	if r.Count > 0 {
		v := round2(r.sum / float64(r.Count))
		r.Overall = &v
	}
	ids := make([]string, 0, len(r.criteria))
	for id := range r.criteria {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	r.Criteria = make([]CriterionScore, 0, len(ids))
	for _, id := range ids {
		c := r.criteria[id]
		r.Criteria = append(r.Criteria, CriterionScore{ID: id, Count: int(c[1]), Average: round2(c[0] / c[1])})
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// finish computes f's rates, legal taking the legal on-time counts from
// the report's own figures of the same group.
func (f *D766Figures) finish(legal *Figures) {
	if legal != nil {
		f.OnTimeLegal = Rate{Num: legal.Early + legal.OnTime, Den: legal.Early + legal.OnTime + legal.Late}
	}
	f.FeeData = Rate{}
	for _, n := range f.feeBy {
		f.FeeData.count(n[0] == n[1])
	}
	for _, r := range []*Rate{&f.OnTime766, &f.OnTimeLegal, &f.Online, &f.FeeData, &f.PaidOnline, &f.EResult, &f.Digitised, &f.Reuse} {
		r.finish()
	}
	f.ResolutionAvg, f.ResolutionUnit, f.ResolutionCount = nil, "", f.res.n
	if f.res.n > 0 && !f.res.mixed {
		v := round2(f.res.sum / float64(f.res.n))
		f.ResolutionAvg, f.ResolutionUnit = &v, f.res.unit
	}
	f.Ratings.finish()
	s := &f.Satisfaction
	s.Overdue, s.Judged = f.OnTime766.Den-f.OnTime766.Num, f.OnTime766.Den
	s.Disliked, s.Rated = f.Ratings.Disliked, f.Ratings.Count
	s.Rate = nil
	if s.Rated > 0 {
		v := 1 - float64(s.Disliked)/float64(s.Rated)
		if s.Judged > 0 {
			v -= float64(s.Overdue) / float64(s.Judged)
		}
		v = math.Max(0, v)
		s.Rate = &v
	}
}

// result builds the section once the computer's own figures are final.
func (a *d766Acc) result() *D766 {
	if a == nil {
		return nil
	}
	c := a.c
	out := &D766{Rows: []D766Row{}, ResolutionTimes: []ProcedureTime{}}
	keys := make([]string, 0, len(a.rows))
	for k := range a.rows {
		keys = append(keys, k)
	}
	// Every group of the legal figures gets a row, so both sections list
	// the same groups.
	for k := range c.rows {
		if a.rows[k] == nil {
			a.rows[k] = &D766Figures{}
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := a.rows[k]
		f.finish(c.rows[k])
		row := D766Row{Group: k, D766Figures: *f}
		row.Name, row.NameEN = c.label(k)
		out.Rows = append(out.Rows, row)
	}
	a.total.finish(&c.total)
	out.Total = a.total
	for _, code := range sortedKeys(a.times) {
		t := a.times[code]
		pt := ProcedureTime{Procedure: code, Unit: t.unit, Count: t.n}
		if t.mixed {
			// Versions of one procedure counting in different units.
			pt.Unit = ""
		} else {
			v := round2(t.sum / float64(t.n))
			pt.Average = &v
		}
		pt.Name, pt.NameEN = a.procName(code)
		out.ResolutionTimes = append(out.ResolutionTimes, pt)
	}
	out.RatingsByUnit = ratingRows(a.byUnit, func(k string) (string, string) {
		if c.q.Directory != nil {
			if u, ok := c.q.Directory.Unit(k); ok {
				return u.Name, u.NameEN
			}
		}
		return "", ""
	})
	out.RatingsByProcedure = ratingRows(a.byProc, a.procName)
	return out
}

func (a *d766Acc) procName(code string) (string, string) {
	if a.c.q.Catalog != nil {
		if p, err := a.c.q.Catalog.Get(code, 0); err == nil {
			return p.Name, p.NameEN
		}
	}
	return "", ""
}

func ratingRows(m map[string]*Ratings, name func(string) (string, string)) []RatingRow {
	out := []RatingRow{}
	for _, k := range sortedKeys(m) {
		r := m[k]
		r.finish()
		row := RatingRow{Group: k, Ratings: *r}
		row.Name, row.NameEN = name(k)
		out = append(out, row)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
