package httpapi

import (
	"time"

	"github.com/motcua/motcua/engine"
)

// The result slip (phiếu trả kết quả): the paper the one-stop desk hands
// over with the result and keeps, signed by the officer who returns it
// and the applicant who receives it. Returning the result at the desk is
// Decree 61/2018 Art 20 as amended by Decree 107/2021 (20.4: the
// applicant is told when the result is ready; 20.5: the result is kept
// in the system); Decree 118/2025 replaced that decree from 1/7/2025 and,
// in our reading (its processing articles were not read:
// docs domain.md), keeps the rule. Circular 01/2018/TT-VPCP Art 9 numbers
// forms 01–06 and none of them is this slip, so it carries no form
// number; what it prints is our reading of what a desk hands over: the
// decision and the papers returned, whether the time limit was kept, the
// fees, and — issue 12 — the QR of the applicant's rating link (Decree
// 61/2018 Art 30–31, kept by Decree 118/2025), printed while a rating
// can still be sent.

// resultSlipApplies reports whether d has a result to hand over: it is
// finished, approved or refused. A withdrawn dossier has none; its
// applicant gets the notice of stop instead.
func resultSlipApplies(d *engine.Dossier) bool {
	return d.IsFinished() && (d.Result == engine.OutcomeApproved || d.Result == engine.OutcomeRefused)
}

// resultSlipDoc is what the result slip prints.
type resultSlipDoc struct {
	receiptQRs
	Head docHead
	// Contents carries the fees charged and paid; nil for a procedure
	// that declares none and a dossier that records none.
	Contents      *dossierContents
	Applicant     engine.Applicant
	Procedure     string
	ProcedureName string
	ReceivedAt    time.Time
	Appointment   *time.Time
	FinishedAt    *time.Time
	// Timeliness is early, on time or late in words; empty when the
	// dossier was refused before its clock started (online intake).
	Timeliness string
	Refused    bool
	// Outcome is the decision in words.
	Outcome string
	// Files are the names of the result files handed over; Issued the
	// result the procedure issues, printed when no file was attached.
	Files  []string
	Issued string
	// Reasons are a refusal's reasons, as form 03 prints them.
	Reasons   []string
	CollectAt string
	// Officer returned the result: who moved the dossier to its final
	// state; empty when the system did, leaving the line to sign.
	Officer string
}

// resultSlip prints the result slip of a finished dossier; any other
// answers as a form that does not apply (404).
func (w *web) resultSlip(q *req) error {
	d, p, pname, err := w.docDossier(q)
	if err != nil {
		return err
	}
	if !resultSlipApplies(d) {
		return notApplicable(tr("result_slip", q.lang))
	}
	var finished time.Time
	if d.FinishedAt != nil {
		finished = *d.FinishedAt
	}
	v := resultSlipDoc{
		Head:      w.head(d, d.ReceivingUnit, "result_slip", "", finished, q.lang),
		Contents:  w.contents(p, d, nil, q.lang),
		Applicant: d.Applicant, Procedure: d.Procedure, ProcedureName: pname,
		ReceivedAt: d.ReceivedAt, Appointment: d.AppointmentAt, FinishedAt: d.FinishedAt,
		Refused: d.Result == engine.OutcomeRefused, CollectAt: w.collectAt(d, q.lang),
	}
	if words, ok := timelinessWords[d.Timeliness]; ok {
		v.Timeliness = pick(words[0], words[1], q.lang)
	}
	for _, f := range engine.ResultFiles(d) {
		name := f.Name
		if name == "" {
			name = f.ID
		}
		if f.Signed {
			name += pick(" (có chữ ký số)", " (digitally signed)", q.lang)
		}
		v.Files = append(v.Files, name)
	}
	if v.Refused {
		v.Outcome = pick("Từ chối giải quyết (Phiếu từ chối, Mẫu số 03)", "Refused (notice of refusal, form 03)", q.lang)
		if h, ok := engine.Refusal(p, d); ok {
			v.Reasons = refusalReasons(p, h, q.lang)
		}
	} else {
		v.Outcome = pick("Đã giải quyết xong", "Resolved", q.lang)
		if p != nil && len(v.Files) == 0 {
			v.Issued = pick(p.Result.Name, p.Result.NameEN, q.lang)
		}
	}
	if h, ok := engine.EnteredRow(d); ok && h.Actor != engine.ActorSystem {
		v.Officer = w.personName(h.Actor)
	}
	// The same conditions as the rating link itself (engine.CanRate):
	// a petition, a dossier already rated or one whose result is not
	// marked returned gets no QR that would only answer "no".
	if err := w.docQRs(q, d, p, engine.CanRate(p, d) == nil, &v.receiptQRs); err != nil {
		return err
	}
	return w.renderDoc(q, "doc_result", v.Head, v)
}
