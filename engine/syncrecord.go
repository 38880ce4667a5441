package engine

import (
	"encoding/json"
	"fmt"
	"time"
)

// Status sync to the national portal (Circular 01/2018/TT-VPCP Art 17.1d;
// Circular 22/2019/TT-BTTTT Art 4: the unit supplies every dossier's status
// to the national public service portal and shows it at every step).
//
// A sync record is decided by the pure step with the change it reports,
// and stored in the outbox by the same write (Insert or Apply), so that no
// change can be written without its record nor a record without its
// change. The record carries the dossier's whole picture as of that
// change, not a delta: a receiver that lost or skipped records is whole
// again with the next one. docs/portal-sync.md is the contract.

// Outbox kind and channel of sync records.
const (
	// NotePortalSync is the Notification.Kind of a sync record.
	NotePortalSync = "portal_sync"
	// ChannelPortal is the Notification.Channel of a sync record: only the
	// portal delivery sends it.
	ChannelPortal = "portal"
	// SyncPayloadKey is the Data entry holding a sync record's body, the
	// JSON the portal receives. It carries the dossier's whole progress,
	// so it grows with the dossier: Store.NotificationsOfKind leaves it
	// out.
	SyncPayloadKey = "payload"
)

// SyncDateLayout is how dates are written in sync payloads: yyyyMMddHHmmss
// in Vietnam's time (the calendar's zone), as provincial systems sync them.
const SyncDateLayout = "20060102150405"

// National status codes a dossier outside the procedure's own states
// carries (national.md: the status codes on the national portal).
const (
	NationalRegistered  = 1 // Mới đăng ký: submitted online, not yet received
	NationalReceived    = 2 // Được tiếp nhận
	NationalNotReceived = 3 // Không được tiếp nhận
)

// NationalChannel returns the portal's channel code (KenhThucHien): 1 at
// the counter, 2 online, 3 by post.
func NationalChannel(c Channel) int {
	switch c {
	case ChannelOnline:
		return 2
	case ChannelPost:
		return 3
	}
	return 1
}

// SyncPayload is the JSON body of one sync record (docs/portal-sync.md).
type SyncPayload struct {
	// RecordID is stable across resends of this record: a receiver drops a
	// record whose id it already has.
	RecordID string `json:"record_id"`
	// Seq is the history row the picture is as of (1 = the reception).
	Seq int `json:"seq"`
	// Reason is "change" for the record of a change, "resync" for a
	// picture re-sent by `motcua portal resync`.
	Reason  string      `json:"reason"`
	Dossier SyncDossier `json:"dossier"`
}

// SyncDossier is the dossier's picture in a sync record.
type SyncDossier struct {
	Code             string `json:"code"`
	ProcedureCode    string `json:"procedure_code"`
	ProcedureVersion int    `json:"procedure_version"`
	ProcedureName    string `json:"procedure_name"`
	ReceivingUnit    string `json:"receiving_unit"`
	// Status is the national status code 1–10 of the current state
	// (its `status:`), 0 when the procedure declares none.
	Status      int    `json:"status"`
	State       string `json:"state"`
	StateName   string `json:"state_name"`
	Channel     int    `json:"channel"`
	Received    string `json:"received,omitempty"`
	Appointment string `json:"appointment,omitempty"`
	Due         string `json:"due,omitempty"`
	Finished    string `json:"finished,omitempty"`
	Returned    string `json:"returned,omitempty"`
	// Result is approved, refused or withdrawn once final.
	Result      Outcome         `json:"result,omitempty"`
	Applicant   SyncApplicant   `json:"applicant"`
	Components  []SyncComponent `json:"components"`
	ResultFiles []SyncFile      `json:"result_files"`
	Fees        []SyncFee       `json:"fees"`
	Progress    []SyncProgress  `json:"progress"`
}

