package main

import (
	"context"
	"io"
	"net/netip"
	"testing"
)

// TestTrustedProxyFlag: --trusted-proxy takes a CIDR (masked) or a bare
// address (itself alone), repeatably; anything else is a usage error.
func TestTrustedProxyFlag(t *testing.T) {
	t.Parallel()
	var l prefixList
	for _, v := range []string{"127.0.0.1/32", "10.1.2.3/8", "192.0.2.9", "2001:db8::/32", "::1"} {
		if err := l.Set(v); err != nil {
			t.Fatalf("Set(%q): %v", v, err)
		}
	}
	if got, want := l.String(), "127.0.0.1/32,10.0.0.0/8,192.0.2.9/32,2001:db8::/32,::1/128"; got != want {
		t.Fatalf("flags read as %s, want %s", got, want)
	}
	for _, bad := range []string{"", "nginx", "10.0.0.0/33", "10.0.0.0/8/8"} {
		if err := l.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
	if len(l) != 5 || l[0] != netip.MustParsePrefix("127.0.0.1/32") {
		t.Fatalf("list %v", l)
	}
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	if err := m.Run(context.Background(), []string{"serve", "--trusted-proxy", "proxy.local"}); ExitCode(err) != 2 {
		t.Errorf("serve --trusted-proxy proxy.local: err %v exit %d, want 2", err, ExitCode(err))
	}
}
