package enginetest

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// SuiteOptions adjusts the conformance suite to a store's known limits.
type SuiteOptions struct {
	// SkipConcurrency, when not empty, skips the concurrency tests with
	// this reason (FerretDB 1.24 is not atomic under concurrent
	// conditional updates; see docs/stores.md).
	SkipConcurrency string
	// SkipAtomicity, when not empty, skips with this reason the tests
	// that need writes to several documents to be one atomic step (a
	// MongoDB deployment without transactions, FerretDB; see
	// mongostore.Store.InsertRegistered).
	SkipAtomicity string
}

// storeTest is one conformance test; concurrent ones can be skipped.
type storeTest struct {
	name       string
	concurrent bool
	run        func(t *testing.T, s engine.Store)
}

// RunStoreSuite runs the engine.Store contract against fresh stores made
// by newStore (one per test, each in its own database, so tests run in
// parallel), then RunEngineSuite on the same stores.
func RunStoreSuite(t *testing.T, newStore func(t *testing.T) engine.Store, opts SuiteOptions) {
	t.Helper()
	// One list per area, each in the file of its tests, as River's
	// riverdrivertest is split: a new method brings a new file.
	var tests []storeTest
	for _, area := range [][]storeTest{
		sequenceTests, dossierInsertTests, dossierNumberedTests, dossierGetTests, dossierApplyTests,
		queryTests, searchTests, outboxTests, leaseTests, portalTests, figureTests,
	} {
		tests = append(tests, area...)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.concurrent && opts.SkipConcurrency != "" {
				t.Skip(opts.SkipConcurrency)
			}
			tc.run(t, newStore(t))
		})
	}
	t.Run("Engine", func(t *testing.T) { RunEngineSuite(t, newStore, opts) })
}

// at returns the reference instant plus d, the suite's time axis.
func at(d time.Duration) time.Time { return base.Add(d) }

func ptr(t time.Time) *time.Time { return &t }

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

func mustInsert(t *testing.T, s engine.Store, d *engine.Dossier, outbox ...engine.Notification) {
	t.Helper()
	if err := s.Insert(t.Context(), d, outbox); err != nil {
		t.Fatalf("Insert %s: %v", d.Code, err)
	}
}

func mustGet(t *testing.T, s engine.Store, code string) *engine.Dossier {
	t.Helper()
	d, err := s.Get(t.Context(), code)
	if err != nil {
		t.Fatalf("Get %s: %v", code, err)
	}
	return d
}

func codesOf(ds []*engine.Dossier) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Code
	}
	return out
}

func idsOf(ns []engine.Notification) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

// next returns a transition of d: version+1, a new state and history row.
func next(d *engine.Dossier, state string, now time.Time) *engine.Dossier {
	nd := d.Clone()
	nd.Version = d.Version + 1
	nd.History = append(nd.History, engine.HistoryRow{
		Seq: len(d.History) + 1, At: now, Action: "to_" + state, Actor: Officer,
		FromState: d.State, ToState: state, FromUnit: d.Unit, ToUnit: UnitLeader,
	})
	nd.State, nd.Unit = state, UnitLeader
	nd.StepStartedAt = now
	nd.UpdatedAt = now
	return nd
}
