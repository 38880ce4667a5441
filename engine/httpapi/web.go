package httpapi

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// web serves the server-rendered pages. They use the same engine calls,
// rights and error table as the API; forms carry the session's CSRF token.
type web struct {
	s     *Server
	pages map[string]*template.Template
}

// signinCookie holds the double-submit CSRF token of the sign-in form,
// which is posted before any session exists.
const signinCookie = "motcua_signin"

func newWeb(s *Server) (*web, error) {
	w := &web{s: s, pages: map[string]*template.Template{}}
	loc := s.eng.Calendar.Location()
	funcs := template.FuncMap{
		"when": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				if v.IsZero() {
					return "—"
				}
				return v.In(loc).Format("15:04 02/01/2006")
			case *time.Time:
				if v == nil {
					return "—"
				}
				return v.In(loc).Format("15:04 02/01/2006")
			}
			return ""
		},
		"join": strings.Join,
		// hm writes an instant as the forms ask: "09 giờ 30 phút, ngày 02/03/2026".
		"hm": func(lang string, t any) string {
			switch v := t.(type) {
			case time.Time:
				return hourMinute(&v, loc, lang)
			case *time.Time:
				return hourMinute(v, loc, lang)
			}
			return hourMinute(nil, loc, lang)
		},
		"add": func(a, b int) int { return a + b },
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		w.pages[base] = t
	}
	return w, nil
}

func (w *web) routes() {
	m := w.s.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(http.FileServerFS(static))))
	m.HandleFunc("GET /{$}", w.page(false, w.home))
	m.HandleFunc("GET /signin", w.page(false, w.signinForm))
	m.HandleFunc("POST /signin", w.page(false, w.signin))
	m.HandleFunc("POST /signout", w.page(true, w.signout))
	m.HandleFunc("GET "+passwordPath, w.page(true, w.passwordForm))
	m.HandleFunc("POST "+passwordPath, w.page(true, w.changePassword))
	m.HandleFunc("GET /inbox", w.page(true, w.inbox))
	m.HandleFunc("GET /dossiers", w.page(true, w.list))
	m.HandleFunc("GET /dossiers/{code}", w.page(true, w.dossier))
	m.HandleFunc("POST /dossiers/{code}/act", w.page(true, w.act))
	m.HandleFunc("GET /dossiers/{code}/receipt", w.page(true, w.receipt))
	m.HandleFunc("GET /dossiers/{code}/"+docSlip, w.page(true, w.slip))
	m.HandleFunc("GET /dossiers/{code}/"+docSupplement, w.page(true, w.supplementRequest))
	m.HandleFunc("GET /dossiers/{code}/"+docRefusal, w.page(true, w.refusal))
	m.HandleFunc("GET /dossiers/{code}/"+docApology, w.page(true, w.apologyLetter))
	m.HandleFunc("GET /receive", w.page(true, w.receiveForm))
	m.HandleFunc("POST /receive", w.page(true, w.receive))
	m.HandleFunc("GET /dashboard", w.page(true, w.dashboard))
	m.HandleFunc("GET /procedures", w.page(true, w.procedures))
	m.HandleFunc("GET /procedures/{code}", w.page(true, w.procedure))
	m.HandleFunc("GET /lookup", w.page(false, w.lookup))
}

func cacheFor(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(rw, r)
	})
}

// req is one page request: who asks, in which language, with which
// session.
type req struct {
	w       http.ResponseWriter
	r       *http.Request
	person  *engine.Person
	session *auth.Session
	lang    string
}

// pageData is what every template receives.
type pageData struct {
	Lang   string
	Person *engine.Person
	CSRF   string
	Title  string
	// LangURL switches the language of the current page.
	LangURL string
	Nav     string
	Flash   string
	Error   string
	Data    any
	// Dashboard says whether to show the dashboard link.
	Dashboard bool
}

// T translates key into the page's language.
func (p *pageData) T(key string) string { return tr(key, p.Lang) }

