package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua/engine"
)

// The pages of the dossier's contents (issue 10): the reception
// checklist, the fee payment form on the dossier page, the printable
// supplement guidance (form 02) for a reception refused as incomplete,
// and what forms 01 and 02 print of the contents.

// InputComponents is the history input of a request for supplementation
// that names the components to bring (ids, comma-separated): form 02
// lists them by name.
const InputComponents = "components"

func (w *web) contentsRoutes() {
	m := w.s.mux
	m.HandleFunc("POST /dossiers/{code}/pay", w.page(true, w.payFee))
	m.HandleFunc("GET /procedures/{code}/guidance", w.page(true, w.guidance))
}

// checklistView is one procedure's checklist on the reception form. The
// form carries a checklist per procedure (only the chosen one shows when
// the script runs); its inputs are named "got|code|id", "copy|code|id",
// "count|code|id" and "copies|code|fee", and only the chosen procedure's
// are read.
type checklistView struct {
	Code, Name string
	Rows       []checklistRow
	Copies     []copiesRow
}

type checklistRow struct {
	ID, Name, Asked            string
	Required                   bool
	Count                      int
	Copy                       engine.CopyKind
	GotName, CopyName, CntName string
	// FileName is the name of the component's file input (several files).
	FileName string
	Choices  []engine.CopyKind
}

type copiesRow struct {
	ID, Name, Words, InputName string
}

// copyChoices are the forms a desk records a component in.
var copyChoices = []engine.CopyKind{engine.CopyOriginal, engine.CopyCertified, engine.CopyPlain}

func inputName(kind, code, id string) string { return kind + "|" + code + "|" + id }

// checklists are the checklists of the procedures person may receive.
func (w *web) checklists(person *engine.Person, lang string) []checklistView {
	var out []checklistView
	for _, p := range w.s.eng.Catalog.Receivable(person) {
		if len(p.Components) == 0 && !hasPerCopy(p) {
			continue
		}
		cv := checklistView{Code: p.Code, Name: pick(p.Name, p.NameEN, lang)}
		for _, c := range p.Components {
			k := c.Copy
			if k == engine.CopyAny {
				k = engine.CopyOriginal
			}
			cv.Rows = append(cv.Rows, checklistRow{ID: c.ID, Name: pick(c.Name, c.NameEN, lang), Asked: askedWords(c, lang), Required: c.Required,
				Count: c.Count, Copy: k, Choices: copyChoices, GotName: inputName("got", p.Code, c.ID), CopyName: inputName("copy", p.Code, c.ID), CntName: inputName("count", p.Code, c.ID),
				FileName: inputName("file", p.Code, c.ID)})
		}
		for _, f := range p.Fees {
			if f.Per == engine.FeePerCopy {
				cv.Copies = append(cv.Copies, copiesRow{ID: f.ID, Name: pick(f.Name, f.NameEN, lang), Words: feeWords(f, lang), InputName: inputName("copies", p.Code, f.ID)})
			}
		}
		out = append(out, cv)
	}
	return out
}

func hasPerCopy(p *engine.Procedure) bool {
	for _, f := range p.Fees {
		if f.Per == engine.FeePerCopy {
			return true
		}
	}
	return false
}

// checklistFrom reads the chosen procedure's checklist from the reception
// form: the components ticked, in the form and number given (a count left
// empty is the number asked), and the copies asked per per-copy fee.
func (w *web) checklistFrom(f url.Values, code string) ([]engine.ComponentReceipt, map[string]int, error) {
	p, err := w.s.eng.Catalog.Get(code, 0)
	if err != nil {
		return nil, nil, nil // the reception says the procedure is unknown
	}
	var got []engine.ComponentReceipt
	for _, c := range p.Components {
		if f.Get(inputName("got", code, c.ID)) == "" {
			continue
		}
		r := engine.ComponentReceipt{ID: c.ID, Copy: engine.CopyKind(f.Get(inputName("copy", code, c.ID))), Count: c.Count}
		if s := strings.TrimSpace(f.Get(inputName("count", code, c.ID))); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return nil, nil, &engine.InvalidInputError{Field: engine.FieldComponents, Reason: fmt.Sprintf("the count of %q is a whole number", pick(c.Name, c.NameEN, "en")),
					ReasonVI: fmt.Sprintf("số bản của “%s” là số nguyên", c.Name)}
			}
			r.Count = n
		}
		got = append(got, r)
	}
	var copies map[string]int
	for _, fee := range p.Fees {
		s := strings.TrimSpace(f.Get(inputName("copies", code, fee.ID)))
		if fee.Per != engine.FeePerCopy || s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, nil, &engine.InvalidInputError{Field: engine.FieldCopies, Reason: "the number of copies is a whole number", ReasonVI: "số bản sao là số nguyên"}
		}
		if copies == nil {
			copies = map[string]int{}
		}
		copies[fee.ID] = n
	}
	return got, copies, nil
}

// checklistRefusal marks, beside the checklist, each component a refused
// reception lacks, and links the printable guidance.
func checklistRefusal(err error, v *receiveView, lang string) {
	var inc *engine.IncompleteError
	if !errors.As(err, &inc) {
		return
	}
	v.Missing = map[string]string{}
	for _, m := range inc.Missing {
		v.Missing[m.ID] = m.Words(lang)
	}
	v.Guidance = inc.Guidance
}

