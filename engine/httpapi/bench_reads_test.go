package httpapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// Reads at a million dossiers (issue 14 §3): the dashboard view and the
// metrics scrape over 1,000,000 dossiers, 200,000 of them open, each
// against a lookup by code over HTTP in the same run, and what the same
// reads cost the way they were made before (scanning whole documents).
//
//	MOTCUA_BENCH_READS=1 [MOTCUA_BENCH_READS_N=1000000] go test -timeout 60m -run TestReadsAtScale -v ./engine/httpapi
//
// Seeding writes the dossiers in batches of 2,000 per transaction
// (sqlitestore.InsertBatch); the log says how long it took.

// scaleNow is the benchmark's "now": Wednesday 16 December 2026, 10:00.
var scaleNow = time.Date(2026, 12, 16, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// scaleTemplates makes the shapes of dossier the seeding copies, through
// the engine in the week of Monday 5 January 2026: by index mod 20, 0
// refused, 1–2 late, 3 open at the office, 4 waiting for a supplement,
// the rest returned within the limit (early or on time).
func scaleTemplates(t *testing.T, b *bundle) []*engine.Dossier {
	t.Helper()
	ctx := context.Background()
	week := time.Date(2026, 1, 5, 8, 0, 0, 0, scaleNow.Location())
	actor := map[string]string{"chuyen": enginetest.Receiver, "trinh": enginetest.Officer, "ky": enginetest.Chairman,
		"tra": enginetest.Receiver, "yeu_cau_bo_sung": enginetest.Officer, "tu_choi": enginetest.Officer}
	var out []*engine.Dossier
	for i := range 20 {
		b.clock.Set(week.Add(time.Duration(i%5)*24*time.Hour + time.Duration(i*17%480)*time.Minute))
		d, err := b.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(fmt.Sprintf("Người nộp %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		var gap time.Duration
		switch k := i % 20; {
		case k == 0:
			steps, gap = []string{"chuyen", "tu_choi"}, 2*time.Hour
		case k <= 2:
			steps, gap = []string{"chuyen", "trinh", "ky", "tra"}, 4*24*time.Hour // late: beyond 5 working days
		case k == 3:
			steps, gap = []string{"chuyen"}, time.Hour
		case k == 4:
			steps, gap = []string{"chuyen", "yeu_cau_bo_sung"}, time.Hour
		default:
			steps, gap = []string{"chuyen", "trinh", "ky", "tra"}, 3*time.Hour
		}
		for _, a := range steps {
			b.clock.Set(b.clock.Now().Add(gap))
			d, err = b.eng.Act(ctx, d.Code, engine.ActInput{Action: a, Actor: actor[a], Inputs: map[string]string{"reason": "thiếu giấy tờ", "ghi_chu": "Đã kiểm tra đủ thành phần hồ sơ theo quy định"}}, 0)
			if err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, d)
	}
	return out
}

// shifted returns a copy of d moved by whole weeks (same weekdays and
// hours), with a new code and its units renamed for commune g (g 0 keeps
// the directory's units).
func shifted(d *engine.Dossier, code string, weeks, g int) *engine.Dossier {
	c := d.Clone()
	delta := time.Duration(weeks) * 7 * 24 * time.Hour
	mv := func(t *time.Time) {
		if t != nil && !t.IsZero() {
			*t = t.Add(delta)
		}
	}
	unit := func(u string) string {
		if u == "" || g == 0 {
			return u
		}
		return fmt.Sprintf("%s-%02d", u, g)
	}
	c.Code, c.ReceiveKey, c.Version = code, "", 1
	c.Unit, c.ReceivingUnit = unit(c.Unit), unit(c.ReceivingUnit)
	c.RegisterBook, c.RegisterNo = "", 0
	for _, t := range []*time.Time{&c.ReceivedAt, &c.StartAt, c.DueAt, c.AppointmentAt, &c.StepStartedAt, c.StepDueAt, c.FinishedAt, c.NextCheckAt, &c.UpdatedAt} {
		mv(t)
	}
	for i := range c.Ledger {
		mv(&c.Ledger[i].At)
		mv(c.Ledger[i].Appointment)
	}
	for i := range c.History {
		h := &c.History[i]
		mv(&h.At)
		mv(h.StepStartedAt)
		mv(h.StepDueAt)
		h.FromUnit, h.ToUnit = unit(h.FromUnit), unit(h.ToUnit)
	}
	return c
}

// seedScale stores n dossiers over the year to scaleNow: 80% finished,
// spread over its weeks, 20% open, received in the last two weeks (a
// seventh of them in the earlier week, overdue now), in 34 communes.
func seedScale(t *testing.T, b *bundle, n int) (codes []string) {
	t.Helper()
	tpl := scaleTemplates(t, b)
	var open, done []*engine.Dossier
	for _, d := range tpl {
		if d.IsFinished() {
			done = append(done, d)
		} else {
			open = append(open, d)
		}
	}
	// Batches of 2,000 in one transaction each (sqlitestore.InsertBatch),
	// from two goroutines: one encodes while the other commits.
	bulk, ok := b.store.(interface {
		InsertBatch(context.Context, []*engine.Dossier) error
	})
	if !ok {
		t.Fatal("the store has no InsertBatch")
	}
	jobs := make(chan []*engine.Dossier, 2)
	var wg sync.WaitGroup
	var failed atomic.Value
	for range 2 {
		wg.Go(func() {
			for ds := range jobs {
				if err := bulk.InsertBatch(context.Background(), ds); err != nil {
					failed.Store(err)
				}
			}
		})
	}
	var batch []*engine.Dossier
	for i := range n {
		code := fmt.Sprintf("XA01-BENCH-%07d", i)
		g := i % 34
		var d *engine.Dossier
		if i%5 == 0 { // open: 20%
			weeks := 49 // received in the week of 14 December, due after now
			if i%35 == 0 {
				weeks = 47 // due before now: overdue
			}
			d = shifted(open[(i/5)%len(open)], code, weeks, g)
		} else {
			d = shifted(done[i%len(done)], code, (i/7)%49, g)
		}
		if i%1000 == 0 {
			codes = append(codes, code)
		}
		if batch = append(batch, d); len(batch) == 2000 {
			jobs <- batch
			batch = nil
		}
	}
	if len(batch) > 0 {
		jobs <- batch
	}
	close(jobs)
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		t.Fatal(err)
	}
	return codes
}

// fetch GETs path as person and drains the answer.
func fetch(t *testing.T, b *bundle, path, person string) {
	req, _ := http.NewRequest("GET", b.ts.URL+path, nil)
	if person != "" {
		req.Header.Set("Authorization", "Bearer "+b.tokens[person])
	}
	res, err := b.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, res.StatusCode, body[:min(len(body), 300)])
	}
}

