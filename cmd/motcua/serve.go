package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"golang.org/x/crypto/bcrypt"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/httpapi"
	"github.com/motcua/motcua/engine/notify"
	"github.com/motcua/motcua/engine/report"
	"github.com/motcua/motcua/engine/watch"
	"github.com/motcua/motcua/procedures"
)

func init() {
	register(command{
		name:    "serve",
		summary: "serve the web pages and the API, run the deadline watch and send notifications",
		run:     runServe,
	})
}

const serveUsage = `usage: motcua serve [--listen ADDR] [--data DIR | --mongo-uri URI [--mongo-db NAME]]
       [--procedures PATH]... [--directory FILE] [--calendar FILE] [--demo]
       [--base-url URL] [--smtp-addr HOST:PORT --smtp-from ADDR [--smtp-user U] [--smtp-tls mandatory|opportunistic|none]]
       [--webhook-url URL --webhook-secret S] [--sweep CRON] [--trusted-proxy CIDR]...

Serves the web pages and the JSON API (/api/v1, described at
/api/v1/openapi.json), runs the deadline watch and the notification
dispatcher in the same process. Ctrl-C drains requests in flight, then
stops the watch and the dispatcher.

Defaults: --listen 127.0.0.1:8080, --data ./motcua-data (env MOTCUA_DATA),
--procedures examples/procedures, --directory examples/directory.yaml, the
built-in vn calendar, notifications to the log only. Passwords and API
tokens live in DIR/credentials.json (mode 0600), or with --mongo-uri in
the database's credentials collection, shared by every process on it;
web sessions live in the store (hashed), so a restart signs nobody out;
set them with "motcua users passwd ID" (with the same store flags). --demo gives every directory person a known demo
password, printed at start-up, and receives a few demo dossiers into an
empty store: never use it with real people.

Secrets may come from the environment instead of flags: MOTCUA_MONGO_URI,
MOTCUA_SMTP_PASSWORD, MOTCUA_WEBHOOK_SECRET.`

// prefixList is a repeatable --trusted-proxy: a CIDR, or one address
// standing for itself alone, since "--trusted-proxy 127.0.0.1" is what
// an operator will type.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	ss := make([]string, len(*l))
	for i, p := range *l {
		ss[i] = p.String()
	}
	return strings.Join(ss, ",")
}

func (l *prefixList) Set(v string) error {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		a, aerr := netip.ParseAddr(v)
		if aerr != nil {
			return fmt.Errorf("%q is neither a CIDR (10.0.0.0/8) nor an address", v)
		}
		p = netip.PrefixFrom(a.WithZone(""), a.BitLen())
	}
	*l = append(*l, p.Masked())
	return nil
}

// demoPassword is the password --demo gives everyone; it is printed at
// start-up, so it protects nothing and says so.
const demoPassword = "motcua-demo"

type serveConfig struct {
	listen, dirPath, calPath, baseURL                   string
	store                                               *storeFlags
	procs                                               stringList
	demo                                                bool
	smtpAddr, smtpFrom, smtpUser, smtpPassword, smtpTLS string
	webhookURL, webhookSecret, webhookKeyID             string
	sweepSpec                                           string
	lookupPerMinute                                     int
	trustedProxies                                      prefixList
	templatesDir, notifyLang                            string
	tokenTTL, tokenMaxTTL                               time.Duration
}