// SyncApplicant is the applicant as synced.
type SyncApplicant struct {
	Name    string `json:"name"`
	IDNo    string `json:"id_no,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

// SyncComponent is one component of the procedure and what the dossier
// holds of it. Digitised is true when a scan is attached (Decree 61/2018
// Art 17.1; Decision 766 indicator 4.2), Reused when a file comes from an
// earlier dossier (indicator 4.3).
type SyncComponent struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Required  bool       `json:"required"`
	Received  bool       `json:"received"`
	Copy      CopyKind   `json:"copy,omitempty"`
	Count     int        `json:"count,omitempty"`
	Digitised bool       `json:"digitised"`
	Reused    bool       `json:"reused"`
	Files     []SyncFile `json:"files"`
}

// SyncFile is one stored file: the receiver fetches it by SHA256 through
// the file routes if it needs the bytes.
type SyncFile struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	Signed      bool   `json:"signed"`
	ReusedFrom  string `json:"reused_from,omitempty"`
	At          string `json:"at"`
}

// SyncFee is one fee charged and whether it was paid online (indicator 3.6).
type SyncFee struct {
	ID         string    `json:"id"`
	Amount     int64     `json:"amount"`
	Copies     int       `json:"copies,omitempty"`
	Paid       bool      `json:"paid"`
	PaidOnline bool      `json:"paid_online"`
	Method     PayMethod `json:"method,omitempty"`
	Reference  string    `json:"reference,omitempty"`
	PaidAt     string    `json:"paid_at,omitempty"`
}

// SyncProgress is one progress row: a history row of the control slip.
type SyncProgress struct {
	Seq       int    `json:"seq"`
	At        string `json:"at"`
	Action    string `json:"action"`
	Actor     string `json:"actor"`
	ActorName string `json:"actor_name,omitempty"`
	FromUnit  string `json:"from_unit,omitempty"`
	ToUnit    string `json:"to_unit,omitempty"`
	ToState   string `json:"to_state"`
	// Status is the national status code of the state the row entered.
	Status int `json:"status"`
	// StepDue is the legal deadline of the step the row left; StepResult
	// its timeliness (early, on_time, late).
	StepDue    string     `json:"step_due,omitempty"`
	StepResult Timeliness `json:"step_result,omitempty"`
	// Reason is the reason given with the action, when it asked for one.
	Reason string `json:"reason,omitempty"`
}

// NationalStatus returns the national status code of state id under p:
// the state's `status:`, or the code of the online intake's own states.
func NationalStatus(p *Procedure, id string) int {
	switch id {
	case StateOnlineRegistered:
		return NationalRegistered
	case StateOnlineRefused:
		return NationalNotReceived
	}
	if st, ok := p.State(id); ok {
		return st.Status
	}
	return 0
}

// SyncRecordID is the record id of the change that added history row seq
// to dossier code; a resync stamps its records apart (suffix non-empty).
func SyncRecordID(code string, seq int, suffix string) string {
	id := fmt.Sprintf("%s/%04d/portal", code, seq)
	if suffix != "" {
		id += "/" + suffix
	}
	return id
}

// BuildSyncPayload is the picture of d under env as of now. It is pure.
func BuildSyncPayload(env Env, d *Dossier, recordID, reason string) SyncPayload {
	p := env.Procedure
	loc := time.UTC
	if env.Calendar != nil {
		loc = env.Calendar.Location()
	}
	date := func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return ""
		}
		return t.In(loc).Format(SyncDateLayout)
	}
	sd := SyncDossier{
		Code: d.Code, ProcedureCode: d.Procedure, ProcedureVersion: d.ProcedureVersion, ProcedureName: p.Name,
		ReceivingUnit: d.ReceivingUnit, Status: NationalStatus(p, d.State), State: d.State, StateName: StateName(p, d.State, "vi"),
		Channel: NationalChannel(d.Channel), Appointment: date(d.AppointmentAt), Due: date(d.DueAt), Result: d.Result,
		Applicant: SyncApplicant(d.Applicant),
		// Lists are [] when empty, never null: a receiver iterates them.
		Components: []SyncComponent{}, ResultFiles: []SyncFile{}, Fees: []SyncFee{}, Progress: []SyncProgress{},
	}
	if d.State != StateOnlineRegistered && d.State != StateOnlineRefused {
		sd.Received = date(&d.ReceivedAt)
	}
	for _, h := range d.History {
		st := NationalStatus(p, h.ToState)
		row := SyncProgress{
			Seq: h.Seq, At: date(&h.At), Action: h.Action, Actor: h.Actor, FromUnit: h.FromUnit, ToUnit: h.ToUnit,
			ToState: h.ToState, Status: st, StepDue: date(h.StepDueAt), StepResult: h.StepResult, Reason: h.Inputs["reason"],
		}
		if env.Directory != nil {
			if who, ok := env.Directory.Person(h.Actor); ok {
				row.ActorName = who.Name
			}
		}
		sd.Progress = append(sd.Progress, row)
		// Finished is the first time the dossier was done (9) or ended;
		// returned the first time the result was handed over (10).
		if sd.Finished == "" && (st == 9 || st == 10 || isFinal(p, h.ToState)) {
			sd.Finished = row.At
		}
		if sd.Returned == "" && st == 10 {
			sd.Returned = row.At
		}
	}
	if sd.Received == "" && sd.Status != NationalRegistered {
		sd.Received = date(&d.ReceivedAt)
	}
	sd.Components = append(sd.Components, syncComponents(p, d, date)...)
	for _, f := range d.Files {
		if f.Result {
			sd.ResultFiles = append(sd.ResultFiles, syncFile(f, date))
		}
	}
	for _, f := range d.Fees {
		sd.Fees = append(sd.Fees, SyncFee{
			ID: f.ID, Amount: f.Amount, Copies: f.Copies, Paid: f.Paid, PaidOnline: f.Paid && f.Method == PayOnline,
			Method: f.Method, Reference: f.Reference, PaidAt: date(f.PaidAt),
		})
	}
	seq := 0
	if n := len(d.History); n > 0 {
		seq = d.History[n-1].Seq
	}
	return SyncPayload{RecordID: recordID, Seq: seq, Reason: reason, Dossier: sd}
}

func isFinal(p *Procedure, id string) bool {
	if id == StateOnlineRefused {
		return true
	}
	st, ok := p.State(id)
	return ok && st.IsFinal()
}

// syncComponents lists the procedure's components, then any component
// the dossier holds that the procedure no longer names, so that nothing
// received is left out of the picture.
func syncComponents(p *Procedure, d *Dossier, date func(*time.Time) string) []SyncComponent {
	var out []SyncComponent
	index := map[string]int{}
	add := func(id string) *SyncComponent {
		if i, ok := index[id]; ok {
			return &out[i]
		}
		index[id] = len(out)
		out = append(out, SyncComponent{ID: id, Name: id, Files: []SyncFile{}})
		return &out[len(out)-1]
	}
	for _, c := range p.Components {
		sc := add(c.ID)
		sc.Name, sc.Required = c.Name, c.Required
	}
	for _, r := range d.Components {
		sc := add(r.ID)
		sc.Received, sc.Copy, sc.Count = true, r.Copy, r.Count
	}
	for _, f := range d.Files {
		if f.Result || f.Component == "" {
			continue
		}
		sc := add(f.Component)
		sc.Files = append(sc.Files, syncFile(f, date))
		sc.Digitised = true
		if f.ReusedFrom != "" {
			sc.Reused = true
		}
	}
	return out
}

func syncFile(f FileRef, date func(*time.Time) string) SyncFile {
	return SyncFile{ID: f.ID, Name: f.Name, SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType,
		Signed: f.Signed, ReusedFrom: f.ReusedFrom, At: date(&f.At)}
}

// SyncNotification is the outbox entry of the sync record recordID of d's
// current picture, decided at now. The payload is fixed now: a record
// delivered hours later still says what was true when it was decided.
func SyncNotification(env Env, d *Dossier, recordID, reason string, now time.Time) (Notification, error) {
	payload := BuildSyncPayload(env, d, recordID, reason)
	body, err := json.Marshal(payload)
	if err != nil {
		return Notification{}, fmt.Errorf("sync record %s: %w", recordID, err)
	}
	now = storeInstant(now)
	return Notification{
		ID: recordID, Dossier: d.Code, Kind: NotePortalSync, Channel: ChannelPortal, At: now,
		Data: map[string]string{
			"record_id": recordID, "seq": fmt.Sprint(payload.Seq), "status": fmt.Sprint(payload.Dossier.Status), SyncPayloadKey: string(body),
		},
		Status: NotificationPending, NextAttempt: now,
	}, nil
}

// withSync adds the sync record of dec's change when env syncs with the
// portal. Every decision that adds a history row passes here.
func withSync(env Env, dec *Decision, now time.Time) (*Decision, error) {
	if !env.PortalSync || dec == nil || dec.Replay || len(dec.Dossier.History) == 0 {
		return dec, nil
	}
	d := dec.Dossier
	n, err := SyncNotification(env, d, SyncRecordID(d.Code, d.History[len(d.History)-1].Seq, ""), "change", now)
	if err != nil {
		return nil, err
	}
	dec.Notifications = append(dec.Notifications, n)
	return dec, nil
}
