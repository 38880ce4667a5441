package report_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// quarter is Q1 2026, the period the benchmarks report on.
var quarter = report.Query{From: calendar.Date{Year: 2026, Month: 1, Day: 1}, To: calendar.Date{Year: 2026, Month: 3, Day: 31}, By: report.ByUnit}

// seedQuarter makes n dossiers of the sample procedure received over the
// working days of Q1 2026 through the engine on an in-memory store (the
// pure step does the work; fast), then inserts the engine's documents
// into dst, one by one as any store receives them. Outcomes by i mod 20:
// 0 refused, 1–3 late, 4–5 open at the office, 6 waiting for a
// supplement, the rest returned within two working days.
func seedQuarter(tb testing.TB, dst engine.Store, n int) {
	tb.Helper()
	cal := calendar.VN()
	var days []time.Time
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, cal.Location()); d.Month() <= 3; d = d.AddDate(0, 0, 1) {
		if cal.IsWorkingDay(calendar.DateOf(d, cal.Location())) {
			days = append(days, d)
		}
	}
	mem := newMemStore()
	s := newSeeder(tb, mem)
	desk, off, chair := enginetest.Receiver, enginetest.Officer, enginetest.Chairman
	// work adds office hours on the calendar, so every action falls in
	// office hours after the one before.
	work := func(t time.Time, h float64) time.Time { return cal.AddWork(t, time.Duration(h*float64(time.Hour))) }
	for i := range n {
		recv := days[i%len(days)].Add(time.Duration(8*60+(i*7)%(8*60)) * time.Minute)
		if recv.Hour() >= 12 {
			recv = recv.Add(time.Hour) // skip the lunch break
		}
		code := s.receive(fmt.Sprintf("Người nộp %d", i), recv, []engine.Channel{engine.ChannelCounter, engine.ChannelOnline, engine.ChannelPost}[i%3])
		t := work(recv, 1)
		s.act(code, "chuyen", desk, t)
		switch k := i % 20; {
		case k == 0:
			s.act(code, "tu_choi", off, work(t, 4), "reason", "không đủ điều kiện")
		case k <= 3:
			s.act(code, "trinh", off, work(t, 40))
			s.act(code, "ky", chair, work(t, 48))
			s.act(code, "tra", desk, work(t, 56))
		case k <= 5:
		case k == 6:
			s.act(code, "yeu_cau_bo_sung", off, work(t, 2), "reason", "thiếu giấy tờ")
		default:
			s.act(code, "trinh", off, work(t, 4))
			s.act(code, "ky", chair, work(t, 8))
			s.act(code, "tra", desk, work(t, 12))
		}
	}
	// Inserted from 32 goroutines: the embedded store's group commit
	// shares each fsync among them, so 100,000 take about a minute, not
	// four (one fsync each).
	ctx := context.Background()
	jobs := make(chan *engine.Dossier, 64)
	errs := make(chan error, 32)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for d := range jobs {
				if err := dst.Insert(ctx, d, nil); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	err := mem.Scan(ctx, engine.Query{}, func(d *engine.Dossier) error {
		d.Version = 1
		jobs <- d
		return nil
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		tb.Fatal(err)
	}
	select {
	case err := <-errs:
		tb.Fatal(err)
	default:
	}
}

// reportBenches returns the two measurements over one seeded store: the
// report, and a bare Scan with the same bound decoding the same
// dossiers (the floor any report over this store pays).
func reportBenches(st engine.Store) (compute, scan func(*testing.B)) {
	cal := calendar.VN()
	_, end := report.Bounds(cal, quarter.From, quarter.To)
	compute = func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := report.Compute(context.Background(), st, cal, quarter); err != nil {
				b.Fatal(err)
			}
		}
	}
	scan = func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			err := st.Scan(context.Background(), engine.Query{ReceivedTo: end}, func(*engine.Dossier) error { n++; return nil })
			if err != nil || n == 0 {
				b.Fatal(n, err)
			}
		}
	}
	return compute, scan
}

// BenchmarkQuarterReport: a Q1 report by unit over 10,000 dossiers on the
// embedded store, against a bare Scan of the same dossiers.
//
//	go test -run '^$' -bench QuarterReport -benchtime 3x ./engine/report
func BenchmarkQuarterReport(b *testing.B) {
	st := openSQLite(b)
	seedQuarter(b, st, 10000)
	compute, scan := reportBenches(st)
	b.Run("report", compute)
	b.Run("bare-scan", scan)
}

