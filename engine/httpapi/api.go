package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/report"
)

func (s *Server) routesAPI() error {
	s.handle("GET", "/healthz", public, s.apiHealth)
	s.handle("GET", "/openapi.json", public, s.apiOpenAPI)
	s.handle("POST", "/dossiers", signedIn, s.apiReceive)
	s.handle("GET", "/dossiers", signedIn, s.apiList)
	s.handle("GET", "/dossiers/{code}", signedIn, s.apiDossier)
	s.handle("POST", "/dossiers/{code}/actions/{action}", signedIn, s.apiAct)
	s.handle("POST", "/dossiers/{code}/assign", signedIn, s.apiAssign)
	s.handle("POST", "/dossiers/{code}/payments", signedIn, s.apiPay)
	s.handle("GET", "/inbox", signedIn, s.apiInbox)
	s.handle("GET", "/procedures", signedIn, s.apiProcedures)
	s.handle("GET", "/procedures/{code}", signedIn, s.apiProcedure)
	s.handle("GET", "/calendar/{year}", public, s.apiCalendar)
	s.handle("GET", "/lookup/{code}", public, s.apiLookup)
	s.citizenAPI()
	s.handle("GET", "/me", signedIn, s.apiMe)
	s.routesPortal()
	s.handle("POST", "/tokens", signedIn, s.apiNewToken)
	s.routesFiles()
	// Reports come from their own package, mounted by cmd.
	if s.cfg.Reports != nil {
		s.routes = append(s.routes, "GET /reports/...")
		s.mux.Handle("/api/v1/reports/", s.metrics.instrument("/reports/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, _, err := s.identify(r)
			if err == nil && p == nil {
				err = errorf(engine.EUNAUTHORIZED, "Cần đăng nhập.", "Sign-in required.")
			}
			if err == nil && !auth.CanSeeDashboard(p) {
				err = errorf(engine.EFORBIDDEN, "Chỉ lãnh đạo cơ quan, lãnh đạo đơn vị, quản trị và theo dõi được xem báo cáo.", "Only leaders, unit heads, admins and viewers may see reports.")
			}
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			ctx := context.WithValue(r.Context(), personKey, p)
			// A unit head's report holds their units' rows only.
			if units, all := auth.FigureUnits(p); !all {
				ctx = report.WithScope(ctx, units)
			}
			s.cfg.Reports.ServeHTTP(w, r.WithContext(ctx))
		})))
	}
	s.mux.Handle("GET /metrics", s.metrics.Handler())
	// Anything else under the API is a JSON 404, not the web's HTML one.
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, errorf(engine.ENOTFOUND, "Không có địa chỉ %s %s.", "No endpoint %s %s.", r.Method, r.URL.Path))
	})
	return nil
}

// lang picks the answer language: ?lang=, then the lang cookie;
// Vietnamese otherwise. Accept-Language is ignored on purpose: browsers
// in government offices are often set to English, and Vietnamese is what
// their users read.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "vi" {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "en" || c.Value == "vi") {
		return c.Value
	}
	return "vi"
}

func (s *Server) apiHealth(w http.ResponseWriter, r *http.Request, _ *engine.Person) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// receiveRequest is the body of POST /dossiers.
type receiveRequest struct {
	Procedure  string            `json:"procedure"`
	Version    int               `json:"version,omitempty"`
	Channel    engine.Channel    `json:"channel,omitempty"`
	Applicant  engine.Applicant  `json:"applicant"`
	ReceivedAt *time.Time        `json:"received_at,omitempty"`
	Inputs     map[string]string `json:"inputs,omitempty"`
	// Components is the desk's checklist (engine.CheckComponents).
	Components []engine.ComponentReceipt `json:"components,omitempty"`
	// Copies is the copies asked per per-copy fee (engine.FeesAt).
	Copies map[string]int `json:"copies,omitempty"`
}

// receiveResponse is the answer of POST /dossiers.
type receiveResponse struct {
	Code          string       `json:"code"`
	DueAt         *time.Time   `json:"due_at,omitempty"`
	AppointmentAt *time.Time   `json:"appointment_at,omitempty"`
	Receipt       Receipt      `json:"receipt"`
	Dossier       *DossierView `json:"dossier"`
}

func requireActor(p *engine.Person) error {
	if !auth.CanAct(p) {
		return errorf(engine.EFORBIDDEN, "Vai trò của bạn không được tiếp nhận hay xử lý hồ sơ.", "Your role may not receive or act on dossiers.")
	}
	return nil
}

