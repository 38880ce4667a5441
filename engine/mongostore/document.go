package mongostore

import (
	"reflect"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
)

// The documents of the dossiers and notifications collections. They are
// this store's own types, not engine.Dossier and engine.Notification,
// whose JSON tags are the API's shape and whose BSON tags this store no
// longer reads: renaming a field of the engine's types must not change
// what is stored, and databases written by earlier versions must stay
// readable. The field names and BSON types are those written since the
// store began (testdata/dossier-v1.json is a document written then, with
// a notification in its outbox, and TestReadsTheV1Document reads it). A
// change of shape keeps reading the old one: add fields, never rename or
// retype one.

// dossierDoc is the stored form of a dossier: its fields, plus the
// fields only this store reads.
type dossierDoc struct {
	Code             string          `bson:"_id"`
	Procedure        string          `bson:"procedure"`
	ProcedureVersion int             `bson:"procedure_version"`
	Kind             string          `bson:"kind"`
	Applicant        applicantDoc    `bson:"applicant"`
	Channel          string          `bson:"channel"`
	ReceivingUnit    string          `bson:"receiving_unit"`
	ReceivedBy       string          `bson:"received_by"`
	State            string          `bson:"state"`
	Unit             string          `bson:"unit,omitempty"`
	Status           string          `bson:"status"`
	ReceivedAt       time.Time       `bson:"received_at"`
	StartAt          time.Time       `bson:"start_at"`
	DueAt            *time.Time      `bson:"due_at,omitempty"`
	AppointmentAt    *time.Time      `bson:"appointment_at,omitempty"`
	StepStartedAt    time.Time       `bson:"step_started_at"`
	StepDueAt        *time.Time      `bson:"step_due_at,omitempty"`
	StepVisit        int             `bson:"step_visit"`
	Assignee         string          `bson:"assignee,omitempty"`
	RegisterBook     string          `bson:"register_book,omitempty"`
	RegisterNo       int             `bson:"register_no,omitempty"`
	FinishedAt       *time.Time      `bson:"finished_at,omitempty"`
	Result           string          `bson:"result,omitempty"`
	Timeliness       string          `bson:"timeliness,omitempty"`
	WorkTaken        int64           `bson:"work_taken,omitempty"` // nanoseconds
	Components       []componentDoc  `bson:"components,omitempty"`
	Files            []fileDoc       `bson:"files,omitempty"`
	Fees             []feeDoc        `bson:"fees,omitempty"`
	Rating           *ratingDoc      `bson:"rating,omitempty"`
	Ledger           []clockEventDoc `bson:"ledger"`
	History          []historyRowDoc `bson:"history"`
	Uses             map[string]int  `bson:"uses,omitempty"`
	Fired            []string        `bson:"fired,omitempty"`
	NextCheckAt      *time.Time      `bson:"next_check_at,omitempty"`
	ReceiveKey       string          `bson:"receive_key,omitempty"`
	Version          int64           `bson:"version"`
	UpdatedAt        time.Time       `bson:"updated_at"`

	// NameLC is the applicant's name lower-cased, for case-insensitive
	// search with a plain, index-friendly $regex.
	NameLC string `bson:"applicant_name_lc"`
	// DueOrder is DueAt, or noDue when there is none.
	DueOrder time.Time `bson:"due_order"`
	// Search is searchOf(code, name), what text search reads (schema 2).
	Search string `bson:"search_lc"`
	// SearchKeys are engine.SearchKeys(d), what text search reads
	// (schema 3): a multikey index serves a prefix as one range.
	SearchKeys []string `bson:"search_keys"`
	// FigureUnit is engine.FigureUnit(d), the unit the open counts
	// attribute the dossier to (schema 4): a field of its own so that
	// the index open_figures holds it and the counts read no document.
	FigureUnit string `bson:"figure_unit"`
	// Outbox holds notifications written with the dossier and not yet
	// relayed to the notifications collection (notificationDoc each).
	Outbox []bson.Raw `bson:"outbox,omitempty"`
}

type applicantDoc struct {
	Name    string `bson:"name"`
	IDNo    string `bson:"id_no,omitempty"`
	Phone   string `bson:"phone,omitempty"`
	Email   string `bson:"email,omitempty"`
	Address string `bson:"address,omitempty"`
}

type clockEventDoc struct {
	Kind        string     `bson:"kind"`
	At          time.Time  `bson:"at"`
	Limit       string     `bson:"limit,omitempty"`
	Appointment *time.Time `bson:"appointment,omitempty"`
	Action      string     `bson:"action,omitempty"`
}

