package enginetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/motcua/motcua/engine"
)

// dossierNumberedTests pin engine.NumberingStore's InsertNumbered on every
// store that has it (both stores do; a store without it skips them).
var dossierNumberedTests = []storeTest{
	{"InsertNumbered/TakesTheNextNumberAndStoresTheDossier", false, testNumbered},
	{"InsertNumbered/RefusedBuildTakesNoNumber", false, testNumberedBuildError},
	{"InsertNumbered/VersionOtherThanOneTakesNoNumber", false, testNumberedVersion},
	{"InsertNumbered/UsedKeyTakesNoNumber", false, testNumberedUsedKey},
	{"InsertNumbered/UsedCodeKeepsItsNumberTaken", false, testNumberedUsedCode},
	{"Concurrency/InsertNumberedIsContiguous", true, testNumberedConcurrent},
}

func numbering(t *testing.T, s engine.Store) engine.NumberingStore {
	t.Helper()
	ns, ok := s.(engine.NumberingStore)
	if !ok {
		t.Skip("the store has no InsertNumbered: the engine takes a number, then inserts")
	}
	return ns
}

// numbered returns a build function making dossier XA01-260302-<seq>
// with no reception key, and records the numbers it was given.
func numbered(got *[]int, mods ...func(*engine.Dossier)) func(int) (*engine.Dossier, []engine.Notification, error) {
	return func(seq int) (*engine.Dossier, []engine.Notification, error) {
		*got = append(*got, seq)
		d := NewDossier(fmt.Sprintf("XA01-260302-%04d", seq), func(d *engine.Dossier) { d.ReceiveKey = "" })
		for _, m := range mods {
			m(d)
		}
		return d, []engine.Notification{NewNotification(d.Code+"/1/receipt", d.Code, at(0))}, nil
	}
}

// nextIs checks that the series XA01/260302 hands out want next: the
// numbers before it were taken, none after.
func nextIs(t *testing.T, s engine.Store, want int, why string) {
	t.Helper()
	n, err := s.NextSequence(t.Context(), "XA01", "260302")
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%s: NextSequence afterwards gave %d, want %d", why, n, want)
	}
}

func testNumbered(t *testing.T, s engine.Store) {
	ns := numbering(t, s)
	var seqs []int
	for range 2 {
		if err := ns.InsertNumbered(t.Context(), "XA01", "260302", numbered(&seqs)); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(seqs[len(seqs)-2:], []int{1, 2}) {
		t.Fatalf("the last numbers given to build: %v, want [1 2]", seqs)
	}
	for _, code := range []string{"XA01-260302-0001", "XA01-260302-0002"} {
		d := mustGet(t, s, code)
		if d.Version != 1 {
			t.Errorf("%s stored at version %d, want 1", code, d.Version)
		}
		ns, err := s.Notifications(t.Context(), code, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != 1 {
			t.Errorf("%s: the notifications build returned are stored with it: got %v", code, idsOf(ns))
		}
	}
	nextIs(t, s, 3, "two receptions")
	if err := ns.InsertNumbered(t.Context(), "XA01", "260303", numbered(&seqs, func(d *engine.Dossier) {
		d.Code = "XA01-260303-0001"
	})); err != nil {
		t.Fatal(err)
	}
	if seqs[len(seqs)-1] != 1 {
		t.Errorf("another day has its own series: build got %d, want 1", seqs[len(seqs)-1])
	}
}

func testNumberedBuildError(t *testing.T, s engine.Store) {
	ns := numbering(t, s)
	refused := errors.New("the step refused")
	err := ns.InsertNumbered(t.Context(), "XA01", "260302", func(int) (*engine.Dossier, []engine.Notification, error) {
		return nil, nil, refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("build's error comes back as is: got %v", err)
	}
	nextIs(t, s, 1, "a refused build")
}

func testNumberedVersion(t *testing.T, s engine.Store) {
	ns := numbering(t, s)
	var seqs []int
	err := ns.InsertNumbered(t.Context(), "XA01", "260302", numbered(&seqs, func(d *engine.Dossier) { d.Version = 2 }))
	var inv *engine.InvalidInputError
	if !errors.As(err, &inv) {
		t.Fatalf("a new dossier at version 2: got %v, want *InvalidInputError", err)
	}
	nextIs(t, s, 1, "a refused insert")
}

func testNumberedUsedKey(t *testing.T, s engine.Store) {
	ns := numbering(t, s)
	first := NewDossier("XA02-260302-0001", func(d *engine.Dossier) { d.ReceiveKey = "k1" })
	mustInsert(t, s, first)
	var seqs []int
	err := ns.InsertNumbered(t.Context(), "XA01", "260302", numbered(&seqs, func(d *engine.Dossier) { d.ReceiveKey = "k1" }))
	var dup *engine.DuplicateError
	if !errors.As(err, &dup) || dup.Key != "k1" {
		t.Fatalf("a used reception key: got %v, want *DuplicateError{Key: k1}", err)
	}
	if _, err := s.Get(t.Context(), "XA01-260302-0001"); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("nothing is written: Get gave %v", err)
	}
	ntf, err := s.Notifications(t.Context(), "XA01-260302-0001", 0)
	if err != nil || len(ntf) != 0 {
		t.Errorf("no notification is written: %v, %v", idsOf(ntf), err)
	}
	nextIs(t, s, 1, "a used reception key (the engine answers with the first reception, no number is spent)")
}

func testNumberedUsedCode(t *testing.T, s engine.Store) {
	ns := numbering(t, s)
	mustInsert(t, s, NewDossier("XA01-260302-0001", func(d *engine.Dossier) { d.ReceiveKey = "" }))
	var seqs []int
	err := ns.InsertNumbered(t.Context(), "XA01", "260302", numbered(&seqs))
	var dup *engine.DuplicateError
	if !errors.As(err, &dup) || dup.Code != "XA01-260302-0001" || dup.Key != "" {
		t.Fatalf("a code already stored: got %v, want *DuplicateError{Code: XA01-260302-0001}", err)
	}
	// The number stays taken, so a retry moves on instead of colliding
	// again.
	if err := ns.InsertNumbered(t.Context(), "XA01", "260302", numbered(&seqs)); err != nil {
		t.Fatalf("the next attempt: %v", err)
	}
	if seqs[len(seqs)-1] != 2 {
		t.Errorf("the next attempt got number %d, want 2", seqs[len(seqs)-1])
	}
	mustGet(t, s, "XA01-260302-0002")
}

func testNumberedConcurrent(t *testing.T, s engine.Store) {
	ns := numbering(t, s)
	const n = 40
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var seqs []int // build's record is per call: no shared state
			errs[i] = ns.InsertNumbered(context.Background(), "XA01", "260302", numbered(&seqs))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	all, err := s.List(t.Context(), engine.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if want := Codes("XA01", n); !slices.Equal(codesOf(all), want) {
		t.Fatalf("%d concurrent receptions must store exactly numbers 1..%d: got %v", n, n, codesOf(all))
	}
	nextIs(t, s, n+1, "concurrent receptions")
}
