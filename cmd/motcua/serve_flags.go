package main

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/httpapi"
)

const serveUsage = `usage: motcua serve [--listen ADDR] [--data DIR | --mongo-uri URI [--mongo-db NAME]]
       [--procedures PATH]... [--directory FILE] [--calendar FILE] [--demo]
       [--base-url URL] [--smtp-addr HOST:PORT --smtp-from ADDR [--smtp-user U] [--smtp-tls mandatory|opportunistic|none]]
       [--webhook-url URL --webhook-secret S] [--portal-url URL [--portal-token T] [--portal-workers N]]
       [--sweep CRON] [--trusted-proxy CIDR]...
       [--token-ttl DURATION] [--token-max-ttl DURATION] [--max-file SIZE] [--max-dossier-files SIZE]
       [--public-url URL] [--sms-url URL [--sms-token T] [--sms-body-template FILE]] [--rating-key-file FILE]
       [--figures-max-age DURATION]

Serves the web pages and the JSON API (/api/v1, described at
/api/v1/openapi.json), runs the deadline watch and the notification
dispatcher in the same process. Ctrl-C drains requests in flight, then
stops the watch and the dispatcher.

The dossiers' files live in DIR/files (content-addressed by SHA-256),
or with --mongo-uri in the database's GridFS bucket "files"; uploads are
capped by --max-file (default 20MB) and --max-dossier-files (default
200MB per dossier). "motcua backup" copies a running embedded store.

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
MOTCUA_SMTP_PASSWORD, MOTCUA_WEBHOOK_SECRET, MOTCUA_SMS_TOKEN, MOTCUA_RATING_KEY.

The applicant is told at reception, on a supplement request, a refusal,
an apology and when the result is ready, by e-mail when --smtp-addr is
set and by SMS when --sms-url is, if they gave that contact.`

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

// serveConfig is what the flags and the environment ask serve for.
type serveConfig struct {
	listen, baseURL                                     string
	store                                               *storeFlags
	world                                               *worldFlags
	demo                                                bool
	smtpAddr, smtpFrom, smtpUser, smtpPassword, smtpTLS string
	webhookURL, webhookSecret, webhookKeyID             string
	portalURL, portalToken                              string
	portalWorkers                                       int
	sweepSpec                                           string
	lookupPerMinute                                     int
	trustedProxies                                      prefixList
	templatesDir, notifyLang                            string
	tokenTTL, tokenMaxTTL                               time.Duration
	backdateDays                                        int
	citizen                                             *citizenFlags
	maxFile, maxDossierFiles                            byteSize
	figureMaxAge                                        time.Duration
}

