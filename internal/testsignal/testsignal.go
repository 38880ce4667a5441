// Package testsignal lets a background service tell a test that something
// happened (a lease taken, a tick skipped), so tests wait on the event
// itself instead of sleeping. It follows River's rivershared/testsignal: a
// signal is inert until a test calls Init, so production code signals for
// free.
package testsignal

import "time"

// TB is the part of testing.TB a signal uses; an interface so that the
// services importing this package do not link the testing package into
// the binary.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// buffer is how many signals may wait unread before a test is told it
// missed some.
const buffer = 50

// Signal is one kind of event a service reports to its tests. The zero
// value ignores every Signal call.
type Signal[T any] struct {
	ch chan T
	tb TB
}

// Init arms the signal for tb.
func (s *Signal[T]) Init(tb TB) {
	s.ch = make(chan T, buffer)
	s.tb = tb
}

// Signal reports v; it never blocks the service.
func (s *Signal[T]) Signal(v T) {
	if s.ch == nil {
		return
	}
	select {
	case s.ch <- v:
	default:
		s.tb.Errorf("test signal buffer full (%d unread)", buffer)
	}
}

// Wait returns the next value reported. The timeout is a safety net
// against a hung test, not a synchronisation: a passing test never
// reaches it.
func (s *Signal[T]) Wait() T {
	s.tb.Helper()
	select {
	case v := <-s.ch:
		return v
	case <-time.After(10 * time.Second):
		s.tb.Fatalf("no test signal within 10 s")
	}
	var zero T
	return zero
}

// C returns the channel the values arrive on, for a test that waits on
// several signals at once.
func (s *Signal[T]) C() <-chan T { return s.ch }

// RequireEmpty fails the test if a value was reported and not read.
func (s *Signal[T]) RequireEmpty() {
	s.tb.Helper()
	select {
	case v := <-s.ch:
		s.tb.Errorf("unexpected test signal %v", v)
	default:
	}
}
