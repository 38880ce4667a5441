package sqlitestore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua/engine"
)

// The documents of the doc columns. They are this store's own types, not
// engine.Dossier and engine.Notification, whose JSON tags are the API's
// shape: renaming a field of the API must not change what is stored, and
// folders written by earlier versions must stay readable. The field
// names are those written since schema 1 (testdata/dossier-v1.json and
// notification-v1.json are documents written then, and
// TestReadsTheV1Documents reads them). A change of shape keeps reading
// the old one: add fields, never rename or retype one.
//
// Instants are written in UTC to the millisecond, the precision of the
// indexed columns beside them, and read back in UTC.

// dossierDoc is the stored form of a dossier. The reception key is not in
// it: it lives in the receive_key column, under a unique index.
type dossierDoc struct {
	Code             string          `json:"code"`
	Procedure        string          `json:"procedure"`
	ProcedureVersion int             `json:"procedure_version"`
	Kind             string          `json:"kind"`
	Applicant        applicantDoc    `json:"applicant"`
	Channel          string          `json:"channel"`
	ReceivingUnit    string          `json:"receiving_unit"`
	ReceivedBy       string          `json:"received_by"`
	State            string          `json:"state"`
	Unit             string          `json:"unit,omitempty"`
	Status           string          `json:"status"`
	ReceivedAt       time.Time       `json:"received_at"`
	StartAt          time.Time       `json:"start_at"`
	DueAt            time.Time       `json:"due_at,omitzero"`
	AppointmentAt    time.Time       `json:"appointment_at,omitzero"`
	StepStartedAt    time.Time       `json:"step_started_at"`
	StepDueAt        time.Time       `json:"step_due_at,omitzero"`
	StepVisit        int             `json:"step_visit"`
	Assignee         string          `json:"assignee,omitempty"`
	RegisterBook     string          `json:"register_book,omitempty"`
	RegisterNo       int             `json:"register_no,omitempty"`
	FinishedAt       time.Time       `json:"finished_at,omitzero"` // also the finished_at column (schema 3 reads it from here)
	Result           string          `json:"result,omitempty"`
	Timeliness       string          `json:"timeliness,omitempty"`
	WorkTaken        int64           `json:"work_taken,omitempty"` // nanoseconds
	Components       []componentDoc  `json:"components,omitempty"`
	Files            []fileDoc       `json:"files,omitempty"`
	Fees             []feeDoc        `json:"fees,omitempty"`
	Rating           *ratingDoc      `json:"rating,omitempty"`
	Ledger           []clockEventDoc `json:"ledger"`
	History          []historyRowDoc `json:"history"`
	Uses             map[string]int  `json:"uses,omitempty"`
	Fired            []string        `json:"fired,omitempty"`
	NextCheckAt      time.Time       `json:"next_check_at,omitzero"`
	Version          int64           `json:"version"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

type applicantDoc struct {
	Name    string `json:"name"`
	IDNo    string `json:"id_no,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

type clockEventDoc struct {
	Kind        string    `json:"kind"`
	At          time.Time `json:"at"`
	Limit       string    `json:"limit,omitempty"`
	Appointment time.Time `json:"appointment,omitzero"`
	Action      string    `json:"action,omitempty"`
}

type historyRowDoc struct {
	Seq            int               `json:"seq"`
	At             time.Time         `json:"at"`
	Action         string            `json:"action"`
	Actor          string            `json:"actor"`
	FromState      string            `json:"from_state,omitempty"`
	ToState        string            `json:"to_state"`
	FromUnit       string            `json:"from_unit,omitempty"`
	ToUnit         string            `json:"to_unit,omitempty"`
	Inputs         map[string]string `json:"inputs,omitempty"`
	StepStartedAt  time.Time         `json:"step_started_at,omitzero"`
	StepDueAt      time.Time         `json:"step_due_at,omitzero"`
	StepResult     string            `json:"step_result,omitempty"`
	IdempotencyKey string            `json:"idempotency_key,omitempty"`
}

// notificationDoc is the stored form of a notification.
type notificationDoc struct {
	ID          string            `json:"id"`
	Dossier     string            `json:"dossier,omitempty"`
	Kind        string            `json:"kind"`
	Level       int               `json:"level"`
	To          []string          `json:"to"`
	Channel     string            `json:"channel,omitempty"`
	At          time.Time         `json:"at"`
	Data        map[string]string `json:"data,omitempty"`
	Status      string            `json:"status"`
	Attempts    int               `json:"attempts"`
	NextAttempt time.Time         `json:"next_attempt"`
	SentAt      time.Time         `json:"sent_at,omitzero"`
	LastError   string            `json:"last_error,omitempty"`
}

// storeTime is an instant as stored: UTC, whole milliseconds.
func storeTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// storeTimePtr is an optional instant as stored: the zero time, which
// omitzero leaves out of the document, for none. The optional instants
// are values in the documents, so that encoding them allocates nothing.
func storeTimePtr(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return storeTime(*t)
}

// readTime is a stored instant as returned: UTC (documents written
// before this type kept the caller's offset).
func readTime(t time.Time) time.Time { return t.UTC() }

// readTimePtr is an optional stored instant as returned: nil for none.
func readTimePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.UTC()
	return &v
}

