package enginetest

import (
	"sync"
	"time"
)

// StubClock is a settable clock for tests and simulations. Pass its Now
// method wherever a `Now func() time.Time` is expected. It is safe for
// concurrent use.
type StubClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

// NewStubClock returns a clock standing at t.
func NewStubClock(t time.Time) *StubClock { return &StubClock{t: t} }

// Now returns the current instant, then advances the clock by the step
// set with SetStep (zero by default), so that successive calls can see
// strictly increasing instants without a real clock.
func (c *StubClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

// Set moves the clock to t.
func (c *StubClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d and returns the new instant.
func (c *StubClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// SetStep makes every Now call advance the clock by d afterwards.
func (c *StubClock) SetStep(d time.Duration) {
	c.mu.Lock()
	c.step = d
	c.mu.Unlock()
}
