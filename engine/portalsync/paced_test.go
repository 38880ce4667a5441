package portalsync_test

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestPacedTransitionsReport answers "does syncing slow transitions" at
// a steady desk load instead of at the store's saturation: the desk
// offers flows at a fixed rate (each a reception and four transitions),
// without sync and with the dispatcher delivering to the receiver at
// the same time, interleaved, and the report prints each transition's
// latency (p50, p99), the rate achieved, and what the dispatcher
// delivered and left behind. BenchmarkTransitions measures the other
// question, what the desk can do flat out.
//
//	MOTCUA_BENCH=1 go test -count=1 -run TestPacedTransitionsReport -v ./engine/portalsync
func TestPacedTransitionsReport(t *testing.T) {
	if os.Getenv("MOTCUA_BENCH") == "" {
		t.Skip("set MOTCUA_BENCH=1 to measure")
	}
	const (
		flowsPerSecond = 60 // 240 transitions/s: more than a province's desks at their peak
		seconds        = 5
		rounds         = 3
	)
	type result struct {
		rate, delivered float64
		p50, p99        time.Duration
		left            int
	}
	res := map[string][]result{}
	for range rounds {
		for _, mode := range []string{"sync-off", "sync-on+delivering-8w"} {
			bd := setup(t, t.TempDir())
			bd.recv.delay = receiverDelay
			bd.eng.PortalSync = mode != "sync-off"
			bd.disp.Interval = 50 * time.Millisecond
			bd.disp.Workers = 8
			ctx, stop := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			if bd.eng.PortalSync {
				wg.Go(func() { _ = bd.disp.Run(ctx) })
			}
			var lat []time.Duration
			tick := time.NewTicker(time.Second / flowsPerSecond)
			start := time.Now()
			for i := range flowsPerSecond * seconds {
				<-tick.C
				d, err := bd.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(fmt.Sprintf("Người nộp %d", i)))
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range enginetest.SampleFlow() {
					t0 := time.Now()
					if _, err := bd.eng.Act(ctx, d.Code, a, 0); err != nil {
						t.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
				}
			}
			wall := time.Since(start)
			tick.Stop()
			stop()
			wg.Wait()
			pending, err := bd.store.PendingNotifications(context.Background(), bd.clock.Now(), 0)
			if err != nil {
				t.Fatal(err)
			}
			left := 0
			for _, n := range pending {
				if n.Kind == engine.NotePortalSync {
					left++
				}
			}
			slices.Sort(lat)
			res[mode] = append(res[mode], result{
				rate:      float64(len(lat)) / wall.Seconds(),
				delivered: float64(bd.delivery.Delivered()) / wall.Seconds(),
				p50:       lat[len(lat)/2], p99: lat[len(lat)*99/100],
				left: left,
			})
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "| mode | transitions/s offered | achieved | p50 | p99 | sync records delivered/s | sync records pending at the end |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, mode := range []string{"sync-off", "sync-on+delivering-8w"} {
		rs := slices.Clone(res[mode])
		slices.SortFunc(rs, func(a, b result) int { return cmp.Compare(a.p50, b.p50) })
		m := rs[len(rs)/2]
		fmt.Fprintf(&out, "| %s | %d | %.0f | %.2f ms | %.2f ms | %.0f | %d |\n", mode, flowsPerSecond*len(enginetest.SampleFlow()), m.rate,
			float64(m.p50.Microseconds())/1000, float64(m.p99.Microseconds())/1000, m.delivered, m.left)
	}
	fmt.Fprintf(&out, "\nmedian of %d interleaved rounds of %d s (by p50); every round's p50/p99 (off | delivering): ", rounds, seconds)
	for i := range rounds {
		a, b := res["sync-off"][i], res["sync-on+delivering-8w"][i]
		fmt.Fprintf(&out, "%.2f/%.2f | %.2f/%.2f; ", float64(a.p50.Microseconds())/1000, float64(a.p99.Microseconds())/1000,
			float64(b.p50.Microseconds())/1000, float64(b.p99.Microseconds())/1000)
	}
	t.Log("\n" + out.String())
}
