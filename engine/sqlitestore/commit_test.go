package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// transition returns d one step on: a new history row, the next version.
func transition(d *engine.Dossier, state string) *engine.Dossier {
	nd := *d
	nd.History = append(slices.Clip(d.History), engine.HistoryRow{
		Seq: len(d.History) + 1, At: d.UpdatedAt, Action: "ghi_chu", Actor: enginetest.Officer,
		FromState: d.State, ToState: state,
	})
	nd.State = state
	nd.Version = d.Version + 1
	return &nd
}

// TestBatchFailureRollsBackOnlyItself runs one batch by hand (the
// committer is idle: no other write is in flight) holding a good
// transition, a second transition of the same dossier from the same
// version (it must lose), a write that fails after writing, and another
// good transition: the good ones commit, each failure gets its own error
// and leaves nothing behind, its notifications included.
func TestBatchFailureRollsBackOnlyItself(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	a, b, c := enginetest.NewDossier("XA01-260302-0001"), enginetest.NewDossier("XA01-260302-0002"), enginetest.NewDossier("XA01-260302-0003")
	for _, d := range []*engine.Dossier{a, b, c} {
		if err := s.Insert(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
	}
	job := func(fn func(context.Context, *sql.Tx) error) *writeJob {
		return &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	}
	apply := func(d *engine.Dossier, prev int64, ntf ...engine.Notification) *writeJob {
		fn, err := s.applyWrite(ctx, d, prev, ntf)
		if err != nil {
			t.Fatal(err)
		}
		return job(fn)
	}
	failing := errors.New("fails after writing")
	batch := []*writeJob{
		apply(transition(a, "phe_duyet"), 1, enginetest.NewNotification("a/3", a.Code, a.UpdatedAt)),
		// Prepared from the same version as the first: it loses to it.
		apply(transition(a, "tu_choi"), 1, enginetest.NewNotification("a/3-lost", a.Code, a.UpdatedAt)),
		job(func(ctx context.Context, tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE dossiers SET state = 'hong' WHERE code = ?", b.Code); err != nil {
				return err
			}
			return failing
		}),
		apply(transition(c, "phe_duyet"), 1),
	}
	s.commitBatch(batch)
	var results []error
	for _, j := range batch {
		results = append(results, <-j.done)
	}
	var conflict *engine.ConflictError
	switch {
	case results[0] != nil:
		t.Errorf("the first good transition: %v", results[0])
	case !errors.As(results[1], &conflict):
		t.Errorf("the transition that lost the race inside the batch: got %v, want its own *ConflictError", results[1])
	case !errors.Is(results[2], failing):
		t.Errorf("the failing write: got %v, want its own error", results[2])
	case results[3] != nil:
		t.Errorf("the good transition after two failures: %v", results[3])
	}
	for code, want := range map[string]struct {
		state   string
		version int64
		ntf     int
	}{a.Code: {"phe_duyet", 2, 1}, b.Code: {b.State, 1, 0}, c.Code: {"phe_duyet", 2, 0}} {
		got, err := s.Get(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != want.state || got.Version != want.version {
			t.Errorf("%s after the batch: state %s version %d, want %s version %d", code, got.State, got.Version, want.state, want.version)
		}
		ns, err := s.Notifications(ctx, code, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) != want.ntf {
			t.Errorf("%s: %d notifications after the batch, want %d", code, len(ns), want.ntf)
		}
	}
}

// TestWriteAfterCloseIsRefused: a write submitted to a closed store gets
// an error, never a hang.
func TestWriteAfterCloseIsRefused(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := s.NextSequence(t.Context(), "XA01", "260302"); !errors.Is(err, errClosed) {
		t.Fatalf("NextSequence after Close: got %v, want errClosed", err)
	}
}
