package auth

import (
	"sync"
	"time"
)

// Limiter counts failures per key in a sliding window and refuses keys
// that failed Max times within Window, until the oldest failure leaves
// the window. Keys are "person:<id>" and "ip:<addr>", so guessing one
// person's password from many addresses and many people's from one
// address are both slowed down.
type Limiter struct {
	Max    int
	Window time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time
}

// NewLimiter returns a limiter allowing max failures per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, failures: map[string][]time.Time{}}
}

// prune drops failures older than the window; the caller holds mu.
func (l *Limiter) prune(key string, now time.Time) []time.Time {
	fs := l.failures[key]
	i := 0
	for i < len(fs) && !fs[i].After(now.Add(-l.Window)) {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = fs
	return fs
}

// Wait returns how long key must wait before its next attempt; zero when
// it may try now.
func (l *Limiter) Wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	fs := l.prune(key, now)
	if len(fs) < l.Max {
		return 0
	}
	return fs[len(fs)-l.Max].Add(l.Window).Sub(now)
}

// Fail records a failure of key at now.
func (l *Limiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fs := l.prune(key, now)
	l.failures[key] = append(fs, now)
	// Only the last Max failures decide the wait: keep no more, so a
	// flood against one key cannot grow memory.
	if n := len(l.failures[key]); n > l.Max {
		l.failures[key] = l.failures[key][n-l.Max:]
	}
}

// Reset forgets key's failures (after a successful sign-in).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}