// parseServeFlags reads serve's flags and the environment into a
// configuration; every usage error is found here, before anything opens.
func parseServeFlags(m *Main, args []string) (serveConfig, error) {
	fs := newFlags("serve", serveUsage)
	var c serveConfig
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fs.DurationVar(&c.tokenTTL, "token-ttl", auth.DefaultTokenTTL, "lifetime of a new API token when its minter asks for none")
	fs.DurationVar(&c.tokenMaxTTL, "token-max-ttl", auth.MaxTokenTTL, "longest lifetime of any API token, also applied to tokens already issued")
	c.store = addStoreFlags(fs) // --data also holds credentials.json; MongoDB holds its own
	c.world = addWorldFlags(fs)
	fs.BoolVar(&c.demo, "demo", false, "seed demo passwords (printed) and demo dossiers")
	fs.StringVar(&c.baseURL, "base-url", "", "public address, e.g. https://motcua.example.gov.vn (https makes cookies Secure)")
	fs.StringVar(&c.smtpAddr, "smtp-addr", "", "send e-mail through this SMTP server, HOST:PORT")
	fs.StringVar(&c.smtpFrom, "smtp-from", "", "sender address of e-mails")
	fs.StringVar(&c.smtpUser, "smtp-user", "", "SMTP user (password from env MOTCUA_SMTP_PASSWORD)")
	fs.StringVar(&c.smtpTLS, "smtp-tls", "mandatory", "STARTTLS policy: mandatory, opportunistic or none")
	fs.StringVar(&c.webhookURL, "webhook-url", "", "also POST notifications to this URL, signed with HMAC-SHA256")
	fs.StringVar(&c.webhookSecret, "webhook-secret", "", "webhook HMAC secret (env MOTCUA_WEBHOOK_SECRET)")
	fs.StringVar(&c.webhookKeyID, "webhook-key-id", "", "names the webhook secret in the X-Motcua-Key-Id header, so receivers can rotate keys")
	fs.StringVar(&c.portalURL, "portal-url", "", "sync every dossier's status to the national portal at this URL (docs/portal-sync.md)")
	fs.StringVar(&c.portalToken, "portal-token", "", "bearer token of the portal endpoint (env MOTCUA_PORTAL_TOKEN)")
	fs.IntVar(&c.portalWorkers, "portal-workers", 8,
		"with --portal-url, deliveries of different dossiers in flight at once, the other notices of a round included (each dossier's stay in order; 1: one at a time)")
	fs.StringVar(&c.sweepSpec, "sweep", "@every 1m", "cron spec of deadline sweeps")
	fs.IntVar(&c.lookupPerMinute, "lookup-per-minute", httpapi.DefaultLookupPerMinute,
		"public lookups a client address may make per minute; behind a reverse proxy not named by --trusted-proxy every citizen shares the proxy's address, so raise it or give -1 (no limit)")
	fs.Var(&c.trustedProxies, "trusted-proxy",
		"CIDR or address of a reverse proxy whose X-Forwarded-For (else Forwarded) names the client of the sign-in and lookup limits (repeatable, e.g. 127.0.0.1/32)")
	fs.StringVar(&c.templatesDir, "templates", "", "folder of notification templates overriding the built-in ones ({vi,en}/<kind>.tmpl)")
	fs.StringVar(&c.notifyLang, "notify-lang", "vi", "language of notifications: vi or en")
	c.citizen = addCitizenFlags(fs)
	fs.DurationVar(&c.figureMaxAge, "figures-max-age", 5*time.Minute,
		"how old the dashboard's period figures and chart may be when shown (the page says when they were computed); 0 computes them on every view")
	fs.IntVar(&c.backdateDays, "backdate-days", engine.DefaultBackdateDays,
		"working days back a postal reception may be dated, with a reason (0: never)")
	c.maxFile, c.maxDossierFiles = engine.DefaultMaxFileBytes, engine.DefaultMaxDossierBytes
	fs.Var(&c.maxFile, "max-file", "largest file a dossier may take, e.g. 20MB")
	fs.Var(&c.maxDossierFiles, "max-dossier-files", "most a dossier's own files may weigh in all, e.g. 200MB")
	if err := fs.parse(m, args); err != nil {
		return c, err
	}
	if fs.NArg() != 0 {
		return c, usagef("serve: unexpected argument %q\n%s", fs.Arg(0), serveUsage)
	}
	if c.notifyLang != "vi" && c.notifyLang != "en" {
		return c, usagef("serve: --notify-lang must be vi or en\n%s", serveUsage)
	}
	env := func(k string) string {
		if m.Getenv == nil {
			return ""
		}
		return m.Getenv(k)
	}
	c.store.resolve(env)
	c.smtpPassword = env("MOTCUA_SMTP_PASSWORD")
	if c.portalToken == "" {
		c.portalToken = env("MOTCUA_PORTAL_TOKEN")
	}
	if c.webhookSecret == "" {
		c.webhookSecret = env("MOTCUA_WEBHOOK_SECRET")
	}
	if (c.smtpAddr == "") != (c.smtpFrom == "") {
		return c, usagef("serve: --smtp-addr and --smtp-from go together")
	}
	if c.portalWorkers < 1 {
		return c, usagef("serve: --portal-workers must be at least 1")
	}
	if c.webhookURL != "" && c.webhookSecret == "" {
		return c, usagef("serve: --webhook-url needs --webhook-secret (or MOTCUA_WEBHOOK_SECRET)")
	}
	if err := c.citizen.resolve(env, c.baseURL); err != nil {
		return c, err
	}
	c.citizen.getenv = env
	return c, nil
}
