package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestLookupLimiterRules drives the token bucket with a stub clock, one
// rule per row: 30 lookups a minute (one per 2 s), burst 10.
func TestLookupLimiterRules(t *testing.T) {
	t.Parallel()
	t0 := enginetest.Monday
	type hit struct {
		client string
		at     time.Duration // after t0
		ok     bool
		wait   time.Duration // when refused
	}
	burst := func(client string, at time.Duration) []hit {
		var hs []hit
		for range DefaultLookupBurst {
			hs = append(hs, hit{client, at, true, 0})
		}
		return hs
	}
	cat := func(parts ...[]hit) []hit {
		var out []hit
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, tc := range []struct {
		rule string
		hits []hit
	}{
		{"a fresh client gets the whole burst at once, then waits one refill period (2 s)",
			cat(burst("a", 0), []hit{{"a", 0, false, 2 * time.Second}})},
		{"tokens come back at 30 a minute: one after 2 s, not before",
			cat(burst("a", 0), []hit{{"a", time.Second, false, time.Second}, {"a", 2 * time.Second, true, 0}, {"a", 2 * time.Second, false, 2 * time.Second}})},
		{"an idle hour refills no more than the burst",
			cat(burst("a", 0), burst("a", time.Hour), []hit{{"a", time.Hour, false, 2 * time.Second}})},
		{"clients have their own buckets",
			cat(burst("a", 0), []hit{{"a", 0, false, 2 * time.Second}, {"b", 0, true, 0}})},
		{"a clock stepping back mints no tokens",
			cat(burst("a", time.Minute), []hit{{"a", 0, false, 2 * time.Second}, {"a", time.Minute, false, 2 * time.Second}})},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			l := newLookupLimiter(0, 0, 0)
			for i, h := range tc.hits {
				ok, wait := l.allow(h.client, t0.Add(h.at))
				if ok != h.ok || (!ok && wait != h.wait) {
					t.Fatalf("hit %d (%s at +%s): allowed %v, wait %s; want %v, %s", i+1, h.client, h.at, ok, wait, h.ok, h.wait)
				}
			}
		})
	}

	t.Run("an idle client is forgotten once its bucket would be full again", func(t *testing.T) {
		l := newLookupLimiter(0, 0, 0)
		l.allow("a", t0)
		l.allow("b", t0.Add(20*time.Second)) // 10 tokens at 0.5/s: full after 20 s
		if _, kept := l.buckets["a"]; kept || len(l.buckets) != 1 {
			t.Fatalf("buckets %v, want only b", keys(l.buckets))
		}
	})
	t.Run("a flood of addresses never holds more than LookupClients buckets and keeps the recent ones", func(t *testing.T) {
		l := newLookupLimiter(0, 0, 100)
		for i := range 1000 {
			l.allow(fmt.Sprintf("10.0.%d.%d", i/256, i%256), t0.Add(time.Duration(i)*time.Millisecond))
			if len(l.buckets) > 100 {
				t.Fatalf("after %d clients: %d buckets", i+1, len(l.buckets))
			}
		}
		if _, ok := l.buckets["10.0.3.231"]; !ok { // client 999
			t.Fatal("the latest client was evicted")
		}
	})
	t.Run("a negative rate turns the limit off", func(t *testing.T) {
		if l := newLookupLimiter(-1, 0, 0); l != nil {
			t.Fatalf("limiter %+v, want none", l)
		}
	})
	t.Run("IPv6 clients share a bucket per /64, IPv4 per address", func(t *testing.T) {
		for _, tc := range []struct{ remote, want string }{
			{"[2001:db8:1:2:aaaa::1]:443", "2001:db8:1:2::/64"},
			{"[2001:db8:1:2:bbbb::9]:80", "2001:db8:1:2::/64"},
			{"203.0.113.7:5000", "203.0.113.7"},
			{"[::ffff:203.0.113.7]:5000", "203.0.113.7"},
		} {
			r := httptest.NewRequest("GET", "/lookup", nil)
			r.RemoteAddr = tc.remote
			if got := clientKey(clientAddr(r, nil)); got != tc.want {
				t.Errorf("clientKey(%s) = %q, want %q", tc.remote, got, tc.want)
			}
		}
	})
}

func keys(m map[string]*bucket) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestLookupIsRateLimited: the API and the page share one bucket per
// client; past it the API answers 429 in the shared error shape with
// Retry-After, the page a Vietnamese message; the empty form is free; the
// clock refills.
func TestLookupIsRateLimited(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Nguyễn Văn A")
	for i := range DefaultLookupBurst {
		path := "/api/v1/lookup/" + d.Code
		if i%2 == 1 {
			path = "/lookup?code=" + d.Code
		}
		if r := b.call("GET", path, "", nil); r.status != http.StatusOK {
			t.Fatalf("lookup %d (%s): %d %s", i+1, path, r.status, r.body)
		}
	}
	if r := b.call("GET", "/lookup", "", nil); r.status != http.StatusOK {
		t.Fatalf("empty lookup form: %d", r.status)
	}
	r := b.call("GET", "/api/v1/lookup/"+d.Code, "", nil)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "2" {
		t.Fatalf("API past the burst: %d, Retry-After %q: %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	var e ErrorBody
	r.json(t, &e)
	if e.Error.Code != auth.ELIMITED || e.Error.RetryAfter != 2 || !strings.Contains(e.Error.Message, "Tra cứu quá nhiều lần") || e.Error.MessageEN == "" {
		t.Fatalf("error body %s", r.body)
	}
	r = b.call("GET", "/lookup?code="+d.Code, "", nil)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" ||
		!strings.Contains(string(r.body), "Tra cứu quá nhiều lần; vui lòng thử lại sau 2 giây.") {
		t.Fatalf("page past the burst: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	b.clock.Advance(2 * time.Second)
	if r := b.call("GET", "/api/v1/lookup/"+d.Code, "", nil); r.status != http.StatusOK {
		t.Fatalf("after the refill: %d %s", r.status, r.body)
	}
}
