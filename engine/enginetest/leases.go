package enginetest

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// leaseTests pin the contract of AcquireLease and ReleaseLease.
var leaseTests = []storeTest{
	{"AcquireLease/FreeHeldRenewedTakenOver", false, testLease},
	{"ReleaseLease/HandsTheLeaseOnAtOnce", false, testLeaseRelease},
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

// testLeaseRelease pins ReleaseLease: a stopping holder hands its lease on
// at once, and nobody else can take a lease away by releasing it.
func testLeaseRelease(t *testing.T, s engine.Store) {
	ctx := t.Context()
	steps := []struct {
		rule   string
		op     string // "acquire" or "release"
		name   string
		holder string
		now    time.Time
		want   bool
	}{
		{"a free lease is taken", "acquire", "watch", "node-a", at(0), true},
		{"another holder's release gives up nothing", "release", "watch", "node-b", at(time.Second), false},
		{"so the lease is still refused to it", "acquire", "watch", "node-b", at(2 * time.Second), false},
		{"releasing another name leaves this lease alone", "release", "dispatch", "node-a", at(3 * time.Second), false},
		{"still refused after an unrelated release", "acquire", "watch", "node-b", at(4 * time.Second), false},
		{"the holder releases its lease", "release", "watch", "node-a", at(5 * time.Second), true},
		{"the next holder takes it at once, long before it would expire", "acquire", "watch", "node-b", at(6 * time.Second), true},
		{"a second release by the old holder is a no-op", "release", "watch", "node-a", at(7 * time.Second), false},
		{"the new holder keeps it", "acquire", "watch", "node-a", at(8 * time.Second), false},
		{"a released lease can be released again without error", "release", "watch", "node-b", at(9 * time.Second), true},
		{"releasing a lease nobody holds is a no-op", "release", "watch", "node-b", at(10 * time.Second), false},
		{"and the old holder may take it back", "acquire", "watch", "node-a", at(11 * time.Second), true},
	}
	for _, st := range steps {
		var ok bool
		var err error
		switch st.op {
		case "acquire":
			ok, err = s.AcquireLease(ctx, st.name, st.holder, st.now, st.now.Add(time.Minute))
		case "release":
			ok, err = s.ReleaseLease(ctx, st.name, st.holder)
		}
		if err != nil {
			t.Fatalf("%s: %v", st.rule, err)
		}
		if ok != st.want {
			t.Errorf("%s: %s(%s, %s) = %v, want %v", st.rule, st.op, st.name, st.holder, ok, st.want)
		}
	}
}
