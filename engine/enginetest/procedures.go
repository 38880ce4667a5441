package enginetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// RunProcedureVersionSuite runs the engine.ProcedureStore contract against
// fresh, empty stores made by newStore (one per test): a published
// (code, version) is recorded once, its source never changes, and an
// edit in place is refused (issue 4: in-flight dossiers keep the version
// they started on; issue 3: (code, version) is unique). opts.SkipConcurrency
// skips the concurrent registration test, as in RunStoreSuite.
func RunProcedureVersionSuite(t *testing.T, newStore func(t *testing.T) engine.ProcedureStore, opts SuiteOptions) {
	t.Helper()
	for _, tc := range []struct {
		name       string
		concurrent bool
		run        func(t *testing.T, s engine.ProcedureStore)
	}{
		{"PutProcedureVersion/FirstRegistrationKeepsEveryField", false, testProcedureRoundTrip},
		{"PutProcedureVersion/SameHashIsANoOpKeepingTheFirst", false, testProcedureSameHash},
		{"PutProcedureVersion/OtherHashIsRefusedAndWritesNothing", false, testProcedureChanged},
		{"ProcedureVersions/EveryVersionByCodeThenNumericVersion", false, testProcedureList},
		{"Concurrency/FirstRegistrationHasOneWinner", true, testProcedureConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.concurrent && opts.SkipConcurrency != "" {
				t.Skip(opts.SkipConcurrency)
			}
			tc.run(t, newStore(t))
		})
	}
}

// procVersion is a version whose source names it and whose hash is the
// source's, first seen at the suite's base instant plus d.
func procVersion(code string, version int, body string, d time.Duration) engine.ProcedureVersion {
	src := fmt.Appendf(nil, "code: %q\nversion: %d\n# %s\n", code, version, body)
	sum := sha256.Sum256(src)
	return engine.ProcedureVersion{Code: code, Version: version, Source: src, SHA256: hex.EncodeToString(sum[:]),
		FirstSeen: at(d)}
}

func mustPutVersion(t *testing.T, s engine.ProcedureStore, v engine.ProcedureVersion) {
	t.Helper()
	if err := s.PutProcedureVersion(t.Context(), v); err != nil {
		t.Fatalf("PutProcedureVersion %s: %v", v.Key(), err)
	}
}

func mustVersions(t *testing.T, s engine.ProcedureStore) []engine.ProcedureVersion {
	t.Helper()
	vs, err := s.ProcedureVersions(t.Context())
	if err != nil {
		t.Fatalf("ProcedureVersions: %v", err)
	}
	return vs
}

func sameVersion(a, b engine.ProcedureVersion) bool {
	return a.Code == b.Code && a.Version == b.Version && a.SHA256 == b.SHA256 &&
		bytes.Equal(a.Source, b.Source) && a.FirstSeen.Equal(b.FirstSeen)
}

func testProcedureRoundTrip(t *testing.T, s engine.ProcedureStore) {
	if vs := mustVersions(t, s); len(vs) != 0 {
		t.Fatalf("an empty store lists %d versions", len(vs))
	}
	want := procVersion("1.001193", 1, "Đăng ký khai sinh", 0)
	mustPutVersion(t, s, want)
	vs := mustVersions(t, s)
	if len(vs) != 1 || !sameVersion(vs[0], want) {
		t.Fatalf("round trip: got %+v, want %+v", vs, want)
	}
}

func testProcedureSameHash(t *testing.T, s engine.ProcedureStore) {
	first := procVersion("1.001193", 1, "v1", 0)
	mustPutVersion(t, s, first)
	// Every start-up registers the files again: a later instant with the
	// same bytes must change nothing, FirstSeen included.
	again := first
	again.FirstSeen = at(3 * day)
	mustPutVersion(t, s, again)
	vs := mustVersions(t, s)
	if len(vs) != 1 || !sameVersion(vs[0], first) {
		t.Errorf("after a repeat: got %+v, want only the first registration %+v", vs, first)
	}
}

func testProcedureChanged(t *testing.T, s engine.ProcedureStore) {
	first := procVersion("1.001193", 1, "v1", 0)
	mustPutVersion(t, s, first)
	edited := procVersion("1.001193", 1, "v1 edited in place", hour)
	err := s.PutProcedureVersion(t.Context(), edited)
	var ce *engine.ProcedureChangedError
	if !errors.As(err, &ce) || engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("an edit in place: got %v, want a *ProcedureChangedError (ECONFLICT)", err)
	}
	if ce.Code != "1.001193" || ce.Version != 1 || ce.Stored != first.SHA256 || ce.Given != edited.SHA256 {
		t.Errorf("error names %+v, want 1.001193 version 1 with both hashes", ce)
	}
	if vs := mustVersions(t, s); len(vs) != 1 || !sameVersion(vs[0], first) {
		t.Errorf("a refused edit changed the store: %+v", vs)
	}
	// The same code at a new version is a new publication, not an edit.
	mustPutVersion(t, s, procVersion("1.001193", 2, "v1 edited in place", hour))
}

func testProcedureList(t *testing.T, s engine.ProcedureStore) {
	puts := []engine.ProcedureVersion{
		procVersion("2.000001", 2, "b2", 0),
		procVersion("1.001193", 10, "a10", hour),
		procVersion("1.001193", 2, "a2", 2*hour),
		procVersion("1.001193", 1, "a1", 3*hour),
	}
	for _, v := range puts {
		mustPutVersion(t, s, v)
	}
	var keys []string
	for _, v := range mustVersions(t, s) {
		keys = append(keys, v.Key())
	}
	// Version 10 after 2: versions are numbers, not text.
	want := []string{"1.001193@1", "1.001193@2", "1.001193@10", "2.000001@2"}
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Errorf("ProcedureVersions: got %v, want %v", keys, want)
	}
}

func testProcedureConcurrent(t *testing.T, s engine.ProcedureStore) {
	// Two processes (or two admins) start at once with different bytes
	// for the same new version: one of them is published, the others
	// are told exactly which, and the ones that agree with it succeed.
	a := procVersion("1.001193", 3, "content A", 0)
	b := procVersion("1.001193", 3, "content B", 0)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		v := a
		if i%2 == 1 {
			v = b
		}
		v.FirstSeen = at(time.Duration(i) * time.Second)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.PutProcedureVersion(t.Context(), v)
		}()
	}
	wg.Wait()
	vs := mustVersions(t, s)
	if len(vs) != 1 {
		t.Fatalf("concurrent first registrations stored %d records, want 1", len(vs))
	}
	won := vs[0].SHA256
	if won != a.SHA256 && won != b.SHA256 {
		t.Fatalf("stored hash %s is neither content", won)
	}
	for i, err := range errs {
		hash := a.SHA256
		if i%2 == 1 {
			hash = b.SHA256
		}
		var ce *engine.ProcedureChangedError
		switch {
		case hash == won && err != nil:
			t.Errorf("caller %d put the winning content and got %v, want a no-op", i, err)
		case hash != won && !errors.As(err, &ce):
			t.Errorf("caller %d put other content and got %v, want a *ProcedureChangedError", i, err)
		}
	}
}
