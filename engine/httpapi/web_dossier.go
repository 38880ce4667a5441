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

type slipRow struct {
	engine.HistoryRow
	ActionName string
	ActorName  string
	FromName   string
	ToName     string
	Note       string
}

type ledgerRow struct {
	Kind  string
	At    time.Time
	Class string
}

type actionForm struct {
	ActionView
	Inputs []inputField
	Key    string
	// Components, on a request for supplementation, are the components
	// the officer may tick as those to bring (form 02 lists them).
	Components []componentRow
}

type inputField struct {
	Name, Label, Type string
}

type dossierPage struct {
	V       *DossierView
	Slip    []slipRow
	Ledger  []ledgerRow
	Forms   []actionForm
	UnitNm  string
	Receipt bool
	// Docs are the printable documents that apply to the dossier.
	Docs []docLink
	// Danger are the forms of actions that end the dossier or send it
	// back: shown apart, with their reason and a confirmation.
	Danger []actionForm
	// AssigneeNm names the step's assignee ("" when the whole unit
	// holds it); CanTake offers "Nhận xử lý"; Officers, for the unit
	// head, whom the step may be assigned to.
	AssigneeNm string
	CanTake    bool
	Officers   []officerOption
	AssignKey  string
	// Files is the files panel (web_files.go).
	Files filesPanel
	// Contents is what was handed in, the fees and the result (issue 10).
	Contents *dossierContents
}

// officerOption is one officer a head may assign the step to.
type officerOption struct {
	ID, Name string
	Current  bool
}

var ledgerWords = map[engine.ClockEventKind][2]string{
	engine.ClockStart:     {"Bắt đầu tính thời hạn", "Clock started"},
	engine.ClockPause:     {"Tạm dừng (chờ bổ sung)", "Paused (waiting for supplement)"},
	engine.ClockStop:      {"Dừng, sẽ tính lại từ đầu", "Stopped, will restart"},
	engine.ClockResume:    {"Tiếp tục tính", "Resumed"},
	engine.ClockRestart:   {"Tính lại từ đầu", "Restarted"},
	engine.ClockExtend:    {"Gia hạn", "Extended"},
	engine.ClockReappoint: {"Hẹn lại ngày trả (mẫu 04)", "New appointment (form 04)"},
	engine.ClockFinish:    {"Kết thúc", "Finished"},
}

func (w *web) dossierPage(q *req, d *engine.Dossier) (*pageData, error) {
	v, err := w.s.view(d, q.person, w.s.now(), q.lang)
	if err != nil {
		return nil, err
	}
	if err := w.s.withSync(q.r.Context(), v); err != nil {
		return nil, err
	}
	p, _ := w.s.procName(d, q.lang)
	dp := dossierPage{V: v, UnitNm: w.unitName(d.Unit, q.lang), Docs: w.documents(p, d, q.lang), Contents: w.contents(p, d, q.person, q.lang)}
	for _, h := range d.History {
		sr := slipRow{HistoryRow: h, ActionName: h.Action, ActorName: w.personName(h.Actor), FromName: w.unitName(h.FromUnit, q.lang), ToName: w.unitName(h.ToUnit, q.lang)}
		if p != nil {
			if a, ok := p.Action(h.Action); ok {
				sr.ActionName = pick(a.Name, a.NameEN, q.lang)
			} else if h.Action == "receive" || h.Action == engine.ActionRecalendar || h.Action == engine.ActionAttachFile || h.Action == engine.ActionDownloadFile || engine.IsOnlineAction(h.Action) || h.Action == engine.ActionSubmitOnline {
				sr.ActionName = tr(h.Action, q.lang)
			}
		}
		var notes []string
		for _, k := range []string{"note", "reason", "due_at", "due_after", "file"} {
			if h.Inputs[k] != "" {
				notes = append(notes, noteValue(k, h.Inputs[k], w.s.eng.Calendar.Location()))
			}
		}
		if h.Action == engine.ActionPayFee {
			sr.ActionName, notes = tr("pay_fee", q.lang), append(notes, paymentNote(p, h, q.lang))
		}
		if h.Action == engine.ActionAssign {
			sr.ActionName = tr("assigned", q.lang)
			note := "→ " + w.personName(h.Inputs["assignee"])
			if prev := h.Inputs["previous"]; prev != "" {
				note += " (" + pick("thay ", "replacing ", q.lang) + w.personName(prev) + ")"
			}
			notes = append(notes, note)
		}
		sr.Note = strings.Join(notes, "; ")
		dp.Slip = append(dp.Slip, sr)
	}
	for _, e := range d.Ledger {
		words := ledgerWords[e.Kind]
		cls := "counted"
		if e.Kind == engine.ClockPause || e.Kind == engine.ClockStop {
			cls = "paused"
		}
		dp.Ledger = append(dp.Ledger, ledgerRow{Kind: pick(words[0], words[1], q.lang), At: e.At, Class: cls})
	}
	for _, a := range v.Actions {
		f := actionForm{ActionView: a, Key: auth.RandomToken()}
		for _, in := range a.Requires {
			typ := "text"
			if in == "due_at" {
				typ = "datetime-local"
			}
			f.Inputs = append(f.Inputs, inputField{Name: in, Label: tr(in, q.lang), Type: typ})
		}
		f.Components = supplementChoices(p, a.ID, q.lang)
		if a.Danger {
			dp.Danger = append(dp.Danger, f)
		} else {
			dp.Forms = append(dp.Forms, f)
		}
	}
	w.assignment(q, d, &dp)
	dp.Files = w.filesPanel(q, d, p)
	return w.data(q, d.Code, "inbox", dp), nil
}

