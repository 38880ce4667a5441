package report_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/report"
)

// stripping is a Source that hands the report every dossier with the
// fields of engine.SlimDropped cleared, and records whether it was asked
// for slim copies; whole, the same without Slim reaching the store.
type stripping struct {
	src    report.Source
	asked  bool
	strip  bool
	noSlim bool
}

func (s *stripping) Scan(ctx context.Context, q engine.Query, fn func(*engine.Dossier) error) error {
	s.asked = s.asked || q.Slim
	if s.noSlim {
		q.Slim = false
	}
	return s.src.Scan(ctx, q, func(d *engine.Dossier) error {
		if s.strip {
			d = enginetest.StripSlim(d.Clone())
		}
		return fn(d)
	})
}

// reportsOf renders every grouping's report and the twelve months'
// chart of src as JSON, one string to compare.
func reportsOf(t *testing.T, src report.Source) string {
	cat, err := engine.NewCatalog(enginetest.SampleProcedure(), denunciationProcedure(), petitionProcedure())
	if err != nil {
		t.Fatal(err)
	}
	t.Helper()
	var out bytes.Buffer
	for _, by := range report.Groupings {
		q := march(by)
		q.Directory = enginetest.SampleDirectory()
		q.Catalog = cat
		r, err := report.Compute(context.Background(), src, calendar.VN(), q)
		if err != nil {
			t.Fatal(err)
		}
		if err := report.WriteJSON(&out, r); err != nil {
			t.Fatal(err)
		}
	}
	m, err := report.MonthlyRates(context.Background(), src, calendar.VN(), calendar.Date{Year: 2026, Month: 3, Day: 31}, 12)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(m.Series, m.Total) {
		for i, n := range s.Rated {
			fmt.Fprintf(&out, "%s %d %d", s.Group, i, n)
			if s.Rates[i] != nil {
				fmt.Fprintf(&out, " %v", *s.Rates[i])
			}
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// TestSlimCarriesWhatReportsRead: the reports and the chart ask for slim
// copies, and give the same figures, byte for byte, from dossiers
// without the fields engine.SlimDropped names as from whole ones; and
// the embedded store's slim path gives the figures of its whole path.
func TestSlimCarriesWhatReportsRead(t *testing.T) {
	t.Parallel()
	mem := newMemStore()
	seedMarch(t, mem)
	whole := reportsOf(t, mem)
	s := &stripping{src: mem, strip: true}
	if got := reportsOf(t, s); got != whole {
		t.Errorf("the reports read a field of engine.SlimDropped: stripped\n%s\nwhole\n%s", got, whole)
	}
	if !s.asked {
		t.Error("the reports do not ask the store for slim copies (Query.Slim)")
	}

	lite := openSQLite(t)
	seedMarch(t, lite)
	slimPath := reportsOf(t, lite)
	wholePath := reportsOf(t, &stripping{src: lite, noSlim: true})
	if slimPath != wholePath || slimPath != whole {
		t.Errorf("SQLite's slim path and whole path disagree (or disagree with the reference):\nslim\n%s\nwhole\n%s\nreference\n%s", slimPath, wholePath, whole)
	}
}
