package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// Env is what the pure step reads besides the dossier: the procedure the
// dossier runs under, the directory (who may act, who is told) and the
// legal calendar. It is never written.
type Env struct {
	Procedure *Procedure
	Directory *Directory
	Calendar  *calendar.Calendar
	// BackdateDays is how many working days back a postal reception may
	// be dated (0: DefaultBackdateDays; negative: never).
	BackdateDays int
	// ApplicantChannels are the channels configured for notices to the
	// applicant ("email", "sms"); none means the applicant is not told.
	ApplicantChannels []string
	// PortalSync makes every decision that adds a history row carry the
	// sync record of the change for the national portal (syncrecord.go).
	PortalSync bool
}

// ReceiveInput is a reception at the one-stop desk.
type ReceiveInput struct {
	// Actor is the receiving officer (a directory person id).
	Actor     string
	Channel   Channel
	Applicant Applicant
	// ReceivedAt is the reception instant; zero means now. A postal
	// dossier may carry an earlier instant, never a later one.
	ReceivedAt time.Time
	// Inputs are free notes recorded on the first history row.
	Inputs map[string]string
	// IdempotencyKey makes a retried reception return the first dossier.
	IdempotencyKey string
	// Components is the desk's checklist: what was handed in, per
	// component of the procedure (CheckComponents).
	Components []ComponentReceipt
	// Copies is how many copies the applicant asks for, per per-copy fee
	// id of the procedure (FeesAt).
	Copies map[string]int
}

// ActInput is an action fired on a dossier.
type ActInput struct {
	Action string
	// Actor is a directory person id, or ActorSystem for the watch.
	Actor  string
	Inputs map[string]string
	// IdempotencyKey makes a retried action a no-op returning the first
	// result.
	IdempotencyKey string
}

// Decision is what a step decided: the new dossier (version not yet
// incremented by the store), its new history row and the notifications
// to record with it. Replay is true when the input was a retry of an
// action already applied: nothing must be written.
type Decision struct {
	Dossier       *Dossier
	Row           HistoryRow
	Notifications []Notification
	Replay        bool
}

// CheckReception reports what is wrong with a reception, if anything,
// without building the dossier: the engine asks before it takes a number
// from the day's series, so that bad input leaves no gap in the codes.
func CheckReception(env Env, in ReceiveInput, now time.Time) error {
	_, _, err := checkReception(env, in, now)
	return err
}

// checkReception validates in and returns the initial state and the
// reception instant (now when in gives none).
func checkReception(env Env, in ReceiveInput, now time.Time) (*State, time.Time, error) {
	p := env.Procedure
	init, ok := p.State(p.Initial)
	if !ok {
		return nil, time.Time{}, fmt.Errorf("procedure %s: initial state %q missing", p.Key(), p.Initial)
	}
	if err := checkMember(env.Directory, in.Actor, []string{init.Unit}); err != nil {
		return nil, time.Time{}, err
	}
	if in.Channel != "" && !in.Channel.Valid() {
		return nil, time.Time{}, &InvalidInputError{Field: "channel", Reason: fmt.Sprintf("%q is not counter, online or post", in.Channel),
			ReasonVI: fmt.Sprintf("%q không phải trực tiếp (counter), trực tuyến (online) hay bưu chính (post)", in.Channel)}
	}
	// Every wrong field of the form at once (the applicant's, the
	// reception time); an input key the API cannot store only when the
	// form itself is right.
	bad := checkApplicant(in)
	if len(bad) == 0 {
		if err := CheckInputs(in.Inputs); err != nil {
			return nil, time.Time{}, err
		}
	}
	received := in.ReceivedAt
	if received.IsZero() {
		received = now
	}
	if e := checkReceivedAt(env, in, received, now); e != nil {
		bad = append(bad, e)
	}
	if err := invalidFields(bad); err != nil {
		return nil, time.Time{}, err
	}
	if err := checkCopies(p, in.Copies); err != nil {
		return nil, time.Time{}, err
	}
	// Last: a checklist refusal lists what is missing, for a dossier
	// otherwise ready to receive.
	if _, err := CheckComponents(p, in.Components); err != nil {
		return nil, time.Time{}, err
	}
	return init, received, nil
}