func runServe(ctx context.Context, m *Main, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c serveConfig
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fs.DurationVar(&c.tokenTTL, "token-ttl", auth.DefaultTokenTTL, "lifetime of a new API token when its minter asks for none")
	fs.DurationVar(&c.tokenMaxTTL, "token-max-ttl", auth.MaxTokenTTL, "longest lifetime of any API token, also applied to tokens already issued")
	c.store = addStoreFlags(fs) // --data also holds credentials.json; MongoDB holds its own
	fs.Var(&c.procs, "procedures", "procedure files or folders (repeatable; default examples/procedures)")
	fs.StringVar(&c.dirPath, "directory", "examples/directory.yaml", "directory file: units, heads, people")
	fs.StringVar(&c.calPath, "calendar", "", "calendar file (default: the built-in vn calendar)")
	fs.BoolVar(&c.demo, "demo", false, "seed demo passwords (printed) and demo dossiers")
	fs.StringVar(&c.baseURL, "base-url", "", "public address, e.g. https://motcua.example.gov.vn (https makes cookies Secure)")
	fs.StringVar(&c.smtpAddr, "smtp-addr", "", "send e-mail through this SMTP server, HOST:PORT")
	fs.StringVar(&c.smtpFrom, "smtp-from", "", "sender address of e-mails")
	fs.StringVar(&c.smtpUser, "smtp-user", "", "SMTP user (password from env MOTCUA_SMTP_PASSWORD)")
	fs.StringVar(&c.smtpTLS, "smtp-tls", "mandatory", "STARTTLS policy: mandatory, opportunistic or none")
	fs.StringVar(&c.webhookURL, "webhook-url", "", "also POST notifications to this URL, signed with HMAC-SHA256")
	fs.StringVar(&c.webhookSecret, "webhook-secret", "", "webhook HMAC secret (env MOTCUA_WEBHOOK_SECRET)")
	fs.StringVar(&c.webhookKeyID, "webhook-key-id", "", "names the webhook secret in the X-Motcua-Key-Id header, so receivers can rotate keys")
	fs.StringVar(&c.sweepSpec, "sweep", "@every 1m", "cron spec of deadline sweeps")
	fs.IntVar(&c.lookupPerMinute, "lookup-per-minute", httpapi.DefaultLookupPerMinute,
		"public lookups a client address may make per minute; behind a reverse proxy not named by --trusted-proxy every citizen shares the proxy's address, so raise it or give -1 (no limit)")
	fs.Var(&c.trustedProxies, "trusted-proxy",
		"CIDR or address of a reverse proxy whose X-Forwarded-For (else Forwarded) names the client of the sign-in and lookup limits (repeatable, e.g. 127.0.0.1/32)")
	fs.StringVar(&c.templatesDir, "templates", "", "folder of notification templates overriding the built-in ones ({vi,en}/<kind>.tmpl)")
	fs.StringVar(&c.notifyLang, "notify-lang", "vi", "language of notifications: vi or en")
	if err := parseFlags(m, fs, args, serveUsage); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("serve: unexpected argument %q\n%s", fs.Arg(0), serveUsage)
	}
	if c.notifyLang != "vi" && c.notifyLang != "en" {
		return usagef("serve: --notify-lang must be vi or en\n%s", serveUsage)
	}
	env := func(k string) string {
		if m.Getenv == nil {
			return ""
		}
		return m.Getenv(k)
	}
	c.store.resolve(env)
	c.smtpPassword = env("MOTCUA_SMTP_PASSWORD")
	if c.webhookSecret == "" {
		c.webhookSecret = env("MOTCUA_WEBHOOK_SECRET")
	}
	if (c.smtpAddr == "") != (c.smtpFrom == "") {
		return usagef("serve: --smtp-addr and --smtp-from go together")
	}
	if c.webhookURL != "" && c.webhookSecret == "" {
		return usagef("serve: --webhook-url needs --webhook-secret (or MOTCUA_WEBHOOK_SECRET)")
	}
	if len(c.procs) == 0 {
		c.procs = stringList{"examples/procedures"}
	}
	return serve(ctx, m, c)
}

// loadWorld loads what every request reads: calendar, procedure files,
// directory. The files become a catalog once the store is open
// (loadCatalog), since the store keeps the versions already published.
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

