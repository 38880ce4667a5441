package httpapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// BenchmarkAPI measures requests per second over loopback against a
// server on the SQLite store holding 10,000 open dossiers (half at the
// desk, half with the office), with a bare GET /api/v1/healthz as the
// baseline of the same run. Run it bounded:
//
//	go test ./engine/httpapi -run '^$' -bench API -benchtime 3s
func BenchmarkAPI(b *testing.B) {
	const open = 10000
	bd := setup(b)
	ctx := context.Background()
	start := time.Now()
	var office []string
	for i := 0; i < open; i++ {
		// Spread receptions over working days so codes and due
		// instants vary as in a real month.
		bd.clock.Set(enginetest.Monday.Add(time.Duration(i/400) * 24 * time.Hour).Add(time.Duration(i%400) * time.Minute))
		d, err := bd.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(fmt.Sprintf("Người nộp %05d", i)))
		if err != nil {
			b.Fatal(err)
		}
		if i%2 == 1 {
			if _, err := bd.eng.Act(ctx, d.Code, engine.ActInput{Action: "chuyen", Actor: receiver}, 0); err != nil {
				b.Fatal(err)
			}
			office = append(office, d.Code)
		}
	}
	b.Logf("seeded %d open dossiers (%d with the office) in %v", open, len(office), time.Since(start).Round(time.Millisecond))

	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}}
	do := func(b *testing.B, req *http.Request, want int) {
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			b.Fatalf("%s %s: status %d", req.Method, req.URL.Path, res.StatusCode)
		}
	}
	get := func(path, person string) func(b *testing.B) {
		return func(b *testing.B) {
			b.SetParallelism(8)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", bd.ts.URL+path, nil)
					if person != "" {
						req.Header.Set("Authorization", "Bearer "+bd.tokens[person])
					}
					do(b, req, 200)
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		}
	}
	b.Run("healthz", get("/api/v1/healthz", ""))
	b.Run("inbox", get("/api/v1/inbox", officer))
	b.Run("dossier", get("/api/v1/dossiers/"+office[0], officer))
	var n atomic.Int64
	b.Run("action", func(b *testing.B) {
		// A note on a dossier with the office: a real transition (one
		// conditional write with its history row) that leaves the
		// dossier open, so the benchmark can repeat it at any b.N.
		b.SetParallelism(8)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				code := office[int(i)%len(office)]
				req, _ := http.NewRequest("POST", bd.ts.URL+"/api/v1/dossiers/"+code+"/actions/ghi_chu",
					strings.NewReader(`{"inputs":{"note":"đã kiểm tra"}}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+bd.tokens[officer])
				req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d", i))
				do(b, req, 200)
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	})
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("Go heap in use %.1f MiB, obtained from the OS %.1f MiB; process peak RSS %s",
		float64(ms.HeapInuse)/(1<<20), float64(ms.Sys)/(1<<20), peakRSS())
}

// peakRSS reads the process's peak resident set (VmHWM) on Linux.
func peakRSS() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
