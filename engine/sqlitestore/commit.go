package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Group commit.
//
// With synchronous=FULL every commit is an fsync of the WAL, and an fsync
// costs far more than the work of a transition; with one commit per
// transition, eight officers acting at once are no faster than one. So
// the transitions and receptions that arrive while a commit is on disk
// wait, and the next commit carries all of them: one transaction, one
// fsync. Each write still runs on its own inside the batch, between a
// SAVEPOINT and its RELEASE, so a write that fails (a stale version, a
// used reception key) rolls back only itself, and no caller hears
// "written" before the COMMIT that carries its write has returned, that
// is, before it is on disk. A failed COMMIT fails every write of the
// batch.
//
// The committer is one goroutine that owns the batches. The outbox's
// delivery state rides them too (UpdateNotification, through ride), so
// that the dispatcher's acknowledgements share the desk's fsyncs; other
// writes (leases, sessions) still take the writer connection directly,
// between two batches.
//
// Riding writes. An acknowledgement that commits on its own costs an
// fsync that the desk's next transition waits behind: with the portal's
// records delivered as fast as the desk makes them, that is one extra
// commit in the desk's path for every few transitions, and transitions
// ran at 0.43-0.65x of their rate without delivery. Nobody waits on an
// acknowledgement but the dispatcher, so while the desk is writing, an
// acknowledgement waits (at most rideWait) for the desk's next batch
// and commits inside it; when the desk has been quiet for rideWait, it
// commits at once, so a backlog drains at full speed. It is still
// durable before the dispatcher hears "recorded": it only waits for a
// commit it can share.

// maxBatch bounds the writes of one commit, so that a batch's latency
// stays near one fsync plus a few milliseconds of work even under a
// burst.
const maxBatch = 64

// rideWait is how long a riding write waits for the desk's next batch
// before it commits alone, and how long after the desk's last batch the
// store still counts as busy. A few transitions' worth at a desk's peak
// (one every millisecond or two), short against a portal's answer.
const rideWait = 10 * time.Millisecond

// CommitStats counts the committer's work since Open: Writes / Commits
// is the mean batch, how many writes shared each fsync.
type CommitStats struct {
	// Commits is the number of batches committed (one fsync each).
	Commits int64
	// Writes is the number of writes those batches carried.
	Writes int64
	// Busy is the time the committer spent running and committing
	// batches: Busy / Commits is the mean time a write waits for a batch
	// that is already on its way to disk.
	Busy time.Duration
}

// CommitStats returns the group commit's counters, for benchmarks and
// metrics.
func (s *Store) CommitStats() CommitStats {
	return CommitStats{Commits: s.commits.Load(), Writes: s.written.Load(), Busy: time.Duration(s.busy.Load())}
}

// errClosed answers a write submitted to a closed store.
var errClosed = errors.New("sqlitestore: store closed")

// writeJob is one write waiting for a batch: fn runs inside the batch's
// transaction, and done receives its outcome once the batch is
// committed (or its own error, at once, if it failed).
type writeJob struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

// startCommitter starts the goroutine that runs the batches.
func (s *Store) startCommitter() {
	s.jobs = make(chan *writeJob)
	s.rides = make(chan *writeJob)
	s.rideWait.Store(int64(rideWait))
	s.quit = make(chan struct{})
	s.stopped = make(chan struct{})
	go s.commitLoop()
}

// stopCommitter lets the batch in progress finish and stops the loop;
// writes submitted afterwards get errClosed.
func (s *Store) stopCommitter() {
	if s.quit == nil {
		return // Open failed before the committer started
	}
	s.stopOnce.Do(func() { close(s.quit) })
	<-s.stopped
}

// write runs fn in the next batch and returns once the batch is
// committed: nil only if fn succeeded and its batch is on disk.
func (s *Store) write(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.submit(ctx, s.jobs, fn)
}

// ride is write for a write nobody but a background worker waits on:
// while the desk is writing it joins the desk's next batch instead of
// starting one (see "Riding writes" above). Durable when it returns nil,
// as write.
func (s *Store) ride(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.submit(ctx, s.rides, fn)
}

