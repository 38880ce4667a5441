package httpapi

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// actionBench is a server on the embedded store with dossiers at the
// office, ready for note actions (a real transition that leaves the
// dossier open, so a load can repeat it any number of times).
type actionBench struct {
	bd     *bundle
	office []string
	client *http.Client
	n      atomic.Int64
}

func newActionBench(tb testing.TB, dossiers int) *actionBench {
	bd := setup(tb)
	ctx := context.Background()
	ab := &actionBench{bd: bd, client: &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}}}
	for i := range dossiers {
		d, err := bd.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(fmt.Sprintf("Người nộp %05d", i)))
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := bd.eng.Act(ctx, d.Code, engine.ActInput{Action: "chuyen", Actor: receiver}, 0); err != nil {
			tb.Fatal(err)
		}
		ab.office = append(ab.office, d.Code)
	}
	return ab
}

// act posts one note action and returns its latency.
func (ab *actionBench) act() (time.Duration, error) {
	i := ab.n.Add(1)
	code := ab.office[int(i)%len(ab.office)]
	req, _ := http.NewRequest("POST", ab.bd.ts.URL+"/api/v1/dossiers/"+code+"/actions/ghi_chu",
		strings.NewReader(`{"inputs":{"note":"đã kiểm tra"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+ab.bd.tokens[officer])
	req.Header.Set("Idempotency-Key", fmt.Sprintf("load-%d", i))
	start := time.Now()
	res, err := ab.client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	took := time.Since(start)
	if res.StatusCode != 200 {
		return 0, fmt.Errorf("POST %s: status %d", req.URL.Path, res.StatusCode)
	}
	return took, nil
}

// load sends total actions from senders goroutines, each waiting for its
// answer before the next, and returns the wall time and every latency.
func (ab *actionBench) load(senders, total int) (time.Duration, []time.Duration, error) {
	var left atomic.Int64
	left.Store(int64(total))
	lat := make([][]time.Duration, senders)
	errs := make([]error, senders)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range senders {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				d, err := ab.act()
				if err != nil {
					errs[w] = err
					return
				}
				lat[w] = append(lat[w], d)
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return 0, nil, err
		}
	}
	return wall, slices.Concat(lat...), nil
}

// quantile returns the q quantile (0 < q <= 1) of ds, sorting it.
func quantile(ds []time.Duration, q float64) time.Duration {
	slices.Sort(ds)
	i := int(float64(len(ds))*q+0.5) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// BenchmarkActionSenders measures note actions over HTTP from 1 and from
// 8 concurrent senders (each waits for its answer before sending again),
// on the embedded store with group commit: actions/s and the p99 latency.
//
//	go test ./engine/httpapi -run '^$' -bench ActionSenders -benchtime 2000x
func BenchmarkActionSenders(b *testing.B) {
	ab := newActionBench(b, 1000)
	for _, senders := range []int{1, 8} {
		b.Run(fmt.Sprintf("senders=%d", senders), func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			wall, lat, err := ab.load(senders, b.N)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/wall.Seconds(), "actions/s")
			b.ReportMetric(float64(quantile(lat, 0.99).Microseconds())/1000, "p99-ms")
		})
	}
}

// TestActionSendersReport measures 1 and 8 senders interleaved, five
// rounds of 2,000 actions each, and prints the medians as Markdown for
// docs/benchmarks.md. Disk- and CPU-bound, so only when asked:
//
//	MOTCUA_BENCH=1 go test -count=1 -run TestActionSendersReport -v ./engine/httpapi
func TestActionSendersReport(t *testing.T) {
	if os.Getenv("MOTCUA_BENCH") == "" {
		t.Skip("set MOTCUA_BENCH=1 to measure")
	}
	const rounds, total = 5, 2000
	ab := newActionBench(t, 1000)
	type result struct {
		rate          float64
		p50, p99, max time.Duration
		cpu           time.Duration // process CPU (user + system) per action
	}
	res := map[int][]result{}
	batch := map[int]float64{} // writes per commit, over all rounds
	st := ab.bd.store.(*sqlitestore.Store)
	if f := os.Getenv("MOTCUA_CPUPROFILE"); f != "" {
		// The loads only, not the seeding.
		w, err := os.Create(f)
		if err != nil {
			t.Fatal(err)
		}
		pprof.StartCPUProfile(w)
		defer pprof.StopCPUProfile()
	}
	for range rounds {
		for _, senders := range []int{1, 8} {
			before, cpu0 := st.CommitStats(), cpuTime()
			wall, lat, err := ab.load(senders, total)
			if err != nil {
				t.Fatal(err)
			}
			after, cpu := st.CommitStats(), cpuTime()-cpu0
			batch[senders] += float64(after.Writes-before.Writes) / float64(after.Commits-before.Commits) / rounds
			res[senders] = append(res[senders], result{float64(total) / wall.Seconds(),
				quantile(lat, 0.5), quantile(lat, 0.99), quantile(lat, 1), cpu / total})
		}
	}
	median := func(rs []result) result {
		rs = slices.Clone(rs)
		slices.SortFunc(rs, func(a, b result) int { return cmp.Compare(a.rate, b.rate) })
		return rs[len(rs)/2]
	}
	one, eight := median(res[1]), median(res[8])
	var out strings.Builder
	// Cores busy is CPU per action times actions per second: how much of
	// the machine's two cores the process (server and senders) used.
	fmt.Fprintf(&out, "| senders | actions/s (median of %d rounds of %d) | p50 | p99 | max | writes per fsync | CPU per action | cores busy |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n", rounds, total)
	for _, r := range []struct {
		n int
		r result
	}{{1, one}, {8, eight}} {
		fmt.Fprintf(&out, "| %d | %.0f | %.2f ms | %.2f ms | %.2f ms | %.2f | %.2f ms | %.2f |\n", r.n, r.r.rate,
			float64(r.r.p50.Microseconds())/1000, float64(r.r.p99.Microseconds())/1000, float64(r.r.max.Microseconds())/1000,
			batch[r.n], float64(r.r.cpu.Microseconds())/1000, r.r.cpu.Seconds()*r.r.rate)
	}
	fmt.Fprintf(&out, "\n8 senders ÷ 1 sender: **%.2f×**; every round (1, 8): ", eight.rate/one.rate)
	for i := range rounds {
		fmt.Fprintf(&out, "%.0f/%.0f ", res[1][i].rate, res[8][i].rate)
	}
	fmt.Fprintf(&out, "\nload average: %s", loadAvg())
	t.Log("\n" + out.String())
}

// cpuTime is the process's CPU time so far (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAvg reads /proc/loadavg: how busy the shared machine was.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
