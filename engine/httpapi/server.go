package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// Config is what a Server needs. Engine and Auth are required.
type Config struct {
	Engine *engine.Engine
	Auth   *auth.Service
	// Diagram renders a procedure as Mermaid text (procedures.Mermaid);
	// nil leaves diagrams out.
	Diagram func(*engine.Procedure) string
	// Reports, if set, serves /api/v1/reports/ (it sees the full path
	// and the signed-in person through PersonFrom).
	Reports http.Handler
	// Logger receives request errors; nil discards them.
	Logger *slog.Logger
	// BaseURL is the public address (e.g. https://motcua.example.gov.vn);
	// an https base URL makes cookies Secure even behind a TLS proxy.
	BaseURL string
	// PublicURL is the address the public reaches the lookup and the
	// rating at, printed in the QR codes of form 01 and the notices;
	// empty uses BaseURL.
	PublicURL string
	// RatingKey signs the applicants' rating links
	// (engine.RatingToken); empty turns rating off.
	RatingKey []byte
	// Agency is the body the units belong to, printed above the issuing
	// unit in the heading of printed documents (e.g. "UBND XÃ HÒA BÌNH");
	// empty prints the unit alone.
	Agency string
	// Place is the place name of the date line of printed documents
	// ("Hòa Bình, ngày … tháng … năm …"); empty leaves dots to fill in.
	Place string
	// MaxBodyBytes bounds request bodies (default 64 KiB).
	MaxBodyBytes int64
	// Registry receives the metrics; nil makes a private one, so several
	// servers (tests) never collide on the global registry.
	Registry *prometheus.Registry
	// LookupPerMinute and LookupBurst bound the public lookup per client
	// address (an IPv6 /64), since sequential codes are easy to walk:
	// defaults DefaultLookupPerMinute and DefaultLookupBurst; a negative
	// LookupPerMinute turns the limit off. LookupClients bounds how many
	// addresses are remembered (default DefaultLookupClients).
	LookupPerMinute, LookupBurst, LookupClients int
	// TrustedProxies are the reverse proxies (nginx, the provincial
	// gateway) whose forwarding headers are believed: a request from
	// inside one of these prefixes is charged to the client named in
	// X-Forwarded-For (else Forwarded), walked from the right (see
	// clientAddr). Empty, the default, ignores those headers, since any
	// client can send them; behind a proxy every citizen then shares the
	// proxy's sign-in and lookup limits.
	TrustedProxies []netip.Prefix
	// FigureMaxAge is how old the dashboard's period figures may be when
	// shown (see dashboard_cache.go): 0, the default, computes them on
	// every view; a province's deployment sets a few minutes, and the page
	// says when its figures were computed.
	FigureMaxAge time.Duration
	// ReadyProbe, if set, is checked by /readyz after the store's own
	// Ready: cmd points it at the folders beside the store that must take
	// writes (sqlitestore.ProbeDir on the files' folder).
	ReadyProbe func(context.Context) error
	// Files attaches and serves the dossiers' files; nil: the file routes
	// answer 404.
	Files *engine.Files
}

// Server serves the JSON API under /api/v1 and the web pages. It holds no
// dossier state: every request reads the store through the engine.
type Server struct {
	cfg     Config
	eng     *engine.Engine
	auth    *auth.Service
	log     *slog.Logger
	mux     *http.ServeMux
	metrics *Metrics
	maxBody int64
	// routes lists the API routes registered, for the OpenAPI test.
	routes []string
	web    *web
	// lookupLimit is nil when the lookup is not limited.
	lookupLimit *lookupLimiter
	// trusted is Config.TrustedProxies, normalised.
	trusted []netip.Prefix
}

