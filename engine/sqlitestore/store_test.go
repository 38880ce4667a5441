package sqlitestore

import (
	"testing"

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