type historyRowDoc struct {
	Seq            int               `bson:"seq"`
	At             time.Time         `bson:"at"`
	Action         string            `bson:"action"`
	Actor          string            `bson:"actor"`
	FromState      string            `bson:"from_state,omitempty"`
	ToState        string            `bson:"to_state"`
	FromUnit       string            `bson:"from_unit,omitempty"`
	ToUnit         string            `bson:"to_unit,omitempty"`
	Inputs         map[string]string `bson:"inputs,omitempty"`
	StepStartedAt  *time.Time        `bson:"step_started_at,omitempty"`
	StepDueAt      *time.Time        `bson:"step_due_at,omitempty"`
	StepResult     string            `bson:"step_result,omitempty"`
	IdempotencyKey string            `bson:"idempotency_key,omitempty"`
}

// notificationDoc is the stored form of a notification, in an outbox and
// in the notifications collection alike.
type notificationDoc struct {
	ID          string            `bson:"_id"`
	Dossier     string            `bson:"dossier,omitempty"`
	Kind        string            `bson:"kind"`
	Level       int               `bson:"level"`
	To          []string          `bson:"to"`
	Channel     string            `bson:"channel,omitempty"`
	At          time.Time         `bson:"at"`
	Data        map[string]string `bson:"data,omitempty"`
	Status      string            `bson:"status"`
	Attempts    int               `bson:"attempts"`
	NextAttempt time.Time         `bson:"next_attempt"`
	SentAt      *time.Time        `bson:"sent_at,omitempty"`
	LastError   string            `bson:"last_error,omitempty"`
}

// dossierProjection leaves out what a read does not need.
var dossierProjection = bson.D{{Key: "outbox", Value: 0}, {Key: "applicant_name_lc", Value: 0}, {Key: "due_order", Value: 0}, {Key: "search_lc", Value: 0}, {Key: "search_keys", Value: 0}, {Key: "figure_unit", Value: 0}}

// slimProjection is dossierProjection for a Slim scan (reports): the
// server also leaves out what engine.SlimDropped names (the applicant,
// the reception key, the limited actions' counts, the rungs fired, and
// each history row's inputs and retry key), so that neither the wire nor
// the decoding carries personal data and free text no figure reads. The
// embedded store keeps a separate binary copy instead; here the document
// is read anyway, and a projection is the same saving without a second
// copy to keep in step.
var slimProjection = append(append(bson.D{}, dossierProjection...),
	bson.E{Key: "applicant", Value: 0}, bson.E{Key: "receive_key", Value: 0}, bson.E{Key: "uses", Value: 0},
	bson.E{Key: "fired", Value: 0}, bson.E{Key: "history.inputs", Value: 0}, bson.E{Key: "history.idempotency_key", Value: 0})

// topFields lists the top-level document fields of a dossier that a
// transition may set or clear: every field of dossierDoc except _id,
// history (appended, never rewritten), receive_key (Insert's only) and
// outbox (pushed). Computed from the struct so that a field added to the
// document is written without a change here.
var topFields = func() []string {
	var out []string
	t := reflect.TypeOf(dossierDoc{})
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("bson"), ",")
		switch name {
		case "", "-", "_id", "history", "receive_key", "outbox":
			continue
		}
		out = append(out, name)
	}
	return out
}()

// readTime returns a stored instant in UTC, as the driver decodes it;
// pointers are copied so that no two dossiers share one.
func readTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.UTC()
	return &v
}

func historyDocOf(h engine.HistoryRow) historyRowDoc {
	return historyRowDoc{
		Seq: h.Seq, At: h.At, Action: h.Action, Actor: h.Actor,
		FromState: h.FromState, ToState: h.ToState, FromUnit: h.FromUnit, ToUnit: h.ToUnit,
		Inputs: h.Inputs, StepStartedAt: h.StepStartedAt, StepDueAt: h.StepDueAt,
		StepResult: string(h.StepResult), IdempotencyKey: h.IdempotencyKey,
	}
}