func TestReadsAtScale(t *testing.T) {
	if os.Getenv("MOTCUA_BENCH_READS") == "" || testing.Short() {
		t.Skip("set MOTCUA_BENCH_READS=1 to seed a million dossiers and measure (minutes)")
	}
	n := 1000000
	if s := os.Getenv("MOTCUA_BENCH_READS_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	b := setup(t)
	start := time.Now()
	codes := seedScale(t, b, n)
	t.Logf("seeded %d dossiers in %v", n, time.Since(start).Round(time.Second))
	b.clock.Set(scaleNow)
	// The tokens were minted at the suite's Monday; mint the reader's now.
	tok, err := b.auth.NewToken(context.Background(), Admin, "bench")
	if err != nil {
		t.Fatal(err)
	}
	b.tokens[Admin] = tok
	// A province's deployment: the period's figures at most 5 minutes old.
	b.srv.web.figures = newFigureCache(5 * time.Minute)
	ctx := context.Background()
	eng, cal := b.eng, b.eng.Calendar
	today := calendar.DateOf(scaleNow, cal.Location())
	month := report.Query{From: calendar.Date{Year: today.Year, Month: today.Month, Day: 1}, To: today, By: report.ByUnit, Catalog: eng.Catalog, Directory: eng.Directory}

	// One view fills the cache; its time is the cost of a refresh.
	c0 := time.Now()
	dash := browserFor(t, b, Admin)
	dash("/dashboard")
	cold := time.Since(c0)

	var i atomic.Int64
	lookup := func() { fetch(t, b, "/api/v1/dossiers/"+codes[int(i.Add(1))%len(codes)], Admin) }
	runs := []struct {
		name string
		fn   func()
	}{
		{"lookup by code (GET /api/v1/dossiers/{code})", lookup},
		{"dashboard view (GET /dashboard, period figures cached)", func() { dash("/dashboard") }},
		{"metrics scrape (GET /metrics)", func() { fetch(t, b, "/metrics", "") }},
	}
	wall := make([][]time.Duration, len(runs))
	for range 7 {
		for k, r := range runs {
			w0 := time.Now()
			r.fn()
			wall[k] = append(wall[k], time.Since(w0))
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%d dossiers, %d open; %d CPUs, load average %s\n\n", n, n/5, runtime.NumCPU(), loadAvg())
	fmt.Fprintf(&out, "| read | median of 7 | ÷ lookup by code |\n|---|---:|---:|\n")
	base := medianOf(wall[0])
	for k, r := range runs {
		m := medianOf(wall[k])
		fmt.Fprintf(&out, "| %s | %v | %.1f× |\n", r.name, m, float64(m)/float64(base))
	}
	fmt.Fprintf(&out, "| dashboard view, period figures computed (first view, or a refresh in the background) | %v | %.0f× |\n", cold.Round(time.Millisecond), float64(cold)/float64(base))

	// Before: the same reads as they were made, once each.
	once := func(name string, fn func() error) {
		w0 := time.Now()
		if err := fn(); err != nil {
			t.Fatal(err)
		}
		d := time.Since(w0)
		fmt.Fprintf(&out, "| before: %s | %v (once) | %.0f× |\n", name, d.Round(time.Millisecond), float64(d)/float64(base))
	}
	once("metrics scrape, a scan of every open dossier's document", func() error {
		return eng.Scan(ctx, engine.Query{Status: []engine.Status{engine.StatusInProgress, engine.StatusPaused}}, func(d *engine.Dossier) error {
			engine.DueFlags(d, scaleNow, cal.Location())
			return nil
		})
	})
	once("dashboard's month report and chart, whole documents", func() error {
		if _, err := report.Compute(ctx, enginetest.WholeScan{Src: eng}, cal, month); err != nil {
			return err
		}
		_, err := report.MonthlyRates(ctx, enginetest.WholeScan{Src: eng}, cal, today, 12, report.WithCatalog(eng.Catalog))
		return err
	})
	t.Log("\n" + out.String())
}

// browserFor returns a function that GETs a page as a signed-in person.
func browserFor(t *testing.T, b *bundle, person string) func(path string) {
	br := b.browser(t)
	br.signIn(person)
	return func(path string) {
		st, body, _ := br.get(path)
		if st != http.StatusOK {
			t.Fatalf("%s: %d %s", path, st, body[:min(len(body), 300)])
		}
	}
}

// medianOf is the median of ds (left as it is), to 10 µs.
func medianOf(ds []time.Duration) time.Duration {
	return quantile(slices.Clone(ds), 0.5).Round(10 * time.Microsecond)
}