// receiveInput is what the engine receives from req.
func (s *Server) receiveInput(r *http.Request, p *engine.Person, req receiveRequest, key string) engine.ReceiveInput {
	in := engine.ReceiveInput{Actor: p.ID, Channel: req.Channel, Applicant: req.Applicant, Inputs: s.stampIssuer(r, req.Inputs), IdempotencyKey: key,
		Components: req.Components, Copies: req.Copies}
	if req.ReceivedAt != nil {
		in.ReceivedAt = *req.ReceivedAt
	}
	return in
}

func (s *Server) receive(r *http.Request, p *engine.Person, req receiveRequest, key string) (*engine.Dossier, error) {
	if err := checkReceiver(p, req); err != nil {
		return nil, err
	}
	return s.receiveIn(r, req, s.receiveInput(r, p, req, key))
}

// checkReceiver refuses a reception before anything is read: someone who
// may not act, or no procedure named.
func checkReceiver(p *engine.Person, req receiveRequest) error {
	if err := requireActor(p); err != nil {
		return err
	}
	if strings.TrimSpace(req.Procedure) == "" {
		return &engine.InvalidInputError{Field: "procedure", Reason: "required", ReasonVI: "bắt buộc chọn thủ tục"}
	}
	return nil
}

// receiveIn receives in, built from req (receiveInput).
func (s *Server) receiveIn(r *http.Request, req receiveRequest, in engine.ReceiveInput) (*engine.Dossier, error) {
	d, fresh, err := s.eng.ReceiveOnce(r.Context(), req.Procedure, req.Version, in)
	if err != nil {
		return nil, receptionError(err, req.Procedure)
	}
	if fresh {
		s.metrics.receptions.WithLabelValues(d.Procedure).Inc()
	}
	return d, nil
}

// receptionError words a refused reception. A reception key is global:
// the engine hands a replay's dossier back only to someone who may read
// it, and says the key is used to anyone else, in words that name no
// dossier.
func receptionError(err error, procedure string) error {
	var dup *engine.DuplicateError
	if errors.As(err, &dup) && dup.Key != "" {
		return errorf(engine.ECONFLICT, "Khoá chống lặp đã được dùng.", "Idempotency key already used.")
	}
	return withGuidance(err, procedure)
}

// checkReplay refuses a retried reception whose body is not the first
// one's (409): the same key must mean the same reception.
func (s *Server) checkReplay(key string, req receiveRequest, d *engine.Dossier) error {
	if err := checkReceptionReplay(key, req, d); err != nil {
		return err
	}
	return s.checkContentsReplay(key, req, d)
}

func (s *Server) apiReceive(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	if isMultipart(r) {
		return s.apiReceiveFiles(w, r, p)
	}
	var req receiveRequest
	if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
		return err
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	d, err := s.receive(r, p, req, key)
	if err != nil {
		return err
	}
	return s.answerReception(w, r, p, req, key, d)
}

// answerReception answers a reception: the replay checks of a retried
// one, then 201 with the dossier.
func (s *Server) answerReception(w http.ResponseWriter, r *http.Request, p *engine.Person, req receiveRequest, key string, d *engine.Dossier) error {
	if err := s.checkReplay(key, req, d); err != nil {
		return err
	}
	l := lang(r)
	v, err := s.view(d, p, s.now(), l)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/dossiers/"+d.Code)
	w.Header().Set("ETag", etag(d.Version))
	writeJSON(w, http.StatusCreated, receiveResponse{Code: d.Code, DueAt: s.inZone(d.DueAt), AppointmentAt: s.inZone(d.AppointmentAt), Receipt: s.receipt(d, l), Dossier: v})
	return nil
}

func idempotencyKey(r *http.Request) (string, error) {
	k := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if len(k) > 200 {
		return "", errorf(EBADREQUEST, "Idempotency-Key quá dài (tối đa 200 ký tự).", "Idempotency-Key too long (at most 200 characters).")
	}
	return k, nil
}

func etag(v int64) string { return `"` + strconv.FormatInt(v, 10) + `"` }

// ifMatch parses If-Match: a version number, quoted or not; 0 if absent.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v < 1 {
		return 0, errorf(EBADREQUEST, "If-Match phải là số phiên bản của hồ sơ.", "If-Match must be the dossier's version number.")
	}
	return v, nil
}

