package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the client address of r, the key of the per-address rate
// limits (sign-in and public lookup); see clientAddr for the rules.
func (s *Server) clientIP(r *http.Request) string {
	return clientAddr(r, s.trusted)
}

// clientAddr is the address of whoever sent r. It is r.RemoteAddr unless
// that peer lies inside a trusted prefix (a reverse proxy of ours); then
// it is read from the forwarding headers:
//
//   - X-Forwarded-For, all its lines joined, else Forwarded's for=
//     parameters (RFC 7239 §5.2). X-Forwarded-For wins because it is the
//     header nginx and the provincial gateways write: a client can send
//     either header, and only the one our proxy rewrites is evidence.
//   - The list is walked from the right, the hop our proxy appended. The
//     first address outside every trusted prefix is the client. Entries
//     further left were written by that client and may be forged, so they
//     are never read.
//   - The walk also stops at a value it cannot parse (unknown, _hidden,
//     garbage): nothing to the left of it can be attributed to a hop we
//     trust. The client is then the last address the walk reached.
//   - So a chain of trusted addresses only yields its left-most one: a
//     desk on the office network (inside a trusted range) talking through
//     the proxy is its own desk, not the proxy. The price: a machine
//     inside a trusted range can name another trusted address as itself,
//     which is why the ranges should hold proxies and nothing else.
//
// A peer outside the trusted prefixes is the client whatever headers it
// sends, so with no trusted prefix (the default) forwarded headers are
// ignored and nobody can choose their own rate-limit bucket.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseHop(r.RemoteAddr)
	if !ok {
		// Not an IP peer (a unix socket, a test's "pipe"): keep it whole
		// as today, its own bucket.
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			return r.RemoteAddr
		}
		return host
	}
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := listValues(r.Header.Values("X-Forwarded-For"))
	parse := parseHop
	if len(hops) == 0 {
		hops = listValues(r.Header.Values("Forwarded"))
		parse = parseForwardedFor
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parse(hops[i])
		if !ok {
			break
		}
		client = a
		if !isTrusted(a, trusted) {
			break
		}
	}
	return client.String()
}

// isTrusted reports whether a lies in one of the trusted prefixes.
func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// normalizePrefixes masks each prefix and turns IPv4-mapped IPv6 ones
// (::ffff:10.0.0.0/104) into IPv4 ones, because addresses are unmapped
// before they are compared: otherwise such a prefix would match nothing.
func normalizePrefixes(ps []netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(ps))
	for _, p := range ps {
		if !p.IsValid() {
			continue
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out
}

// parseHop reads one address as proxies write it: bare ("203.0.113.7",
// "2001:db8::1"), with a port ("203.0.113.7:5000", "[2001:db8::1]:443")
// or bracketed without one ("[2001:db8::1]"). Zones are dropped and
// IPv4-mapped addresses unmapped, so one host has one spelling.
func parseHop(v string) (netip.Addr, bool) {
	v = strings.TrimSpace(v)
	a, err := netip.ParseAddr(v)
	if err != nil {
		ap, perr := netip.ParseAddrPort(v)
		if perr == nil {
			a, err = ap.Addr(), nil
		} else if inner, ok := strings.CutPrefix(v, "["); ok && strings.HasSuffix(inner, "]") {
			a, err = netip.ParseAddr(strings.TrimSuffix(inner, "]"))
		}
	}
	if err != nil {
		return netip.Addr{}, false
	}
	return a.WithZone("").Unmap(), true
}

// parseForwardedFor reads the for= parameter of one Forwarded element
// ("for=192.0.2.60;proto=https", `for="[2001:db8:cafe::17]:4711"`). An
// element without one, or with an obfuscated or "unknown" node
// (RFC 7239 §6), cannot be attributed and is not an address.
func parseForwardedFor(elem string) (netip.Addr, bool) {
	for _, pair := range splitOutsideQuotes(elem, ';') {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "for") {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = strings.ReplaceAll(v[1:len(v)-1], `\`, "")
		}
		return parseHop(v)
	}
	return netip.Addr{}, false
}

// listValues splits header lines into their comma-separated elements, in
// order (several lines of one header are one list, RFC 9110 §5.3), and
// drops empty elements, which the list syntax allows.
func listValues(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, e := range splitOutsideQuotes(l, ',') {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

// splitOutsideQuotes splits s at sep except inside a quoted string, where
// Forwarded may carry a separator (and a backslash escapes a quote).
func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
