package engine

import (
	"fmt"
	"time"
)

// Channel is how a dossier reached the unit (national portal codes 1–3).
type Channel string

// Reception channels.
const (
	ChannelCounter Channel = "counter" // 1: at the one-stop desk
	ChannelOnline  Channel = "online"  // 2: through the public service portal
	ChannelPost    Channel = "post"    // 3: by public postal service
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	return c == ChannelCounter || c == ChannelOnline || c == ChannelPost
}

// Status is the clock status of a dossier.
type Status string

// Dossier statuses.
const (
	StatusInProgress Status = "in_progress"
	StatusPaused     Status = "paused" // waiting for the applicant's supplement
	StatusFinished   Status = "finished"
)

// Timeliness compares a completion with its deadline (domain brief:
// before the due day early, on the due day at or before the due instant
// on time, after it late; reports count early + on time as on time).
type Timeliness string

// Timeliness values.
const (
	Early  Timeliness = "early"
	OnTime Timeliness = "on_time"
	Late   Timeliness = "late"
)

// Applicant is the citizen or organisation that filed the dossier.
type Applicant struct {
	Name    string `json:"name" bson:"name"`
	IDNo    string `json:"id_no,omitempty" bson:"id_no,omitempty"`
	Phone   string `json:"phone,omitempty" bson:"phone,omitempty"`
	Email   string `json:"email,omitempty" bson:"email,omitempty"`
	Address string `json:"address,omitempty" bson:"address,omitempty"`
}

// Dossier is one dossier (hồ sơ) or petition (đơn thư): one document in
// the store, written by one conditional write per transition.
type Dossier struct {
	// Code is the dossier code {unit code}-{YYMMDD}-{NNNN} (Circular
	// 03/2025 Art 13) and the document id.
	Code             string    `json:"code" bson:"_id"`
	Procedure        string    `json:"procedure" bson:"procedure"`
	ProcedureVersion int       `json:"procedure_version" bson:"procedure_version"`
	Kind             Kind      `json:"kind" bson:"kind"`
	Applicant        Applicant `json:"applicant" bson:"applicant"`
	Channel          Channel   `json:"channel" bson:"channel"`
	// ReceivingUnit is the unit whose desk received the dossier.
	ReceivingUnit string `json:"receiving_unit" bson:"receiving_unit"`
	// ReceivedBy is the officer who received it.
	ReceivedBy string `json:"received_by" bson:"received_by"`
	// RegisterBook and RegisterNo are the dossier's place in the
	// receiving desk's register (form 06): one book per unit per year
	// (RegisterBook, "XA01/2026"), numbered from 1 (see RegisterStore).
	// Both empty for a dossier received before the register existed.
	RegisterBook string `json:"register_book,omitempty" bson:"register_book,omitempty"`
	RegisterNo   int    `json:"register_no,omitempty" bson:"register_no,omitempty"`
	// State is the current state; Unit the unit responsible in it.
	State  string `json:"state" bson:"state"`
	Unit   string `json:"unit,omitempty" bson:"unit,omitempty"`
	Status Status `json:"status" bson:"status"`

	// ReceivedAt is the reception instant as recorded at the desk;
	// StartAt the valid reception instant counting starts from.
	ReceivedAt time.Time `json:"received_at" bson:"received_at"`
	StartAt    time.Time `json:"start_at" bson:"start_at"`
	// DueAt is the legal due instant derived from the ledger; nil while
	// the clock is paused.
	DueAt *time.Time `json:"due_at,omitempty" bson:"due_at,omitempty"`
	// AppointmentAt is the date promised to the applicant: DueAt, or the
	// new appointment of an apology letter (form 04).
	AppointmentAt *time.Time `json:"appointment_at,omitempty" bson:"appointment_at,omitempty"`
	// StepStartedAt is when the current state was entered; StepDueAt its
	// budget's end, nil when the state has no budget.
	StepStartedAt time.Time  `json:"step_started_at" bson:"step_started_at"`
	StepDueAt     *time.Time `json:"step_due_at,omitempty" bson:"step_due_at,omitempty"`
	// Assignee is the officer the current step is assigned to, named by
	// the unit head or who took it ("Nhận xử lý"); empty while the whole
	// unit holds it. Leaving the state clears it: the next step is the
	// next unit's to hand out. It lives in the dossier document, so both
	// stores keep it without a schema change.
	Assignee string `json:"assignee,omitempty" bson:"assignee,omitempty"`
	// StepVisit counts state entries; a new visit re-arms the ladder.
	StepVisit  int        `json:"step_visit" bson:"step_visit"`
	FinishedAt *time.Time `json:"finished_at,omitempty" bson:"finished_at,omitempty"`
	Result     Outcome    `json:"result,omitempty" bson:"result,omitempty"`
	Timeliness Timeliness `json:"timeliness,omitempty" bson:"timeliness,omitempty"`
	// WorkTaken is the office time from start to finish, paused time
	// excluded (nanoseconds); set when finished.
	WorkTaken time.Duration `json:"work_taken,omitempty" bson:"work_taken,omitempty"`

	// Components records what was handed in, per component of the procedure.
	Components []ComponentReceipt `json:"components,omitempty" bson:"components,omitempty"`
	// Files are the dossier's stored files: component scans and the result.
	Files []FileRef `json:"files,omitempty" bson:"files,omitempty"`
	// Fees are the fees charged on the dossier and their payment.
	Fees []FeeRecord `json:"fees,omitempty" bson:"fees,omitempty"`
	// Rating is the applicant's rating of the service, once given.
	Rating *Rating `json:"rating,omitempty" bson:"rating,omitempty"`

	// Ledger is the legal clock's event log; due instants derive from it.
	Ledger []ClockEvent `json:"ledger" bson:"ledger"`
	// History is the process control slip: one row per handover.
	History []HistoryRow `json:"history" bson:"history"`
	// Uses counts how often limited actions (extend, reappoint) were used.
	Uses map[string]int `json:"uses,omitempty" bson:"uses,omitempty"`
	// Fired lists the escalation rungs already fired, as ladder keys
	// (see RungKey); the conditional write that adds a key is what makes
	// each rung fire at most once.
	Fired []string `json:"fired,omitempty" bson:"fired,omitempty"`
	// NextCheckAt is when the deadline watch must next look at this
	// dossier; nil when nothing is pending (finished, or nothing armed).
	NextCheckAt *time.Time `json:"next_check_at,omitempty" bson:"next_check_at,omitempty"`
	// ReceiveKey is the idempotency key of the reception, if given.
	ReceiveKey string `json:"-" bson:"receive_key,omitempty"`

	// Version increases by one with every write.
	Version   int64     `json:"version" bson:"version"`
	UpdatedAt time.Time `json:"updated_at" bson:"updated_at"`
}

