package httpapi

import (
	"sort"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/portalsync"
)

// Summary is one dossier in a list or the inbox.
type Summary struct {
	Code          string         `json:"code"`
	Procedure     string         `json:"procedure"`
	ProcedureName string         `json:"procedure_name"`
	Applicant     string         `json:"applicant"`
	State         string         `json:"state"`
	StateName     string         `json:"state_name"`
	Unit          string         `json:"unit,omitempty"`
	Status        engine.Status  `json:"status"`
	ReceivedAt    time.Time      `json:"received_at"`
	DueAt         *time.Time     `json:"due_at,omitempty"`
	AppointmentAt *time.Time     `json:"appointment_at,omitempty"`
	StepDueAt     *time.Time     `json:"step_due_at,omitempty"`
	Result        engine.Outcome `json:"result,omitempty"`
	Version       int64          `json:"version"`
	// Assignee is the officer the step is assigned to, if any.
	Assignee string `json:"assignee,omitempty"`
	// Overdue: unfinished and past the legal due instant. DueToday: due
	// later today (calendar's zone). Paused: waiting for the applicant.
	Overdue  bool `json:"overdue"`
	DueToday bool `json:"due_today"`
	Paused   bool `json:"paused"`
	// Left and StepLeft are the working time left before DueAt and
	// StepDueAt (or how late); absent without that deadline or once the
	// dossier is finished.
	Left     *TimeLeftView `json:"left,omitempty"`
	StepLeft *TimeLeftView `json:"step_left,omitempty"`
}

// TimeLeftView is the working time left before a deadline on the legal
// calendar (engine.TimeLeft), or how late, with its wording in both
// languages so that a client need not know the calendar's day length.
type TimeLeftView struct {
	Late bool `json:"late"`
	// WorkMinutes is the working time left (or late), in whole minutes.
	WorkMinutes int64  `json:"work_minutes"`
	Vi          string `json:"vi"`
	En          string `json:"en"`
}

// Text is the wording in lang, for the pages.
func (v *TimeLeftView) Text(lang string) string {
	if lang == "en" {
		return v.En
	}
	return v.Vi
}

// timeLeft is the TimeLeftView of due for d at now; nil when there is no
// deadline to count down to, or nothing left to do.
func (s *Server) timeLeft(d *engine.Dossier, due *time.Time, now time.Time) *TimeLeftView {
	if due == nil || d.IsFinished() {
		return nil
	}
	cal := s.eng.Calendar
	left, late := engine.TimeLeft(cal, now, *due)
	return &TimeLeftView{
		Late: late, WorkMinutes: int64(left / time.Minute),
		Vi: engine.FormatTimeLeft(left, late, cal.DayWork(), "vi"),
		En: engine.FormatTimeLeft(left, late, cal.DayWork(), "en"),
	}
}

// ActionView is an action a person may fire now, with its inputs.
type ActionView struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Requires []string `json:"requires,omitempty"`
	// Moves is false for actions that leave the state unchanged.
	Moves bool `json:"moves"`
	// Danger marks an action that ends the dossier without its result
	// or sends it back (engine.Procedure.EndsOrSendsBack): the pages ask
	// for its reason and a confirmation, and style it apart.
	Danger bool `json:"danger,omitempty"`
}

// DossierView is a dossier with its derived explanations and the actions
// the caller may fire now.
type DossierView struct {
	*engine.Dossier
	ProcedureName string       `json:"procedure_name"`
	StateName     string       `json:"state_name"`
	Explain       []string     `json:"explain"`
	Actions       []ActionView `json:"actions"`
	Overdue       bool         `json:"overdue"`
	DueToday      bool         `json:"due_today"`
	// Left and StepLeft are as in Summary.
	Left     *TimeLeftView `json:"left,omitempty"`
	StepLeft *TimeLeftView `json:"step_left,omitempty"`
	// PortalSync is the dossier's sync with the national portal (portal.go).
	PortalSync *portalsync.State `json:"portal_sync,omitempty"`
}

// Receipt is the content of form 01 (Giấy tiếp nhận hồ sơ và hẹn trả kết
// quả): code, procedure, reception and appointment.
type Receipt struct {
	Code          string     `json:"code"`
	Procedure     string     `json:"procedure"`
	ProcedureName string     `json:"procedure_name"`
	Applicant     string     `json:"applicant"`
	ReceivedAt    time.Time  `json:"received_at"`
	AppointmentAt *time.Time `json:"appointment_at,omitempty"`
	ReceivedBy    string     `json:"received_by"`
	Unit          string     `json:"unit"`
}

