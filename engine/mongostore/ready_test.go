package mongostore_test

import "testing"

// TestReadyWrites: a healthy database takes the readiness write, again
// and again (the probe is an upsert, not a growing collection).
func TestReadyWrites(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	for range 2 {
		if err := s.Ready(t.Context()); err != nil {
			t.Fatalf("Ready: %v", err)
		}
	}
}
