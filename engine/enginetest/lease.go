package enginetest

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

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
