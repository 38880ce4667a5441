package httpapi

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// pattern yields n bytes of a PDF-looking file without holding them.
type pattern struct {
	left int64
	head bool
}

func (p *pattern) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	for i := range b {
		b[i] = byte(i)
	}
	if !p.head {
		p.head = true
		copy(b, "%PDF-1.7\n")
	}
	p.left -= int64(len(b))
	return len(b), nil
}

// heapPeak samples the live heap every millisecond (runtime/metrics,
// which does not stop the world) and keeps the largest value.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); return peak.Load() }
}

// BenchmarkFiles measures the dossier's files over HTTP against a plain
// copy of the same bytes on the same disk (copy and fsync, as the store
// does), in one run: throughput (MB/s), bytes allocated per operation
// and the peak live heap, for 1, 20 and 100 MB. Streaming shows as
// allocations and peak heap that do not grow with the size.
//
//	go test ./engine/httpapi -run '^$' -bench BenchmarkFiles -benchtime 5x
func BenchmarkFiles(b *testing.B) {
	for _, mb := range []int64{1, 20, 100} {
		size := mb << 20
		b.Run(fmt.Sprintf("copy/%dMB", mb), func(b *testing.B) {
			dir := b.TempDir()
			src := filepath.Join(dir, "src")
			f, _ := os.Create(src)
			io.Copy(f, &pattern{left: size})
			f.Close()
			b.SetBytes(size)
			b.ReportAllocs()
			stop := heapPeak()
			b.ResetTimer()
			for i := range b.N {
				in, _ := os.Open(src)
				out, _ := os.Create(filepath.Join(dir, fmt.Sprint("dst", i)))
				if _, err := io.Copy(out, in); err != nil {
					b.Fatal(err)
				}
				out.Sync()
				out.Close()
				in.Close()
			}
			b.StopTimer()
			b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MB")
		})
		b.Run(fmt.Sprintf("upload/%dMB", mb), func(b *testing.B) {
			bb := setup(b, setupOpts{maxFile: size, maxDossier: 1 << 40})
			d := bb.receive("Bench")
			b.SetBytes(size)
			b.ReportAllocs()
			stop := heapPeak()
			b.ResetTimer()
			for range b.N {
				pr, pw := io.Pipe()
				mw := multipart.NewWriter(pw)
				go func() {
					mw.WriteField("component", "to-khai")
					fw, _ := mw.CreateFormFile("file", "scan.pdf")
					io.Copy(fw, &pattern{left: size})
					pw.CloseWithError(mw.Close())
				}()
				req, _ := http.NewRequest("POST", bb.ts.URL+"/api/v1/dossiers/"+d.Code+"/files", pr)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("Authorization", "Bearer "+bb.tokens[receiver])
				res, err := bb.ts.Client().Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					b.Fatalf("upload: %d", res.StatusCode)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MB")
		})
		b.Run(fmt.Sprintf("download/%dMB", mb), func(b *testing.B) {
			bb := setup(b, setupOpts{maxFile: size, maxDossier: 1 << 40})
			d := bb.receive("Bench")
			_, ref, err := bb.srv.cfg.Files.Attach(context.Background(), d.Code,
				engine.AttachInput{Actor: enginetest.Receiver, Component: "to-khai", Name: "scan.pdf"}, &pattern{left: size})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(size)
			b.ReportAllocs()
			stop := heapPeak()
			b.ResetTimer()
			for range b.N {
				req, _ := http.NewRequest("GET", bb.ts.URL+fileURL(d.Code, ref.ID), nil)
				req.Header.Set("Authorization", "Bearer "+bb.tokens[receiver])
				res, err := bb.ts.Client().Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || n != size {
					b.Fatalf("download: %d, %d bytes", res.StatusCode, n)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MB")
		})
	}
}