// paymentNote is the control slip's note of a payment row.
func paymentNote(p *engine.Procedure, h engine.HistoryRow, lang string) string {
	name := h.Inputs["fee"]
	if p != nil {
		if f, ok := p.Fee(name); ok {
			name = pick(f.Name, f.NameEN, lang)
		}
	}
	amount, _ := strconv.ParseInt(h.Inputs["amount"], 10, 64)
	note := fmt.Sprintf("%s: %s, %s, %s %s", name, engine.FormatVND(amount), engine.PayMethod(h.Inputs["method"]).Words(lang), pick("biên lai", "receipt", lang), h.Inputs["receipt"])
	if ref := h.Inputs["reference"]; ref != "" {
		note += " (" + ref + ")"
	}
	return note
}

// payFee records a payment from the dossier page's form; a refusal is
// shown on the dossier page, with fresh data, in plain words.
func (w *web) payFee(q *req) error {
	code := q.r.PathValue("code")
	f := q.r.PostForm
	var expect int64
	if v := f.Get("version"); v != "" {
		if _, err := fmt.Sscan(v, &expect); err != nil {
			return errorf(EBADREQUEST, "Phiên bản không hợp lệ.", "Bad version.")
		}
	}
	req := payRequest{Fee: f.Get("fee"), Method: engine.PayMethod(f.Get("method")), Reference: f.Get("reference"), Receipt: f.Get("receipt")}
	d, err := w.s.pay(q.r, q.person, code, req, expect)
	if err != nil {
		return w.refusedOnPage(q, code, err)
	}
	done := d.Code + " — " + tr("fee_paid", q.lang)
	http.Redirect(q.w, q.r, "/dossiers/"+url.PathEscape(d.Code)+"?done="+url.QueryEscape(done)+"#contents", http.StatusSeeOther)
	return nil
}

// guidanceDoc is the printable supplement guidance for a reception
// refused as incomplete: form 02 before any code is taken (Decree
// 61/2018 Art 15.2b: the officer guides the applicant in writing on what
// to supplement).
type guidanceDoc struct {
	Head          docHead
	Procedure     string
	ProcedureName string
	Missing       []componentRow
	All           []componentRow
	Officer       string
}

func (w *web) guidance(q *req) error {
	p, err := w.s.eng.Catalog.Get(q.r.PathValue("code"), 0)
	if err != nil {
		return err
	}
	missing := map[string]bool{}
	for _, id := range strings.Split(q.r.URL.Query().Get("missing"), ",") {
		missing[strings.TrimSpace(id)] = true
	}
	desk := ""
	if init, ok := p.State(p.Initial); ok {
		desk = w.unitName(init.Unit, q.lang)
	}
	v := guidanceDoc{
		Head: docHead{Agency: w.s.cfg.Agency, Unit: desk, Desk: desk, Code: "—", Form: tr("form02_no", q.lang), Title: tr("form02", q.lang),
			DateLine: dateLine(w.s.cfg.Place, w.s.now(), w.s.eng.Calendar.Location(), q.lang)},
		Procedure: p.Code, ProcedureName: pick(p.Name, p.NameEN, q.lang), Officer: w.personName(q.person.ID),
	}
	for _, c := range p.Components {
		row := componentRow{ID: c.ID, Name: pick(c.Name, c.NameEN, q.lang), Asked: askedWords(c, q.lang), Required: c.Required}
		v.All = append(v.All, row)
		if missing[c.ID] {
			v.Missing = append(v.Missing, row)
		}
	}
	return w.render(q, http.StatusOK, "guidance", w.data(q, v.Head.Title, "receive", v))
}

// supplementItems are the components form 02 asks for: those the request
// named, and any required one the dossier does not hold.
func supplementItems(p *engine.Procedure, d *engine.Dossier, h engine.HistoryRow, lang string) []string {
	if p == nil {
		return nil
	}
	named := map[string]bool{}
	for _, id := range strings.Split(h.Inputs[InputComponents], ",") {
		named[strings.TrimSpace(id)] = true
	}
	held := map[string]int{}
	for _, r := range d.Components {
		held[r.ID] = r.Count
	}
	var out []string
	for _, c := range p.Components {
		if named[c.ID] || (c.Required && held[c.ID] < c.Count) {
			out = append(out, pick(c.Name, c.NameEN, lang)+" ("+askedWords(c, lang)+")")
		}
	}
	return out
}

// supplementChoices are the components an officer may name when action
// sends the dossier to wait for the applicant; none for other actions.
func supplementChoices(p *engine.Procedure, action, lang string) []componentRow {
	if p == nil {
		return nil
	}
	a, ok := p.Action(action)
	if !ok {
		return nil
	}
	if to, ok := p.State(a.To); !ok || !to.IsWaiting() {
		return nil
	}
	var out []componentRow
	for _, c := range p.Components {
		out = append(out, componentRow{ID: c.ID, Name: pick(c.Name, c.NameEN, lang), Asked: askedWords(c, lang), Required: c.Required})
	}
	return out
}
