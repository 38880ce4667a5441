package httpapi

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

// The printable documents a one-stop desk hands out and files with a
// dossier (domain brief, "Dossier lifecycle"): the process control slip
// for any dossier, and forms 02 (request for supplementation), 03
// (refusal) and 04 (apology with a new appointment) when the dossier's
// history holds the event each one records — the core decides that
// (engine.Forms); this file only renders — and form 01, the receipt
// with the appointment, for every dossier. The numbering follows Circular
// 01/2018/TT-VPCP, whose forms provincial one-stop rules still reproduce
// under Decree 118/2025.

// Paths of the documents under /dossiers/{code}/.
const (
	docSlip       = "slip"
	docSupplement = "supplement-request"
	docRefusal    = "refusal"
	docApology    = "apology"
	// docResult is the result slip handed over with the result
	// (web_result_slip.go).
	docResult = "result"
)

// Reception inputs the receipt (form 01) prints: the documents handed in,
// one a line, the number of sets, and where the result is to be
// collected. Each is optional; a missing one leaves dots to fill in.
const (
	inDocuments = "documents"
	inSets      = "sets"
	inCollect   = "collect_at"
)

// docLink is one document that applies to a dossier, for its page.
type docLink struct {
	Path  string
	Label string
	// Form is the short form label ("Mẫu số 02"); empty for the slip.
	Form string
}

// docHead is the heading every document shares: the issuing body on the
// left, the national motto on the right, the place and date line.
type docHead struct {
	// Agency is the body above the unit (Config.Agency); may be empty.
	Agency string
	// Unit is the issuing unit's name from the directory; Desk the name
	// of the one-stop unit that received the dossier.
	Unit  string
	Desk  string
	Code  string
	Form  string
	Title string
	// DateLine is "{place}, ngày dd tháng mm năm yyyy" of the document's
	// own instant; Place blank leaves dots for the clerk.
	DateLine string
}

// handover is one row of the process control slip.
type handover struct {
	N int
	// From and To are the giving and receiving sides: a unit's name, or
	// the applicant when the dossier leaves or reaches the citizen.
	From, To string
	// Giver and Taker are the people named on each side, when known.
	Giver, Taker string
	At           time.Time
	StepDueAt    *time.Time
	Result       engine.Timeliness
	ResultText   string
	Note         string
}

type slipDoc struct {
	Head          docHead
	Applicant     string
	Procedure     string
	ProcedureName string
	// Bodies are the processing units along the history, in order.
	Bodies      []string
	ReceivedAt  time.Time
	Appointment *time.Time
	Rows        []handover
	// Blank adds empty rows for the handovers still to come, written by
	// hand when the slip travels with a paper dossier.
	Blank []int
}

type supplementDoc struct {
	Head          docHead
	Applicant     engine.Applicant
	Procedure     string
	ProcedureName string
	ReceivedAt    time.Time
	// Items is what to supplement; Reasons why. Items is empty when the
	// request named only reasons.
	Items   []string
	Reasons []string
	Restart bool
	// Timeout is how long the dossier waits before the procedure's
	// automatic stop, in words; empty when it waits indefinitely.
	Timeout string
	Officer string
}

type refusalDoc struct {
	Head          docHead
	Applicant     engine.Applicant
	Procedure     string
	ProcedureName string
	ReceivedAt    time.Time
	// AtReception: refused at the desk (not received) rather than after
	// appraisal (not resolved).
	AtReception bool
	Reasons     []string
	Officer     string
}

type apologyDoc struct {
	Head          docHead
	Applicant     engine.Applicant
	Procedure     string
	ProcedureName string
	ReceivedAt    time.Time
	// Original is the appointment the apology replaces; New the one it
	// promises.
	Original *time.Time
	New      time.Time
	Reasons  []string
	// Signer is the head of the unit that apologises, who signs the
	// letter (Decree 61/2018 Art 19: the body at fault apologises).
	Signer string
}

type receiptDoc struct {
	receiptQRs
	Head docHead
	// Contents is the checklist received and the fees (issue 10); nil
	// for a procedure that declares none.
	Contents      *dossierContents
	Applicant     engine.Applicant
	Procedure     string
	ProcedureName string
	// TimeLimit is the procedure's legal time limit, in words.
	TimeLimit string
	// Documents are the papers received, from the reception inputs;
	// empty leaves lines for the officer to write them by hand.
	Documents []string
	Sets      string
	// Book and Line are the dossier's place in the register (form 06);
	// empty for a dossier received before the register existed, which
	// leaves dots to fill in.
	Book string
	Line int
	// ValidAt is the valid reception instant the time limit counts from;
	// AfterCutoff says it moved to the next working day because the
	// dossier came in after Cutoff (Decree 61/2018 Art 18).
	ValidAt     time.Time
	AfterCutoff bool
	Cutoff      string
	Appointment *time.Time
	// CollectAt is where the applicant collects the result.
	CollectAt string
	Officer   string
	// LookupURL is the public lookup page, for the applicant to follow
	// the dossier with its code.
	LookupURL string
	// Explain is the derivation of the appointment, shown on screen only.
	Explain []string
}