func (s *Store) submit(ctx context.Context, queue chan *writeJob, fn func(ctx context.Context, tx *sql.Tx) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case queue <- j:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.quit:
		return errClosed
	}
	// Once taken, the job's outcome is waited for even if ctx ends: the
	// caller must not be told "not written" about a write that commits.
	return <-j.done
}

func (s *Store) commitLoop() {
	defer close(s.stopped)
	batch := make([]*writeJob, 0, maxBatch)
	var (
		riders   []*writeJob // riding writes waiting for a batch
		deskLast time.Time   // when the last batch with a desk write ended
	)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		batch = batch[:0]
		var due <-chan time.Time
		if len(riders) > 0 {
			due = timer.C
		}
		select {
		case j := <-s.jobs:
			batch = append(batch, j)
		case j := <-s.rides:
			riders = append(riders, j)
			if len(riders) < maxBatch && time.Since(deskLast) < time.Duration(s.rideWait.Load()) {
				if len(riders) == 1 {
					timer.Reset(time.Duration(s.rideWait.Load()))
				}
				continue // the desk is busy: wait for its next batch
			}
		case <-due:
			// No desk write came: the riders go alone.
		case <-s.quit:
			if len(riders) > 0 {
				s.commitBatch(riders)
			}
			return
		}
		// Take every write already waiting: the writers that arrived
		// while the previous batch was on disk, and the riders.
		desk := len(batch) > 0
	more:
		for len(batch)+len(riders) < maxBatch {
			select {
			case j := <-s.jobs:
				batch = append(batch, j)
				desk = true
			case j := <-s.rides:
				riders = append(riders, j)
			default:
				break more
			}
		}
		n := min(len(riders), maxBatch-len(batch))
		batch = append(batch, riders[:n]...)
		riders = append(riders[:0], riders[n:]...)
		if len(riders) == 0 {
			timer.Stop()
		} else {
			// Riders left over (the loops above keep riders and desk
			// writes within one batch together, so only if that
			// changes): they wait on a fresh wait, never forever.
			timer.Reset(time.Duration(s.rideWait.Load()))
		}
		start := time.Now()
		s.commitBatch(batch)
		end := time.Now()
		s.busy.Add(int64(end.Sub(start)))
		if desk {
			deskLast = end
		}
		clear(batch)
	}
}

// commitBatch runs the jobs in one transaction, each in its own
// savepoint, commits, and only then answers them.
func (s *Store) commitBatch(batch []*writeJob) {
	results := make([]error, len(batch))
	answer := func() {
		for i, j := range batch {
			j.done <- results[i]
		}
	}
	fail := func(err error) {
		err = storageFull(err) // a full disk reads as such to every writer of the batch
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
		answer()
	}
	// The batch's own context: one caller giving up must not cancel the
	// transaction the others' writes are in.
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	written := 0
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			results[i] = err // gave up before its turn: not run
			continue
		}
		if len(batch) == 1 {
			// Alone in the batch: the transaction is its savepoint.
			results[i] = runJob(ctx, j, tx)
		} else {
			if _, err := tx.StmtContext(ctx, s.st.savepoint).ExecContext(ctx); err != nil {
				tx.Rollback()
				fail(err)
				return
			}
			results[i] = runJob(ctx, j, tx)
			if results[i] != nil {
				if _, err := tx.StmtContext(ctx, s.st.rollbackTo).ExecContext(ctx); err != nil {
					tx.Rollback()
					fail(err)
					return
				}
			}
			if _, err := tx.StmtContext(ctx, s.st.release).ExecContext(ctx); err != nil {
				tx.Rollback()
				fail(err)
				return
			}
		}
		if results[i] == nil {
			written++
		}
	}
	if written == 0 {
		tx.Rollback()
		answer()
		return
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
		return
	}
	s.commits.Add(1)
	s.written.Add(int64(written))
	answer()
}

// runJob calls the job's function; a panic in it fails only that job (the
// committer serves every writer of the process and must not die).
func runJob(ctx context.Context, j *writeJob, tx *sql.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqlitestore: write panicked: %v", p)
		}
	}()
	return j.fn(ctx, tx)
}