// LookupView is what the public may see of a dossier: no applicant data,
// no history.
type LookupView struct {
	Code          string         `json:"code"`
	ProcedureName string         `json:"procedure_name"`
	StateName     string         `json:"state_name"`
	Status        engine.Status  `json:"status"`
	AppointmentAt *time.Time     `json:"appointment_at,omitempty"`
	DueAt         *time.Time     `json:"due_at,omitempty"`
	Result        engine.Outcome `json:"result,omitempty"`
	FinishedAt    *time.Time     `json:"finished_at,omitempty"`
	// SupplementReason is what is missing, while the dossier waits for
	// the applicant; SupplementBy when the supplement is due.
	SupplementReason string     `json:"supplement_reason,omitempty"`
	SupplementBy     *time.Time `json:"supplement_by,omitempty"`
	// RefusalReason is why the dossier was refused or stopped.
	RefusalReason string `json:"refusal_reason,omitempty"`
	// CollectAt is where the result is handed over.
	CollectAt string `json:"collect_at,omitempty"`
}

func pick(vi, en, lang string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

func (s *Server) procName(d *engine.Dossier, lang string) (*engine.Procedure, string) {
	p, err := s.eng.Catalog.Get(d.Procedure, d.ProcedureVersion)
	if err != nil {
		return nil, d.Procedure
	}
	return p, pick(p.Name, p.NameEN, lang)
}

func stateName(p *engine.Procedure, id, lang string) string {
	if p == nil {
		return id
	}
	if st, ok := p.State(id); ok {
		return pick(st.Name, st.NameEN, lang)
	}
	return engine.StateName(p, id, lang) // the online intake's own states
}

func (s *Server) summary(d *engine.Dossier, now time.Time, lang string) Summary {
	p, pname := s.procName(d, lang)
	od, today := engine.DueFlags(d, now, s.eng.Calendar.Location())
	d = d.In(s.eng.Calendar.Location())
	return Summary{
		Code: d.Code, Procedure: d.Procedure, ProcedureName: pname, Applicant: d.Applicant.Name,
		State: d.State, StateName: stateName(p, d.State, lang), Unit: d.Unit, Status: d.Status,
		ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, AppointmentAt: d.AppointmentAt, StepDueAt: d.StepDueAt,
		Result: d.Result, Version: d.Version, Overdue: od, DueToday: today, Paused: d.Status == engine.StatusPaused,
		Assignee: d.Assignee, Left: s.timeLeft(d, d.DueAt, now), StepLeft: s.timeLeft(d, d.StepDueAt, now),
	}
}

// actionsFor lists the actions person may fire on d now, as the core
// answers it (engine.Available), for a role that may act at all.
func actionsFor(p *engine.Procedure, d *engine.Dossier, person *engine.Person, lang string) []ActionView {
	out := []ActionView{}
	if person == nil || !auth.CanAct(person) {
		return out
	}
	for _, a := range engine.Available(p, d, person) {
		out = append(out, ActionView{ID: a.ID, Name: pick(a.Name, a.NameEN, lang), Requires: a.Requires, Moves: a.To != "", Danger: p.EndsOrSendsBack(a)})
	}
	return out
}

func (s *Server) view(d *engine.Dossier, person *engine.Person, now time.Time, lang string) (*DossierView, error) {
	p, pname := s.procName(d, lang)
	explain, err := s.eng.Explain(d, lang)
	if err != nil {
		return nil, err
	}
	od, today := engine.DueFlags(d, now, s.eng.Calendar.Location())
	in := d.In(s.eng.Calendar.Location())
	if in.Ledger == nil {
		in.Ledger = []engine.ClockEvent{} // an online dossier not yet received
	}
	return &DossierView{
		Dossier: in, ProcedureName: pname, StateName: stateName(p, d.State, lang),
		Explain: explain, Actions: actionsFor(p, d, person, lang), Overdue: od, DueToday: today,
		Left: s.timeLeft(d, d.DueAt, now), StepLeft: s.timeLeft(d, d.StepDueAt, now),
	}, nil
}

func (s *Server) receipt(d *engine.Dossier, lang string) Receipt {
	_, pname := s.procName(d, lang)
	d = d.In(s.eng.Calendar.Location())
	return Receipt{
		Code: d.Code, Procedure: d.Procedure, ProcedureName: pname, Applicant: d.Applicant.Name,
		ReceivedAt: d.ReceivedAt, AppointmentAt: d.AppointmentAt, ReceivedBy: d.ReceivedBy, Unit: d.ReceivingUnit,
	}
}

// Page is one page of a list.
type Page struct {
	Items   []Summary `json:"items"`
	Page    int       `json:"page"`
	PerPage int       `json:"per_page"`
	HasMore bool      `json:"has_more"`
	// Next is the cursor of the next page (after=) when there is one:
	// unlike page=, it stays right while dossiers are received.
	Next string `json:"next,omitempty"`
}

// ProcedureSummary is one procedure in GET /procedures.
type ProcedureSummary struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Version    int         `json:"version"`
	Kind       engine.Kind `json:"kind"`
	TimeLimit  string      `json:"time_limit"`
	LegalBasis []string    `json:"legal_basis,omitempty"`
}

