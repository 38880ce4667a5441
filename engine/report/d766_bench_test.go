package report_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/report"
)

// BenchmarkD766Section: a Q1 report by unit over 10,000 dossiers in
// memory (no store cost, so the arithmetic alone is compared), with the
// Decision 766 section and without it (the legal figures alone). One
// dossier in three holds a scan and a result, one in four a fee paid
// online, one in five a rating of three criteria.
//
//	go test -run '^$' -bench D766Section -benchtime 20x -benchmem ./engine/report
func BenchmarkD766Section(b *testing.B) {
	st, q := d766BenchStore(b)
	cal := calendar.VN()
	for _, c := range d766Runs {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.fn(context.Background(), st, cal, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var d766Runs = []struct {
	name string
	fn   func(context.Context, report.Source, *calendar.Calendar, report.Query) (*report.Report, error)
}{{"with-766", report.Compute}, {"legal-only", report.ComputeLegalOnly}}

// d766BenchStore is seedQuarter's 10,000 dossiers in memory with contents.
func d766BenchStore(tb testing.TB) (*memStore, report.Query) {
	st := newMemStore()
	seedQuarter(tb, st, 10000)
	i := 0
	for _, d := range st.ds {
		if i%3 == 0 {
			d.Files = []engine.FileRef{{ID: "s", Component: "to-khai"}, {ID: "r", Result: true}}
		}
		if i%4 == 0 {
			d.Fees = []engine.FeeRecord{{ID: "le-phi", Amount: 8000, Paid: true, Method: engine.PayOnline}}
		}
		if i%5 == 0 {
			d.Rating = &engine.Rating{Scores: map[string]int{"a": 5, "b": 4, "c": 3}}
		}
		i++
	}
	q := quarter
	q.Catalog = d766Catalog(tb)
	return st, q
}

// TestD766Benchmark measures the same two reports in interleaved rounds
// (seven each, medians of wall and process CPU time, steadier on shared
// cores than go test -bench, which runs one after the other), printing
// Markdown for docs/benchmarks.md:
//
//	MOTCUA_BENCH=1 go test -run TestD766Benchmark -v ./engine/report
func TestD766Benchmark(t *testing.T) {
	if os.Getenv("MOTCUA_BENCH") == "" {
		t.Skip("set MOTCUA_BENCH=1 to measure")
	}
	st, q := d766BenchStore(t)
	cal := calendar.VN()
	var wall, cpu [2][]time.Duration
	for range 7 {
		for i, c := range d766Runs {
			c0, w0 := cpuTime(t), time.Now()
			if _, err := c.fn(context.Background(), st, cal, q); err != nil {
				t.Fatal(err)
			}
			wall[i] = append(wall[i], time.Since(w0))
			cpu[i] = append(cpu[i], cpuTime(t)-c0)
		}
	}
	var allocs [2]float64
	for i, c := range d766Runs {
		allocs[i] = testing.AllocsPerRun(1, func() { _, _ = c.fn(context.Background(), st, cal, q) })
	}
	t.Logf("\n| report | wall (median of 7) | CPU (median of 7) | allocs |\n|---|---:|---:|---:|\n"+
		"| with the 766 section | %v | %v | %.0f |\n| legal figures only | %v | %v | %.0f |\n| ratio | %.2f× | %.2f× | %.2f× |",
		median(wall[0]), median(cpu[0]), allocs[0], median(wall[1]), median(cpu[1]), allocs[1],
		float64(median(wall[0]))/float64(median(wall[1])), float64(median(cpu[0]))/float64(median(cpu[1])), allocs[0]/allocs[1])
}
