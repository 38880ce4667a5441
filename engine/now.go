package engine

import "time"

// Clock returns the current instant. It is injected wherever time is read
// (the engine, the watch, the dispatcher, the web server, sign-in) so that
// tests, the simulator and replays decide with the instant they choose. A
// nil Clock is the system clock: a zero-valued struct reads real time and
// no caller writes the fallback itself.
type Clock func() time.Time

// Time returns c's instant, or time.Now when c is nil.
func (c Clock) Time() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}
