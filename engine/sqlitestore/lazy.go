package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
)

// Lazy writes.
//
// An acknowledgement of the outbox (a notification marked sent) need not
// survive a power cut: lost, the record is sent again with the same
// idempotency key and the receiver answers "duplicate", which the
// dispatcher's at-least-once contract already allows. Fsynced, each
// acknowledgement-only commit costs a full fsync that the desk's next
// transition waits behind. So a batch made only of lazy writes commits
// with synchronous=NORMAL: in WAL mode that is the WAL written without an
// fsync, still atomic, and still on disk after a process is killed (the
// operating system has it); only a power cut before the next fsync can
// lose it. The next ordinary batch's fsync (synchronous=FULL) makes every
// earlier frame durable too. A transition's own write is never lazy.

// writeLazy is write for a write that may be lost in a power cut (see
// above); it still waits for its commit.
func (s *Store) writeLazy(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.submit(ctx, &writeJob{ctx: ctx, fn: fn, lazy: true, done: make(chan error, 1)})
}

// allLazy reports whether every job of batch may skip the fsync.
func allLazy(batch []*writeJob) bool {
	for _, j := range batch {
		if !j.lazy {
			return false
		}
	}
	return true
}

// syncMode sets the writer connection's synchronous pragma for the batch
// about to begin: NORMAL for a lazy batch, FULL otherwise. The committer
// remembers the mode it left, so that an ordinary batch never begins
// while a failed restore left the writer at NORMAL: it fails instead.
func (s *Store) syncMode(ctx context.Context, lazy bool) error {
	if lazy == s.lazyMode {
		return nil
	}
	mode := "FULL"
	if lazy {
		mode = "NORMAL"
	}
	if _, err := s.w.ExecContext(ctx, "PRAGMA synchronous = "+mode); err != nil {
		return fmt.Errorf("synchronous %s: %w", mode, err)
	}
	s.lazyMode = lazy
	return nil
}