// Receive creates a dossier under env.Procedure with the given code. It
// is pure: the code comes from the caller (the store allocates it).
func Receive(env Env, in ReceiveInput, code string, now time.Time) (*Decision, error) {
	p := env.Procedure
	init, received, err := checkReception(env, in, now)
	if err != nil {
		return nil, err
	}
	if in.Channel == "" {
		in.Channel = ChannelCounter
	}
	received = storeInstant(received)
	now = storeInstant(now)
	d := &Dossier{
		Code:             code,
		Procedure:        p.Code,
		ProcedureVersion: p.Version,
		Kind:             p.Kind,
		Applicant:        in.Applicant,
		Channel:          in.Channel,
		ReceivingUnit:    init.Unit,
		ReceivedBy:       in.Actor,
		State:            init.ID,
		Unit:             init.Unit,
		Status:           StatusInProgress,
		ReceivedAt:       received,
		StepStartedAt:    received,
		StepVisit:        1,
		ReceiveKey:       in.IdempotencyKey,
		UpdatedAt:        now.UTC(),
		Ledger:           []ClockEvent{{Kind: ClockStart, At: received, Limit: p.TimeLimit.String(), Action: "receive"}},
	}
	cs, err := DeriveClock(p, env.Calendar, d.Ledger, "vi")
	if err != nil {
		return nil, err
	}
	d.StartAt = cs.Start.UTC()
	if !init.TimeLimit.IsZero() {
		d.StepDueAt = timePtr(env.Calendar.Add(cs.Start, init.TimeLimit).UTC())
	}
	row := HistoryRow{
		Seq: 1, At: received, Action: "receive", Actor: in.Actor,
		ToState: init.ID, ToUnit: init.Unit, Inputs: copyInputs(in.Inputs), IdempotencyKey: in.IdempotencyKey,
	}
	d.History = []HistoryRow{row}
	d.Components, _ = CheckComponents(p, in.Components)
	d.Fees = FeesAt(p, in.Copies)
	applyClock(d, cs)
	d.NextCheckAt = NextCheck(env, d)
	return withSync(env, &Decision{Dossier: d, Row: row, Notifications: receptionNotices(env, d, now)}, now)
}