// docOf returns the stored form of d; d is not modified. The document
// shares d's maps and slices: it is encoded at once, never kept.
func docOf(d *engine.Dossier) dossierDoc {
	a := d.Applicant
	doc := dossierDoc{
		Code: d.Code, Procedure: d.Procedure, ProcedureVersion: d.ProcedureVersion, Kind: string(d.Kind),
		Applicant: applicantDoc{Name: a.Name, IDNo: a.IDNo, Phone: a.Phone, Email: a.Email, Address: a.Address},
		Channel:   string(d.Channel), ReceivingUnit: d.ReceivingUnit, ReceivedBy: d.ReceivedBy,
		State: d.State, Unit: d.Unit, Status: string(d.Status),
		ReceivedAt: d.ReceivedAt, StartAt: d.StartAt, DueAt: d.DueAt, AppointmentAt: d.AppointmentAt,
		StepStartedAt: d.StepStartedAt, StepDueAt: d.StepDueAt, StepVisit: d.StepVisit,
		Assignee: d.Assignee, RegisterBook: d.RegisterBook, RegisterNo: d.RegisterNo,
		FinishedAt: d.FinishedAt, Result: string(d.Result), Timeliness: string(d.Timeliness),
		WorkTaken: int64(d.WorkTaken), Uses: d.Uses, Fired: d.Fired, NextCheckAt: d.NextCheckAt,
		ReceiveKey: d.ReceiveKey, Version: d.Version, UpdatedAt: d.UpdatedAt,
		NameLC: strings.ToLower(a.Name), DueOrder: noDue, Search: searchOf(d.Code, a.Name),
		SearchKeys: engine.SearchKeys(d), FigureUnit: engine.FigureUnit(d),
	}
	if d.DueAt != nil {
		doc.DueOrder = *d.DueAt
	}
	if d.Ledger != nil {
		doc.Ledger = make([]clockEventDoc, len(d.Ledger))
		for i, e := range d.Ledger {
			doc.Ledger[i] = clockEventDoc{Kind: string(e.Kind), At: e.At, Limit: e.Limit, Appointment: e.Appointment, Action: e.Action}
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

// dossier returns the domain value of a stored document.
func (doc *dossierDoc) dossier() *engine.Dossier {
	a := doc.Applicant
	d := &engine.Dossier{
		Code: doc.Code, Procedure: doc.Procedure, ProcedureVersion: doc.ProcedureVersion, Kind: engine.Kind(doc.Kind),
		Applicant: engine.Applicant{Name: a.Name, IDNo: a.IDNo, Phone: a.Phone, Email: a.Email, Address: a.Address},
		Channel:   engine.Channel(doc.Channel), ReceivingUnit: doc.ReceivingUnit, ReceivedBy: doc.ReceivedBy,
		State: doc.State, Unit: doc.Unit, Status: engine.Status(doc.Status),
		ReceivedAt: doc.ReceivedAt.UTC(), StartAt: doc.StartAt.UTC(),
		DueAt: readTimePtr(doc.DueAt), AppointmentAt: readTimePtr(doc.AppointmentAt),
		StepStartedAt: doc.StepStartedAt.UTC(), StepDueAt: readTimePtr(doc.StepDueAt), StepVisit: doc.StepVisit,
		Assignee: doc.Assignee, RegisterBook: doc.RegisterBook, RegisterNo: doc.RegisterNo,
		FinishedAt: readTimePtr(doc.FinishedAt), Result: engine.Outcome(doc.Result),
		Timeliness: engine.Timeliness(doc.Timeliness), WorkTaken: time.Duration(doc.WorkTaken),
		Uses: doc.Uses, Fired: doc.Fired, NextCheckAt: readTimePtr(doc.NextCheckAt),
		ReceiveKey: doc.ReceiveKey, Version: doc.Version, UpdatedAt: doc.UpdatedAt.UTC(),
	}
	if doc.Ledger != nil {
		d.Ledger = make([]engine.ClockEvent, len(doc.Ledger))
		for i, e := range doc.Ledger {
			d.Ledger[i] = engine.ClockEvent{Kind: engine.ClockEventKind(e.Kind), At: e.At.UTC(), Limit: e.Limit,
				Appointment: readTimePtr(e.Appointment), Action: e.Action}
		}
	}
	if doc.History != nil {
		d.History = make([]engine.HistoryRow, len(doc.History))
		for i, h := range doc.History {
			d.History[i] = engine.HistoryRow{
				Seq: h.Seq, At: h.At.UTC(), Action: h.Action, Actor: h.Actor,
				FromState: h.FromState, ToState: h.ToState, FromUnit: h.FromUnit, ToUnit: h.ToUnit,
				Inputs: h.Inputs, StepStartedAt: readTimePtr(h.StepStartedAt), StepDueAt: readTimePtr(h.StepDueAt),
				StepResult: engine.Timeliness(h.StepResult), IdempotencyKey: h.IdempotencyKey,
			}
		}
	}
	doc.contents(d)
	return d
}

func notificationDocOf(n engine.Notification) notificationDoc {
	return notificationDoc{
		ID: n.ID, Dossier: n.Dossier, Kind: n.Kind, Level: n.Level, To: n.To, Channel: n.Channel,
		At: n.At, Data: n.Data, Status: n.Status, Attempts: n.Attempts, NextAttempt: n.NextAttempt,
		SentAt: n.SentAt, LastError: n.LastError,
	}
}

func (doc *notificationDoc) notification() engine.Notification {
	return engine.Notification{
		ID: doc.ID, Dossier: doc.Dossier, Kind: doc.Kind, Level: doc.Level, To: doc.To, Channel: doc.Channel,
		At: doc.At.UTC(), Data: doc.Data, Status: doc.Status, Attempts: doc.Attempts,
		NextAttempt: doc.NextAttempt.UTC(), SentAt: readTimePtr(doc.SentAt), LastError: doc.LastError,
	}
}

// notificationDocs returns the stored forms of ns, encoded.
func notificationDocs(ns []engine.Notification) ([]bson.Raw, error) {
	out := make([]bson.Raw, 0, len(ns))
	for _, n := range ns {
		b, err := bson.Marshal(notificationDocOf(n))
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
