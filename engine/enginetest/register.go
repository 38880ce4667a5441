package enginetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// RegisterStoreUnderTest is what RunRegisterSuite needs of a store: the
// register's numbers, and the rest of Store to receive dossiers through
// the engine and to show that the daily series and the books never share
// a counter.
type RegisterStoreUnderTest interface {
	engine.Store
	engine.RegisterStore
}

// RunRegisterSuite runs the engine.RegisterStore contract against fresh,
// empty stores made by newStore (one per test): one book per unit per
// year, numbered from 1 without a number handed out twice, apart from
// the daily dossier numbers; and the engine writes the line on the
// dossier it receives. opts.SkipConcurrency skips the concurrent test.
func RunRegisterSuite(t *testing.T, newStore func(t *testing.T) RegisterStoreUnderTest, opts SuiteOptions) {
	t.Helper()
	for _, tc := range []struct {
		name       string
		concurrent bool
		run        func(t *testing.T, s RegisterStoreUnderTest)
	}{
		{"NextRegisterNumber/CountsFromOnePerUnitAndYear", false, testRegisterBooks},
		{"NextRegisterNumber/ApartFromTheDailySeries", false, testRegisterApartFromDaily},
		{"Receive/WritesTheLineOnTheDossier", false, testRegisterReceive},
		{"Receive/ARefusedReceptionTakesNoLine", false, testRegisterRefused},
		{"Concurrency/NoNumberHandedOutTwice", true, testRegisterConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.concurrent && opts.SkipConcurrency != "" {
				t.Skip(opts.SkipConcurrency)
			}
			tc.run(t, newStore(t))
		})
	}
	for _, tc := range registeringTests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.atomic && opts.SkipAtomicity != "" {
				t.Skip(opts.SkipAtomicity)
			}
			tc.run(t, newStore(t))
		})
	}
}

func nextLine(t *testing.T, s engine.RegisterStore, unit string, year int) int {
	t.Helper()
	n, err := s.NextRegisterNumber(t.Context(), unit, year)
	if err != nil {
		t.Fatalf("NextRegisterNumber %s %d: %v", unit, year, err)
	}
	return n
}

func testRegisterBooks(t *testing.T, s RegisterStoreUnderTest) {
	var got []int
	for _, c := range []struct {
		unit string
		year int
	}{{"XA01", 2026}, {"XA01", 2026}, {"XA02", 2026}, {"XA01", 2027}, {"XA01", 2026}} {
		got = append(got, nextLine(t, s, c.unit, c.year))
	}
	if want := []int{1, 2, 1, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("lines %v, want %v: each unit's book of each year counts from 1 on its own", got, want)
	}
}

func testRegisterApartFromDaily(t *testing.T, s RegisterStoreUnderTest) {
	ctx := t.Context()
	for range 3 {
		if _, err := s.NextSequence(ctx, "XA01", "260302"); err != nil {
			t.Fatal(err)
		}
	}
	if n := nextLine(t, s, "XA01", 2026); n != 1 {
		t.Errorf("first line after three daily numbers: %d, want 1", n)
	}
	if n, err := s.NextSequence(ctx, "XA01", "260302"); err != nil || n != 4 {
		t.Errorf("daily number after a register line: %d %v, want 4", n, err)
	}
}

func testRegisterReceive(t *testing.T, s RegisterStoreUnderTest) {
	ctx := t.Context()
	clock := NewStubClock(Monday)
	e := NewEngine(s, clock)
	var lines []int
	for _, when := range []time.Time{Monday, Monday.Add(24 * time.Hour)} {
		clock.Set(when)
		d, err := e.Receive(ctx, SampleCode, 0, SampleReception("Lê Văn Cường"))
		if err != nil {
			t.Fatal(err)
		}
		stored := mustGet(t, s, d.Code)
		if stored.RegisterBook != "XA01/2026" || stored.RegisterNo != d.RegisterNo {
			t.Errorf("%s stored in book %q line %d, want XA01/2026 line %d", d.Code, stored.RegisterBook, stored.RegisterNo, d.RegisterNo)
		}
		lines = append(lines, d.RegisterNo)
	}
	// The daily code restarts on Tuesday; the book's line does not.
	if !slices.Equal(lines, []int{1, 2}) {
		t.Errorf("lines %v, want [1 2]", lines)
	}
}

func testRegisterRefused(t *testing.T, s RegisterStoreUnderTest) {
	e := NewEngine(s, NewStubClock(Monday))
	bad := SampleReception("Lê Văn Cường")
	bad.Applicant.Phone = "abc"
	if _, err := e.Receive(t.Context(), SampleCode, 0, bad); engine.ErrorCode(err) != engine.EINVALID {
		t.Fatalf("reception with phone abc: %v, want invalid", err)
	}
	if n := nextLine(t, s, "XA01", 2026); n != 1 {
		t.Errorf("first line after a refused reception: %d, want 1 (a refusal takes no line)", n)
	}
}

func testRegisterConcurrent(t *testing.T, s RegisterStoreUnderTest) {
	const n = 20
	got := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = s.NextRegisterNumber(t.Context(), "XA01", 2026)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(got)
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("lines %v, want 1..%d each once", got, n)
		}
	}
}