// New builds a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Engine == nil || cfg.Auth == nil {
		return nil, errors.New("httpapi: Engine and Auth are required")
	}
	s := &Server{cfg: cfg, eng: cfg.Engine, auth: cfg.Auth, log: cfg.Logger, mux: http.NewServeMux(), maxBody: cfg.MaxBodyBytes}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxBody <= 0 {
		s.maxBody = 64 << 10
	}
	s.trusted = normalizePrefixes(cfg.TrustedProxies)
	s.lookupLimit = newLookupLimiter(cfg.LookupPerMinute, cfg.LookupBurst, cfg.LookupClients)
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m, err := newMetrics(reg, cfg.Engine)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if err := s.routesAPI(); err != nil {
		return nil, err
	}
	s.hardenRoutes()
	w, err := newWeb(s)
	if err != nil {
		return nil, err
	}
	s.web = w
	w.routes()
	w.accountRoutes()
	w.contentsRoutes()
	return s, nil
}

// Metrics returns the server's metrics, for wiring the watch and the
// dispatcher's counters in.
func (s *Server) Metrics() *Metrics { return s.metrics }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", "path", r.URL.Path, "panic", fmt.Sprint(v))
			s.writeError(w, r, fmt.Errorf("panic: %v", v))
		}
	}()
	s.secureHeaders(w)
	if listsDirectory(r) {
		http.NotFound(w, r)
		return
	}
	s.route(w, r)
}

// now is the engine's clock: the pages and the API judge "overdue" at the
// same instant the engine decides with.
func (s *Server) now() time.Time { return s.eng.Now.Time() }

// secure reports whether cookies must be Secure for r.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(strings.ToLower(s.cfg.BaseURL), "https://")
}

type ctxKey int

const (
	personKey ctxKey = iota
	sessionKey
)

// PersonFrom returns the signed-in person of a request served by a
// Server (nil when anonymous): for handlers mounted under it, such as
// reports.
func PersonFrom(ctx context.Context) *engine.Person {
	p, _ := ctx.Value(personKey).(*engine.Person)
	return p
}

func sessionFrom(ctx context.Context) *auth.Session {
	ss, _ := ctx.Value(sessionKey).(*auth.Session)
	return ss
}

// sessionCookie is the web session cookie's name.
const sessionCookie = "motcua_session"

// identify finds who is calling: a bearer token, else a session cookie.
// A bad bearer token is an error (a machine misconfigured should hear
// so); a stale cookie is simply anonymous.
func (s *Server) identify(r *http.Request) (*engine.Person, *auth.Session, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, nil, &auth.InvalidCredentialsError{}
		}
		p, err := s.auth.TokenPerson(r.Context(), strings.TrimSpace(tok))
		return p, nil, err
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		ss, p, err := s.auth.Session(r.Context(), c.Value)
		if err != nil || ss != nil {
			return p, ss, err
		}
	}
	return nil, nil, nil
}

// apiHandler is an API endpoint: it returns an error instead of writing
// one, so every error goes through writeError and its one table.
type apiHandler func(w http.ResponseWriter, r *http.Request, p *engine.Person) error

// access says who may call an endpoint.
type access int

const (
	public access = iota
	signedIn
)

// handle registers an API endpoint under /api/v1.
func (s *Server) handle(method, path string, acc access, h apiHandler) {
	pattern := method + " /api/v1" + path
	s.routes = append(s.routes, method+" "+path)
	route := path
	s.mux.Handle(pattern, s.metrics.instrument(route, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ss, err := s.identify(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if acc == signedIn && p == nil {
			s.writeError(w, r, errorf(engine.EUNAUTHORIZED, "Cần đăng nhập.", "Sign-in required."))
			return
		}
		// Cookies ride along on cross-site requests; a state-changing
		// call authenticated by cookie must prove it comes from our pages.
		if ss != nil && method != http.MethodGet && !auth.CheckCSRF(ss, r.Header.Get("X-CSRF-Token")) {
			s.writeError(w, r, errorf(engine.EFORBIDDEN, "Thiếu hoặc sai mã CSRF.", "Missing or wrong CSRF token."))
			return
		}
		ctx := context.WithValue(r.Context(), personKey, p)
		if ss != nil {
			ctx = context.WithValue(ctx, sessionKey, ss)
		}
		if err := h(w, r.WithContext(ctx), p); err != nil {
			s.writeError(w, r, err)
		}
	})))
}
