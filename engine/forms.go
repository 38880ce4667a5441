package engine

import (
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// Form names a printed document the one-stop desk issues for an event in
// a dossier's life, numbered as in Circular 01/2018/TT-VPCP, whose forms
// provincial one-stop rules still reproduce under Decree 118/2025. Form
// 01, the receipt, and the process control slip apply to every dossier;
// the forms below only when their event happened.
type Form string

// The forms that record an event.
const (
	// FormSupplement is form 02, the request for supplementation: one per
	// time the dossier was sent to wait for the applicant.
	FormSupplement Form = "02"
	// FormRefusal is form 03, the refusal: a dossier finished as refused.
	FormRefusal Form = "03"
	// FormApology is form 04, the apology with a new appointment: one per
	// reappointment of the ledger (Decree 61/2018 Art 19).
	FormApology Form = "04"
)

// FormIssue is one occurrence of a form for a dossier: the form, the
// history row that records its event and, for an apology, the
// appointment it replaces and the one it promises.
type FormIssue struct {
	Form Form
	// Row is the history row of the event the form records: its instant,
	// actor, units and inputs (reasons, items) are what the form prints.
	Row HistoryRow
	// Original is the appointment an apology replaces, nil when the
	// ledger held none before it; New the one it promises. Both are set
	// for FormApology only.
	Original *time.Time
	New      time.Time
}

// Forms answers when forms 02–04 apply to d under procedure p (the
// version d runs on; nil applies none): every request for
// supplementation, the refusal, and every apology, in that order and each
// kind in history order. The API, the pages and the portal sync ask this
// one question, so a form is offered, printed and reported alike.
//
// It is pure. An apology's original appointment is recomputed by
// replaying the ledger up to it on cal, since the reappointment event
// keeps only the new date; when that replay fails, the forms found so far
// come back with the error.
func Forms(p *Procedure, cal *calendar.Calendar, d *Dossier) ([]FormIssue, error) {
	var out []FormIssue
	for _, h := range SupplementRequests(p, d) {
		out = append(out, FormIssue{Form: FormSupplement, Row: h})
	}
	if h, ok := Refusal(p, d); ok {
		out = append(out, FormIssue{Form: FormRefusal, Row: h})
	}
	aps, err := Apologies(p, cal, d)
	out = append(out, aps...)
	return out, err
}

// SupplementRequests returns the history rows that sent d to wait for
// the applicant from a state that did not wait: each is a request for
// supplementation (form 02). A move between two waiting states asks for
// nothing new, and a row whose states p does not know is no request.
func SupplementRequests(p *Procedure, d *Dossier) []HistoryRow {
	if p == nil {
		return nil
	}
	var out []HistoryRow
	for _, h := range d.History {
		to, ok := p.State(h.ToState)
		if !ok || !to.IsWaiting() {
			continue
		}
		if from, ok := p.State(h.FromState); ok && from.IsWaiting() {
			continue
		}
		out = append(out, h)
	}
	return out
}

// Refusal returns the row that ended d as refused (form 03): the last
// one entering a final state from another state. A dossier still open,
// or finished otherwise than refused, has none.
func Refusal(p *Procedure, d *Dossier) (HistoryRow, bool) {
	if p == nil || !d.IsFinished() || d.Result != OutcomeRefused {
		return HistoryRow{}, false
	}
	for i := len(d.History) - 1; i >= 0; i-- {
		h := d.History[i]
		if st, ok := p.State(h.ToState); ok && st.IsFinal() && h.FromState != h.ToState {
			return h, true
		}
	}
	return HistoryRow{}, false
}

// Apologies returns the reappointments of d's ledger (form 04), each with
// the appointment it replaced, found by replaying the ledger before it on
// cal, and the history row that fired it (same action, same instant).
func Apologies(p *Procedure, cal *calendar.Calendar, d *Dossier) ([]FormIssue, error) {
	if p == nil {
		return nil, nil
	}
	var out []FormIssue
	for i, ev := range d.Ledger {
		if ev.Kind != ClockReappoint || ev.Appointment == nil {
			continue
		}
		a := FormIssue{Form: FormApology, New: *ev.Appointment}
		before, err := DeriveClock(p, cal, d.Ledger[:i], "vi")
		if err != nil {
			return out, err
		}
		if !before.Appointment.IsZero() {
			t := before.Appointment
			a.Original = &t
		}
		for _, h := range d.History {
			if h.Action == ev.Action && h.At.Equal(ev.At) {
				a.Row = h
			}
		}
		out = append(out, a)
	}
	return out, nil
}