// page wraps a page handler: it resolves the session, the language (and
// remembers ?lang= in a cookie), requires sign-in when asked, checks the
// CSRF token of every POST, and renders errors through the one table.
func (w *web) page(signin bool, h func(q *req) error) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		l := lang(r)
		if v := r.URL.Query().Get("lang"); v == "en" || v == "vi" {
			http.SetCookie(rw, &http.Cookie{Name: "lang", Value: v, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: w.s.secure(r)})
		}
		q := &req{w: rw, r: r, lang: l}
		if c, err := r.Cookie(sessionCookie); err == nil {
			ss, p, err := w.s.auth.Session(r.Context(), c.Value)
			if err != nil {
				w.fail(q, err)
				return
			}
			q.person, q.session = p, ss
		}
		if signin && q.person == nil {
			if r.Method == http.MethodGet {
				http.Redirect(rw, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			w.fail(q, errorf(engine.EUNAUTHORIZED, "Phiên đăng nhập đã hết; hãy đăng nhập lại.", "Your session ended; sign in again."))
			return
		}
		if r.Method == http.MethodPost && q.session != nil && r.URL.Path != "/signin" {
			r.Body = http.MaxBytesReader(rw, r.Body, w.s.maxBody)
			if !auth.CheckCSRF(q.session, r.PostFormValue("csrf")) {
				w.fail(q, errorf(engine.EFORBIDDEN, "Biểu mẫu đã hết hạn (sai mã CSRF); hãy tải lại trang.", "The form expired (CSRF token mismatch); reload the page."))
				return
			}
		}
		if err := h(q); err != nil {
			w.fail(q, err)
		}
	}
}

func (w *web) data(q *req, title, nav string, d any) *pageData {
	p := &pageData{Lang: q.lang, Person: q.person, Title: title, Nav: nav, Data: d}
	if q.session != nil {
		p.CSRF = q.session.CSRF
	}
	if q.person != nil {
		p.Dashboard = auth.CanSeeDashboard(q.person)
	}
	other := "en"
	if q.lang == "en" {
		other = "vi"
	}
	u := *q.r.URL
	vals := u.Query()
	vals.Set("lang", other)
	u.RawQuery = vals.Encode()
	if q.r.Method != http.MethodGet {
		u.RawQuery = "lang=" + other
	}
	p.LangURL = u.RequestURI()
	return p
}

func (w *web) render(q *req, status int, name string, p *pageData) error {
	t, ok := w.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return err
	}
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.Header().Set("Cache-Control", "no-store")
	q.w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
	q.w.WriteHeader(status)
	_, err := q.w.Write(buf.Bytes())
	return err
}

// fail renders err as an error page with the status of the one table.
func (w *web) fail(q *req, err error) {
	d := describe(err)
	status := StatusFor(d.Code)
	if status >= 500 {
		w.s.log.Error("page failed", "path", q.r.URL.Path, "err", err)
	}
	msg := d.Message
	if q.lang == "en" {
		msg = d.MessageEN
	}
	p := w.data(q, tr("error", q.lang), "", nil)
	p.Error = msg
	if rerr := w.render(q, status, "error", p); rerr != nil {
		http.Error(q.w, msg, status)
	}
}

func (w *web) home(q *req) error {
	if q.person == nil {
		http.Redirect(q.w, q.r, "/lookup", http.StatusSeeOther)
	} else {
		http.Redirect(q.w, q.r, "/inbox", http.StatusSeeOther)
	}
	return nil
}

type signinView struct {
	Next   string
	Person string
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if !localPath(next) {
		return "/inbox"
	}
	return next
}

func (w *web) signinForm(q *req) error {
	tok := auth.RandomToken()
	http.SetCookie(q.w, &http.Cookie{Name: signinCookie, Value: tok, Path: "/signin", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.s.secure(q.r), MaxAge: 3600})
	p := w.data(q, tr("signin", q.lang), "signin", signinView{Next: safeNext(q.r.URL.Query().Get("next"))})
	p.CSRF = tok
	return w.render(q, http.StatusOK, "signin", p)
}