// readable loads dossier code if p may read it (engine.Read; a refusal is
// a *engine.ReadForbiddenError with its own words).
func (s *Server) readable(r *http.Request, p *engine.Person, code string) (*engine.Dossier, error) {
	return s.eng.Read(r.Context(), p, code)
}

func (s *Server) apiDossier(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	d, err := s.readable(r, p, r.PathValue("code"))
	if err != nil {
		return err
	}
	return s.writeDossier(w, r, d, p)
}

// writeDossier answers with the dossier as p sees it now, its version as
// the ETag a later If-Match may quote.
func (s *Server) writeDossier(w http.ResponseWriter, r *http.Request, d *engine.Dossier, p *engine.Person) error {
	v, err := s.view(d, p, s.now(), lang(r))
	if err != nil {
		return err
	}
	if err := s.withSync(r.Context(), v); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(d.Version))
	writeJSON(w, http.StatusOK, v)
	return nil
}

// actRequest is the body of POST /dossiers/{code}/actions/{action}.
type actRequest struct {
	Inputs map[string]string `json:"inputs,omitempty"`
}

func (s *Server) act(r *http.Request, p *engine.Person, code, action string, inputs map[string]string, key string, expect int64) (*engine.Dossier, error) {
	if err := requireActor(p); err != nil {
		return nil, err
	}
	// Someone who may not read a dossier may not act on it either:
	// ActAs checks that on the dossier it acts on, one read per action.
	d, err := s.eng.ActAs(r.Context(), p, code, engine.ActInput{Action: action, Actor: p.ID, Inputs: s.stampIssuer(r, inputs), IdempotencyKey: key}, expect)
	if err != nil {
		return nil, err
	}
	s.metrics.transitions.WithLabelValues(d.Procedure, action).Inc()
	return d, nil
}

func (s *Server) apiAct(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	var req actRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
			return err
		}
	}
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	expect, err := ifMatch(r)
	if err != nil {
		return err
	}
	d, err := s.act(r, p, r.PathValue("code"), r.PathValue("action"), req.Inputs, key, expect)
	if err != nil {
		return err
	}
	if err := checkActionReplay(key, r.PathValue("action"), req.Inputs, d); err != nil {
		return err
	}
	return s.writeDossier(w, r, d, p)
}

// assignRequest names the officer a step is assigned to; empty: the
// caller takes it.
type assignRequest struct {
	Assignee string `json:"assignee"`
}

// apiAssign assigns the current step of a dossier (engine.Engine.Assign):
// a unit head to a named officer, an officer to themself.
func (s *Server) apiAssign(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	var req assignRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, s.maxBody, &req); err != nil {
			return err
		}
	}
	expect, err := ifMatch(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	if _, err := s.readable(r, p, code); err != nil {
		return err
	}
	who := strings.TrimSpace(req.Assignee)
	if who == "" {
		who = p.ID
	}
	d, err := s.eng.Assign(r.Context(), code, p.ID, who, expect)
	if err != nil {
		return err
	}
	return s.writeDossier(w, r, d, p)
}

func (s *Server) apiProcedures(w http.ResponseWriter, r *http.Request, _ *engine.Person) error {
	l := lang(r)
	out := []ProcedureSummary{}
	for _, p := range s.eng.Catalog.Latest() {
		out = append(out, procSummary(p, l))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiProcedure(w http.ResponseWriter, r *http.Request, _ *engine.Person) error {
	version := 0
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return &engine.InvalidInputError{Field: "version", Reason: "want a positive number"}
		}
		version = n
	}
	p, err := s.eng.Catalog.Get(r.PathValue("code"), version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.procView(p, lang(r)))
	return nil
}

func (s *Server) apiCalendar(w http.ResponseWriter, r *http.Request, _ *engine.Person) error {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1900 || year > 2200 {
		return &engine.InvalidInputError{Field: "year", Reason: "want a year such as 2026"}
	}
	writeJSON(w, http.StatusOK, s.calendarView(year, lang(r)))
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	v := MeView{ID: p.ID, Name: p.Name, Units: append([]string{}, p.Units...), Roles: append([]engine.Role{}, p.Roles...)}
	if ss := sessionFrom(r.Context()); ss != nil {
		v.CSRF = ss.CSRF
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiNewToken(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	return s.issueToken(w, r, p)
}
