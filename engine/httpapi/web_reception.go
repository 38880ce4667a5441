package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

type receiveView struct {
	Procedures []ProcedureSummary
	Channels   []string
	Values     url.Values
}

// receivable lists the procedures p may receive dossiers under, as the
// core answers it (Catalog.Receivable).
func (w *web) receivable(p *engine.Person, lang string) []ProcedureSummary {
	var out []ProcedureSummary
	for _, pr := range w.s.eng.Catalog.Receivable(p) {
		out = append(out, procSummary(pr, lang))
	}
	return out
}

func (w *web) receiveForm(q *req) error {
	if err := requireActor(q.person); err != nil {
		return err
	}
	v := receiveView{Procedures: w.receivable(q.person, q.lang), Channels: []string{"counter", "online", "post"}, Values: url.Values{"channel": {"counter"}, "key": {auth.RandomToken()}}}
	return w.render(q, http.StatusOK, "receive", w.data(q, tr("receive", q.lang), "receive", v))
}

func (w *web) receive(q *req) error {
	f := q.r.PostForm
	in := receiveRequest{
		Procedure: f.Get("procedure"), Channel: engine.Channel(f.Get("channel")),
		Applicant: engine.Applicant{Name: strings.TrimSpace(f.Get("name")), IDNo: strings.TrimSpace(f.Get("id_no")), Phone: strings.TrimSpace(f.Get("phone")), Email: strings.TrimSpace(f.Get("email")), Address: strings.TrimSpace(f.Get("address"))},
	}
	// The note and what form 01 prints (docs.go) go on the first
	// history row, the record of the reception.
	for _, k := range []string{"note", inDocuments, inSets, inCollect} {
		if v := strings.TrimSpace(f.Get(k)); v != "" {
			if in.Inputs == nil {
				in.Inputs = map[string]string{}
			}
			in.Inputs[k] = v
		}
	}
	d, err := w.s.receive(q.r, q.person, in, f.Get("key"))
	if err != nil {
		if engine.ErrorCode(err) == engine.EINVALID {
			ed := describe(err)
			v := receiveView{Procedures: w.receivable(q.person, q.lang), Channels: []string{"counter", "online", "post"}, Values: f}
			p := w.data(q, tr("receive", q.lang), "receive", v)
			p.Error = pick(ed.Message, ed.MessageEN, q.lang)
			return w.render(q, StatusFor(ed.Code), "receive", p)
		}
		return err
	}
	http.Redirect(q.w, q.r, "/dossiers/"+url.PathEscape(d.Code)+"/receipt", http.StatusSeeOther)
	return nil
}
