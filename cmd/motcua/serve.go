package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/httpapi"
	"github.com/motcua/motcua/engine/notify"
	"github.com/motcua/motcua/engine/report"
	"github.com/motcua/motcua/engine/watch"
	"github.com/motcua/motcua/procedures"
)

// The serve command lives in four files: this one starts and stops it
// (ServeMain), serve_flags.go reads its flags, serve_channels.go builds
// the notification channels and serve_demo.go seeds --demo.

// runServe is "motcua serve": it starts a ServeMain, waits for Ctrl-C
// (ctx) or for the server to fail, and stops it.
func runServe(ctx context.Context, m *Main, args []string) error {
	c, err := parseServeFlags(m, args)
	if err != nil {
		return err
	}
	s := newServeMain(m, c)
	if err := s.Run(ctx); err != nil {
		return err
	}
	select {
	case err := <-s.failed:
		s.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	return s.Close()
}

// ServeMain is "motcua serve" as a value that tests start and stop the
// way main does, in the shape of Ben Johnson's wtfd: Run starts
// everything and returns once the server listens, Addr says where, Close
// drains and stops. A test reads the address from Addr instead of from
// what serve prints.
type ServeMain struct {
	// Config is what the flags asked for (parseServeFlags).
	Config serveConfig
	// Stdout gets the start-up and stop lines a person reads; Stderr the
	// log. Run and Close write Stdout from the caller's goroutine only, so
	// a test may read it after either returns.
	Stdout, Stderr io.Writer
	// Now is the clock of the engine and every service; nil is the system
	// clock.
	Now engine.Clock
	// Lang is the language of start-up refusals and notes (MOTCUA_LANG).
	Lang string

	// Engine is the engine Run built, for tests that act on the served
	// store directly.
	Engine *engine.Engine

	store  engine.Store
	ln     net.Listener
	hs     *http.Server
	log    *slog.Logger
	stopBG context.CancelFunc
	bg     sync.WaitGroup
	// failed gets the server's error if it stops by itself.
	failed    chan error
	closeOnce sync.Once
	closeErr  error
}

// newServeMain returns the server c describes, writing where m writes.
func newServeMain(m *Main, c serveConfig) *ServeMain {
	return &ServeMain{Config: c, Stdout: m.Stdout, Stderr: m.Stderr, Now: m.Now, Lang: m.lang()}
}

// Addr is the address the server listens on, once Run has returned: with
// --listen 127.0.0.1:0, the port the system chose.
func (s *ServeMain) Addr() net.Addr { return s.ln.Addr() }

// loadWorld loads what every request reads: calendar, procedure files,
// directory. The files become a catalog once the store is open
// (publishCatalog), since the store keeps the versions already published.
func loadWorld(calPath string, procs []string, dirPath string) (*calendar.Calendar, []procedures.Loaded, *engine.Directory, error) {
	cal, err := loadCalendarFlag(calPath)
	if err != nil {
		return nil, nil, nil, err
	}
	loaded, err := procedures.LoadSources(procs...)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--procedures: %w", err)
	}
	dir, err := procedures.LoadDirectory(dirPath)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--directory: %w", err)
	}
	return cal, loaded, dir, nil
}

