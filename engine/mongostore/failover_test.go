package mongostore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/internal/ferrettest"
)

// EnvFailover turns TestFailoverKeepsAcknowledgedWrites on: it steps the
// primary of the replica set at MOTCUA_TEST_MONGODB_URI down, which no
// test may do to a server it was only lent. scripts/test-mongodb.sh sets
// it for the replica set it starts.
const EnvFailover = "MOTCUA_TEST_MONGODB_FAILOVER"

// TestFailoverKeepsAcknowledgedWrites puts a load of receptions (a
// day's number, then the insert) and transitions on the store, steps the
// primary down in the middle of it, and then checks against the new
// primary that every write the store acknowledged is there: no number
// handed out twice, every inserted dossier present, every applied
// version and history row present. Writes that failed during the
// election are allowed to be lost (their callers saw an error); the
// acknowledged ones are what majority+journaled write concern promises.
func TestFailoverKeepsAcknowledgedWrites(t *testing.T) {
	if os.Getenv(EnvFailover) == "" || !ferrettest.Real() {
		t.Skip("steps a replica set's primary down: set " + EnvFailover + "=1 and " + ferrettest.EnvURI + " (scripts/test-mongodb.sh does)")
	}
	s := newStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	const workers, perWorker = 8, 60
	var (
		mu      sync.Mutex
		numbers = map[int]string{} // acknowledged number → who got it
		applied = map[string]int64{}
		stepped = make(chan struct{})
		once    sync.Once
	)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				if w == 0 && i == perWorker/3 {
					once.Do(func() {
						// Step down from a worker, mid-load; the driver's
						// connection to the old primary is closed by it.
						err := s.Database().Client().Database("admin").RunCommand(ctx,
							bson.D{{Key: "replSetStepDown", Value: 10}, {Key: "secondaryCatchUpPeriodSecs", Value: 5}}).Err()
						t.Logf("replSetStepDown: %v", err)
						close(stepped)
					})
				}
				n, err := s.NextSequence(ctx, "FO", "260302")
				if err != nil {
					continue // not acknowledged: may be lost
				}
				code := fmt.Sprintf("FO-260302-%04d", n)
				mu.Lock()
				if other, dup := numbers[n]; dup {
					t.Errorf("number %d handed out twice (%s and worker %d)", n, other, w)
				}
				numbers[n] = fmt.Sprintf("worker %d", w)
				mu.Unlock()
				d := enginetest.NewDossier(code)
				d.ReceiveKey = ""
				if err := s.Insert(ctx, d, nil); err != nil {
					continue
				}
				mu.Lock()
				applied[code] = 1
				mu.Unlock()
				nd := d.Clone()
				nd.Version = 2
				nd.History = append(nd.History, engine.HistoryRow{Seq: len(d.History) + 1, At: d.ReceivedAt.Add(time.Minute),
					Action: "transfer", Actor: enginetest.Officer, FromState: d.State, ToState: d.State})
				if err := s.Apply(ctx, nd, 1, nil); err != nil {
					var conflict *engine.ConflictError
					if errors.As(err, &conflict) {
						// A retried write that had been applied before
						// the election: the store's conditional write
						// refuses the second, and the first stands.
						t.Logf("%s: %v", code, err)
					}
					continue
				}
				mu.Lock()
				applied[code] = 2
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	select {
	case <-stepped:
	default:
		t.Fatal("the primary was never stepped down")
	}
	if len(numbers) == 0 || len(applied) == 0 {
		t.Fatalf("no write acknowledged at all: %d numbers, %d dossiers", len(numbers), len(applied))
	}
	// A fresh store: reads from the new primary, nothing cached.
	after, err := mongostore.Open(ctx, ferrettest.Start(t), s.Database().Name())
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	next, err := after.NextSequence(ctx, "FO", "260302")
	if err != nil {
		t.Fatal(err)
	}
	for n := range numbers {
		if n >= next {
			t.Errorf("number %d was acknowledged, but the series continues at %d: it would be handed out again", n, next)
		}
	}
	for code, version := range applied {
		d, err := after.Get(ctx, code)
		if err != nil {
			t.Errorf("%s acknowledged at version %d: %v", code, version, err)
			continue
		}
		if d.Version < version || len(d.History) < int(version) {
			t.Errorf("%s acknowledged at version %d, found version %d with %d rows", code, version, d.Version, len(d.History))
		}
	}
	t.Logf("%d numbers and %d dossiers acknowledged, all present after the failover", len(numbers), len(applied))
}
