package enginetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/motcua/motcua/engine"
)

// registeringTests pin engine.RegisteringStore: the register line taken
// in the same atomic step as the write of its dossier, so that no refusal
// leaves a line of the book (form 06) unused. Tests marked atomic need
// the store to write several documents atomically.
var registeringTests = []struct {
	name   string
	atomic bool
	run    func(t *testing.T, s RegisterStoreUnderTest)
}{
	{"InsertRegistered/TakesTheNumberAndTheLineWithTheDossier", false, testRegisteredInsert},
	{"InsertRegistered/RefusedBuildTakesNoLine", false, testRegisteredBuildError},
	{"InsertRegistered/UsedCodeTakesNoLine", true, testRegisteredUsedCode},
	{"ApplyRegistered/TakesTheLineWithTheUpdate", false, testRegisteredApply},
	{"ApplyRegistered/LostRaceTakesNoLine", true, testRegisteredApplyConflict},
}

func registering(t *testing.T, s RegisterStoreUnderTest) engine.RegisteringStore {
	t.Helper()
	rs, ok := s.(engine.RegisteringStore)
	if !ok {
		t.Skip("the store has no InsertRegistered: the engine takes a line, then writes")
	}
	return rs
}

// registered returns a build function making dossier XA01-260302-<seq>
// on line <line> of book XA01/2026, and records the lines it was given.
func registered(lines *[]int) func(seq, line int) (*engine.Dossier, []engine.Notification, error) {
	return func(seq, line int) (*engine.Dossier, []engine.Notification, error) {
		*lines = append(*lines, line)
		d := NewDossier(fmt.Sprintf("XA01-260302-%04d", seq), func(d *engine.Dossier) {
			d.ReceiveKey = ""
			d.RegisterBook, d.RegisterNo = engine.RegisterBook("XA01", 2026), line
		})
		return d, nil, nil
	}
}

func testRegisteredInsert(t *testing.T, s RegisterStoreUnderTest) {
	rs := registering(t, s)
	var lines []int
	for range 2 {
		if err := rs.InsertRegistered(t.Context(), "XA01", "260302", 2026, registered(&lines)); err != nil {
			t.Fatal(err)
		}
	}
	if got := mustGet(t, s, "XA01-260302-0002"); got.RegisterBook != "XA01/2026" || got.RegisterNo != 2 {
		t.Errorf("second dossier stored in book %q line %d, want XA01/2026 line 2", got.RegisterBook, got.RegisterNo)
	}
	nextIs(t, s, 3, "two registered insertions")
	if n := nextLine(t, s, "XA01", 2026); n != 3 {
		t.Errorf("line after two registered insertions: %d, want 3", n)
	}
}

func testRegisteredBuildError(t *testing.T, s RegisterStoreUnderTest) {
	rs := registering(t, s)
	refused := errors.New("refused by the step")
	err := rs.InsertRegistered(t.Context(), "XA01", "260302", 2026, func(int, int) (*engine.Dossier, []engine.Notification, error) {
		return nil, nil, refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("a refused build: got %v, want its own error", err)
	}
	nextIs(t, s, 1, "a refused build")
	if n := nextLine(t, s, "XA01", 2026); n != 1 {
		t.Errorf("line after a refused build: %d, want 1 (no line taken)", n)
	}
}

func testRegisteredUsedCode(t *testing.T, s RegisterStoreUnderTest) {
	rs := registering(t, s)
	mustInsert(t, s, NewDossier("XA01-260302-0001", func(d *engine.Dossier) { d.ReceiveKey = "" }))
	var lines []int
	err := rs.InsertRegistered(t.Context(), "XA01", "260302", 2026, registered(&lines))
	var dup *engine.DuplicateError
	if !errors.As(err, &dup) || dup.Code != "XA01-260302-0001" {
		t.Fatalf("a code already stored: got %v, want *DuplicateError{Code: XA01-260302-0001}", err)
	}
	// The engine's retry: the day's number moves on, the line does not.
	if err := rs.InsertRegistered(t.Context(), "XA01", "260302", 2026, registered(&lines)); err != nil {
		t.Fatalf("the next attempt: %v", err)
	}
	if got := mustGet(t, s, "XA01-260302-0002"); got.RegisterNo != 1 {
		t.Errorf("the next attempt is on line %d, want 1: the collision left line 1 unused", got.RegisterNo)
	}
}

func testRegisteredApply(t *testing.T, s RegisterStoreUnderTest) {
	rs := registering(t, s)
	d := NewDossier("XA01-260302-0001", func(d *engine.Dossier) { d.RegisterBook, d.RegisterNo = "", 0 })
	mustInsert(t, s, d)
	nd := next(d, "phe_duyet", at(hour))
	err := rs.ApplyRegistered(t.Context(), "XA01", 2026, 1, func(line int) (*engine.Dossier, []engine.Notification, error) {
		nd.RegisterBook, nd.RegisterNo = engine.RegisterBook("XA01", 2026), line
		return nd, nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, d.Code); got.Version != 2 || got.RegisterBook != "XA01/2026" || got.RegisterNo != 1 {
		t.Errorf("stored version %d in book %q line %d, want version 2, XA01/2026 line 1", got.Version, got.RegisterBook, got.RegisterNo)
	}
	if n := nextLine(t, s, "XA01", 2026); n != 2 {
		t.Errorf("line after one registered update: %d, want 2", n)
	}
}

func testRegisteredApplyConflict(t *testing.T, s RegisterStoreUnderTest) {
	rs := registering(t, s)
	d := NewDossier("XA01-260302-0001", func(d *engine.Dossier) { d.RegisterBook, d.RegisterNo = "", 0 })
	mustInsert(t, s, d)
	v2 := next(d, "phe_duyet", at(hour))
	if err := s.Apply(t.Context(), v2, 1, nil); err != nil {
		t.Fatal(err)
	}
	stale := next(d, "tham_dinh", at(hour))
	err := rs.ApplyRegistered(t.Context(), "XA01", 2026, 1, func(line int) (*engine.Dossier, []engine.Notification, error) {
		stale.RegisterBook, stale.RegisterNo = engine.RegisterBook("XA01", 2026), line
		return stale, nil, nil
	})
	var conflict *engine.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("an update from a stale version: got %v, want *ConflictError", err)
	}
	if n := nextLine(t, s, "XA01", 2026); n != 1 {
		t.Errorf("line after a lost race: %d, want 1 (no line taken)", n)
	}
}