// Step fires in.Action on d at now and returns what changed. It performs
// no I/O and never mutates d.
func Step(env Env, d *Dossier, in ActInput, now time.Time) (*Decision, error) {
	p, cal := env.Procedure, env.Calendar
	if in.IdempotencyKey != "" {
		for _, h := range d.History {
			if h.IdempotencyKey == in.IdempotencyKey {
				return &Decision{Dossier: d.Clone(), Row: h, Replay: true}, nil
			}
		}
	}
	if d.IsFinished() {
		return nil, &FinishedError{Code: d.Code, State: d.State}
	}
	a, ok := p.Action(in.Action)
	if !ok {
		return nil, &UnknownActionError{Procedure: p.Key(), Action: in.Action}
	}
	if !a.AllowedFrom(d.State) {
		e := &NotAllowedError{Action: a.ID, State: d.State, ActionName: a.Name, ActionNameEN: a.NameEN}
		if st, ok := p.State(d.State); ok {
			e.StepName, e.StepNameEN = orID(st.Name, st.ID), st.NameEN
		}
		return nil, e
	}
	from, _ := p.State(d.State)
	if in.Actor != ActorSystem {
		if a.System {
			return nil, &ForbiddenError{Person: in.Actor, Reason: fmt.Sprintf("action %q is fired only by the deadline watch", a.ID)}
		}
		if err := checkMember(env.Directory, in.Actor, a.Units(from)); err != nil {
			return nil, err
		}
	}
	if err := CheckInputs(in.Inputs); err != nil {
		return nil, err
	}
	if len(d.History) >= MaxHistoryRows-1 {
		// The last row is kept for the action that finishes the dossier.
		if to, ok := p.State(a.To); len(d.History) >= MaxHistoryRows || !ok || !to.IsFinal() {
			return nil, &HistoryFullError{Code: d.Code, Rows: len(d.History)}
		}
	}
	if missing := missingInputs(a.Requires, in.Inputs); len(missing) > 0 {
		return nil, &MissingInputError{Action: a.ID, Inputs: missing}
	}
	if max, limited := a.Limit(); limited && d.Uses[a.ID] >= max {
		return nil, &LimitReachedError{Action: a.ID, Max: max}
	}
	if to, ok := p.State(a.To); ok && a.To != "" {
		if err := CheckApproval(p, d, to); err != nil {
			return nil, err
		}
	}
	var appointment time.Time
	if a.Reappoint {
		v := strings.TrimSpace(in.Inputs["due_at"])
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, &InvalidInputError{Field: "due_at", Reason: "want an RFC3339 instant such as 2026-03-02T17:00:00+07:00"}
		}
		if !t.After(now) {
			// An apology letter promises a future date; a past one would
			// make the dossier overdue the moment it is written.
			return nil, &InvalidInputError{Field: "due_at", Reason: "the new appointment must be in the future"}
		}
		if d.AppointmentAt != nil && !t.After(*d.AppointmentAt) {
			return nil, &InvalidInputError{Field: "due_at", Reason: "the new appointment must be after the current one"}
		}
		appointment = t.UTC()
	}

	nd := d.Clone()
	now = storeInstant(now)
	row := HistoryRow{
		Seq: len(d.History) + 1, At: now, Action: a.ID, Actor: in.Actor,
		FromState: d.State, ToState: d.State, FromUnit: d.Unit,
		Inputs: copyInputs(in.Inputs), IdempotencyKey: in.IdempotencyKey,
	}
	var notes []Notification
	if a.To != "" {
		to, ok := p.State(a.To)
		if !ok {
			return nil, fmt.Errorf("procedure %s: action %q leads to unknown state %q", p.Key(), a.ID, a.To)
		}
		started := d.StepStartedAt
		row.StepStartedAt = &started
		row.StepDueAt = cloneTime(d.StepDueAt)
		if d.StepDueAt != nil {
			row.StepResult = Judge(now, *d.StepDueAt, cal)
		}
		nd.State, nd.Unit = to.ID, to.Unit
		nd.Assignee = ""
		nd.StepStartedAt = now
		nd.StepVisit++
		nd.StepDueAt = nil
		if !to.TimeLimit.IsZero() && !to.IsFinal() && !to.IsWaiting() {
			nd.StepDueAt = timePtr(cal.Add(cal.Start(now, nil), to.TimeLimit).UTC())
		}
		switch {
		case to.IsFinal():
			nd.Ledger = append(nd.Ledger, ClockEvent{Kind: ClockFinish, At: now, Action: a.ID})
			nd.Result = to.Final
			nd.FinishedAt = timePtr(now)
		case to.IsWaiting() && !from.IsWaiting():
			kind := ClockPause
			if p.Supplement == SupplementRestart {
				kind = ClockStop
			}
			nd.Ledger = append(nd.Ledger, ClockEvent{Kind: kind, At: now, Action: a.ID})
		case from.IsWaiting() && !to.IsWaiting():
			if p.Supplement == SupplementRestart {
				// The limit restarts from zero once the complete dossier
				// comes back (Decree 61/2018 Art 19, as amended by 107/2021).
				nd.Ledger = append(nd.Ledger, ClockEvent{Kind: ClockRestart, At: now, Limit: p.TimeLimit.String(), Action: a.ID})
			} else {
				nd.Ledger = append(nd.Ledger, ClockEvent{Kind: ClockResume, At: now, Action: a.ID})
			}
		}
		if to.Unit != "" && to.Unit != d.Unit && !to.IsFinal() {
			notes = append(notes, handover(env, nd, row.Seq, now))
		}
	}
	if a.Clock == EffectRestart && !nd.IsFinishedState(p) {
		nd.Ledger = append(nd.Ledger, ClockEvent{Kind: ClockRestart, At: now, Limit: p.TimeLimit.String(), Action: a.ID})
	}
	if !a.Extend.IsZero() {
		nd.Ledger = append(nd.Ledger, ClockEvent{Kind: ClockExtend, At: now, Limit: a.Extend.String(), Action: a.ID})
	}
	if a.Reappoint {
		nd.Ledger = append(nd.Ledger, ClockEvent{Kind: ClockReappoint, At: now, Appointment: &appointment, Action: a.ID})
	}
	if _, limited := a.Limit(); limited {
		if nd.Uses == nil {
			nd.Uses = map[string]int{}
		}
		nd.Uses[a.ID]++
	}
	row.ToState, row.ToUnit = nd.State, nd.Unit
	nd.History = append(nd.History, row)
	cs, err := DeriveClock(p, cal, nd.Ledger, "vi")
	if err != nil {
		return nil, err
	}
	applyClock(nd, cs)
	finalize(nd, cal)
	nd.UpdatedAt = now
	nd.NextCheckAt = NextCheck(env, nd)
	notes = append(notes, stepNotices(env, from, nd, a, row, now)...)
	return withSync(env, &Decision{Dossier: nd, Row: row, Notifications: notes}, now)
}

