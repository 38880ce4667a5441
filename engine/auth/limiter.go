package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Limiter slows down repeated failures per key with growing delays
// instead of a hard lock: the first Free failures cost nothing, each one
// after doubles the wait, from Base up to MaxDelay. A key that has not
// failed for Forget starts afresh.
//
// Delays rather than a lock, and keys of a person *at an address*, so that
// a stranger guessing the chairman's password slows down only himself,
// never locks the chairman out of his own desk (issue 15). A separate key
// per address (with more free failures, since an office shares one NAT
// address) slows down one address trying many people.
//
// Memory is bounded: keys are kept as 16-byte hashes whatever their
// length, at most MaxKeys of them; when full, forgotten keys are swept
// and then idle ones evicted, oldest first seen by map order.
type Limiter struct {
	// Free is how many failures a key gets before waits start.
	Free int
	// Base is the first wait; each further failure doubles it.
	Base time.Duration
	// MaxDelay caps the wait.
	MaxDelay time.Duration
	// Forget is how long a key must stay quiet to start afresh.
	Forget time.Duration
	// MaxKeys bounds how many keys are remembered (0: no bound).
	MaxKeys int

	mu sync.Mutex
	m  map[limiterKey]*limiterEntry
}

type limiterKey [16]byte

type limiterEntry struct {
	n     int       // failures since the key was last forgotten
	last  time.Time // the last failure
	until time.Time // no attempt before this instant
}

// DefaultLimiterKeys bounds how many keys a limiter remembers: about a
// megabyte however many addresses and names an attacker sends.
const DefaultLimiterKeys = 20000

// NewLimiter returns a limiter letting free failures through per key,
// then waiting base, 2×base, 4×base… up to maxDelay; a key quiet for
// forget starts afresh.
func NewLimiter(free int, base, maxDelay, forget time.Duration) *Limiter {
	return &Limiter{Free: free, Base: base, MaxDelay: maxDelay, Forget: forget, MaxKeys: DefaultLimiterKeys,
		m: map[limiterKey]*limiterEntry{}}
}

func hashKey(key string) limiterKey {
	h := sha256.Sum256([]byte(key))
	var k limiterKey
	copy(k[:], h[:])
	return k
}

// Len returns how many keys the limiter remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// live returns k's entry, dropping it when forgotten; the caller holds mu.
func (l *Limiter) live(k limiterKey, now time.Time) *limiterEntry {
	e := l.m[k]
	if e != nil && l.forgotten(e, now) {
		delete(l.m, k)
		return nil
	}
	return e
}

func (l *Limiter) forgotten(e *limiterEntry, now time.Time) bool {
	return !now.Before(e.last.Add(l.Forget)) && !now.Before(e.until)
}

// Wait returns how long key must wait before its next attempt; zero when
// it may try now.
func (l *Limiter) Wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.live(hashKey(key), now)
	if e == nil || !now.Before(e.until) {
		return 0
	}
	return e.until.Sub(now)
}

// Fail records a failure of key at now.
func (l *Limiter) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := hashKey(key)
	e := l.live(k, now)
	if e == nil {
		l.makeRoom(now)
		e = &limiterEntry{}
		l.m[k] = e
	}
	e.n++
	e.last = now
	if over := e.n - l.Free; over > 0 {
		d := l.MaxDelay
		if over <= 30 && l.Base<<(over-1) < l.MaxDelay {
			d = l.Base << (over - 1)
		}
		e.until = now.Add(d)
	}
}

// makeRoom keeps the map under MaxKeys before an insert: forgotten keys
// go first, then keys not waiting now, then any. The caller holds mu.
func (l *Limiter) makeRoom(now time.Time) {
	if l.MaxKeys <= 0 || len(l.m) < l.MaxKeys {
		return
	}
	for k, e := range l.m {
		if l.forgotten(e, now) {
			delete(l.m, k)
		}
	}
	for k, e := range l.m {
		if len(l.m) < l.MaxKeys {
			return
		}
		if !now.Before(e.until) {
			delete(l.m, k)
		}
	}
	for k := range l.m {
		if len(l.m) < l.MaxKeys {
			return
		}
		delete(l.m, k)
	}
}

// Sweep drops the keys forgotten by now and returns how many are left;
// serve's session sweep calls it, so memory falls back after a flood.
func (l *Limiter) Sweep(now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, e := range l.m {
		if l.forgotten(e, now) {
			delete(l.m, k)
		}
	}
	return len(l.m)
}

// Reset forgets key's failures (after a successful sign-in).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, hashKey(key))
}
