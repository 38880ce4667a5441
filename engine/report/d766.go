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
	// limits are the ledger limits parsed so far (limit).
	limits map[string]calendar.Duration
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
	key, grouped := c.groupOf(d, unit)
	if !grouped {
		return
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
	unit = engine.FigureUnitBefore(d, d.FinishedAt.Add(time.Nanosecond))
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
