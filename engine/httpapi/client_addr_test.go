package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"testing"
)

// TestClientAddr: the client address behind the rate limits, one row per
// rule of clientAddr.
func TestClientAddr(t *testing.T) {
	t.Parallel()
	trusted := normalizePrefixes([]netip.Prefix{
		netip.MustParsePrefix("127.0.0.1/32"),
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("2001:db8:ffff::/48"),
	})
	for _, tc := range []struct {
		rule    string
		remote  string
		xff     []string // X-Forwarded-For lines
		fwd     []string // Forwarded lines
		trusted []netip.Prefix
		want    string
	}{
		{rule: "no trusted proxy: the peer, headers ignored",
			remote: "203.0.113.7:5000", xff: []string{"198.51.100.1"}, want: "203.0.113.7"},
		{rule: "untrusted peer: its forged X-Forwarded-For is ignored",
			remote: "203.0.113.7:5000", xff: []string{"198.51.100.1"}, trusted: trusted, want: "203.0.113.7"},
		{rule: "untrusted peer: its forged Forwarded is ignored",
			remote: "203.0.113.7:5000", fwd: []string{"for=198.51.100.1"}, trusted: trusted, want: "203.0.113.7"},
		{rule: "trusted peer without forwarding headers: the peer",
			remote: "127.0.0.1:40000", trusted: trusted, want: "127.0.0.1"},
		{rule: "trusted peer: the address it appended",
			remote: "127.0.0.1:40000", xff: []string{"198.51.100.1"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "chain of trusted proxies: the first untrusted from the right",
			remote: "127.0.0.1:40000", xff: []string{"198.51.100.1, 10.1.1.1, 10.2.2.2"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "forged left-most entries are never read",
			remote: "127.0.0.1:40000", xff: []string{"1.1.1.1, 2.2.2.2, 198.51.100.1"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "a forged trusted address on the left does not let the client pass as a proxy",
			remote: "127.0.0.1:40000", xff: []string{"10.9.9.9, 198.51.100.1"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "several header lines are one list, in order",
			remote: "127.0.0.1:40000", xff: []string{"1.1.1.1", "198.51.100.1, 10.2.2.2"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "all-trusted chain: its left-most address (a desk on the office network)",
			remote: "127.0.0.1:40000", xff: []string{"10.5.5.5, 10.2.2.2"}, trusted: trusted, want: "10.5.5.5"},
		{rule: "malformed right-most value: nothing attributable, the peer",
			remote: "127.0.0.1:40000", xff: []string{"198.51.100.1, unknown"}, trusted: trusted, want: "127.0.0.1"},
		{rule: "malformed value behind trusted hops: the last trusted hop reached",
			remote: "127.0.0.1:40000", xff: []string{"198.51.100.1, zzz, 10.2.2.2"}, trusted: trusted, want: "10.2.2.2"},
		{rule: "malformed value left of the client: never reached",
			remote: "127.0.0.1:40000", xff: []string{"<script>, 198.51.100.1"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "empty list elements are skipped",
			remote: "127.0.0.1:40000", xff: []string{" , 198.51.100.1 ,"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "an empty header is no header",
			remote: "127.0.0.1:40000", xff: []string{""}, trusted: trusted, want: "127.0.0.1"},
		{rule: "IPv4 with a port",
			remote: "127.0.0.1:40000", xff: []string{"198.51.100.1:5555"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "IPv6 bare",
			remote: "127.0.0.1:40000", xff: []string{"2001:db8:1::7"}, trusted: trusted, want: "2001:db8:1::7"},
		{rule: "IPv6 in brackets",
			remote: "127.0.0.1:40000", xff: []string{"[2001:db8:1::7]"}, trusted: trusted, want: "2001:db8:1::7"},
		{rule: "IPv6 in brackets with a port",
			remote: "127.0.0.1:40000", xff: []string{"[2001:db8:1::7]:443"}, trusted: trusted, want: "2001:db8:1::7"},
		{rule: "IPv6 with a zone: the zone is dropped",
			remote: "127.0.0.1:40000", xff: []string{"fe80::1%eth0"}, trusted: trusted, want: "fe80::1"},
		{rule: "IPv4-mapped IPv6 is the IPv4 address",
			remote: "127.0.0.1:40000", xff: []string{"::ffff:198.51.100.1"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "IPv4-mapped IPv6 peer matches an IPv4 prefix",
			remote: "[::ffff:10.0.0.1]:40000", xff: []string{"198.51.100.1"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "trusted IPv6 proxy chain",
			remote: "[2001:db8:ffff::1]:40000", xff: []string{"2001:db8:1::7, 2001:db8:ffff::2"}, trusted: trusted, want: "2001:db8:1::7"},
		{rule: "trailing garbage after an IPv6 is no address: the peer",
			remote: "127.0.0.1:40000", xff: []string{"2001:db8::1:443:x"}, trusted: trusted, want: "127.0.0.1"},
		{rule: "Forwarded when there is no X-Forwarded-For (RFC 7239)",
			remote: "127.0.0.1:40000", fwd: []string{`for=198.51.100.1;proto=https, for=10.2.2.2;by=10.0.0.1`}, trusted: trusted, want: "198.51.100.1"},
		{rule: "Forwarded: quoted IPv6 with a port, key case-insensitive",
			remote: "127.0.0.1:40000", fwd: []string{`For="[2001:db8:cafe::17]:4711"`}, trusted: trusted, want: "2001:db8:cafe::17"},
		{rule: "Forwarded: a quoted comma does not split elements",
			remote: "127.0.0.1:40000", fwd: []string{`for=198.51.100.1;host="a,b"`}, trusted: trusted, want: "198.51.100.1"},
		{rule: "Forwarded: forged left-most element never read",
			remote: "127.0.0.1:40000", fwd: []string{"for=1.1.1.1", "for=198.51.100.1"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "Forwarded: an obfuscated node stops the walk",
			remote: "127.0.0.1:40000", fwd: []string{"for=198.51.100.1, for=_hidden"}, trusted: trusted, want: "127.0.0.1"},
		{rule: "Forwarded: an element without for= stops the walk",
			remote: "127.0.0.1:40000", fwd: []string{"for=198.51.100.1, proto=https"}, trusted: trusted, want: "127.0.0.1"},
		{rule: "X-Forwarded-For wins over a Forwarded the client may have sent",
			remote: "127.0.0.1:40000", xff: []string{"198.51.100.1"}, fwd: []string{"for=1.1.1.1"}, trusted: trusted, want: "198.51.100.1"},
		{rule: "a peer that is not an IP address is kept as is",
			remote: "pipe", xff: []string{"198.51.100.1"}, trusted: trusted, want: "pipe"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/lookup", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			for _, v := range tc.fwd {
				r.Header.Add("Forwarded", v)
			}
			if got := clientAddr(r, tc.trusted); got != tc.want {
				t.Fatalf("clientAddr(%s, XFF %q, Forwarded %q) = %q, want %q", tc.remote, tc.xff, tc.fwd, got, tc.want)
			}
		})
	}
}

// TestNormalizePrefixes: unmasked prefixes are masked, IPv4-mapped ones
// become IPv4 so that unmapped addresses match them.
func TestNormalizePrefixes(t *testing.T) {
	t.Parallel()
	got := normalizePrefixes([]netip.Prefix{
		netip.MustParsePrefix("10.1.2.3/8"),
		netip.MustParsePrefix("::ffff:192.168.0.0/112"),
		{},
	})
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.0.0/16")}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("normalizePrefixes = %v, want %v", got, want)
	}
}

// TestTrustedProxySeparatesCitizens: behind a trusted proxy two citizens
// have separate lookup buckets and separate sign-in limits; without the
// setting, a forged X-Forwarded-For changes nothing.
func TestTrustedProxySeparatesCitizens(t *testing.T) {
	t.Parallel()
	lookupAs := func(b *bundle, code, xff string) int {
		return b.call("GET", "/api/v1/lookup/"+code, "", nil, "X-Forwarded-For", xff).status
	}
	t.Run("behind a trusted proxy each citizen has a lookup bucket", func(t *testing.T) {
		b := setup(t, setupOpts{trusted: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		d := b.receive("Nguyễn Văn A")
		for i := range DefaultLookupBurst {
			if st := lookupAs(b, d.Code, "198.51.100.1"); st != http.StatusOK {
				t.Fatalf("citizen A lookup %d: %d", i+1, st)
			}
		}
		if st := lookupAs(b, d.Code, "198.51.100.1"); st != http.StatusTooManyRequests {
			t.Fatalf("citizen A past the burst: %d, want 429", st)
		}
		if st := lookupAs(b, d.Code, "198.51.100.2"); st != http.StatusOK {
			t.Fatalf("citizen B after A's burst: %d, want 200", st)
		}
		// A forging a left-most entry is still A: the proxy appends the
		// real address on the right.
		if st := lookupAs(b, d.Code, "203.0.113.99, 198.51.100.1"); st != http.StatusTooManyRequests {
			t.Fatalf("citizen A with a forged left-most entry: %d, want 429", st)
		}
	})
	t.Run("from an untrusted peer a forged header changes nothing", func(t *testing.T) {
		b := setup(t, setupOpts{trusted: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
		d := b.receive("Nguyễn Văn A")
		for i := range DefaultLookupBurst {
			if st := lookupAs(b, d.Code, "198.51.100.1"); st != http.StatusOK {
				t.Fatalf("lookup %d: %d", i+1, st)
			}
		}
		if st := lookupAs(b, d.Code, "198.51.100.2"); st != http.StatusTooManyRequests {
			t.Fatalf("a fresh forged address from an untrusted peer: %d, want 429 (same bucket)", st)
		}
	})
	t.Run("behind a trusted proxy one citizen's failed sign-ins do not lock the other out", func(t *testing.T) {
		b := setup(t, setupOpts{trusted: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		if err := b.auth.SetPassword(context.Background(), receiver, testPassword); err != nil {
			t.Fatal(err)
		}
		signin := func(br *browser, person, password string) int {
			_, page, _ := br.get("/signin")
			st, _, _ := br.post("/signin", url.Values{"csrf": {csrfOf(t, page)}, "person": {person}, "password": {password}})
			return st
		}
		guesser := b.proxied(t, "198.51.100.1")
		// Different names, so only the per-address limit can refuse; it
		// lets an office's twenty failures through before it slows down.
		for i := range 21 {
			signin(guesser, "khong-co-"+strconv.Itoa(i), "đoán bừa")
		}
		if st := signin(guesser, receiver, testPassword); st != http.StatusTooManyRequests {
			t.Fatalf("guesser's address after 21 failures: %d, want 429", st)
		}
		if st := signin(b.proxied(t, "198.51.100.2"), receiver, testPassword); st != http.StatusSeeOther {
			t.Fatalf("another citizen behind the same proxy: %d, want 303", st)
		}
	})
}

// proxied is a browser whose requests carry X-Forwarded-For: client, as
// a proxy in front of the test server would add it.
func (b *bundle) proxied(t *testing.T, client string) *browser {
	br := b.browser(t)
	br.c.Transport = xffTransport{client}
	return br
}

type xffTransport struct{ client string }

func (x xffTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", x.client)
	return http.DefaultTransport.RoundTrip(r)
}
