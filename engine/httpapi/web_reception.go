package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

type receiveView struct {
	Procedures []ProcedureSummary
	Channels   []string
	Values     url.Values
	// Errors holds the message to show beside each wrong input, by the
	// input's name in the form.
	Errors map[string]string
	// Checklists are the receivable procedures' checklists; Missing what
	// a refused reception lacks, by component id, and Guidance the page
	// of the printable supplement guidance (web_contents.go).
	Checklists []checklistView
	Missing    map[string]string
	Guidance   string
}

// formInputs maps the fields the core and the API name in errors to the
// reception form's inputs, so that a refusal is shown beside the input
// the officer typed it in.
var formInputs = map[string]string{
	"procedure":                "procedure",
	"channel":                  "channel",
	engine.FieldName:           "name",
	engine.FieldIDNo:           "id_no",
	engine.FieldPhone:          "phone",
	engine.FieldEmail:          "email",
	engine.FieldSets:           inSets,
	engine.FieldReceivedAt:     "received_date",
	engine.FieldBackdateReason: engine.InputBackdateReason,
}

// inputLabels are the message keys of the form's labels, for the line
// above the form that names the input to correct.
var inputLabels = map[string]string{
	"procedure": "procedure", "channel": "channel", "name": "name", "id_no": "id_no", "phone": "phone", "email": "email",
	inSets: "sets", "received_date": "received_at", engine.InputBackdateReason: "backdate_reason",
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
	v := receiveView{Procedures: w.receivable(q.person, q.lang), Channels: []string{"counter", "online", "post"}, Values: url.Values{"channel": {"counter"}, "key": {auth.RandomToken()}},
		Checklists: w.checklists(q.person, q.lang)}
	return w.render(q, http.StatusOK, "receive", w.data(q, tr("receive", q.lang), "receive", v))
}

func (w *web) receive(q *req) error {
	// Who may receive is answered before what was typed is read.
	if err := requireActor(q.person); err != nil {
		return err
	}
	f := q.r.PostForm
	in := receiveRequest{
		Procedure: f.Get("procedure"), Channel: engine.Channel(f.Get("channel")),
		Applicant: engine.Applicant{Name: strings.TrimSpace(f.Get("name")), IDNo: strings.TrimSpace(f.Get("id_no")), Phone: strings.TrimSpace(f.Get("phone")), Email: strings.TrimSpace(f.Get("email")), Address: strings.TrimSpace(f.Get("address"))},
	}
	// The note and what form 01 prints (docs.go) go on the first
	// history row, the record of the reception.
	for _, k := range []string{"note", inDocuments, inSets, inCollect, engine.InputBackdateReason} {
		if v := strings.TrimSpace(f.Get(k)); v != "" {
			if in.Inputs == nil {
				in.Inputs = map[string]string{}
			}
			in.Inputs[k] = v
		}
	}
	at, err := formInstant(f.Get("received_date"), f.Get("received_time"), w.s.eng.Calendar.Location())
	if err == nil {
		in.Components, in.Copies, err = w.checklistFrom(f, in.Procedure)
	}
	if err == nil {
		if !at.IsZero() {
			in.ReceivedAt = &at
		}
		var d *engine.Dossier
		if files := w.formFiles(q.r, in.Procedure); len(files) > 0 {
			d, err = w.receiveWithFiles(q, in, f.Get("key"), files)
		} else {
			d, err = w.s.receive(q.r, q.person, in, f.Get("key"))
		}
		if err == nil {
			http.Redirect(q.w, q.r, "/dossiers/"+url.PathEscape(d.Code)+"/receipt", http.StatusSeeOther)
			return nil
		}
	}
	if engine.ErrorCode(err) != engine.EINVALID && !fileRefusal(err) {
		return err
	}
	// The form comes back as typed, the message beside the wrong input
	// and, for a screen reader and a field the form lacks, above it.
	ed := describe(err)
	v := receiveView{Procedures: w.receivable(q.person, q.lang), Channels: []string{"counter", "online", "post"}, Values: f, Errors: map[string]string{},
		Checklists: w.checklists(q.person, q.lang)}
	checklistRefusal(err, &v, q.lang)
	p := w.data(q, tr("receive", q.lang), "receive", v)
	p.Error = pick(ed.Message, ed.MessageEN, q.lang)
	var bad *engine.InvalidInputError
	if errors.As(err, &bad) {
		// Each reason stands beside its input; above the form, only which
		// inputs to look at. A field the form lacks keeps the message.
		var labels []string
		onForm := true
		for _, f := range bad.Fields() {
			name, ok := formInputs[f.Field]
			if !ok {
				onForm = false
				continue
			}
			v.Errors[name] = f.ReasonIn(q.lang)
			labels = append(labels, "“"+tr(inputLabels[name], q.lang)+"”")
		}
		switch {
		case !onForm:
		case len(labels) == 1:
			p.Error = fmt.Sprintf(tr("fix_field", q.lang), strings.Trim(labels[0], "“”"))
		case len(labels) > 1:
			p.Error = fmt.Sprintf(tr("fix_fields", q.lang), strings.Join(labels, ", "))
		}
	}
	return w.render(q, StatusFor(ed.Code), "receive", p)
}

// formInstant reads the reception form's date (dd/mm/yyyy) and time
// (HH:MM, 24-hour) in the calendar's zone: typed as text, not through
// the browser's date and time inputs, whose format follows the browser's
// locale (an English browser asks for mm/dd and AM/PM). Both empty is the
// zero instant (now); a time without a date, or a date without a time,
// is refused rather than guessed.
func formInstant(date, clock string, loc *time.Location) (time.Time, error) {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	if date == "" && clock == "" {
		return time.Time{}, nil
	}
	bad := &engine.InvalidInputError{Field: engine.FieldReceivedAt,
		Reason: "want a date dd/mm/yyyy and a 24-hour time HH:MM, e.g. 02/03/2026 14:30", ReasonVI: "nhập ngày dạng dd/mm/yyyy và giờ dạng HH:MM (24 giờ), ví dụ 02/03/2026 14:30"}
	if date == "" || clock == "" {
		return time.Time{}, bad
	}
	t, err := time.ParseInLocation("2/1/2006 15:04", date+" "+clock, loc)
	if err != nil {
		return time.Time{}, bad
	}
	return t, nil
}
