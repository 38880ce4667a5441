package httpapi

import (
	"bytes"
	"embed"
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
	// figures caches the dashboard's period figures (dashboard_cache.go).
	figures *figureCache
}

func newWeb(s *Server) (*web, error) {
	w := &web{s: s, pages: map[string]*template.Template{}, figures: newFigureCache(s.cfg.FigureMaxAge)}
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
		// list3 is the rating scale, best first.
		"list3": func() []int { return []int{engine.ScoreVerySatisfied, engine.ScoreSatisfied, engine.ScoreDissatisfied} },
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
	m.HandleFunc("POST /dossiers/{code}/assign", w.page(true, w.assign))
	m.HandleFunc("POST /dossiers/{code}/files", w.uploadFiles) // its own CSRF check: a streamed multipart body
	m.HandleFunc("GET /dossiers/{code}/receipt", w.page(true, w.receipt))
	m.HandleFunc("GET "+registerPath, w.page(true, w.register))
	m.HandleFunc("GET /dossiers/{code}/"+docSlip, w.page(true, w.slip))
	m.HandleFunc("GET /dossiers/{code}/"+docSupplement, w.page(true, w.supplementRequest))
	m.HandleFunc("GET /dossiers/{code}/"+docRefusal, w.page(true, w.refusal))
	m.HandleFunc("GET /dossiers/{code}/"+docApology, w.page(true, w.apologyLetter))
	m.HandleFunc("GET /dossiers/{code}/"+docResult, w.page(true, w.resultSlip))
	m.HandleFunc("GET /receive", w.page(true, w.receiveForm))
	m.HandleFunc("POST /receive", w.receivePost) // multipart with the scans: web_reception_files.go
	m.HandleFunc("GET /dashboard", w.page(true, w.dashboard))
	m.HandleFunc("GET /dashboard.xlsx", w.page(true, w.dashboardXLSX))
	m.HandleFunc("GET /procedures", w.page(true, w.procedures))
	m.HandleFunc("GET /procedures/{code}", w.page(true, w.procedure))
	m.HandleFunc("GET /lookup", w.page(false, w.lookup))
	w.citizenRoutes()
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
	// Dashboard says whether to show the dashboard link; Receive the
	// reception link (only to those who may receive under some
	// procedure: the menu shows nothing a person cannot use).
	Dashboard bool
	Receive   bool
	// Register shows the link to the dossier register (form 06) to those
	// who may read one: the receiving desk and the leadership.
	Register bool
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
		p.Receive = auth.CanReceive(q.person, w.s.eng.Catalog)
		p.Register = w.mayReadRegister(q.person)
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
	name, title := "error", tr("error", q.lang)
	if status == http.StatusNotFound {
		name, title = "notfound", tr("not_found", q.lang)
	}
	p := w.data(q, title, "", nil)
	p.Error = msg
	if rerr := w.render(q, status, name, p); rerr != nil {
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
