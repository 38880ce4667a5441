package portalsync_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/portalsync"
)

// flow receives one dossier and takes it through the sample flow: five
// writes, each a transition with (sync on) its record in the same write.
func flow(b testing.TB, bd *bundle, i int) string {
	ctx := context.Background()
	d, err := bd.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(fmt.Sprintf("Người nộp %d", i)))
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range enginetest.SampleFlow() {
		if _, err := bd.eng.Act(ctx, d.Code, a, 0); err != nil {
			b.Fatal(err)
		}
	}
	return d.Code
}

// transitionsPerFlow counts a flow's writes, each with its sync record:
// the reception and SampleFlow's four transitions. The benchmarks'
// "transitions/s" counts the reception as one.
const transitionsPerFlow = 5

// receiverDelay models the portal's answer time across a network (a
// round trip and the portal's own write); the loopback answers in
// microseconds otherwise, which no real portal does.
const receiverDelay = 10 * time.Millisecond

// BenchmarkTransitions measures transitions per second on the embedded
// store: without sync (the baseline), with sync records written in the
// same write, with the dispatcher delivering them to a loopback receiver
// at the same time (as serve runs it), and, for contrast, with each
// record POSTed inline before the flow goes on (the design the outbox
// avoids). The receiver answers after receiverDelay.
func BenchmarkTransitions(b *testing.B) {
	for _, mode := range []string{"sync-off", "sync-on", "sync-on+delivering", "sync-on+delivering-8w", "inline-post"} {
		b.Run(mode, func(b *testing.B) {
			bd := setup(b, b.TempDir())
			bd.recv.delay = receiverDelay
			bd.eng.PortalSync = mode != "sync-off"
			bd.disp.Interval = 50 * time.Millisecond
			ctx, stop := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			if mode == "sync-on+delivering-8w" {
				bd.disp.Workers = 8 // serve's default --portal-workers
			}
			if strings.HasPrefix(mode, "sync-on+delivering") {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_ = bd.disp.Run(ctx)
				}()
			}
			commits := bd.store.CommitStats()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				code := flow(b, bd, i)
				if mode == "inline-post" {
					ns, err := bd.store.Notifications(ctx, code, 0)
					if err != nil {
						b.Fatal(err)
					}
					for _, n := range ns {
						if n.Kind == engine.NotePortalSync {
							if err := bd.delivery.Deliver(ctx, n); err != nil {
								b.Fatal(err)
							}
						}
					}
				}
			}
			elapsed := b.Elapsed()
			b.StopTimer()
			stop()
			wg.Wait()
			b.ReportMetric(float64(b.N*transitionsPerFlow)/elapsed.Seconds(), "transitions/s")
			// Commits (fsyncs) per write of the flow: above 1,
			// acknowledgements took commits of their own, and the desk's
			// writes waited behind them.
			after := bd.store.CommitStats()
			b.ReportMetric(float64(after.Commits-commits.Commits)/float64(b.N*transitionsPerFlow), "commits/write")
			b.ReportMetric(float64((after.Busy-commits.Busy).Microseconds())/float64(after.Commits-commits.Commits)/1000, "ms/commit")
			if strings.HasPrefix(mode, "sync-on+delivering") {
				// A dispatcher that falls behind costs the desk less while
				// the backlog grows: what it kept up with is part of the
				// answer.
				b.ReportMetric(float64(bd.delivery.Delivered())/elapsed.Seconds(), "delivered/s")
			}
		})
	}
}

// BenchmarkDelivery measures how fast the dispatcher drains sync records
// to a receiver on loopback: the outbox is filled first (not timed), then
// drained, each dossier's records in order: one record at a time
// (workers=1, as before concurrent delivery) and with serve's default of
// 8 workers. The receiver answers after receiverDelay, as in
// BenchmarkTransitions.
func BenchmarkDelivery(b *testing.B) {
	for _, workers := range []int{1, 8} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			bd := setup(b, b.TempDir())
			bd.recv.delay = receiverDelay
			bd.eng.PortalSync = true
			bd.disp.Workers = workers
			flows := max(b.N/transitionsPerFlow, 1)
			for i := 0; i < flows; i++ {
				flow(b, bd, i)
			}
			ctx := context.Background()
			bd.disp.BatchSize = 100
			before := bd.store.CommitStats()
			b.ResetTimer()
			start := time.Now()
			for {
				sent, failed, err := bd.disp.DispatchOnce(ctx, bd.clock.Now())
				if err != nil || failed > 0 {
					b.Fatal(err, failed)
				}
				if sent == 0 {
					break
				}
			}
			elapsed := time.Since(start)
			b.StopTimer()
			if got := bd.delivery.Delivered(); got != int64(flows*transitionsPerFlow) {
				b.Fatalf("%d records delivered, want %d", got, flows*transitionsPerFlow)
			}
			after := bd.store.CommitStats()
			b.ReportMetric(float64(flows*transitionsPerFlow)/elapsed.Seconds(), "records/s")
			// How many acknowledgements shared each fsync.
			b.ReportMetric(float64(after.Writes-before.Writes)/float64(max(after.Commits-before.Commits, 1)), "acks/commit")
		})
	}
}

// BenchmarkStateOf measures the sync state a dossier's page and every
// answer of the API show, read from a long-lived dossier's outbox: 40
// sync records (a complaint with many steps), each payload carrying
// the progress rows so far (about 250 bytes a row), so the bytes grow
// with the square of the steps. The baseline is reading the dossier
// itself from the same store.
func BenchmarkStateOf(b *testing.B) {
	bd := setup(b, b.TempDir())
	ctx := context.Background()
	d, err := bd.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception("Người khiếu nại"))
	if err != nil {
		b.Fatal(err)
	}
	row := `{"who":"Nguyễn Văn Cán Bộ","when":"20260302090000","status":2,"step_due":"20260305090000","note":"đã xử lý bước"},`
	for i := 1; i <= 40; i++ {
		n := engine.Notification{
			ID: fmt.Sprintf("%s/%04d/portal", d.Code, i), Dossier: d.Code, Kind: engine.NotePortalSync,
			At: enginetest.Monday.Add(time.Duration(i) * time.Minute), Status: engine.NotificationSent,
			NextAttempt: enginetest.Monday, Attempts: 1, SentAt: new(enginetest.Monday.Add(time.Duration(i) * time.Minute)),
			Data: map[string]string{"seq": fmt.Sprint(i), engine.SyncPayloadKey: `{"progress":[` + strings.Repeat(row, i) + `{}]}`},
		}
		if _, err := bd.store.AddNotification(ctx, n); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("get-dossier", func(b *testing.B) {
		for b.Loop() {
			if _, err := bd.store.Get(ctx, d.Code); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("state-of", func(b *testing.B) {
		for b.Loop() {
			if _, ok, err := portalsync.StateOf(ctx, bd.store, d.Code); err != nil || !ok {
				b.Fatal(err, ok)
			}
		}
	})
}
