package report

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// Source is where dossiers come from; engine.Store satisfies it.
type Source interface {
	// Scan calls fn for every dossier matching q, streaming.
	Scan(ctx context.Context, q engine.Query, fn func(*engine.Dossier) error) error
}

var _ Source = engine.Store(nil)

// The engine is a Source too: callers that read through it (the
// dashboard) count what the store holds, through the one way in.
var _ Source = (*engine.Engine)(nil)

// Figures are the counts of one row or of the total.
type Figures struct {
	// Received in the period, and by channel.
	Received        int `json:"received"`
	ReceivedCounter int `json:"received_counter"`
	ReceivedOnline  int `json:"received_online"`
	ReceivedPost    int `json:"received_post"`
	// Petitions (complaints, denunciations, recommendations) received in
	// the period, by their classification at the period's end (issue 7):
	// OutsideAuthority entered a state marked authority: outside before
	// the end (forwarded, or the citizen guided to the competent body:
	// Citizen Reception Law 2013 Art 28, Denunciations Law 2018 Art 24);
	// WithinAuthority did not. A petition whose procedure is not in
	// Query.Catalog cannot be classified and is in neither.
	WithinAuthority  int `json:"within_authority"`
	OutsideAuthority int `json:"outside_authority"`
	// CarriedOver: received before the period, not finished before it.
	CarriedOver int `json:"carried_over"`
	// Finished in the period: Early + OnTime + Late + Refused + Withdrawn
	// (+ Unjudged).
	Finished  int `json:"finished"`
	Early     int `json:"early"`
	OnTime    int `json:"on_time"`
	Late      int `json:"late"`
	Refused   int `json:"refused"`
	Withdrawn int `json:"withdrawn"`
	// Unjudged counts approved dossiers with no due instant to judge
	// against (finished while the clock was stopped, before it ever ran).
	Unjudged int `json:"unjudged,omitempty"`
	// OnTimeRate is (Early+OnTime)/(Early+OnTime+Late); nil when that is
	// 0/0, so an empty period reads "no data", never 0% or 100%.
	OnTimeRate *float64 `json:"on_time_rate"`
	// At the period's end: InProgress = WithinDeadline + Overdue + Paused.
	InProgress     int `json:"in_progress"`
	WithinDeadline int `json:"within_deadline"`
	Overdue        int `json:"overdue"`
	Paused         int `json:"paused"`
	// Step results against their own budgets (Circular 01/2018 Art 13).
	StepsEarly     int      `json:"steps_early"`
	StepsOnTime    int      `json:"steps_on_time"`
	StepsLate      int      `json:"steps_late"`
	StepOnTimeRate *float64 `json:"step_on_time_rate"`
	// AvgWorkHours is the mean office time taken by the dossiers in the
	// rate's denominator, paused time excluded; nil when there are none.
	AvgWorkHours *float64 `json:"avg_work_hours"`

	workSum time.Duration
	workN   int
}

// Row is one group of a report.
type Row struct {
	// Group is the unit id, procedure code, kind or channel.
	Group string `json:"group"`
	// Name and NameEN label the group when known.
	Name   string `json:"name,omitempty"`
	NameEN string `json:"name_en,omitempty"`
	Figures
}

// PetitionRow summarises one kind of citizen petition.
type PetitionRow struct {
	Kind     engine.Kind `json:"kind"`
	Received int         `json:"received"`
	// WithinAuthority and OutsideAuthority split Received as in Figures.
	WithinAuthority  int `json:"within_authority"`
	OutsideAuthority int `json:"outside_authority"`
	Finished         int `json:"finished"`
	// OnTime counts those resolved early or on time; Late the others.
	OnTime int `json:"on_time"`
	Late   int `json:"late"`
	// Extended counts those with at least one extension (Denunciations
	// Law 2018 Art 30) among the finished and the still open.
	Extended int `json:"extended"`
}

// Report is the result of Compute.
type Report struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	By       Grouping `json:"by"`
	Calendar string   `json:"calendar"`
	Rows     []Row    `json:"rows"`
	Total    Figures  `json:"total"`
	// Petitions has one row per petition kind, zeros included.
	Petitions []PetitionRow `json:"petitions"`
	// D766 is the Decision 766 section (d766.go).
	D766 *D766 `json:"d766"`
}

// PetitionKinds are the kinds reported in Report.Petitions, in order.
var PetitionKinds = []engine.Kind{engine.KindComplaint, engine.KindDenunciation, engine.KindPetition}

// Bounds returns the instants [start, end) of the inclusive dates from
// and to in cal's zone.
func Bounds(cal *calendar.Calendar, from, to calendar.Date) (start, end time.Time) {
	loc := cal.Location()
	start = time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, loc)
	// AddDate on a civil date keeps midnight even across zone changes.
	end = time.Date(to.Year, to.Month, to.Day, 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	return start, end
}

