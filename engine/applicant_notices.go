package engine

import (
	"fmt"
	"strings"
	"time"
)

// Notices to the applicant (issue 12): the law asks the desk to tell the
// applicant, by e-mail, SMS, telephone or an approved network, at
// reception, when a supplement is needed, on a delay (with an apology and
// a new appointment) and when the result is ready (Decree 61/2018 Art
// 17.2a, 19.9 and 20.4, carried over by Decree 118/2025). A refusal is
// told with its reason (form 03). The step decides them from the
// catalog's fields — a waiting state, a final outcome, a reappointing
// action, the national status code 9 — never from action names, so a new
// procedure is told about without code.

// Kinds of the notices to the applicant.
const (
	NoteApplicantReceived   = "applicant_received"
	NoteApplicantSupplement = "applicant_supplement"
	NoteApplicantRefused    = "applicant_refused"
	NoteApplicantApology    = "applicant_apology"
	NoteApplicantResult     = "applicant_result"
)

// ApplicantKinds lists the notice kinds to the applicant, in the order a
// dossier meets them.
var ApplicantKinds = []string{NoteApplicantReceived, NoteApplicantSupplement, NoteApplicantRefused,
	NoteApplicantApology, NoteApplicantResult}

// Channels an applicant's notice may go through, and the Data keys that
// carry the address it goes to. The address is copied at the decision, as
// the staff's are resolved at it: the outbox row is what is sent.
const (
	ApplicantEmail = "email"
	ApplicantSMS   = "sms"
	DataToEmail    = "to_email"
	DataToPhone    = "to_phone"
)

// StatusResultReady is the national status code "Đã xử lý xong" (9): a
// state carrying it is where the result waits to be collected; 10 is
// "Đã trả kết quả", the result handed over.
const (
	StatusResultReady    = 9
	StatusResultReturned = 10
)

// InputReason is the input in which an officer writes why (a supplement,
// a refusal, an apology): the applicant and the public lookup read it.
const InputReason = "reason"

// receptionNotices tells the applicant their dossier's code, the
// appointment and how to look it up.
func receptionNotices(env Env, d *Dossier, now time.Time) []Notification {
	return applicantNotices(env, d, 1, NoteApplicantReceived, nil, now)
}

// stepNotices decides the applicant's notices of one transition from
// from to nd's state by action a with the officer's inputs.
func stepNotices(env Env, from *State, nd *Dossier, a *Action, row HistoryRow, now time.Time) []Notification {
	p := env.Procedure
	to, _ := p.State(nd.State)
	if from == nil {
		return nil
	}
	var kind string
	extra := map[string]string{}
	switch {
	case a.Reappoint:
		kind = NoteApplicantApology
		extra[InputReason] = strings.TrimSpace(row.Inputs[InputReason])
	case a.To == "" || to == nil:
		return nil
	case to.IsWaiting() && !from.IsWaiting():
		kind = NoteApplicantSupplement
		extra[InputReason] = strings.TrimSpace(row.Inputs[InputReason])
		if by := SupplementBy(env, to, now); !by.IsZero() {
			extra["supplement_by"] = by.In(env.Calendar.Location()).Format(time.RFC3339)
		}
	case to.Final == OutcomeRefused:
		kind = NoteApplicantRefused
		extra[InputReason] = orID(strings.TrimSpace(row.Inputs[InputReason]), to.Name)
	case to.Status == StatusResultReady && from.Status != StatusResultReady,
		to.Final == OutcomeApproved && from.Status != StatusResultReady:
		// The result is ready where the catalog says so (status 9); a
		// procedure whose approval is its last step (a petition's
		// conclusion) is told at the final state.
		kind = NoteApplicantResult
	default:
		return nil
	}
	return applicantNotices(env, nd, row.Seq, kind, extra, now)
}

// SupplementBy is the end of the applicant's time to supplement a dossier
// that entered the waiting state w at now: w's timeout, zero when the
// state has none.
func SupplementBy(env Env, w *State, now time.Time) time.Time {
	if w == nil || w.Timeout == nil || w.Timeout.After.IsZero() || env.Calendar == nil {
		return time.Time{}
	}
	return env.Calendar.Add(now, w.Timeout.After).UTC()
}