// median returns the median of ds, rounded to the millisecond (to the
// microsecond under 10 ms: a lookup by code).
func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if s[len(s)/2] < 10*time.Millisecond {
		return s[len(s)/2].Round(time.Microsecond)
	}
	return s[len(s)/2].Round(time.Millisecond)
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestReportBenchmark measures a Q1 report by unit against a bare Scan of
// the same dossiers in one process (five interleaved rounds, medians of
// wall and CPU time), and the peak heap of one report, printing Markdown
// for docs/benchmarks.md. Seeding inserts one dossier per fsynced
// transaction (about 30 s per 10,000 on a loaded machine), so it runs
// only when asked:
//
//	MOTCUA_BENCH=1 [MOTCUA_BENCH_N=100000] go test -run TestReportBenchmark -v ./engine/report
func TestReportBenchmark(t *testing.T) {
	if os.Getenv("MOTCUA_BENCH") == "" {
		t.Skip("set MOTCUA_BENCH=1 to measure (disk-bound seeding)")
	}
	n := 10000
	if s := os.Getenv("MOTCUA_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	st := openSQLite(t)
	start := time.Now()
	seedQuarter(t, st, n)
	t.Logf("seeded %d dossiers in %v", n, time.Since(start).Round(time.Millisecond))

	// Interleaved rounds, so load from other processes hits both alike;
	// CPU time (user + system, from getrusage) is steadier than wall time
	// on a shared machine.
	cal := calendar.VN()
	_, qend := report.Bounds(cal, quarter.From, quarter.To)
	var codes []string
	if err := st.Scan(context.Background(), engine.Query{Limit: 1000}, func(d *engine.Dossier) error { codes = append(codes, d.Code); return nil }); err != nil {
		t.Fatal(err)
	}
	lookups := 0
	runs := []func() error{
		func() error { _, err := report.Compute(context.Background(), st, cal, quarter); return err },
		func() error {
			return st.Scan(context.Background(), engine.Query{ReceivedTo: qend}, func(*engine.Dossier) error { return nil })
		},
		func() error {
			_, err := report.Compute(context.Background(), enginetest.WholeScan{Src: st}, cal, quarter)
			return err
		},
		func() error {
			return st.Scan(context.Background(), engine.Query{ReceivedTo: qend, OpenAt: time.Unix(0, 0), Slim: true}, func(*engine.Dossier) error { return nil })
		},
		func() error {
			lookups++
			_, err := st.Get(context.Background(), codes[lookups%len(codes)])
			return err
		},
	}
	var wall, cpu [5][]time.Duration
	for range 5 {
		for i, f := range runs {
			c0, w0 := cpuTime(t), time.Now()
			if err := f(); err != nil {
				t.Fatal(err)
			}
			wall[i] = append(wall[i], time.Since(w0))
			cpu[i] = append(cpu[i], cpuTime(t)-c0)
		}
	}
	allocs := testing.AllocsPerRun(1, func() { _ = runs[0]() })
	// Peak heap of one report, sampled every 5 ms while it runs.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak.Store(max(peak.Load(), ms.HeapAlloc))
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	r, err := report.Compute(context.Background(), st, calendar.VN(), quarter)
	close(done)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	lookup := median(wall[4])
	fmt.Fprintf(&out, "| dossiers | report (slim copies): wall, CPU | before: report (whole documents): wall, CPU | bare Slim scan: wall, CPU | lookup by code: wall | report ÷ lookup (wall) | report before ÷ after (CPU) |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&out, "| %d | %v, %v | %v, %v | %v, %v | %v | %.0f× | %.2f× |\n\n", n,
		median(wall[0]), median(cpu[0]), median(wall[2]), median(cpu[2]), median(wall[3]), median(cpu[3]),
		lookup, float64(median(wall[0]))/float64(max(lookup, time.Microsecond)),
		float64(median(cpu[2]))/float64(median(cpu[0])))
	fmt.Fprintf(&out, "| dossiers | report: wall, CPU (median of 5) | bare Scan: wall, CPU | report ÷ scan (CPU) | allocs/report | peak heap above baseline |\n|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&out, "| %d | %v, %v | %v, %v | %.2f× | %.0f | %.1f MiB |\n", n,
		median(wall[0]), median(cpu[0]), median(wall[1]), median(cpu[1]),
		float64(median(cpu[0]))/float64(median(cpu[1])), allocs,
		float64(peak.Load()-min(base, peak.Load()))/(1<<20))
	t.Logf("total: received %d, finished %d, in progress %d, rate %v", r.Total.Received, r.Total.Finished, r.Total.InProgress, *r.Total.OnTimeRate)
	t.Log("\n" + out.String())
}