// Compute computes the report of q over the dossiers of src, streaming
// them with one Scan bounded by the period: received before its end and
// not finished before its start (a dossier finished earlier contributes
// no figure, so years of closed dossiers are never read). The scan asks
// for the stores' slim copies (engine.Query.Slim): the figures read no
// field of engine.SlimDropped (TestSlimCarriesWhatReportsRead), and
// decoding whole documents was most of a report's time.
func Compute(ctx context.Context, src Source, cal *calendar.Calendar, q Query) (*Report, error) {
	if q.By == "" {
		q.By = ByUnit
	}
	if err := q.validate(); err != nil {
		return nil, err
	}
	c := newComputer(cal, q)
	err := src.Scan(ctx, engine.Query{ReceivedTo: c.end, OpenAt: c.start, Slim: true}, func(d *engine.Dossier) error {
		return c.add(d)
	})
	if err != nil {
		return nil, fmt.Errorf("report %s..%s: %w", q.From, q.To, err)
	}
	return c.report(), nil
}

// computer accumulates one report; it is not safe for concurrent use.
type computer struct {
	cal        *calendar.Calendar
	q          Query
	start, end time.Time
	rows       map[string]*Figures
	total      Figures
	petitions  map[engine.Kind]*PetitionRow
	// scope holds Query.Units; nil counts every unit.
	scope map[string]bool
	d766  *d766Acc
}

func newComputer(cal *calendar.Calendar, q Query) *computer {
	c := &computer{cal: cal, q: q, rows: map[string]*Figures{}, petitions: map[engine.Kind]*PetitionRow{}}
	if q.Units != nil {
		c.scope = map[string]bool{}
		for _, u := range q.Units {
			c.scope[u] = true
		}
	}
	c.start, c.end = Bounds(cal, q.From, q.To)
	for _, k := range PetitionKinds {
		c.petitions[k] = &PetitionRow{Kind: k}
	}
	c.d766 = newD766(c)
	return c
}

// groupOf returns the key of the group d falls in, unit being the unit
// the figure is attributed to; false when the report is not grouped.
func (c *computer) groupOf(d *engine.Dossier, unit string) (string, bool) {
	switch c.q.By {
	case ByUnit:
		return unit, true
	case ByProcedure:
		return d.Procedure, true
	case ByKind:
		return string(d.Kind), true
	case ByChannel:
		return string(d.Channel), true
	}
	return "", false
}

// row returns the figures of the group d falls in, unit being the unit
// the figure is attributed to (used only when grouping by unit).
func (c *computer) row(d *engine.Dossier, unit string) *Figures {
	key, grouped := c.groupOf(d, unit)
	if !grouped {
		return nil
	}
	f := c.rows[key]
	if f == nil {
		f = &Figures{}
		c.rows[key] = f
	}
	return f
}

// both applies fn to the total and to the group's row.
func (c *computer) both(d *engine.Dossier, unit string, fn func(*Figures)) {
	if c.scope != nil && !c.scope[unit] {
		return
	}
	fn(&c.total)
	if f := c.row(d, unit); f != nil {
		fn(f)
	}
}

func (c *computer) in(t time.Time) bool { return !t.Before(c.start) && t.Before(c.end) }

func finishedBefore(d *engine.Dossier, t time.Time) bool {
	return d.FinishedAt != nil && d.FinishedAt.Before(t)
}

