package httpapi

import (
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
	p, _ := w.s.procName(d, q.lang)
	dp := dossierPage{V: v, UnitNm: w.unitName(d.Unit, q.lang), Docs: w.documents(p, d, q.lang)}
	for _, h := range d.History {
		sr := slipRow{HistoryRow: h, ActionName: h.Action, ActorName: w.personName(h.Actor), FromName: w.unitName(h.FromUnit, q.lang), ToName: w.unitName(h.ToUnit, q.lang)}
		if p != nil {
			if a, ok := p.Action(h.Action); ok {
				sr.ActionName = pick(a.Name, a.NameEN, q.lang)
			} else if h.Action == "receive" || h.Action == engine.ActionRecalendar {
				sr.ActionName = tr(h.Action, q.lang)
			}
		}
		var notes []string
		for _, k := range []string{"note", "reason", "due_at", "due_after"} {
			if h.Inputs[k] != "" {
				notes = append(notes, noteValue(k, h.Inputs[k], w.s.eng.Calendar.Location()))
			}
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
		dp.Forms = append(dp.Forms, f)
	}
	return w.data(q, d.Code, "inbox", dp), nil
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
		}
	}
	// The browser's datetime-local has no zone: it is the calendar's.
	if v, ok := inputs["due_at"]; ok {
		if t, err := time.ParseInLocation("2006-01-02T15:04", v, w.s.eng.Calendar.Location()); err == nil {
			inputs["due_at"] = t.Format(time.RFC3339)
		}
	}
	d, err := w.s.act(q.r, q.person, code, action, inputs, f.Get("key"), expect)
	if err != nil {
		if cur, rerr := w.s.readable(q.r, q.person, code); rerr == nil && engine.ErrorCode(err) != engine.EINTERNAL {
			// Show the error on the dossier page itself, with fresh data.
			p, perr := w.dossierPage(q, cur)
			if perr == nil {
				ed := describe(err)
				p.Error = pick(ed.Message, ed.MessageEN, q.lang)
				return w.render(q, StatusFor(ed.Code), "dossier", p)
			}
		}
		return err
	}
	name := action
	if p, _ := w.s.procName(d, q.lang); p != nil {
		if a, ok := p.Action(action); ok {
			name = pick(a.Name, a.NameEN, q.lang)
		}
	}
	next := "/dossiers/" + url.PathEscape(d.Code)
	if f.Get("return") == "inbox" {
		next = "/inbox"
	}
	http.Redirect(q.w, q.r, next+"?done="+url.QueryEscape(d.Code+" — "+name), http.StatusSeeOther)
	return nil
}