// documents lists the documents that apply to d, for links on its page:
// the slip always, each form when the core says it applies
// (engine.Forms), the result slip once the result is decided. A form that happened more than once gets one link per
// occurrence (?seq=). A failed replay of the ledger leaves the apologies
// out rather than the page.
func (w *web) documents(p *engine.Procedure, d *engine.Dossier, lang string) []docLink {
	base := "/dossiers/" + d.Code + "/"
	out := []docLink{{Path: base + docSlip, Label: tr("control_slip", lang)}}
	forms, _ := engine.Forms(p, w.s.eng.Calendar, d)
	count := map[engine.Form]int{}
	for _, f := range forms {
		count[f.Form]++
	}
	for _, f := range forms {
		l := formLinks[f.Form]
		out = append(out, docLink{Path: base + l.path + seqQuery(f.Row.Seq, count[f.Form]), Label: tr(l.key, lang), Form: tr(l.key+"_no", lang)})
	}
	if resultSlipApplies(d) {
		out = append(out, docLink{Path: base + docResult, Label: tr("result_slip", lang)})
	}
	return out
}

// formLinks are the page path and label key of each form that records an
// event.
var formLinks = map[engine.Form]struct{ path, key string }{
	engine.FormSupplement: {docSupplement, "form02"},
	engine.FormRefusal:    {docRefusal, "form03"},
	engine.FormApology:    {docApology, "form04"},
}

func seqQuery(seq, n int) string {
	if n < 2 {
		return ""
	}
	return "?seq=" + strconv.Itoa(seq)
}

// pickSeq chooses the occurrence named by ?seq=, else the latest.
func pickSeq(q *req, seqs []int) (int, error) {
	if len(seqs) == 0 {
		return -1, nil
	}
	v := q.r.URL.Query().Get("seq")
	if v == "" {
		return len(seqs) - 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1, errorf(EBADREQUEST, "Số thứ tự dòng không hợp lệ.", "Bad row number.")
	}
	for i, s := range seqs {
		if s == n {
			return i, nil
		}
	}
	return -1, nil
}

func notApplicable(form string) error {
	return errorf(engine.ENOTFOUND, "Hồ sơ này không có %s.", "This dossier has no %s.", form)
}

// head builds the heading of a document issued by unit at instant at
// (zero: undated).
func (w *web) head(d *engine.Dossier, unit, titleKey, formKey string, at time.Time, lang string) docHead {
	h := docHead{Agency: w.s.cfg.Agency, Unit: w.unitName(unit, lang), Desk: w.unitName(d.ReceivingUnit, lang), Code: d.Code, Title: tr(titleKey, lang)}
	if formKey != "" {
		h.Form = tr(formKey, lang)
	}
	h.DateLine = dateLine(w.s.cfg.Place, at, w.s.eng.Calendar.Location(), lang)
	return h
}

// dateLine is the place and date line of an administrative document
// ("Hòa Bình, ngày 02 tháng 03 năm 2026"; Decree 30/2020/NĐ-CP,
// Appendix I: day and month below 10 carry a leading zero).
func dateLine(place string, at time.Time, loc *time.Location, lang string) string {
	if place == "" {
		place = "……………"
	}
	if at.IsZero() {
		if lang == "en" {
			return place + ", …… / …… / ………"
		}
		return place + ", ngày …… tháng …… năm ………"
	}
	t := at.In(loc)
	if lang == "en" {
		return fmt.Sprintf("%s, %d %s %d", place, t.Day(), t.Month(), t.Year())
	}
	return fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", place, t.Day(), int(t.Month()), t.Year())
}

// hourMinute writes an instant the way the forms ask for it: "09 giờ 30
// phút, ngày 02/03/2026"; nil leaves the dotted blanks.
func hourMinute(t *time.Time, loc *time.Location, lang string) string {
	if t == nil || t.IsZero() {
		if lang == "en" {
			return "…… : ……, …… / …… / ………"
		}
		return "…… giờ …… phút, ngày …… / …… / ………"
	}
	lt := t.In(loc)
	if lang == "en" {
		return lt.Format("15:04, 02/01/2006")
	}
	return fmt.Sprintf("%02d giờ %02d phút, ngày %s", lt.Hour(), lt.Minute(), lt.Format("02/01/2006"))
}

// paragraphs splits a free-text input at its line breaks only: a reason
// is printed as the officer wrote it, semicolons and all.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// agencyHead makes the agency the issuer of h: forms 02 and 04 speak for
// the agency that decides, not for the post or team the dossier sits
// with. Without a configured agency the unit stays the issuer.
func agencyHead(h docHead) docHead {
	if h.Agency != "" {
		h.Unit, h.Agency = h.Agency, ""
	}
	return h
}

// noteValue is an input as the control slip's note shows it: the
// instants the core keeps as RFC 3339 (due_at, due_after) written as the
// pages write dates, "17:00 11/03/2026"; anything else as typed.
func noteValue(key, v string, loc *time.Location) string {
	if key != "due_at" && key != "due_after" {
		return v
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return v
	}
	return t.In(loc).Format("15:04 02/01/2006")
}

// lines splits a free-text input into the numbered lines of a form.
func lines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ';' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