func (c *computer) add(d *engine.Dossier) error {
	if !d.ReceivedAt.Before(c.end) || engine.NeverReceived(d) {
		// A store that ignores the bound must not skew the figures; an
		// online dossier the desk has not received is no reception.
		return nil
	}
	if err := c.d766.add(d); err != nil {
		return err
	}
	pet := c.petitions[d.Kind]
	if c.scope != nil && !c.scope[d.ReceivingUnit] {
		pet = nil
	}
	if c.in(d.ReceivedAt) {
		c.both(d, d.ReceivingUnit, func(f *Figures) {
			f.Received++
			switch d.Channel {
			case engine.ChannelCounter:
				f.ReceivedCounter++
			case engine.ChannelOnline:
				f.ReceivedOnline++
			case engine.ChannelPost:
				f.ReceivedPost++
			}
		})
		if pet != nil {
			pet.Received++
			// Attributed like received: to the receiving unit.
			if outside, known := c.outsideAuthority(d, c.end); known && outside {
				pet.OutsideAuthority++
				c.both(d, d.ReceivingUnit, func(f *Figures) { f.OutsideAuthority++ })
			} else if known {
				pet.WithinAuthority++
				c.both(d, d.ReceivingUnit, func(f *Figures) { f.WithinAuthority++ })
			}
		}
	}
	if d.ReceivedAt.Before(c.start) && !finishedBefore(d, c.start) {
		c.both(d, engine.FigureUnitBefore(d, c.start), func(f *Figures) { f.CarriedOver++ })
	}
	handled := false // finished in the period or open at its end
	if d.FinishedAt != nil && c.in(*d.FinishedAt) {
		handled = true
		t, err := c.judge(d)
		if err != nil {
			return err
		}
		c.both(d, engine.FigureUnitBefore(d, d.FinishedAt.Add(time.Nanosecond)), func(f *Figures) {
			f.Finished++
			switch d.Result {
			case engine.OutcomeRefused:
				f.Refused++
			case engine.OutcomeWithdrawn:
				f.Withdrawn++
			default:
				switch t {
				case engine.Early:
					f.Early++
				case engine.OnTime:
					f.OnTime++
				case engine.Late:
					f.Late++
				default:
					f.Unjudged++
					return
				}
				f.workSum += d.WorkTaken
				f.workN++
			}
		})
		if pet != nil {
			pet.Finished++
			if d.Result != engine.OutcomeRefused && d.Result != engine.OutcomeWithdrawn {
				switch t {
				case engine.Early, engine.OnTime:
					pet.OnTime++
				case engine.Late:
					pet.Late++
				}
			}
		}
	}
	if !finishedBefore(d, c.end) {
		handled = true
		paused, due, err := c.clockAt(d, c.end)
		if err != nil {
			return err
		}
		c.both(d, engine.FigureUnitBefore(d, c.end), func(f *Figures) {
			f.InProgress++
			switch {
			case paused:
				f.Paused++
			case !due.IsZero() && c.end.After(due):
				f.Overdue++
			default:
				f.WithinDeadline++
			}
		})
	}
	if pet != nil && handled && extendedBefore(d, c.end) {
		pet.Extended++
	}
	for i := range d.History {
		h := &d.History[i]
		if h.StepResult == "" || !c.in(h.At) {
			continue
		}
		c.both(d, h.FromUnit, func(f *Figures) {
			switch h.StepResult {
			case engine.Early:
				f.StepsEarly++
			case engine.OnTime:
				f.StepsOnTime++
			case engine.Late:
				f.StepsLate++
			}
		})
	}
	return nil
}

// outsideAuthority reports whether petition d had entered a state its
// procedure marks authority: outside before t, rebuilt from the history
// rows so that a petition forwarded after the period's end still counts
// within the unit's authority for that period. known is false when the
// procedure is not in the catalog: its marks are then unknown.
func (c *computer) outsideAuthority(d *engine.Dossier, t time.Time) (outside, known bool) {
	if c.q.Catalog == nil {
		return false, false
	}
	p, err := c.q.Catalog.Get(d.Procedure, d.ProcedureVersion)
	if err != nil {
		return false, false
	}
	for i := range d.History {
		h := &d.History[i]
		if !h.At.Before(t) {
			continue
		}
		if st, ok := p.State(h.ToState); ok && st.IsOutsideAuthority() {
			return true, true
		}
	}
	return false, true
}

func extendedBefore(d *engine.Dossier, t time.Time) bool {
	for _, ev := range d.Ledger {
		if ev.Kind == engine.ClockExtend && ev.At.Before(t) {
			return true
		}
	}
	return false
}

// judge returns the timeliness of a finished dossier: the one the engine
// recorded, or, for one that finished while its clock was stopped, its
// standing when the clock stopped (judged against the due instant then).
func (c *computer) judge(d *engine.Dossier) (engine.Timeliness, error) {
	if d.Timeliness != "" || d.Result == engine.OutcomeRefused || d.Result == engine.OutcomeWithdrawn {
		return d.Timeliness, nil
	}
	stop := -1
	for i, ev := range d.Ledger {
		if ev.Kind == engine.ClockPause || ev.Kind == engine.ClockStop {
			stop = i
		}
	}
	if stop <= 0 {
		return "", nil
	}
	cs, err := c.derive(d, d.Ledger[:stop])
	if err != nil || cs.Due.IsZero() {
		return "", err
	}
	return engine.Judge(d.Ledger[stop].At, cs.Due, c.cal), nil
}