func historyDocOf(h engine.HistoryRow) historyRowDoc {
	return historyRowDoc{
		Seq: h.Seq, At: storeTime(h.At), Action: h.Action, Actor: h.Actor,
		FromState: h.FromState, ToState: h.ToState, FromUnit: h.FromUnit, ToUnit: h.ToUnit,
		Inputs:        h.Inputs,
		StepStartedAt: storeTimePtr(h.StepStartedAt), StepDueAt: storeTimePtr(h.StepDueAt),
		StepResult: string(h.StepResult), IdempotencyKey: h.IdempotencyKey,
	}
}

func (h historyRowDoc) row() engine.HistoryRow {
	return engine.HistoryRow{
		Seq: h.Seq, At: readTime(h.At), Action: h.Action, Actor: h.Actor,
		FromState: h.FromState, ToState: h.ToState, FromUnit: h.FromUnit, ToUnit: h.ToUnit,
		Inputs:        h.Inputs,
		StepStartedAt: readTimePtr(h.StepStartedAt), StepDueAt: readTimePtr(h.StepDueAt),
		StepResult: engine.Timeliness(h.StepResult), IdempotencyKey: h.IdempotencyKey,
	}
}

// docOf returns the stored form of d; d is not modified.
func docOf(d *engine.Dossier) dossierDoc {
	a := d.Applicant
	doc := dossierDoc{
		Code: d.Code, Procedure: d.Procedure, ProcedureVersion: d.ProcedureVersion, Kind: string(d.Kind),
		Applicant: applicantDoc{Name: a.Name, IDNo: a.IDNo, Phone: a.Phone, Email: a.Email, Address: a.Address},
		Channel:   string(d.Channel), ReceivingUnit: d.ReceivingUnit, ReceivedBy: d.ReceivedBy,
		State: d.State, Unit: d.Unit, Status: string(d.Status),
		ReceivedAt: storeTime(d.ReceivedAt), StartAt: storeTime(d.StartAt),
		DueAt: storeTimePtr(d.DueAt), AppointmentAt: storeTimePtr(d.AppointmentAt),
		StepStartedAt: storeTime(d.StepStartedAt), StepDueAt: storeTimePtr(d.StepDueAt), StepVisit: d.StepVisit,
		Assignee: d.Assignee, RegisterBook: d.RegisterBook, RegisterNo: d.RegisterNo,
		FinishedAt: storeTimePtr(d.FinishedAt), Result: string(d.Result), Timeliness: string(d.Timeliness),
		WorkTaken: int64(d.WorkTaken),
		Uses:      d.Uses, Fired: d.Fired,
		NextCheckAt: storeTimePtr(d.NextCheckAt),
		Version:     d.Version, UpdatedAt: storeTime(d.UpdatedAt),
	}
	// nil stays null, as engine.Dossier wrote it.
	if d.Ledger != nil {
		doc.Ledger = make([]clockEventDoc, len(d.Ledger))
		for i, e := range d.Ledger {
			doc.Ledger[i] = clockEventDoc{Kind: string(e.Kind), At: storeTime(e.At), Limit: e.Limit,
				Appointment: storeTimePtr(e.Appointment), Action: e.Action}
		}
	}
	if d.History != nil {
		doc.History = make([]historyRowDoc, len(d.History))
		for i, h := range d.History {
			doc.History[i] = historyDocOf(h)
		}
	}
	contentsDocOf(&doc, d)
	return doc
}