// IsFinishedState reports whether d's current state is final under p.
func (d *Dossier) IsFinishedState(p *Procedure) bool {
	s, ok := p.State(d.State)
	return ok && s.IsFinal()
}

// applyClock copies the derived clock onto the dossier's indexed fields.
func applyClock(d *Dossier, cs ClockState) {
	d.DueAt, d.AppointmentAt = nil, nil
	if !cs.Due.IsZero() {
		d.DueAt = timePtr(cs.Due.UTC())
		d.AppointmentAt = timePtr(cs.Appointment.UTC())
	}
	switch {
	case cs.Finished:
		d.Status = StatusFinished
		d.WorkTaken = cs.WorkTaken
		if d.FinishedAt == nil {
			d.FinishedAt = timePtr(cs.FinishedAt.UTC())
		}
	case cs.Paused:
		d.Status = StatusPaused
	default:
		d.Status = StatusInProgress
	}
}

// finalize sets the timeliness of a finished dossier against its legal
// due instant; calendar needed for the day comparison.
func finalize(d *Dossier, cal *calendar.Calendar) {
	if d.Status == StatusFinished && d.DueAt != nil && d.FinishedAt != nil {
		d.Timeliness = Judge(*d.FinishedAt, *d.DueAt, cal)
	}
}

func checkMember(dir *Directory, actor string, units []string) error {
	if dir == nil {
		return fmt.Errorf("no directory to check %q against", actor)
	}
	p, ok := dir.Person(actor)
	if !ok {
		return &NotFoundError{What: "person", ID: actor}
	}
	if !p.Active {
		// A deactivated account keeps its history but may not act.
		return &ForbiddenError{Person: actor, Units: units, Reason: "the account is deactivated"}
	}
	for _, u := range units {
		if p.InUnit(u) {
			return nil
		}
	}
	return &ForbiddenError{Person: actor, Units: units}
}

func missingInputs(req []string, in map[string]string) []string {
	var miss []string
	for _, r := range req {
		if strings.TrimSpace(in[r]) == "" {
			miss = append(miss, r)
		}
	}
	sort.Strings(miss)
	return miss
}

func copyInputs(in map[string]string) map[string]string {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// handover tells the officers of the newly responsible unit (never an
// admin or a viewer who merely belongs to it).
func handover(env Env, d *Dossier, seq int, now time.Time) Notification {
	st, _ := env.Procedure.State(d.State)
	data := map[string]string{
		"code": d.Code, "procedure": env.Procedure.Name, "procedure_code": env.Procedure.Code,
		"state": st.Name, "unit": d.Unit,
	}
	if d.StepDueAt != nil {
		data["step_due_at"] = d.StepDueAt.In(env.Calendar.Location()).Format(time.RFC3339)
	}
	if d.DueAt != nil {
		data["due_at"] = d.DueAt.In(env.Calendar.Location()).Format(time.RFC3339)
	}
	return Notification{
		ID:      fmt.Sprintf("%s/%d/handover", d.Code, seq),
		Dossier: d.Code, Kind: "handover", To: env.Directory.Officers(d.Unit),
		At: now, Data: data, Status: NotificationPending, NextAttempt: now,
	}
}

// storeInstant is an instant as every store keeps it: UTC, to the
// millisecond (MongoDB's date precision). Cutting it here, in the core,
// makes a dossier read back from any store equal to the one decided.
func storeInstant(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }
