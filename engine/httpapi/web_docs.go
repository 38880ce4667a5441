package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

// docDossier reads the dossier like its page does (only people who may
// read it) and its procedure.
func (w *web) docDossier(q *req) (*engine.Dossier, *engine.Procedure, string, error) {
	d, err := w.s.readable(q.r, q.person, q.r.PathValue("code"))
	if err != nil {
		return nil, nil, "", err
	}
	p, pname := w.s.procName(d, q.lang)
	return d, p, pname, nil
}

func (w *web) renderDoc(q *req, tmpl string, h docHead, v any) error {
	return w.render(q, http.StatusOK, tmpl, w.data(q, h.Title+" "+h.Code, "inbox", v))
}

var timelinessWords = map[engine.Timeliness][2]string{
	engine.Early:  {"Trước hạn", "Early"},
	engine.OnTime: {"Đúng hạn", "On time"},
	engine.Late:   {"Quá hạn", "Late"},
}

// receipt prints form 01, the receipt with the appointment (Decree
// 61/2018 Art 18: a complete dossier gets a receipt with the date to
// return the result), from the dossier and its reception inputs.
func (w *web) receipt(q *req) error {
	d, p, pname, err := w.docDossier(q)
	if err != nil {
		return err
	}
	explain, err := w.s.eng.Explain(d, q.lang)
	if err != nil {
		return err
	}
	var in map[string]string
	if len(d.History) > 0 {
		in = d.History[0].Inputs
	}
	v := receiptDoc{
		Head:      w.head(d, d.ReceivingUnit, "receipt", "receipt_form", d.ReceivedAt, q.lang),
		Applicant: d.Applicant, Procedure: d.Procedure, ProcedureName: pname,
		Documents: lines(in[inDocuments]), Sets: strings.TrimSpace(in[inSets]),
		Book: d.RegisterBook, Line: d.RegisterNo,
		ValidAt: d.ReceivedAt, Appointment: d.AppointmentAt,
		CollectAt: w.collectAt(d, q.lang), Officer: w.personName(d.ReceivedBy),
		LookupURL: w.lookupURL(q.r), Explain: explain, Contents: w.contents(p, d, nil, q.lang),
	}
	if p != nil {
		v.TimeLimit = p.TimeLimit.Format(q.lang)
		received := d.ReceivedAt
		if len(d.Ledger) > 0 {
			received = d.Ledger[0].At
		}
		// The same reading of the reception as the due date's, so the
		// receipt never disagrees with the appointment it prints.
		r := w.s.eng.Calendar.Due(received, p.TimeLimit, p.Cutoff)
		v.ValidAt, v.AfterCutoff = r.Start, r.CutoffApplied
		if p.Cutoff != nil {
			v.Cutoff = p.Cutoff.String()
		}
	}
	if err := w.docQRs(q, d, p, true, &v.receiptQRs); err != nil {
		return err
	}
	return w.renderDoc(q, "receipt", v.Head, v)
}

// lookupURL is the public lookup page's address as printed on paper:
// Config.BaseURL when set, since behind a proxy the request's own host
// may be an internal one, else the address the desk reached.
func (w *web) lookupURL(r *http.Request) string {
	if b := strings.TrimRight(w.s.cfg.BaseURL, "/"); b != "" {
		return b + "/lookup"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/lookup"
}

// slip prints the process control slip: every handover of the history
// with the step's result against its own budget (domain brief: the audit
// trail the engine must print for any dossier).
func (w *web) slip(q *req) error {
	d, p, pname, err := w.docDossier(q)
	if err != nil {
		return err
	}
	applicant := tr("applicant_side", q.lang)
	if d.Applicant.Name != "" {
		applicant += ": " + d.Applicant.Name
	}
	v := slipDoc{
		Head:      w.head(d, d.ReceivingUnit, "control_slip", "form05_no", time.Time{}, q.lang),
		Applicant: d.Applicant.Name, Procedure: d.Procedure, ProcedureName: pname,
		ReceivedAt: d.ReceivedAt, Appointment: d.AppointmentAt,
	}
	seen := map[string]bool{}
	body := func(u string) {
		if u != "" && !seen[u] {
			seen[u] = true
			v.Bodies = append(v.Bodies, w.unitName(u, q.lang))
		}
	}
	for _, h := range d.History {
		body(h.FromUnit)
		body(h.ToUnit)
		// A note, an extension or an apology leaves the dossier where it
		// is: nothing changes hands, so the slip has no row for it.
		if h.Seq > 1 && h.FromState == h.ToState {
			continue
		}
		r := handover{N: len(v.Rows) + 1, At: h.At, StepDueAt: h.StepDueAt, Result: h.StepResult}
		if words, ok := timelinessWords[h.StepResult]; ok {
			r.ResultText = pick(words[0], words[1], q.lang)
		}
		actor := w.personName(h.Actor)
		if h.Actor == engine.ActorSystem {
			actor = tr("system_actor", q.lang)
		}
		// Without a giving unit the dossier comes from the citizen (the
		// reception, a supplement handed in): the actor is who took it.
		if h.FromUnit == "" {
			r.From, r.Taker = applicant, actor
		} else {
			r.From, r.Giver = w.unitName(h.FromUnit, q.lang), actor
		}
		if h.ToUnit == "" {
			r.To = applicant
			if st := stateName(p, h.ToState, q.lang); st != "" {
				r.To += " (" + st + ")"
			}
		} else {
			r.To = w.unitName(h.ToUnit, q.lang)
		}
		var notes []string
		for _, k := range []string{"note", "reason"} {
			if s := strings.TrimSpace(h.Inputs[k]); s != "" {
				notes = append(notes, s)
			}
		}
		r.Note = strings.Join(notes, "; ")
		v.Rows = append(v.Rows, r)
	}
	// The slip is filled as the dossier travels; it has no date of its own.
	v.Head.DateLine = ""
	if !d.IsFinished() {
		v.Blank = []int{len(v.Rows) + 1, len(v.Rows) + 2}
	}
	return w.renderDoc(q, "doc_slip", v.Head, v)
}

// supplementRequest prints form 02 for a request for supplementation:
// its reasons, what to bring, and what the legal clock does meanwhile
// (Decree 61/2018 Art 19 as amended: one request, with reasons).
func (w *web) supplementRequest(q *req) error {
	d, p, pname, err := w.docDossier(q)
	if err != nil {
		return err
	}
	rows := engine.SupplementRequests(p, d)
	seqs := make([]int, len(rows))
	for i, h := range rows {
		seqs[i] = h.Seq
	}
	i, err := pickSeq(q, seqs)
	if err != nil {
		return err
	}
	if i < 0 {
		return notApplicable(tr("form02", q.lang))
	}
	h := rows[i]
	unit := h.FromUnit
	if unit == "" {
		unit = d.ReceivingUnit
	}
	v := supplementDoc{
		Head:      agencyHead(w.head(d, unit, "form02", "form02_no", h.At, q.lang)),
		Applicant: d.Applicant, Procedure: d.Procedure, ProcedureName: pname, ReceivedAt: d.ReceivedAt,
		Reasons: paragraphs(h.Inputs["reason"]), Restart: p.Supplement != engine.SupplementPause,
		Officer: w.personName(h.Actor),
	}
	v.Items = supplementItems(p, d, h, q.lang)
	for _, k := range []string{"items", "documents", "note"} {
		v.Items = append(v.Items, lines(h.Inputs[k])...)
	}
	if st, ok := p.State(h.ToState); ok && st.Timeout != nil {
		v.Timeout = st.Timeout.After.Format(q.lang)
	}
	return w.renderDoc(q, "doc_supplement", v.Head, v)
}

// refusal prints form 03 for a dossier finished as refused, with the
// reason the refusing action required.
func (w *web) refusal(q *req) error {
	d, p, pname, err := w.docDossier(q)
	if err != nil {
		return err
	}
	h, ok := engine.Refusal(p, d)
	if !ok {
		return notApplicable(tr("form03", q.lang))
	}
	unit := h.FromUnit
	if unit == "" {
		unit = d.ReceivingUnit
	}
	v := refusalDoc{
		Head:      w.head(d, unit, "form03", "form03_no", h.At, q.lang),
		Applicant: d.Applicant, Procedure: d.Procedure, ProcedureName: pname, ReceivedAt: d.ReceivedAt,
		AtReception: h.FromState == p.Initial, Officer: w.personName(h.Actor),
	}
	v.Reasons = refusalReasons(p, h, q.lang)
	if h.Actor == engine.ActorSystem {
		v.Officer = ""
	}
	return w.renderDoc(q, "doc_refusal", v.Head, v)
}

// refusalReasons are the reasons of the refusal row h, as forms 03 and
// the result slip print them.
func refusalReasons(p *engine.Procedure, h engine.HistoryRow, lang string) []string {
	var out []string
	for _, k := range []string{"reason", "note"} {
		out = append(out, lines(h.Inputs[k])...)
	}
	if len(out) == 0 {
		// A refusal by the watch (e.g. no supplement in time) has no
		// typed reason; its final state says why.
		out = []string{stateName(p, h.ToState, lang)}
	}
	return out
}

// collectAt is where the applicant collects the result: the place the
// reception recorded, else the desk that received the dossier.
func (w *web) collectAt(d *engine.Dossier, lang string) string {
	if len(d.History) > 0 {
		if s := strings.TrimSpace(d.History[0].Inputs[inCollect]); s != "" {
			return s
		}
	}
	return w.unitName(d.ReceivingUnit, lang)
}

// apologyLetter prints form 04: the appointment missed, the reason and
// the new one (Decree 61/2018 Art 19: sent before the deadline, once).
func (w *web) apologyLetter(q *req) error {
	d, p, pname, err := w.docDossier(q)
	if err != nil {
		return err
	}
	aps, err := engine.Apologies(p, w.s.eng.Calendar, d)
	if err != nil {
		return err
	}
	seqs := make([]int, len(aps))
	for i, a := range aps {
		seqs[i] = a.Row.Seq
	}
	i, err := pickSeq(q, seqs)
	if err != nil {
		return err
	}
	if i < 0 {
		return notApplicable(tr("form04", q.lang))
	}
	a := aps[i]
	unit := a.Row.FromUnit
	if unit == "" {
		unit = d.ReceivingUnit
	}
	v := apologyDoc{
		Head:      agencyHead(w.head(d, unit, "form04", "form04_no", a.Row.At, q.lang)),
		Applicant: d.Applicant, Procedure: d.Procedure, ProcedureName: pname, ReceivedAt: d.ReceivedAt,
		Original: a.Original, New: a.New, Reasons: lines(a.Row.Inputs["reason"]),
	}
	if head, ok := w.s.eng.Directory.Head(unit); ok {
		v.Signer = w.personName(head)
	}
	return w.renderDoc(q, "doc_apology", v.Head, v)
}
