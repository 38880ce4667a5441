package enginetest

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// leaseTests pin the contract of AcquireLease.
var leaseTests = []storeTest{
	{"AcquireLease/FreeHeldRenewedTakenOver", false, testLease},
}

func testLease(t *testing.T, s engine.Store) {
	ctx := t.Context()
	steps := []struct {
		rule        string
		holder      string
		now, until  time.Time
		wantAcquire bool
	}{
		{"a free lease is taken", "node-a", at(0), at(time.Minute), true},
		{"held by another until expiry", "node-b", at(30 * time.Second), at(90 * time.Second), false},
		{"still held a millisecond before expiry", "node-b", at(time.Minute - time.Millisecond), at(90 * time.Second), false},
		{"the holder renews", "node-a", at(50 * time.Second), at(2 * time.Minute), true},
		{"renewal moved the expiry", "node-b", at(90 * time.Second), at(3 * time.Minute), false},
		{"free exactly at its until", "node-b", at(2 * time.Minute), at(4 * time.Minute), true},
		{"the old holder lost it", "node-a", at(3 * time.Minute), at(5 * time.Minute), false},
		{"taken back after the new holder's expiry", "node-a", at(4*time.Minute + time.Millisecond), at(6 * time.Minute), true},
	}
	for _, st := range steps {
		ok, err := s.AcquireLease(ctx, "watch", st.holder, st.now, st.until)
		if err != nil {
			t.Fatalf("%s: %v", st.rule, err)
		}
		if ok != st.wantAcquire {
			t.Errorf("%s: AcquireLease(%s) = %v, want %v", st.rule, st.holder, ok, st.wantAcquire)
		}
	}
	ok, err := s.AcquireLease(ctx, "digest", "node-a", at(3*time.Minute), at(4*time.Minute))
	if err != nil || !ok {
		t.Errorf("leases are independent by name: %v %v", ok, err)
	}
}