func serve(ctx context.Context, m *Main, c serveConfig) error {
	log := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cal, loaded, dir, err := loadWorld(c.calPath, c.procs, c.dirPath)
	if err != nil {
		return err
	}
	store, err := c.store.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	cat, err := loadCatalog(ctx, store, loaded, time.Now(), m.lang(), m.Stderr)
	if err != nil {
		return err
	}
	creds, err := credentialStore(c.store, store)
	if err != nil {
		return err
	}
	eng := &engine.Engine{Store: store, Catalog: cat, Directory: dir, Calendar: cal, Now: time.Now}
	// The calendar may have changed since the last start (next year's
	// official table replacing a provisional one): open dossiers' due
	// instants are re-derived from their ledgers before anyone reads them.
	if moved, err := eng.RecomputeOpen(ctx); err != nil {
		return err
	} else if moved > 0 {
		fmt.Fprintf(m.Stderr, "motcua: %d open dossier(s) have new due instants on calendar %s\n", moved, cal.Name())
	}
	sessions, err := sessionStore(c.store, store)
	if err != nil {
		return err
	}
	as := &auth.Service{Store: creds, Sessions: sessions, Directory: dir, Now: time.Now, TokenTTL: c.tokenTTL, TokenMaxTTL: c.tokenMaxTTL}
	if c.demo {
		if err := seedDemo(ctx, m, eng, as); err != nil {
			return err
		}
	}
	srv, err := httpapi.New(httpapi.Config{
		Engine: eng, Auth: as, Diagram: procedures.Mermaid, Logger: log, BaseURL: c.baseURL,
		Agency: dir.Agency, Place: dir.Place, LookupPerMinute: c.lookupPerMinute,
		TrustedProxies: c.trustedProxies,
		Reports:        report.Handler(store, cal, report.WithCatalog(cat), report.WithDirectory(dir)),
	})
	if err != nil {
		return err
	}
	metrics := srv.Metrics()
	channels, err := notificationChannels(m, c)
	if err != nil {
		return err
	}
	for i, ch := range channels {
		channels[i] = &observed{Channel: ch, m: metrics}
	}
	watcher := &watch.Watcher{Store: store, Engine: eng, Now: time.Now, Logger: log, SweepSpec: c.sweepSpec,
		OnSweep: func(_ watch.Report, err error) { metrics.ObserveSweep(err) }}
	// Messages link to the dossier page when the public address is known.
	tmpl := &notify.Templates{Dir: c.templatesDir, Lang: c.notifyLang, BaseURL: strings.TrimSuffix(c.baseURL, "/")}
	if err := tmpl.Check(); err != nil {
		return &engine.InvalidInputError{Field: "--templates", Reason: err.Error()}
	}
	// One dispatcher among the processes sharing a store, elected like the
	// sweeper, so a message is not sent once per process.
	dispatchLease := &watch.Lease{Store: store, Name: "dispatch", Holder: watch.HolderID()}
	dispatcher := &notify.Dispatcher{Store: store, Channels: channels, Directory: dir, Templates: tmpl, Now: time.Now, Logger: log,
		Elect: dispatchLease.Acquire}

	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}

	// The watch and the dispatcher stop with bg; the server first drains.
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBG()
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		as.RunSessionSweeps(bg, sessionSweepEvery, func(err error) { log.Warn("session sweep", "err", err) })
	}()
	go func() {
		defer wg.Done()
		if err := watcher.Run(bg); err != nil {
			log.Error("deadline watch stopped", "err", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := dispatcher.Run(bg); err != nil {
			log.Error("dispatcher stopped", "err", err)
		}
	}()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	names := make([]string, len(channels))
	for i, ch := range channels {
		names[i] = ch.Name()
	}
	fmt.Fprintf(m.Stdout, "motcua: %d procedure(s), %d people, calendar %s, store %s, notifications via %s\n",
		len(cat.Latest()), len(dir.People()), cal.Name(), c.store.describe(), strings.Join(names, ", "))
	fmt.Fprintf(m.Stdout, "motcua: listening on http://%s (Ctrl-C to stop)\n", ln.Addr())

	select {
	case err = <-served:
		stopBG()
		wg.Wait()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(m.Stdout, "motcua: stopping: draining requests in flight")
	shCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shCtx); err != nil {
		log.Warn("shutdown", "err", err)
	}
	stopBG()
	wg.Wait()
	fmt.Fprintln(m.Stdout, "motcua: stopped"+stopNote(store))
	return nil
}

// notificationChannels builds the channels the flags ask for; the log
// channel alone when none is configured.
func notificationChannels(m *Main, c serveConfig) ([]notify.Channel, error) {
	var chs []notify.Channel
	if c.smtpAddr != "" {
		host, portS, err := net.SplitHostPort(c.smtpAddr)
		if err != nil {
			return nil, usagef("--smtp-addr %q: want HOST:PORT", c.smtpAddr)
		}
		port, err := strconv.Atoi(portS)
		if err != nil {
			return nil, usagef("--smtp-addr %q: bad port", c.smtpAddr)
		}
		policy := map[string]mail.TLSPolicy{"mandatory": mail.TLSMandatory, "opportunistic": mail.TLSOpportunistic, "none": mail.NoTLS}
		tls, ok := policy[c.smtpTLS]
		if !ok {
			return nil, usagef("--smtp-tls %q: want mandatory, opportunistic or none", c.smtpTLS)
		}
		chs = append(chs, &notify.SMTP{Host: host, Port: port, From: c.smtpFrom, TLS: tls, Username: c.smtpUser, Password: c.smtpPassword})
	}
	if c.webhookURL != "" {
		chs = append(chs, &notify.Webhook{URL: c.webhookURL, Secret: []byte(c.webhookSecret), KeyID: c.webhookKeyID})
	}
	if len(chs) == 0 {
		chs = append(chs, &notify.Log{W: m.Stderr})
	}
	return chs, nil
}

// observed counts each delivery attempt of a channel in the metrics.
type observed struct {
	notify.Channel
	m *httpapi.Metrics
}

func (o *observed) Send(ctx context.Context, msg notify.Message) error {
	err := o.Channel.Send(ctx, msg)
	o.m.ObserveNotification(o.Channel.Name(), err)
	return err
}

// seedDemo gives every person the demo password (once) and, into an
// empty store, receives a few demo dossiers.
func seedDemo(ctx context.Context, m *Main, eng *engine.Engine, as *auth.Service) error {
	fmt.Fprintf(m.Stdout, "motcua: DEMO MODE: every person below signs in with the password %q\n", demoPassword)
	// The demo password is printed, so a slow hash protects nothing: the
	// cheapest bcrypt cost makes start-up take a second, not half a
	// minute for a directory of twenty people. Real passwords set later
	// (motcua users passwd, the change-password page) use the full cost.
	demo := &auth.Service{Store: as.Store, Sessions: as.Sessions, Directory: as.Directory, Now: as.Now, Cost: bcrypt.MinCost}
	for _, p := range eng.Directory.People() {
		if !as.HasPassword(ctx, p.ID) {
			if err := demo.SetPassword(ctx, p.ID, demoPassword); err != nil {
				return fmt.Errorf("demo password for %s: %w", p.ID, err)
			}
		}
		roles := make([]string, len(p.Roles))
		for i, r := range p.Roles {
			roles[i] = string(r)
		}
		fmt.Fprintf(m.Stdout, "  %-18s %-24s %-16s %s\n", p.ID, p.Name, strings.Join(roles, ","), strings.Join(p.Units, ","))
	}
	existing, err := eng.Store.List(ctx, engine.Query{Limit: 1})
	if err != nil || len(existing) > 0 {
		return err
	}
	names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Văn Em"}
	n := 0
	for _, p := range eng.Catalog.Latest() {
		if n == len(names) {
			break
		}
		st, ok := p.State(p.Initial)
		if !ok {
			continue
		}
		var actor string
		for _, id := range eng.Directory.Members(st.Unit) {
			if person, _ := eng.Directory.Person(id); person != nil && person.Active && auth.CanAct(person) {
				actor = id
				break
			}
		}
		if actor == "" {
			continue
		}
		d, err := eng.Receive(ctx, p.Code, 0, engine.ReceiveInput{Actor: actor, Channel: engine.ChannelCounter,
			Applicant: engine.Applicant{Name: names[n], Phone: "0900000" + strconv.Itoa(100+n)}, IdempotencyKey: "demo-" + p.Code})
		if err != nil {
			return fmt.Errorf("demo dossier for %s: %w", p.Code, err)
		}
		fmt.Fprintf(m.Stdout, "  demo dossier %s (%s)\n", d.Code, p.Code)
		n++
	}
	return nil
}

// credentialStore returns where passwords and tokens live. On MongoDB
// they are in the store's credentials collection: several processes
// share one database but no folder, and a credentials.json beside each
// would give each its own passwords. With the embedded store, which is
// one process per folder anyway, they stay in the private file beside
// it, which "motcua users" can write while serve holds the store's lock.
func credentialStore(sf *storeFlags, store engine.Store) (auth.CredentialStore, error) {
	if sf.mongoURI == "" {
		return auth.OpenFile(credentialsPath(sf.dataDir))
	}
	cs, ok := store.(engine.CredentialStore)
	if !ok {
		return nil, fmt.Errorf("the %s store keeps no credentials", sf.describe())
	}
	return cs, nil
}

// credentialsPath is where serve and users keep passwords and tokens.
func credentialsPath(dataDir string) string {
	if dataDir == "" {
		dataDir = defaultDataDir
	}
	return filepath.Join(dataDir, "credentials.json")
}

// sessionSweepEvery spaces the sweeps of expired web sessions: they are
// refused on read anyway, the sweep only keeps the table small.
const sessionSweepEvery = 15 * time.Minute

// sessionStore returns where web sessions live: the dossier store, on
// both backends, so that processes sharing a MongoDB share sign-ins and a
// restart (or deploy) signs nobody out, on SQLite too.
func sessionStore(sf *storeFlags, store engine.Store) (engine.SessionStore, error) {
	ss, ok := store.(engine.SessionStore)
	if !ok {
		return nil, fmt.Errorf("the %s store keeps no web sessions", sf.describe())
	}
	return ss, nil
}