// dossier returns the domain value of a stored document and its
// reception key.
func (doc *dossierDoc) dossier(receiveKey string) *engine.Dossier {
	a := doc.Applicant
	d := &engine.Dossier{
		Code: doc.Code, Procedure: doc.Procedure, ProcedureVersion: doc.ProcedureVersion, Kind: engine.Kind(doc.Kind),
		Applicant: engine.Applicant{Name: a.Name, IDNo: a.IDNo, Phone: a.Phone, Email: a.Email, Address: a.Address},
		Channel:   engine.Channel(doc.Channel), ReceivingUnit: doc.ReceivingUnit, ReceivedBy: doc.ReceivedBy,
		State: doc.State, Unit: doc.Unit, Status: engine.Status(doc.Status),
		ReceivedAt: readTime(doc.ReceivedAt), StartAt: readTime(doc.StartAt),
		DueAt: readTimePtr(doc.DueAt), AppointmentAt: readTimePtr(doc.AppointmentAt),
		StepStartedAt: readTime(doc.StepStartedAt), StepDueAt: readTimePtr(doc.StepDueAt), StepVisit: doc.StepVisit,
		Assignee: doc.Assignee, RegisterBook: doc.RegisterBook, RegisterNo: doc.RegisterNo,
		FinishedAt: readTimePtr(doc.FinishedAt), Result: engine.Outcome(doc.Result),
		Timeliness: engine.Timeliness(doc.Timeliness), WorkTaken: time.Duration(doc.WorkTaken),
		Uses: doc.Uses, Fired: doc.Fired, NextCheckAt: readTimePtr(doc.NextCheckAt),
		ReceiveKey: receiveKey, Version: doc.Version, UpdatedAt: readTime(doc.UpdatedAt),
	}
	if doc.Ledger != nil {
		d.Ledger = make([]engine.ClockEvent, len(doc.Ledger))
		for i, e := range doc.Ledger {
			d.Ledger[i] = engine.ClockEvent{Kind: engine.ClockEventKind(e.Kind), At: readTime(e.At), Limit: e.Limit,
				Appointment: readTimePtr(e.Appointment), Action: e.Action}
		}
	}
	if doc.History != nil {
		d.History = make([]engine.HistoryRow, len(doc.History))
		for i, h := range doc.History {
			d.History[i] = h.row()
		}
	}
	doc.contents(d)
	return d
}

func encodeDossier(d *engine.Dossier) ([]byte, error) {
	doc, err := json.Marshal(docOf(d))
	if err != nil {
		return nil, fmt.Errorf("dossier %s document: %w", d.Code, err)
	}
	return doc, nil
}

func decodeDossier(raw []byte, receiveKey string) (*engine.Dossier, error) {
	var doc dossierDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("dossier document: %w", err)
	}
	return doc.dossier(receiveKey), nil
}

func notificationDocOf(n engine.Notification) notificationDoc {
	return notificationDoc{
		ID: n.ID, Dossier: n.Dossier, Kind: n.Kind, Level: n.Level, To: n.To,
		Channel: n.Channel, At: storeTime(n.At), Data: n.Data,
		Status: n.Status, Attempts: n.Attempts, NextAttempt: storeTime(n.NextAttempt),
		SentAt: storeTimePtr(n.SentAt), LastError: n.LastError,
	}
}

func (doc notificationDoc) notification() engine.Notification {
	return engine.Notification{
		ID: doc.ID, Dossier: doc.Dossier, Kind: doc.Kind, Level: doc.Level, To: doc.To,
		Channel: doc.Channel, At: readTime(doc.At), Data: doc.Data,
		Status: doc.Status, Attempts: doc.Attempts, NextAttempt: readTime(doc.NextAttempt),
		SentAt: readTimePtr(doc.SentAt), LastError: doc.LastError,
	}
}

func decodeNotification(raw []byte) (engine.Notification, error) {
	var doc notificationDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return engine.Notification{}, fmt.Errorf("notification document: %w", err)
	}
	return doc.notification(), nil
}
