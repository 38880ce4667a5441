package httpapi

import (
	"strconv"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// The dossier's contents as the API and the pages show them (issue 10):
// a procedure's components, fees and result, and a dossier's checklist,
// fees and payments, named in the reader's language.

// ProcedureContents is what a procedure asks for, charges and issues.
type ProcedureContents struct {
	Online     engine.OnlineLevel `json:"online,omitempty"`
	Components []ComponentView    `json:"components,omitempty"`
	Fees       []FeeView          `json:"fees,omitempty"`
	Result     *ResultView        `json:"result,omitempty"`
}

// ComponentView is one component a procedure asks for.
type ComponentView struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Copy     engine.CopyKind `json:"copy"`
	Count    int             `json:"count"`
	Required bool            `json:"required"`
	// Asked says it in words: "1 bản chính".
	Asked string `json:"asked"`
}

// FeeView is one fee a procedure charges, in đồng.
type FeeView struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
	Per    string `json:"per,omitempty"`
	Due    string `json:"due,omitempty"`
	// Words is the amount as printed: "8.000 đ/bản".
	Words string `json:"words"`
}

// ResultView is the result a procedure issues.
type ResultView struct {
	Name string          `json:"name"`
	File engine.FileRule `json:"file"`
}

func askedWords(c engine.Component, lang string) string {
	return strconv.Itoa(c.Count) + " " + c.Copy.Words(lang)
}

func feeWords(f engine.Fee, lang string) string {
	if f.Amount == 0 {
		return pick("Miễn", "Exempt", lang)
	}
	w := engine.FormatVND(f.Amount)
	if f.Per == engine.FeePerCopy {
		w += pick("/bản", " per copy", lang)
	}
	return w
}

// contentsOf is p's contents in lang.
func contentsOf(p *engine.Procedure, lang string) ProcedureContents {
	c := ProcedureContents{Online: p.Online}
	for _, x := range p.Components {
		c.Components = append(c.Components, ComponentView{ID: x.ID, Name: pick(x.Name, x.NameEN, lang), Copy: x.Copy, Count: x.Count, Required: x.Required, Asked: askedWords(x, lang)})
	}
	for _, f := range p.Fees {
		c.Fees = append(c.Fees, FeeView{ID: f.ID, Name: pick(f.Name, f.NameEN, lang), Amount: f.Amount, Per: f.Per, Due: f.Due, Words: feeWords(f, lang)})
	}
	if p.Result.Name != "" {
		c.Result = &ResultView{Name: pick(p.Result.Name, p.Result.NameEN, lang), File: p.Result.File}
	}
	return c
}

// dossierContents is the dossier page's section on what was handed in,
// the fees and the result.
type dossierContents struct {
	Components []componentRow
	Fees       []feeRow
	Result     *resultRow
	// CanPay offers the payment forms (engine.CanPay).
	CanPay  bool
	Methods []engine.PayMethod
	// Total and Paid sum the fees, as printed.
	Total, Paid string
}

type componentRow struct {
	ID, Name, Asked string
	Required        bool
	// Got is what was handed in, in words; "" when nothing.
	Got string
}

type feeRow struct {
	ID, Name, Amount string
	Copies           int
	PerCopy          bool
	Exempt           bool
	BeforeResult     bool
	Paid             bool
	Method           string
	Reference        string
	Receipt          string
	PaidAt           *time.Time
	By               string
}

type resultRow struct {
	Name     string
	Required bool
	Attached bool
}

// contents builds the section for d under p as person sees it; nil when
// the procedure declares no contents and the dossier holds none.
func (w *web) contents(p *engine.Procedure, d *engine.Dossier, person *engine.Person, lang string) *dossierContents {
	if p == nil || (len(p.Components) == 0 && len(p.Fees) == 0 && p.Result.Name == "" && len(d.Fees) == 0) {
		return nil
	}
	c := &dossierContents{Methods: []engine.PayMethod{engine.PayCounter, engine.PayTransfer, engine.PayOnline}}
	got := map[string]engine.ComponentReceipt{}
	for _, r := range d.Components {
		got[r.ID] = r
	}
	for _, x := range p.Components {
		row := componentRow{ID: x.ID, Name: pick(x.Name, x.NameEN, lang), Asked: askedWords(x, lang), Required: x.Required}
		if r, ok := got[x.ID]; ok && r.Count > 0 {
			row.Got = strconv.Itoa(r.Count) + " " + r.Copy.Words(lang)
		}
		c.Components = append(c.Components, row)
	}
	var total, paid int64
	for _, r := range d.Fees {
		f, _ := p.Fee(r.ID)
		row := feeRow{ID: r.ID, Name: pick(orDefault(f.Name, r.ID), f.NameEN, lang), Amount: engine.FormatVND(r.Amount), Copies: r.Copies,
			PerCopy: f.Per == engine.FeePerCopy, Exempt: r.Amount == 0, BeforeResult: f.Due == engine.FeeDueBeforeResult, Paid: r.Paid}
		if r.Paid {
			row.Method, row.Reference, row.Receipt, row.By = r.Method.Words(lang), r.Reference, r.Receipt, w.personName(r.By)
			if r.PaidAt != nil {
				t := r.PaidAt.In(w.s.eng.Calendar.Location())
				row.PaidAt = &t
			}
			paid += r.Amount
		}
		total += r.Amount
		c.Fees = append(c.Fees, row)
	}
	c.Total, c.Paid = engine.FormatVND(total), engine.FormatVND(paid)
	if p.Result.Name != "" {
		c.Result = &resultRow{Name: pick(p.Result.Name, p.Result.NameEN, lang), Required: p.Result.File == engine.ResultFileRequired, Attached: len(engine.ResultFiles(d)) > 0}
	}
	c.CanPay = person != nil && auth.CanAct(person) && engine.CanPay(w.s.eng.Directory, d, person.ID) == nil
	return c
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
