package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/notify"
	"github.com/motcua/motcua/engine/watch"
)

const sweepUsage = `usage: motcua sweep [--at RFC3339] [--data DIR | --mongo-uri URI [--mongo-db NAME]]
       [--procedures PATH]... [--directory FILE] [--calendar FILE]
       [--digest] [--dispatch] [--json] [--lang vi|en]

Runs one sweep of the deadline watch at --at (default: now): every dossier
whose escalation rung, apology-letter notice or timed action is due gets
it, at most once, and the notifications are recorded in the store's
outbox. It prints what it decided. With --digest it also records today's
digests for unit heads.

Sending is left to the dispatcher of "motcua serve", which owns the
e-mail and webhook settings. --dispatch instead renders the pending
notifications to stdout (the log channel) and marks them sent: for
demonstrations and tests, never next to a real mail channel.

Defaults: --data ./motcua-data (env MOTCUA_DATA), --procedures
examples/procedures, --directory examples/directory.yaml. The embedded
store serves one process at a time: while "motcua serve" runs on DIR, its
own watch sweeps every minute.`

// runSweep runs one sweep of the deadline watch at --at.
func runSweep(ctx context.Context, m *Main, args []string) error {
	fs := newFlags("sweep", sweepUsage)
	atFlag := fs.String("at", "", "the sweep's instant, RFC3339 (default: now)")
	sf := addStoreFlags(fs)
	world := addWorldFlags(fs)
	digest := fs.Bool("digest", false, "also record today's digests for unit heads")
	dispatch := fs.Bool("dispatch", false, "render pending notifications to stdout and mark them sent")
	asJSON := fs.Bool("json", false, "print the decisions as JSON")
	lang := fs.String("lang", "vi", "language of the output: vi or en")
	if err := fs.parse(m, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("sweep: unexpected argument %q\n%s", fs.Arg(0), sweepUsage)
	}
	if err := checkLang(*lang); err != nil {
		return err
	}
	at := m.Now.Time()
	if *atFlag != "" {
		t, err := time.Parse(time.RFC3339, *atFlag)
		if err != nil {
			return usagef("sweep: --at %q: want an RFC3339 instant such as 2026-03-03T15:00:00+07:00", *atFlag)
		}
		at = t
	}
	cal, loaded, dir, err := loadWorld(world.calPath, world.procedures(), world.dirPath)
	if err != nil {
		return err
	}
	sf.resolve(m.Getenv)
	st, err := sf.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// FirstSeen is the wall clock, not --at: it records when a version
	// was first published here, whatever instant the sweep acts as of.
	cat, err := publishCatalog(ctx, st, loaded, m.Now.Time(), m.lang(), m.Stderr)
	if err != nil {
		return err
	}

	eng := &engine.Engine{Store: st, Catalog: cat, Directory: dir, Calendar: cal, Now: func() time.Time { return at }}
	w := &watch.Watcher{Store: st, Engine: eng, Now: eng.Now}
	rep, err := w.Sweep(ctx, at)
	if err != nil {
		return err
	}
	digests := 0
	if *digest {
		if digests, err = w.DigestOnce(ctx, at); err != nil {
			return err
		}
	}
	out := sweepOutput{
		At: at, Checked: rep.Checked, Applied: rep.Applied, Conflicts: rep.Conflicts, Errors: rep.Errors,
		Digests: digests, Notifications: []sweepNotification{}, Actions: []watch.Fired{},
	}
	for _, n := range rep.Notifications {
		out.Notifications = append(out.Notifications, sweepNotification{
			ID: n.ID, At: n.At, Ref: n.Dossier, Kind: n.Kind, Level: n.Level, To: n.To, Channel: n.Channel,
		})
	}
	out.Actions = append(out.Actions, rep.Actions...)
	if *dispatch {
		var log strings.Builder
		d := &notify.Dispatcher{Store: st, Channels: []notify.Channel{&notify.Log{W: &log}}, Directory: dir,
			Templates: &notify.Templates{Lang: *lang}}
		for {
			sent, failed, err := d.DispatchOnce(ctx, at)
			out.Sent += sent
			if err != nil {
				return err
			}
			if sent+failed == 0 {
				break
			}
		}
		out.log = log.String()
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	out.writeText(m.Stdout, cal.FormatInstant, *lang)
	return nil
}

// sweepOutput is what "motcua sweep" prints; its notifications have the
// shape "motcua simulate" uses (at, ref, kind, level, to, channel).
type sweepOutput struct {
	At            time.Time           `json:"at"`
	Checked       int                 `json:"checked"`
	Applied       int                 `json:"applied"`
	Conflicts     int                 `json:"conflicts"`
	Errors        int                 `json:"errors"`
	Digests       int                 `json:"digests"`
	Sent          int                 `json:"sent"`
	Notifications []sweepNotification `json:"notifications"`
	Actions       []watch.Fired       `json:"actions"`
	log           string
}

type sweepNotification struct {
	ID      string    `json:"id"`
	At      time.Time `json:"at"`
	Ref     string    `json:"ref"`
	Kind    string    `json:"kind"`
	Level   int       `json:"level"`
	To      []string  `json:"to"`
	Channel string    `json:"channel,omitempty"`
}

func (o sweepOutput) writeText(w io.Writer, format func(time.Time, string) string, lang string) {
	if lang == "en" {
		fmt.Fprintf(w, "Sweep at %s: %d dossiers checked, %d updated, %d changed meanwhile (skipped), %d errors\n",
			format(o.At, lang), o.Checked, o.Applied, o.Conflicts, o.Errors)
	} else {
		fmt.Fprintf(w, "Quét hạn lúc %s: kiểm tra %d hồ sơ, cập nhật %d, %d hồ sơ vừa thay đổi (bỏ qua), %d lỗi\n",
			format(o.At, lang), o.Checked, o.Applied, o.Conflicts, o.Errors)
	}
	for _, n := range o.Notifications {
		fmt.Fprintf(w, "  %-12s %d  %-20s → %s\n", n.Kind, n.Level, n.Ref, strings.Join(n.To, ", "))
	}
	for _, a := range o.Actions {
		if lang == "en" {
			fmt.Fprintf(w, "  timed action %s on %s: %s → %s\n", a.Action, a.Code, a.From, a.To)
		} else {
			fmt.Fprintf(w, "  thao tác tự động %s trên %s: %s → %s\n", a.Action, a.Code, a.From, a.To)
		}
	}
	if o.Digests > 0 {
		if lang == "en" {
			fmt.Fprintf(w, "%d digests recorded\n", o.Digests)
		} else {
			fmt.Fprintf(w, "Đã ghi %d bản tổng hợp hằng ngày\n", o.Digests)
		}
	}
	if o.log != "" {
		fmt.Fprint(w, o.log)
	}
}