// assignment fills in who holds the step and what q's person may do
// about it, as the core's rule says (engine.CanAssign).
func (w *web) assignment(q *req, d *engine.Dossier, dp *dossierPage) {
	dir := w.s.eng.Directory
	if d.Assignee != "" {
		dp.AssigneeNm = w.personName(d.Assignee)
	}
	if q.person == nil || d.Unit == "" || d.IsFinished() {
		return
	}
	dp.AssignKey = auth.RandomToken()
	dp.CanTake = d.Assignee != q.person.ID && engine.CanAssign(dir, d, q.person.ID, q.person.ID) == nil
	if !engine.HeadsUnit(dir, q.person.ID, d.Unit) {
		return
	}
	for _, id := range dir.Members(d.Unit) {
		if engine.CanAssign(dir, d, q.person.ID, id) == nil {
			dp.Officers = append(dp.Officers, officerOption{ID: id, Name: w.personName(id), Current: id == d.Assignee})
		}
	}
}

// assign records the assignment of a dossier's step: a head naming an
// officer, or an officer taking it (no "assignee" field: themself).
func (w *web) assign(q *req) error {
	code := q.r.PathValue("code")
	f := q.r.PostForm
	var expect int64
	if v := f.Get("version"); v != "" {
		if _, err := fmt.Sscan(v, &expect); err != nil {
			return errorf(EBADREQUEST, "Phiên bản không hợp lệ.", "Bad version.")
		}
	}
	if _, err := w.s.readable(q.r, q.person, code); err != nil {
		return err
	}
	who := strings.TrimSpace(f.Get("assignee"))
	if who == "" {
		who = q.person.ID
	}
	d, err := w.s.eng.Assign(q.r.Context(), code, q.person.ID, who, expect)
	if err != nil {
		return w.refusedOnPage(q, code, err)
	}
	done := d.Code + " — " + tr("assigned", q.lang) + ": " + w.personName(d.Assignee)
	http.Redirect(q.w, q.r, "/dossiers/"+url.PathEscape(d.Code)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
	return nil
}

// needsConfirm refuses, from the pages, an action that ends the dossier
// or sends it back when the form's confirmation box was not ticked: the
// browser asks for it, and a form posted without it is not a decision.
func (w *web) needsConfirm(q *req, code, action string) error {
	d, err := w.s.readable(q.r, q.person, code)
	if err != nil {
		return nil // the action's own path reports it
	}
	p, _ := w.s.procName(d, q.lang)
	if p == nil {
		return nil
	}
	if a, ok := p.Action(action); ok && p.EndsOrSendsBack(a) {
		return errorf(engine.EINVALID, "Thao tác “%s” kết thúc hoặc trả lại hồ sơ: hãy ghi lý do và đánh dấu ô xác nhận.",
			"“%s” ends the dossier or sends it back: write the reason and tick the confirmation.", pick(a.Name, a.NameEN, q.lang))
	}
	return nil
}

// refusedOnPage shows a refused form's error on the dossier page itself,
// with the dossier as it is now, when the person may still read it and
// the error is the dossier's (not the system's); otherwise err goes to
// the error page.
func (w *web) refusedOnPage(q *req, code string, err error) error {
	if engine.ErrorCode(err) == engine.EINTERNAL {
		return err
	}
	cur, rerr := w.s.readable(q.r, q.person, code)
	if rerr != nil {
		return err
	}
	p, perr := w.dossierPage(q, cur)
	if perr != nil {
		return err
	}
	ed := describe(err)
	p.Error = w.staleWords(q, err, cur, pick(ed.Message, ed.MessageEN, q.lang))
	return w.render(q, StatusFor(ed.Code), "dossier", p)
}

// staleWords says in plain words that the dossier moved on while the
// page was open, naming the step and unit where it is now, instead of
// the core's ids; other errors keep msg.
func (w *web) staleWords(q *req, err error, cur *engine.Dossier, msg string) string {
	var notAllowed *engine.NotAllowedError
	var conflict *engine.ConflictError
	var finished *engine.FinishedError
	if !errors.As(err, &notAllowed) && !errors.As(err, &conflict) && !errors.As(err, &finished) {
		return msg
	}
	p, _ := w.s.procName(cur, q.lang)
	step := stateName(p, cur.State, q.lang)
	unit := w.unitName(cur.Unit, q.lang)
	switch {
	case cur.IsFinished():
		return fmt.Sprint(pick("Hồ sơ đã kết thúc (", "The dossier has already ended (", q.lang), step,
			pick("); thao tác không còn thực hiện được.", "); the action can no longer be taken.", q.lang))
	case unit != "":
		return fmt.Sprint(pick("Hồ sơ đã được chuyển đi trong lúc bạn mở trang: hiện đang ở bước “", "The dossier moved on while your page was open: it is now at “", q.lang),
			step, pick("” ("+unit+"). Trang đã được tải lại; hãy xem lại trước khi thao tác.", "” ("+unit+"). The page is reloaded; check it before acting.", q.lang))
	}
	return fmt.Sprint(pick("Hồ sơ đã được chuyển đi trong lúc bạn mở trang: hiện đang ở bước “", "The dossier moved on while your page was open: it is now at “", q.lang),
		step, pick("”. Trang đã được tải lại; hãy xem lại trước khi thao tác.", "”. The page is reloaded; check it before acting.", q.lang))
}

func (w *web) dossier(q *req) error {
	d, err := w.s.readable(q.r, q.person, q.r.PathValue("code"))
	if err != nil {
		return err
	}
	p, err := w.dossierPage(q, d)
	if err != nil {
		return err
	}
	if done := q.r.URL.Query().Get("done"); done != "" {
		p.Flash = tr("done", q.lang) + ": " + done
	}
	return w.render(q, http.StatusOK, "dossier", p)
}

func (w *web) act(q *req) error {
	code := q.r.PathValue("code")
	f := q.r.PostForm
	action := f.Get("action")
	var expect int64
	if v := f.Get("version"); v != "" {
		if _, err := fmt.Sscan(v, &expect); err != nil {
			return errorf(EBADREQUEST, "Phiên bản không hợp lệ.", "Bad version.")
		}
	}
	inputs := map[string]string{}
	for k, vs := range f {
		if name, ok := strings.CutPrefix(k, "in_"); ok && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			inputs[name] = strings.TrimSpace(vs[0])
			if name == InputComponents {
				inputs[name] = strings.Join(vs, ",") // one box ticked per component
			}
		}
	}
	// The browser's datetime-local has no zone: it is the calendar's.
	if v, ok := inputs["due_at"]; ok {
		if t, err := time.ParseInLocation("2006-01-02T15:04", v, w.s.eng.Calendar.Location()); err == nil {
			inputs["due_at"] = t.Format(time.RFC3339)
		}
	}
	var err error
	if f.Get("confirm") != "yes" {
		err = w.needsConfirm(q, code, action)
	}
	var d *engine.Dossier
	if err == nil {
		d, err = w.s.act(q.r, q.person, code, action, inputs, f.Get("key"), expect)
	}
	if err != nil {
		return w.refusedOnPage(q, code, err)
	}
	name := action
	if p, _ := w.s.procName(d, q.lang); p != nil {
		if a, ok := p.Action(action); ok {
			name = pick(a.Name, a.NameEN, q.lang)
		}
	}
	if engine.IsOnlineAction(action) {
		name = tr(action, q.lang)
	}
	next := "/dossiers/" + url.PathEscape(d.Code)
	if f.Get("return") == "inbox" {
		next = "/inbox"
	}
	http.Redirect(q.w, q.r, next+"?done="+url.QueryEscape(d.Code+" — "+name), http.StatusSeeOther)
	return nil
}