// IsFinished reports whether the dossier has reached a final state.
func (d *Dossier) IsFinished() bool { return d.Status == StatusFinished }

// Clone returns a deep copy, so that the pure step never mutates its input.
func (d *Dossier) Clone() *Dossier {
	c := *d
	c.DueAt = cloneTime(d.DueAt)
	c.AppointmentAt = cloneTime(d.AppointmentAt)
	c.StepDueAt = cloneTime(d.StepDueAt)
	c.FinishedAt = cloneTime(d.FinishedAt)
	c.NextCheckAt = cloneTime(d.NextCheckAt)
	c.Ledger = append([]ClockEvent(nil), d.Ledger...)
	for i := range c.Ledger {
		c.Ledger[i].Appointment = cloneTime(c.Ledger[i].Appointment)
	}
	c.History = make([]HistoryRow, len(d.History))
	for i, h := range d.History {
		c.History[i] = h
		c.History[i].StepStartedAt = cloneTime(h.StepStartedAt)
		c.History[i].StepDueAt = cloneTime(h.StepDueAt)
		if h.Inputs != nil {
			c.History[i].Inputs = make(map[string]string, len(h.Inputs))
			for k, v := range h.Inputs {
				c.History[i].Inputs[k] = v
			}
		}
	}
	if d.Uses != nil {
		c.Uses = make(map[string]int, len(d.Uses))
		for k, v := range d.Uses {
			c.Uses[k] = v
		}
	}
	c.Fired = append([]string(nil), d.Fired...)
	c.Components = append([]ComponentReceipt(nil), d.Components...)
	c.Files = append([]FileRef(nil), d.Files...)
	c.Fees = append([]FeeRecord(nil), d.Fees...)
	for i := range c.Fees {
		c.Fees[i].PaidAt = cloneTime(c.Fees[i].PaidAt)
	}
	if d.Rating != nil {
		r := *d.Rating
		r.Scores = make(map[string]int, len(d.Rating.Scores))
		for k, v := range d.Rating.Scores {
			r.Scores[k] = v
		}
		c.Rating = &r
	}
	return &c
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}

func timePtr(t time.Time) *time.Time { return &t }