// StateView is a procedure state with its step budget.
type StateView struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Unit      string `json:"unit,omitempty"`
	TimeLimit string `json:"time_limit,omitempty"`
	WaitsFor  string `json:"waits_for,omitempty"`
	Final     string `json:"final,omitempty"`
}

// TransitionView is a procedure action.
type TransitionView struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	From     []string `json:"from"`
	To       string   `json:"to,omitempty"`
	By       []string `json:"by,omitempty"`
	Requires []string `json:"requires,omitempty"`
	System   bool     `json:"system,omitempty"`
}

// ProcedureView is GET /procedures/{code}.
type ProcedureView struct {
	ProcedureSummary
	ProcedureContents
	Cutoff     string           `json:"cutoff,omitempty"`
	Supplement string           `json:"supplement,omitempty"`
	Initial    string           `json:"initial"`
	States     []StateView      `json:"states"`
	Actions    []TransitionView `json:"actions"`
	Mermaid    string           `json:"mermaid,omitempty"`
}

func procSummary(p *engine.Procedure, l string) ProcedureSummary {
	return ProcedureSummary{Code: p.Code, Name: pick(p.Name, p.NameEN, l), Version: p.Version, Kind: p.Kind, TimeLimit: p.TimeLimit.Format(l), LegalBasis: p.LegalBasis}
}

func (s *Server) procView(p *engine.Procedure, l string) ProcedureView {
	v := ProcedureView{ProcedureSummary: procSummary(p, l), ProcedureContents: contentsOf(p, l), Supplement: string(p.Supplement), Initial: p.Initial, States: []StateView{}, Actions: []TransitionView{}}
	if p.Cutoff != nil {
		v.Cutoff = p.Cutoff.String()
	}
	for _, st := range p.States {
		sv := StateView{ID: st.ID, Name: pick(st.Name, st.NameEN, l), Unit: st.Unit, WaitsFor: st.WaitsFor, Final: string(st.Final)}
		if !st.TimeLimit.IsZero() {
			sv.TimeLimit = st.TimeLimit.Format(l)
		}
		v.States = append(v.States, sv)
	}
	for _, a := range p.Actions {
		v.Actions = append(v.Actions, TransitionView{ID: a.ID, Name: pick(a.Name, a.NameEN, l), From: a.From, To: a.To, By: a.By, Requires: a.Requires, System: a.System})
	}
	if s.cfg.Diagram != nil {
		v.Mermaid = s.cfg.Diagram(p)
	}
	return v
}

// DayView is a named day in a calendar year.
type DayView struct {
	Date    string `json:"date"`
	Weekday string `json:"weekday"`
	Name    string `json:"name"`
}

// CalendarView is GET /calendar/{year}.
type CalendarView struct {
	Year        int       `json:"year"`
	Calendar    string    `json:"calendar"`
	Zone        string    `json:"zone"`
	Sessions    []string  `json:"sessions"`
	Known       bool      `json:"known"`
	Provisional bool      `json:"provisional"`
	Source      string    `json:"source,omitempty"`
	DaysOff     []DayView `json:"days_off"`
	WorkingDays []DayView `json:"working_days"`
	Warning     string    `json:"warning,omitempty"`
}

func (s *Server) calendarView(year int, l string) CalendarView {
	cal := s.eng.Calendar
	v := CalendarView{Year: year, Calendar: cal.Name(), Zone: cal.Location().String(), Sessions: []string{}, DaysOff: []DayView{}, WorkingDays: []DayView{}}
	for _, ss := range cal.Sessions() {
		v.Sessions = append(v.Sessions, ss.Start.String()+"–"+ss.End.String())
	}
	y, ok := cal.Year(year)
	v.Known, v.Provisional, v.Source = ok, y.Provisional, y.Source
	for _, h := range y.DaysOff {
		v.DaysOff = append(v.DaysOff, DayView{Date: h.Date.String(), Weekday: h.Date.Weekday().String(), Name: h.Name})
	}
	for _, h := range y.WorkingDays {
		v.WorkingDays = append(v.WorkingDays, DayView{Date: h.Date.String(), Weekday: h.Date.Weekday().String(), Name: h.Name})
	}
	sort.Slice(v.DaysOff, func(i, j int) bool { return v.DaysOff[i].Date < v.DaysOff[j].Date })
	if !ok || y.Provisional {
		v.Warning = calendar.Warning{Year: year, Provisional: ok}.Message(l)
	}
	return v
}

// MeView is GET /me.
type MeView struct {
	ID    string        `json:"id"`
	Name  string        `json:"name"`
	Units []string      `json:"units"`
	Roles []engine.Role `json:"roles"`
	// CSRF is the token cookie-authenticated API calls send in
	// X-CSRF-Token; empty for bearer tokens.
	CSRF string `json:"csrf,omitempty"`
}
