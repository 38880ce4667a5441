package enginetest

import (
	"context"
	"errors"
	"testing"

	"github.com/motcua/motcua/engine"
)

// alwaysStale serves one received dossier and refuses every write as
// stale: a store on which a retrying client never gets through.
type alwaysStale struct {
	engine.Store
	d      *engine.Dossier
	writes int
}

func (s *alwaysStale) Get(context.Context, string) (*engine.Dossier, error) { return s.d.Clone(), nil }

func (s *alwaysStale) Apply(_ context.Context, d *engine.Dossier, prev int64, _ []engine.Notification) error {
	s.writes++
	return &engine.ConflictError{Code: d.Code, Version: prev}
}

// TestActRetryingGivesUp checks the rule that the racing tests' client
// loop is bounded: against a store whose writes always conflict it
// returns the conflict after clientRetries rounds instead of hanging.
func TestActRetryingGivesUp(t *testing.T) {
	t.Parallel()
	clock := NewStubClock(Monday)
	e := NewEngine(nil, clock)
	dec, err := engine.Receive(engine.Env{Procedure: SampleProcedure(), Directory: e.Directory, Calendar: e.Calendar},
		SampleReception("Nguyễn Văn Án"), "XA01-260302-0001", Monday)
	if err != nil {
		t.Fatal(err)
	}
	dec.Dossier.Version = 1
	s := &alwaysStale{d: dec.Dossier}
	e.Store = s
	err = actRetrying(t.Context(), e, dec.Dossier.Code, SampleFlow()[0])
	var conflict *engine.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("got %v, want the last *ConflictError", err)
	}
	if want := clientRetries * e.Retries; s.writes != want {
		t.Errorf("gave up after %d writes, want %d (%d client rounds of %d engine attempts)", s.writes, want, clientRetries, e.Retries)
	}
}