// applicantNotices builds one notice of kind per channel the applicant
// gave a contact for and the unit has configured (env.ApplicantChannels).
// The id is the row's: a transition recomputed after a lost race decides
// the same ids, and the receiver drops the copy.
func applicantNotices(env Env, d *Dossier, seq int, kind string, extra map[string]string, now time.Time) []Notification {
	addr := map[string]string{
		ApplicantEmail: strings.TrimSpace(d.Applicant.Email),
		ApplicantSMS:   NormalizePhone(d.Applicant.Phone),
	}
	var out []Notification
	for _, ch := range env.ApplicantChannels {
		to := addr[ch]
		if to == "" {
			continue
		}
		data := applicantData(env, d)
		for k, v := range extra {
			if v != "" {
				data[k] = v
			}
		}
		if ch == ApplicantEmail {
			data[DataToEmail] = to
		} else {
			data[DataToPhone] = to
		}
		out = append(out, Notification{
			ID:      fmt.Sprintf("%s/%d/%s/%s", d.Code, seq, kind, ch),
			Dossier: d.Code, Kind: kind, Channel: ch,
			At: now, Data: data, Status: NotificationPending, NextAttempt: now,
		})
	}
	return out
}

// applicantData is what every applicant's template may print: nothing
// of the staff (no names, no units' internals), the place being the
// receiving unit's desk.
func applicantData(env Env, d *Dossier) map[string]string {
	p := env.Procedure
	data := map[string]string{
		"code": d.Code, "procedure": p.Name, "procedure_en": orID(p.NameEN, p.Name), "procedure_code": p.Code,
		"place": d.ReceivingUnit, "place_en": d.ReceivingUnit,
	}
	if env.Directory != nil {
		if u, ok := env.Directory.Unit(d.ReceivingUnit); ok {
			data["place"], data["place_en"] = orID(u.Name, u.ID), orID(u.NameEN, orID(u.Name, u.ID))
		}
	}
	if d.AppointmentAt != nil && env.Calendar != nil {
		data["appointment"] = d.AppointmentAt.In(env.Calendar.Location()).Format(time.RFC3339)
	}
	if RatingOpensFor(p) {
		data["rating"] = "1"
	}
	return data
}

// Reasons is what the public lookup may say of why a dossier is where it
// is: the officer's written reason for the supplement asked or the
// refusal, and the end of the time to supplement. Only the officer's
// reason, never a name from the history.
type Reasons struct {
	// Supplement is what is missing, while the dossier waits for it.
	Supplement string
	// SupplementBy is when the supplement is due; zero when unbounded.
	SupplementBy time.Time
	// Refusal is why the dossier was refused or stopped.
	Refusal string
}

// EnteredRow is the row by which d entered its current state from
// another one: the step a notice or a slip of that state speaks of.
// Rows that stayed in the state (a note) are passed over; a dossier never
// moved has none.
func EnteredRow(d *Dossier) (HistoryRow, bool) {
	for i := len(d.History) - 1; i >= 0; i-- {
		if h := d.History[i]; h.ToState == d.State && h.FromState != d.State {
			return h, true
		}
	}
	return HistoryRow{}, false
}

// ReasonsOf reads d's history for the reason of its current state: the
// row that entered it.
func ReasonsOf(env Env, d *Dossier) Reasons {
	var r Reasons
	st, ok := env.Procedure.State(d.State)
	if !ok || len(d.History) == 0 {
		return r
	}
	entered, ok := EnteredRow(d)
	if !ok {
		return r
	}
	reason := strings.TrimSpace(entered.Inputs[InputReason])
	switch {
	case st.IsWaiting():
		r.Supplement = reason
		r.SupplementBy = SupplementBy(env, st, entered.At)
	case st.Final == OutcomeRefused:
		r.Refusal = orID(reason, st.Name)
	}
	return r
}
