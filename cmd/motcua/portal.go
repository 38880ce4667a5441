package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/notify"
	"github.com/motcua/motcua/engine/portalsync"
	"github.com/motcua/motcua/engine/report"
)

const portalUsage = `usage: motcua portal resync --from YYYY-MM-DD [--to YYYY-MM-DD]
       [--data DIR | --mongo-uri URI [--mongo-db NAME]]
       [--procedures PATH]... [--directory FILE] [--calendar FILE]

Re-sends to the national portal the current picture of every dossier
received from --from to --to (inclusive days in the calendar's zone; --to
defaults to today): one fresh sync record per dossier is added to the
outbox, and the dispatcher of "motcua serve --portal-url" delivers it
after the dossier's earlier records. Each run is a new resync: its records
carry their own ids (…/portal/resync-<run>), so the receiver takes them
as new, not as duplicates. docs/portal-sync.md is the contract.`

// runPortal runs the portal's subcommands.
func runPortal(ctx context.Context, m *Main, args []string) error {
	switch {
	case len(args) > 0 && args[0] == "resync":
		args = args[1:]
	case len(args) == 0 || !strings.HasPrefix(args[0], "-"):
		return usagef("%s", portalUsage)
	}
	// Flags alone (-h) reach the parser, which prints the usage.
	fs := newFlags("portal resync", portalUsage)
	fromFlag := fs.String("from", "", "first day of reception, YYYY-MM-DD (inclusive)")
	toFlag := fs.String("to", "", "last day of reception, YYYY-MM-DD (inclusive; default today)")
	sf := addStoreFlags(fs)
	world := addWorldFlags(fs)
	if err := fs.parse(m, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("portal resync: unexpected argument %q\n%s", fs.Arg(0), portalUsage)
	}
	if *fromFlag == "" {
		return usagef("portal resync: --from is required\n%s", portalUsage)
	}
	cal, loaded, dir, err := loadWorld(world.calPath, world.procedures(), world.dirPath)
	if err != nil {
		return err
	}
	loc := cal.Location()
	now := m.Now.Time()
	from, err := report.ParseDate(*fromFlag, "from")
	if err != nil {
		return err
	}
	start := time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, loc)
	end := time.Date(now.In(loc).Year(), now.In(loc).Month(), now.In(loc).Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	if *toFlag != "" {
		to, err := report.ParseDate(*toFlag, "to")
		if err != nil {
			return err
		}
		end = time.Date(to.Year, to.Month, to.Day, 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	}
	if !end.After(start) {
		return usagef("portal resync: --to is before --from")
	}
	sf.resolve(m.Getenv)
	st, err := sf.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cat, err := publishCatalog(ctx, st, loaded, now, m.lang(), m.Stderr)
	if err != nil {
		return err
	}
	eng := &engine.Engine{Store: st, Catalog: cat, Directory: dir, Calendar: cal, Now: m.Now, PortalSync: true}
	stamp := now.In(loc).Format(engine.SyncDateLayout)
	n, err := portalsync.Resync(ctx, eng, start, end, stamp)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%d sync record(s) queued for dossiers received %s to %s (resync %s)\n",
		n, start.Format("2006-01-02"), end.AddDate(0, 0, -1).Format("2006-01-02"), stamp)
	return nil
}

// portalDelivery is serve's delivery to the national portal, when
// --portal-url is set: the dispatcher's route for sync records, with its
// counters on the metrics registry. nil when sync is off.
func portalDelivery(c serveConfig, st engine.Store, register func(prometheus.Collector) error) (map[string]notify.Route, error) {
	if c.portalURL == "" {
		return nil, nil
	}
	// One kept-alive connection per worker: the default transport keeps
	// two, and the other workers would dial the portal for every record.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = max(c.portalWorkers, 2)
	d := &portalsync.Delivery{Store: st, URL: c.portalURL, Token: c.portalToken,
		Client: &http.Client{Timeout: 30 * time.Second, Transport: tr}}
	for _, col := range d.Collectors() {
		if err := register(col); err != nil {
			return nil, err
		}
	}
	return map[string]notify.Route{engine.NotePortalSync: d}, nil
}