// Run loads the files, opens the store, publishes the procedures, seeds
// the demo if asked, starts listening and starts the deadline watch, the
// dispatcher and the session sweeps. It returns once requests are served;
// ctx bounds the start-up only, Close stops what Run started. When Run
// fails, it has already closed whatever it opened.
func (s *ServeMain) Run(ctx context.Context) (err error) {
	c := s.Config
	// One clock for the engine and every service; a method value, never
	// nil, whatever the services do with a nil clock.
	now := s.Now.Time
	log := slog.New(slog.NewTextHandler(s.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s.log = log
	cal, loaded, dir, err := loadWorld(c.world.calPath, c.world.procedures(), c.world.dirPath)
	if err != nil {
		return err
	}
	store, err := c.store.open(ctx)
	if err != nil {
		return err
	}
	s.store = store
	if w, ok := store.(interface{ Warnings() []string }); ok {
		for _, msg := range w.Warnings() {
			log.Warn(msg)
		}
	}
	defer func() {
		if err != nil {
			store.Close()
		}
	}()
	cat, err := publishCatalog(ctx, store, loaded, now(), s.Lang, s.Stderr)
	if err != nil {
		return err
	}
	creds, err := credentialStore(c.store, store)
	if err != nil {
		return err
	}
	eng := &engine.Engine{Store: store, Catalog: cat, Directory: dir, Calendar: cal, Now: now, BackdateDays: c.backdateDays,
		PortalSync: c.portalURL != ""}
	if c.backdateDays <= 0 {
		eng.BackdateDays = -1 // the engine reads 0 as its default; the flag's 0 means never
	}
	s.Engine = eng
	// The channels come before any reception (the demo's included): the
	// engine tells the applicant through those configured.
	channels, err := notificationChannels(s.Stderr, c)
	if err != nil {
		return err
	}
	eng.ApplicantChannels = applicantChannels(channels)
	// The calendar may have changed since the last start (next year's
	// official table replacing a provisional one): open dossiers' due
	// instants are re-derived from their ledgers before anyone reads them.
	if moved, err := eng.RecomputeOpen(ctx); err != nil {
		return err
	} else if moved > 0 {
		fmt.Fprintf(s.Stderr, "motcua: %d open dossier(s) have new due instants on calendar %s\n", moved, cal.Name())
	}
	sessions, err := sessionStore(c.store, store)
	if err != nil {
		return err
	}
	as := &auth.Service{Store: creds, Sessions: sessions, Directory: dir, Now: now, TokenTTL: c.tokenTTL, TokenMaxTTL: c.tokenMaxTTL}
	if c.demo {
		if err := seedDemo(ctx, s.Stdout, eng, as); err != nil {
			return err
		}
	}
	ratingKey, err := c.citizen.ratingKey(c.citizen.getenv, c.store.dataDir, c.store.mongoURI != "", log)
	if err != nil {
		return err
	}
	fileStore, filesProbe, err := openFileStore(c.store, store)
	if err != nil {
		return err
	}
	files := &engine.Files{Engine: eng, Store: fileStore, MaxFile: int64(c.maxFile), MaxDossier: int64(c.maxDossierFiles)}
	srv, err := httpapi.New(httpapi.Config{
		Engine: eng, Auth: as, Diagram: procedures.Mermaid, Logger: log, BaseURL: c.baseURL, Files: files, ReadyProbe: filesProbe,
		PublicURL: c.citizen.publicURL, RatingKey: ratingKey,
		Agency: dir.Agency, Place: dir.Place, LookupPerMinute: c.lookupPerMinute,
		TrustedProxies: c.trustedProxies, FigureMaxAge: c.figureMaxAge,
		Reports: report.Handler(store, cal, report.WithCatalog(cat), report.WithDirectory(dir), report.WithLogger(log)),
	})
	if err != nil {
		return err
	}
	metrics := srv.Metrics()
	for i, ch := range channels {
		channels[i] = &observed{Channel: ch, m: metrics}
	}
	watcher := &watch.Watcher{Store: store, Engine: eng, Now: now, Logger: log, SweepSpec: c.sweepSpec,
		OnSweep: func(_ watch.Report, err error) { metrics.ObserveSweep(err) },
		OnSkip:  metrics.ObserveSkip}
	// Messages link to the dossier page when the public address is known.
	tmpl := &notify.Templates{Dir: c.templatesDir, Lang: c.notifyLang, BaseURL: strings.TrimSuffix(c.baseURL, "/"),
		PublicURL: c.citizen.publicURL, RatingKey: ratingKey}
	if err := tmpl.Check(); err != nil {
		return &engine.InvalidInputError{Field: "--templates", Reason: err.Error()}
	}
	if err := checkSMS(tmpl, log); err != nil {
		return err
	}
	// One dispatcher among the processes sharing a store, elected like the
	// sweeper, so a message is not sent once per process.
	dispatchLease := &watch.Lease{Store: store, Name: "dispatch", Holder: watch.HolderID(), Logger: log, Now: now}
	routes, err := portalDelivery(c, store, metrics.Register)
	if err != nil {
		return err
	}
	dispatcher := &notify.Dispatcher{Store: store, Channels: channels, Directory: dir, Templates: tmpl, Now: now, Logger: log,
		Lease: dispatchLease, Routes: routes}
	if routes != nil {
		// Only with the portal: its records are many and each waits on a
		// network round trip. A round's other notices (e-mail, SMS,
		// webhook) then share the workers too, each dossier's in order;
		// without the portal they go one at a time as ever.
		dispatcher.Workers = c.portalWorkers
	}

	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	s.ln = ln
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	s.hs = hs

	// The watch and the dispatcher stop with bg, which outlives ctx: Close
	// first drains the server, then stops them.
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	s.stopBG = stopBG
	s.bg.Add(4)
	go func() {
		defer s.bg.Done()
		runFileSweeps(bg, store, fileStore, now, log)
	}()
	go func() {
		defer s.bg.Done()
		as.RunSessionSweeps(bg, sessionSweepEvery, func(err error) { log.Warn("session sweep", "err", err) })
	}()
	go func() {
		defer s.bg.Done()
		if err := watcher.Run(bg); err != nil {
			log.Error("deadline watch stopped", "err", err)
		}
	}()
	go func() {
		defer s.bg.Done()
		if err := dispatcher.Run(bg); err != nil {
			log.Error("dispatcher stopped", "err", err)
		}
	}()
	s.failed = make(chan error, 1)
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.failed <- err
		}
	}()
	names := make([]string, len(channels))
	for i, ch := range channels {
		names[i] = ch.Name()
	}
	fmt.Fprintf(s.Stdout, "motcua: %d procedure(s), %d people, calendar %s, store %s, notifications via %s\n",
		len(cat.Latest()), len(dir.People()), cal.Name(), c.store.describe(), strings.Join(names, ", "))
	fmt.Fprintf(s.Stdout, "motcua: listening on http://%s (Ctrl-C to stop)\n", ln.Addr())
	return nil
}

// Close drains the requests in flight (up to 20 seconds), then stops the
// watch, the dispatcher and the session sweeps and closes the store. It
// is what Ctrl-C does; calling it again returns the first result.
func (s *ServeMain) Close() error {
	s.closeOnce.Do(func() {
		if s.hs == nil {
			return // Run failed and closed what it had opened
		}
		fmt.Fprintln(s.Stdout, "motcua: stopping: draining requests in flight")
		shCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.hs.Shutdown(shCtx); err != nil {
			s.log.Warn("shutdown", "err", err)
		}
		s.stopBG()
		s.bg.Wait()
		s.closeErr = s.store.Close()
		fmt.Fprintln(s.Stdout, "motcua: stopped"+stopNote(s.store, s.closeErr))
	})
	return s.closeErr
}

// sessionSweepEvery spaces the sweeps of expired web sessions: they are
// refused on read anyway, the sweep only keeps the table small.
const sessionSweepEvery = 15 * time.Minute
