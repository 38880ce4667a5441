package enginetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/motcua/motcua/engine"
)

// sequenceTests pin the contract of the daily dossier numbers.
var sequenceTests = []storeTest{
	{"NextSequence/SeriesStartAtOneAndAreIndependent", false, testNextSequence},
	{"Concurrency/NextSequenceIsContiguous", true, testConcurrentSequence},
}

func testNextSequence(t *testing.T, s engine.Store) {
	ctx := t.Context()
	seq := func(unit, day string) int {
		t.Helper()
		n, err := s.NextSequence(ctx, unit, day)
		if err != nil {
			t.Fatalf("NextSequence(%s, %s): %v", unit, day, err)
		}
		return n
	}
	for want := 1; want <= 3; want++ {
		if got := seq("XA01", "260302"); got != want {
			t.Fatalf("XA01/260302: got %d, want %d", got, want)
		}
	}
	if got := seq("XA01", "260303"); got != 1 {
		t.Errorf("a new day restarts the series at 1 (Circular 03/2025 Art 13): got %d", got)
	}
	if got := seq("XA02", "260302"); got != 1 {
		t.Errorf("another unit has its own series: got %d", got)
	}
	if got := seq("XA01", "260302"); got != 4 {
		t.Errorf("other series must not disturb XA01/260302: got %d, want 4", got)
	}
}

func testConcurrentSequence(t *testing.T, s engine.Store) {
	const n = 50
	got := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = s.NextSequence(context.Background(), "XA01", "260302") })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("%d concurrent NextSequence calls must return 1..%d, each once: got %v", n, n, got)
		}
	}
}
