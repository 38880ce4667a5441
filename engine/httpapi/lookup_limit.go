package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// Defaults of the public lookup's limit. A citizen looks up a handful of
// codes at a time; 30 a minute with a burst of 10 never gets in their way,
// while it slows walking the sequential codes (UNIT-YYMMDD-NNNN) of a busy
// unit's day from seconds to hours.
const (
	DefaultLookupPerMinute = 30
	DefaultLookupBurst     = 10
	DefaultLookupClients   = 10000
)

// LookupLimitedError refuses a public lookup from a client that has used
// up its allowance.
type LookupLimitedError struct {
	// RetryAfter is how long until the client's next lookup is allowed.
	RetryAfter time.Duration
}

func (e *LookupLimitedError) Error() string {
	return fmt.Sprintf("too many lookups: retry in %s", e.RetryAfter.Round(time.Second))
}

// ErrorCode shares the sign-in limit's code, so clients handle one
// "rate_limited" answer (429).
func (e *LookupLimitedError) ErrorCode() engine.Code { return auth.ELIMITED }

// RetryAfterSeconds is RetryAfter in whole seconds, rounded up and at
// least 1, as the Retry-After header wants it.
func (e *LookupLimitedError) RetryAfterSeconds() int {
	return max(int(math.Ceil(e.RetryAfter.Seconds())), 1)
}

// Message implements engine.Localized.
func (e *LookupLimitedError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Too many lookups; retry in %d seconds", e.RetryAfterSeconds())
	}
	return fmt.Sprintf("Tra cứu quá nhiều lần; vui lòng thử lại sau %d giây", e.RetryAfterSeconds())
}

// lookupLimiter is a token bucket per client address. Buckets live in a
// map bounded by maxClients: a bucket idle long enough to be full again
// holds nothing a fresh one would not, so it is dropped; under a flood of
// distinct addresses the least recently seen buckets go first.
type lookupLimiter struct {
	perSec     float64 // tokens added per second
	burst      float64 // bucket size
	maxClients int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	seen   time.Time // last refill
}

// newLookupLimiter returns nil (no limit) when perMinute is negative;
// zero values take the defaults.
func newLookupLimiter(perMinute, burst, maxClients int) *lookupLimiter {
	if perMinute < 0 {
		return nil
	}
	if perMinute == 0 {
		perMinute = DefaultLookupPerMinute
	}
	if burst <= 0 {
		burst = DefaultLookupBurst
	}
	if maxClients <= 0 {
		maxClients = DefaultLookupClients
	}
	return &lookupLimiter{perSec: float64(perMinute) / 60, burst: float64(burst), maxClients: maxClients,
		buckets: map[string]*bucket{}}
}

// refill is how long an empty bucket takes to fill: after that a client
// is as good as new and its bucket can go.
func (l *lookupLimiter) refill() time.Duration {
	return time.Duration(l.burst / l.perSec * float64(time.Second))
}

// allow takes one token from client's bucket at now, or says how long
// until one is available.
func (l *lookupLimiter) allow(client string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.refill() || len(l.buckets) >= l.maxClients {
		l.sweep(now)
	}
	b, ok := l.buckets[client]
	if !ok {
		b = &bucket{tokens: l.burst, seen: now}
		l.buckets[client] = b
	}
	// A clock that steps back (NTP) must not mint or take tokens.
	if el := now.Sub(b.seen); el > 0 {
		b.tokens = min(l.burst, b.tokens+el.Seconds()*l.perSec)
		b.seen = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
	return false, wait
}

// sweep drops full buckets, then, if the map is still at its bound, the
// least recently seen half, so that a flood of addresses costs one O(n)
// pass per n/2 new clients rather than one per request.
func (l *lookupLimiter) sweep(now time.Time) {
	l.lastSweep = now
	full := l.refill()
	for k, b := range l.buckets {
		if now.Sub(b.seen) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < l.maxClients {
		return
	}
	seen := make([]time.Time, 0, len(l.buckets))
	for _, b := range l.buckets {
		seen = append(seen, b.seen)
	}
	cut := median(seen)
	for k, b := range l.buckets {
		if !b.seen.After(cut) {
			delete(l.buckets, k)
		}
	}
}

// median returns the middle instant of ts (reordering it).
func median(ts []time.Time) time.Time {
	// Quickselect would do; a sort of at most maxClients instants once
	// per half-flood is cheap enough and obviously right.
	slices.SortFunc(ts, time.Time.Compare)
	return ts[len(ts)/2]
}

// clientKey is the bucket of a client address (clientIP): the address,
// or for IPv6 its /64, because one host commonly holds a whole /64 and
// could otherwise take a fresh bucket per address.
func clientKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	if a = a.Unmap(); a.Is6() {
		return netip.PrefixFrom(a.WithZone(""), 64).Masked().String()
	}
	return a.String()
}

// limitLookup charges r's client one lookup. When refused it sets
// Retry-After on w (the page path does not go through writeError) and
// returns a *LookupLimitedError.
func (s *Server) limitLookup(w http.ResponseWriter, r *http.Request) error {
	if s.lookupLimit == nil {
		return nil
	}
	ok, wait := s.lookupLimit.allow(clientKey(s.clientIP(r)), s.now())
	if ok {
		return nil
	}
	err := &LookupLimitedError{RetryAfter: wait}
	w.Header().Set("Retry-After", strconv.Itoa(err.RetryAfterSeconds()))
	return err
}