// clockAt returns whether d's legal clock was stopped just before t, and
// its legal due instant then (zero when stopped).
func (c *computer) clockAt(d *engine.Dossier, t time.Time) (paused bool, due time.Time, err error) {
	n := 0
	for n < len(d.Ledger) && d.Ledger[n].At.Before(t) {
		n++
	}
	if n == len(d.Ledger) && !d.IsFinished() {
		// Nothing happened to the clock since t: the stored fields hold.
		if d.DueAt != nil {
			due = *d.DueAt
		}
		return d.Status == engine.StatusPaused, due, nil
	}
	cs, err := c.derive(d, d.Ledger[:n])
	if err != nil {
		return false, time.Time{}, err
	}
	return cs.Paused, cs.Due, nil
}

// derive replays a prefix of d's ledger.
func (c *computer) derive(d *engine.Dossier, ledger []engine.ClockEvent) (engine.ClockState, error) {
	var p *engine.Procedure
	if c.q.Catalog != nil {
		p, _ = c.q.Catalog.Get(d.Procedure, d.ProcedureVersion)
	}
	if p == nil {
		// Without the procedure its cut-off is unknown; the recorded
		// valid start of the first generation stands in for it.
		p = &engine.Procedure{Code: d.Procedure, Version: d.ProcedureVersion}
		if len(ledger) > 0 && ledger[0].Kind == engine.ClockStart && !d.StartAt.IsZero() {
			ledger = append([]engine.ClockEvent(nil), ledger...)
			ledger[0].At = d.StartAt
		}
	}
	cs, err := engine.DeriveClock(p, c.cal, ledger, "en")
	if err != nil {
		return cs, fmt.Errorf("dossier %s: %w", d.Code, err)
	}
	return cs, nil
}

func (c *computer) report() *Report {
	r := &Report{
		From: c.q.From.String(), To: c.q.To.String(), By: c.q.By, Calendar: c.cal.Name(),
		Rows: []Row{},
	}
	keys := make([]string, 0, len(c.rows))
	for k := range c.rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := c.rows[k]
		f.finish()
		row := Row{Group: k, Figures: *f}
		row.Name, row.NameEN = c.label(k)
		r.Rows = append(r.Rows, row)
	}
	c.total.finish()
	r.Total = c.total
	for _, k := range PetitionKinds {
		r.Petitions = append(r.Petitions, *c.petitions[k])
	}
	r.D766 = c.d766.result()
	return r
}

// label names a group in Vietnamese and English when it can.
func (c *computer) label(key string) (vi, en string) {
	switch c.q.By {
	case ByUnit:
		if c.q.Directory != nil {
			if u, ok := c.q.Directory.Unit(key); ok {
				return u.Name, u.NameEN
			}
		}
	case ByProcedure:
		if c.q.Catalog != nil {
			if p, err := c.q.Catalog.Get(key, 0); err == nil {
				return p.Name, p.NameEN
			}
		}
	case ByKind:
		return KindName(engine.Kind(key), "vi"), KindName(engine.Kind(key), "en")
	case ByChannel:
		return ChannelName(engine.Channel(key), "vi"), ChannelName(engine.Channel(key), "en")
	}
	return "", ""
}

// finish computes the rates and averages from the counts.
func (f *Figures) finish() {
	f.OnTimeRate = ratio(f.Early+f.OnTime, f.Early+f.OnTime+f.Late)
	f.StepOnTimeRate = ratio(f.StepsEarly+f.StepsOnTime, f.StepsEarly+f.StepsOnTime+f.StepsLate)
	f.AvgWorkHours = nil
	if f.workN > 0 {
		h := math.Round(f.workSum.Hours()/float64(f.workN)*100) / 100
		f.AvgWorkHours = &h
	}
}

// ratio returns num/den, or nil when den is 0: no data is not 0% or 100%.
func ratio(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	r := float64(num) / float64(den)
	return &r
}

// KindName names a kind of procedure in lang ("vi" or "en").
func KindName(k engine.Kind, lang string) string {
	names := map[engine.Kind][2]string{
		engine.KindProcedure:    {"Thủ tục hành chính", "Administrative procedure"},
		engine.KindComplaint:    {"Khiếu nại", "Complaint"},
		engine.KindDenunciation: {"Tố cáo", "Denunciation"},
		engine.KindPetition:     {"Kiến nghị, phản ánh", "Petition / feedback"},
	}
	return pick(names[k], lang, string(k))
}

// ChannelName names a reception channel in lang ("vi" or "en").
func ChannelName(ch engine.Channel, lang string) string {
	names := map[engine.Channel][2]string{
		engine.ChannelCounter: {"Trực tiếp", "At the counter"},
		engine.ChannelOnline:  {"Trực tuyến", "Online"},
		engine.ChannelPost:    {"Bưu chính", "By post"},
	}
	return pick(names[ch], lang, string(ch))
}

func pick(names [2]string, lang, fallback string) string {
	i := 0
	if lang == "en" {
		i = 1
	}
	if names[i] == "" {
		return fallback
	}
	return names[i]
}
