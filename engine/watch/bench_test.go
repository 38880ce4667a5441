package watch_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/sqlitestore"
	"github.com/motcua/motcua/engine/watch"
)

// benchDue is the number of due dossiers every benchmark sweeps.
const benchDue = 500

// benchOpen returns the open-dossier counts to compare: MOTCUA_BENCH_OPEN
// (comma-separated) or 10,000 and 100,000.
func benchOpen() []int {
	v := os.Getenv("MOTCUA_BENCH_OPEN")
	if v == "" {
		return []int{10_000, 100_000}
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err == nil && n >= benchDue {
			out = append(out, n)
		}
	}
	return out
}

// BenchmarkSweep500Due sweeps the same 500 due dossiers among 10,000 and
// among 100,000 open ones on the SQLite store: the times should be about
// equal (issue 5 target: ratio ≤ 1.3), because a sweep reads only the due
// index. Dossiers are built by engine.Receive and inserted through the
// store; the 500 are received Monday 09:00 (reminder due 14:00, when the
// sweep runs), the others Friday (nothing due until then). Between
// iterations the 500 are put back as they were, outside the timer.
func BenchmarkSweep500Due(b *testing.B) {
	for _, open := range benchOpen() {
		b.Run(fmt.Sprintf("open=%d", open), func(b *testing.B) {
			s, err := sqlitestore.Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			e := enginetest.NewEngine(s, enginetest.NewStubClock(monday))
			due := seed(b, s, e, open)
			w := &watch.Watcher{Store: s, Engine: e}
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				reset(b, s, due)
				b.StartTimer()
				rep, err := w.Sweep(ctx, reminderAt)
				if err != nil || rep.Applied != benchDue {
					b.Fatalf("sweep: %+v %v", rep, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/benchDue, "µs/due-dossier")
		})
	}
}

// seed inserts open dossiers, benchDue of them due at reminderAt, and
// returns those as inserted.
func seed(b *testing.B, s engine.Store, e *engine.Engine, open int) []*engine.Dossier {
	b.Helper()
	ctx := context.Background()
	env := engine.Env{Procedure: enginetest.SampleProcedure(), Directory: e.Directory, Calendar: e.Calendar}
	friday := time.Date(2026, 3, 6, 9, 0, 0, 0, calendar.VN().Location())
	start := time.Now()
	var due []*engine.Dossier
	for i := 0; i < open; i++ {
		at, day := friday, "260306"
		if i%(open/benchDue) == 0 && len(due) < benchDue {
			at, day = monday, "260302"
		}
		in := enginetest.SampleReception(fmt.Sprintf("Người nộp %d", i))
		dec, err := engine.Receive(env, in, fmt.Sprintf("XA01-%s-%06d", day, i), at)
		if err != nil {
			b.Fatal(err)
		}
		dec.Dossier.Version = 1
		if err := s.Insert(ctx, dec.Dossier, dec.Notifications); err != nil {
			b.Fatal(err)
		}
		if at.Equal(monday) {
			due = append(due, dec.Dossier)
		}
	}
	b.Logf("seeded %d open dossiers (%d due) in %s", open, len(due), time.Since(start).Round(time.Millisecond))
	return due
}

// reset puts the due dossiers back as they were before the sweep.
func reset(b *testing.B, s engine.Store, due []*engine.Dossier) {
	ctx := context.Background()
	for _, d := range due {
		cur, err := s.Get(ctx, d.Code)
		if err != nil {
			b.Fatal(err)
		}
		nd := d.Clone()
		nd.Version = cur.Version + 1
		// The sweep fired alarms only: put their fields back.
		if err := s.ApplyAlarms(ctx, nd, cur.Version, nil); err != nil {
			b.Fatal(err)
		}
	}
}