func (w *web) signin(q *req) error {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, w.s.maxBody)
	c, err := q.r.Cookie(signinCookie)
	if err != nil || c.Value == "" || q.r.PostFormValue("csrf") != c.Value {
		return errorf(engine.EFORBIDDEN, "Biểu mẫu đăng nhập đã hết hạn; hãy tải lại trang.", "The sign-in form expired; reload the page.")
	}
	person := strings.TrimSpace(q.r.PostFormValue("person"))
	p, err := w.s.auth.CheckPassword(q.r.Context(), person, q.r.PostFormValue("password"), clientKey(w.s.clientIP(q.r)))
	if err != nil {
		var ic *auth.InvalidCredentialsError
		if !errors.As(err, &ic) {
			return err
		}
		d := describe(err)
		pd := w.data(q, tr("signin", q.lang), "signin", signinView{Next: safeNext(q.r.PostFormValue("next")), Person: person})
		pd.CSRF = c.Value
		pd.Error = pick(d.Message, d.MessageEN, q.lang)
		return w.render(q, StatusFor(d.Code), "signin", pd)
	}
	// A fresh session id at sign-in: an id planted before sign-in is
	// never promoted (session fixation).
	if old, err := q.r.Cookie(sessionCookie); err == nil {
		if err := w.s.auth.EndSession(q.r.Context(), old.Value); err != nil {
			return err
		}
	}
	ss, err := w.s.auth.NewSession(q.r.Context(), p.ID)
	if err != nil {
		return err
	}
	http.SetCookie(q.w, &http.Cookie{Name: sessionCookie, Value: ss.ID, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.s.secure(q.r)})
	http.SetCookie(q.w, &http.Cookie{Name: signinCookie, Value: "", Path: "/signin", MaxAge: -1})
	http.Redirect(q.w, q.r, safeNext(q.r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

func (w *web) signout(q *req) error {
	if err := w.s.auth.EndSession(q.r.Context(), q.session.ID); err != nil {
		return err
	}
	http.SetCookie(q.w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.s.secure(q.r)})
	http.Redirect(q.w, q.r, "/signin", http.StatusSeeOther)
	return nil
}

// row is one dossier in the inbox or a list, with its one-click actions.
type row struct {
	Summary
	Class   string
	Actions []ActionView
	Key     string
}

type listView struct {
	Rows     []row
	Page     Page
	Query    url.Values
	PrevURL  string
	NextURL  string
	Units    []*engine.Unit
	ShowUnit bool
}

func rowClass(s Summary) string {
	switch {
	case s.Overdue:
		return "overdue"
	case s.DueToday:
		return "due-today"
	case s.Paused:
		return "paused"
	}
	return ""
}

func (w *web) rows(q *req, pg Page) []row {
	var out []row
	for _, s := range pg.Items {
		rw := row{Summary: s, Class: rowClass(s), Key: auth.RandomToken()}
		if p, err := w.s.eng.Catalog.Get(s.Procedure, 0); err == nil {
			d := &engine.Dossier{State: s.State, Status: s.Status}
			for _, a := range actionsFor(p, d, q.person, q.lang) {
				// One click only for actions that need no input.
				if len(a.Requires) == 0 && a.Moves {
					rw.Actions = append(rw.Actions, a)
				}
			}
		}
		out = append(out, rw)
	}
	return out
}

func pageURL(u url.URL, page int) string {
	v := u.Query()
	v.Set("page", fmt.Sprint(page))
	u.RawQuery = v.Encode()
	return u.RequestURI()
}

func (w *web) listView(q *req, pg Page) listView {
	v := listView{Rows: w.rows(q, pg), Page: pg, Query: q.r.URL.Query()}
	if pg.Page > 1 {
		v.PrevURL = pageURL(*q.r.URL, pg.Page-1)
	}
	if pg.HasMore {
		v.NextURL = pageURL(*q.r.URL, pg.Page+1)
	}
	return v
}

func (w *web) inbox(q *req) error {
	pg := Page{Items: []Summary{}, Page: 1, PerPage: defaultPerPage}
	if len(q.person.Units) > 0 {
		var err error
		if pg, err = w.s.page(q.r, w.s.inboxQuery(q.person)); err != nil {
			return err
		}
	}
	v := w.listView(q, pg)
	p := w.data(q, tr("inbox", q.lang), "inbox", v)
	if done := q.r.URL.Query().Get("done"); done != "" {
		p.Flash = tr("done", q.lang) + ": " + done
	}
	return w.render(q, http.StatusOK, "inbox", p)
}

func (w *web) list(q *req) error {
	query, err := w.s.listQuery(q.r, q.person)
	if err != nil {
		return err
	}
	pg, err := w.s.page(q.r, query)
	if err != nil {
		return err
	}
	v := w.listView(q, pg)
	v.ShowUnit = true
	if units, all := auth.ListUnits(q.person); all {
		v.Units = w.s.eng.Directory.Units()
	} else {
		for _, u := range units {
			if un, ok := w.s.eng.Directory.Unit(u); ok {
				v.Units = append(v.Units, un)
			}
		}
	}
	return w.render(q, http.StatusOK, "list", w.data(q, tr("all_dossiers", q.lang), "list", v))
}

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

func (w *web) unitName(id, lang string) string {
	if u, ok := w.s.eng.Directory.Unit(id); ok {
		return pick(u.Name, u.NameEN, lang)
	}
	return id
}

func (w *web) personName(id string) string {
	if p, ok := w.s.eng.Directory.Person(id); ok && p.Name != "" {
		return p.Name
	}
	return id
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
				notes = append(notes, h.Inputs[k])
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

type receiveView struct {
	Procedures []ProcedureSummary
	Channels   []string
	Values     url.Values
}

// receivable lists the procedures whose first step is with one of p's units.
func (w *web) receivable(p *engine.Person, lang string) []ProcedureSummary {
	var out []ProcedureSummary
	for _, pr := range w.s.eng.Catalog.Latest() {
		if st, ok := pr.State(pr.Initial); ok && p.InUnit(st.Unit) {
			out = append(out, procSummary(pr, lang))
		}
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

func (w *web) procedures(q *req) error {
	var items []ProcedureSummary
	for _, p := range w.s.eng.Catalog.Latest() {
		items = append(items, procSummary(p, q.lang))
	}
	return w.render(q, http.StatusOK, "procedures", w.data(q, tr("procedures", q.lang), "procedures", items))
}

type procedurePage struct {
	V      ProcedureView
	Units  map[string]string
	States map[string]string
	SVG    template.HTML
}

func (w *web) procedure(q *req) error {
	p, err := w.s.eng.Catalog.Get(q.r.PathValue("code"), 0)
	if err != nil {
		return err
	}
	v := w.s.procView(p, q.lang)
	pp := procedurePage{V: v, Units: map[string]string{}, States: map[string]string{}}
	for _, st := range v.States {
		pp.States[st.ID] = st.Name
		if st.Unit != "" {
			pp.Units[st.Unit] = w.unitName(st.Unit, q.lang)
		}
	}
	pp.SVG = diagramSVG(v)
	return w.render(q, http.StatusOK, "procedure", w.data(q, v.Name, "procedures", pp))
}

type lookupPage struct {
	Code     string
	Found    *LookupView
	NotFound bool
}

func (w *web) lookup(q *req) error {
	code := strings.TrimSpace(q.r.URL.Query().Get("code"))
	lp := lookupPage{Code: code}
	status := http.StatusOK
	if code != "" {
		// Only a search counts against the limit: the empty form is free.
		if err := w.s.limitLookup(q.w, q.r); err != nil {
			return err
		}
		v, err := w.s.lookup(q.r, code)
		switch {
		case err == nil:
			lp.Found = &v
		case engine.ErrorCode(err) == engine.ENOTFOUND || engine.ErrorCode(err) == engine.EINVALID:
			lp.NotFound, status = true, StatusFor(engine.ErrorCode(err))
		default:
			return err
		}
	}
	return w.render(q, status, "lookup", w.data(q, tr("lookup", q.lang), "lookup", lp))
}
