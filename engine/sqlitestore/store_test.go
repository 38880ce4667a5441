package sqlitestore

import (
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

func newStore(t *testing.T) engine.Store {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	enginetest.RunStoreSuite(t, newStore, enginetest.SuiteOptions{})
}

// TestSessionStore runs the SessionStore contract the MongoDB store and
// auth's in-memory store also pass: with the embedded store, serve keeps
// web sessions in the sessions table, so a restart signs nobody out.
func TestSessionStore(t *testing.T) {
	enginetest.RunSessionSuite(t, func(t *testing.T) engine.SessionStore {
		s, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestRegisterStore runs the RegisterStore contract the MongoDB store
// also passes: the register's books count in the sequences table.
func TestRegisterStore(t *testing.T) {
	enginetest.RunRegisterSuite(t, func(t *testing.T) enginetest.RegisterStoreUnderTest { return newStore(t).(*Store) }, enginetest.SuiteOptions{})
}

// TestRatingStore runs the RatingStore contract the MongoDB store also
// passes.
func TestRatingStore(t *testing.T) {
	enginetest.RunRatingSuite(t, func(t *testing.T) enginetest.RatingStoreUnderTest { return newStore(t).(*Store) }, enginetest.SuiteOptions{})
}

// TestInsertBatch: a batch is stored as Inserts store each dossier, and
// a duplicate in it stores none.
func TestInsertBatch(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	var batch []*engine.Dossier
	for _, c := range enginetest.Codes("XA01", 3) {
		batch = append(batch, enginetest.NewDossier(c, func(d *engine.Dossier) { d.ReceiveKey = "" }))
	}
	if err := s.InsertBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for _, d := range batch {
		got, err := s.Get(ctx, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if diff := enginetest.Diff(d, got); diff != "" {
			t.Errorf("%s stored by a batch: %s", d.Code, diff)
		}
	}
	counts, err := s.OpenCounts(ctx, enginetest.Monday, enginetest.Monday.Add(time.Hour))
	if err != nil || len(counts) != 1 || counts[0].Open != 3 {
		t.Errorf("a batch's dossiers are counted open: %+v %v", counts, err)
	}
	again := []*engine.Dossier{enginetest.NewDossier("XA01-260302-0009", func(d *engine.Dossier) { d.ReceiveKey = "" }), batch[0]}
	var dup *engine.DuplicateError
	if err := s.InsertBatch(ctx, again); !errors.As(err, &dup) {
		t.Fatalf("a batch with a stored code: %v, want a *DuplicateError", err)
	}
	if _, err := s.Get(ctx, "XA01-260302-0009"); err == nil {
		t.Error("a refused batch stored its first dossier")
	}
}
