package main

import (
	"io"
	"strings"
	"testing"
)

// TestPortalWorkersFlag: --portal-workers defaults to 8 and refuses fewer
// than one worker as a usage error (none would never deliver).
func TestPortalWorkersFlag(t *testing.T) {
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	base := []string{"--listen", "127.0.0.1:0", "--data", t.TempDir()}
	c, err := parseServeFlags(m, base)
	if err != nil || c.portalWorkers != 8 {
		t.Fatalf("default: %d workers, err %v; want 8", c.portalWorkers, err)
	}
	_, err = parseServeFlags(m, append(base, "--portal-workers", "0"))
	if ExitCode(err) != 2 || !strings.Contains(err.Error(), "--portal-workers") {
		t.Fatalf("--portal-workers 0: %v, want a usage error naming the flag", err)
	}
}