// HistoryRow is one row of the process control slip (Phiếu kiểm soát quá
// trình giải quyết hồ sơ, Circular 01/2018 form 05): a handover with its
// giving and receiving unit, time, and the result of the step just left
// against that step's own budget.
type HistoryRow struct {
	// Seq numbers rows 1, 2, 3… without gaps.
	Seq    int       `json:"seq" bson:"seq"`
	At     time.Time `json:"at" bson:"at"`
	Action string    `json:"action" bson:"action"`
	// Actor is the person who acted, or "system" for the deadline watch.
	Actor     string            `json:"actor" bson:"actor"`
	FromState string            `json:"from_state,omitempty" bson:"from_state,omitempty"`
	ToState   string            `json:"to_state" bson:"to_state"`
	FromUnit  string            `json:"from_unit,omitempty" bson:"from_unit,omitempty"`
	ToUnit    string            `json:"to_unit,omitempty" bson:"to_unit,omitempty"`
	Inputs    map[string]string `json:"inputs,omitempty" bson:"inputs,omitempty"`
	// StepStartedAt and StepDueAt describe the step being left;
	// StepResult is its timeliness against its own budget (empty when the
	// step had none).
	StepStartedAt *time.Time `json:"step_started_at,omitempty" bson:"step_started_at,omitempty"`
	StepDueAt     *time.Time `json:"step_due_at,omitempty" bson:"step_due_at,omitempty"`
	StepResult    Timeliness `json:"step_result,omitempty" bson:"step_result,omitempty"`
	// IdempotencyKey makes a retried request a no-op.
	IdempotencyKey string `json:"idempotency_key,omitempty" bson:"idempotency_key,omitempty"`
}

// ActorSystem is the actor of actions fired by the deadline watch.
const ActorSystem = "system"

// FormatCode builds a dossier code: {unit code}-{YYMMDD}-{NNNN}, the
// number restarting daily per receiving unit (Circular 03/2025 Art 13).
func FormatCode(unitCode string, day time.Time, seq int) string {
	return fmt.Sprintf("%s-%s-%04d", unitCode, day.Format("060102"), seq)
}

// Notification is a message decided by a transition or a sweep, stored in
// the outbox with it and sent afterwards by the dispatcher.
type Notification struct {
	// ID is the idempotency key: deterministic from what decided the
	// notification, so a re-decision after a crash finds the same ID.
	ID string `json:"id" bson:"_id"`
	// Dossier is the dossier code; empty for digests.
	Dossier string `json:"dossier,omitempty" bson:"dossier,omitempty"`
	// Kind is reminder, breach, escalation, apology_due, digest,
	// handover or finished.
	Kind string `json:"kind" bson:"kind"`
	// Level is the rung's position on the ladder (1 = first), 0 otherwise.
	Level int `json:"level" bson:"level"`
	// To lists person ids, resolved from the directory when decided.
	To []string `json:"to" bson:"to"`
	// Channel restricts delivery to one channel; empty means all the
	// configured channels.
	Channel string `json:"channel,omitempty" bson:"channel,omitempty"`
	// At is when the notification was decided and may be sent.
	At time.Time `json:"at" bson:"at"`
	// Data carries the template fields (code, procedure, step, due...).
	Data map[string]string `json:"data,omitempty" bson:"data,omitempty"`

	// Delivery state, maintained by the dispatcher.
	Status      string     `json:"status" bson:"status"` // pending | sent | failed
	Attempts    int        `json:"attempts" bson:"attempts"`
	NextAttempt time.Time  `json:"next_attempt" bson:"next_attempt"`
	SentAt      *time.Time `json:"sent_at,omitempty" bson:"sent_at,omitempty"`
	LastError   string     `json:"last_error,omitempty" bson:"last_error,omitempty"`
}

// Notification delivery states.
const (
	NotificationPending = "pending"
	NotificationSent    = "sent"
	NotificationFailed  = "failed" // gave up after the retry budget
)

// In returns a copy of d with every instant in loc, for people and for
// API consumers who read the calendar's offset (+07:00) more easily than
// UTC. The instants themselves are unchanged.
func (d *Dossier) In(loc *time.Location) *Dossier {
	c := d.Clone()
	in := func(t *time.Time) {
		if t != nil && !t.IsZero() {
			*t = t.In(loc)
		}
	}
	for _, t := range []*time.Time{&c.ReceivedAt, &c.StartAt, &c.StepStartedAt, &c.UpdatedAt,
		c.DueAt, c.AppointmentAt, c.StepDueAt, c.FinishedAt, c.NextCheckAt} {
		in(t)
	}
	for i := range c.Ledger {
		in(&c.Ledger[i].At)
		in(c.Ledger[i].Appointment)
	}
	for i := range c.History {
		in(&c.History[i].At)
		in(c.History[i].StepStartedAt)
		in(c.History[i].StepDueAt)
	}
	for i := range c.Files {
		in(&c.Files[i].At)
	}
	for i := range c.Fees {
		in(c.Fees[i].PaidAt)
	}
	if c.Rating != nil {
		in(&c.Rating.At)
	}
	return c
}
