package sqlitestore

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// riderJob is a riding write that only counts as written.
func riderJob() *writeJob {
	return &writeJob{
		ctx:  context.Background(),
		fn:   func(context.Context, *sql.Tx) error { return nil },
		done: make(chan error, 1),
	}
}

// TestRiderJoinsTheDesksNextBatch: while the desk is writing, an
// acknowledgement waits for the desk's next write and commits in its
// batch: two writes, one commit (one fsync), and the rider is answered
// only with that commit.
func TestRiderJoinsTheDesksNextBatch(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.rideWait.Store(int64(time.Hour)) // never alone within the test
	ctx := t.Context()
	d := enginetest.NewDossier("XA01-260302-0001")
	if err := s.Insert(ctx, d, nil); err != nil { // the desk has just written
		t.Fatal(err)
	}
	before := s.CommitStats()
	j := riderJob()
	s.rides <- j // taken by the committer once this send returns
	select {
	case err := <-j.done:
		t.Fatalf("the rider was answered (%v) before any batch carried it", err)
	default:
	}
	if err := s.Apply(ctx, transition(d, "b"), d.Version, nil); err != nil {
		t.Fatal(err)
	}
	if err := <-j.done; err != nil {
		t.Fatalf("rider: %v", err)
	}
	after := s.CommitStats()
	if commits, writes := after.Commits-before.Commits, after.Writes-before.Writes; commits != 1 || writes != 2 {
		t.Errorf("the desk's transition and the rider: %d commits for %d writes, want 1 for 2", commits, writes)
	}
}

// TestRiderAloneCommitsAtOnce: with no desk write for rideWait, an
// acknowledgement does not wait for one (a backlog drains at full
// speed), and what it wrote is there: the delivery state of a
// notification after UpdateNotification returned, read on another
// connection.
func TestRiderAloneCommitsAtOnce(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	n := enginetest.NewNotification("digest/1", "", enginetest.Monday)
	if _, err := s.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	// The desk has been quiet since Open: the first rider goes alone, even
	// with a wait that would outlast the test.
	s.rideWait.Store(int64(time.Hour))
	sent := n
	sent.Status, sent.Attempts, sent.SentAt = engine.NotificationSent, 1, new(enginetest.Monday.Add(time.Minute))
	if err := s.UpdateNotification(ctx, sent, n); err != nil {
		t.Fatal(err)
	}
	ns, err := s.Notifications(ctx, "", 0)
	if err != nil || len(ns) != 1 {
		t.Fatalf("%v %v", ns, err)
	}
	if diff := enginetest.Diff(sent, ns[0]); diff != "" {
		t.Errorf("after the acknowledgement: %s", diff)
	}
}

// TestRidersCommitBeforeClose: riders waiting for the desk when the store
// closes are committed, not dropped.
func TestRidersCommitBeforeClose(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.rideWait.Store(int64(time.Hour))
	if err := s.Insert(t.Context(), enginetest.NewDossier("XA01-260302-0001"), nil); err != nil {
		t.Fatal(err)
	}
	j := riderJob()
	s.rides <- j
	s.Close()
	if err := <-j.done; err != nil {
		t.Errorf("a rider waiting at Close: %v, want committed", err)
	}
}

// TestRidersBeyondABatchAreNotForgotten: more riders than one batch holds
// arrive while the desk is busy and no desk write follows: a full batch
// goes at once, the rest when their wait ends, none left behind.
func TestRidersBeyondABatchAreNotForgotten(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.rideWait.Store(int64(20 * time.Millisecond))
	if err := s.Insert(t.Context(), enginetest.NewDossier("XA01-260302-0001"), nil); err != nil {
		t.Fatal(err) // the desk has just written
	}
	jobs := make([]*writeJob, maxBatch+maxBatch/2)
	for i := range jobs {
		jobs[i] = riderJob()
		s.rides <- jobs[i]
	}
	for i, j := range jobs {
		if err := <-j.done; err != nil {
			t.Fatalf("rider %d: %v", i, err)
		}
	}
}
