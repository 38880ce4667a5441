package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/sqlitestore"
)

const examples = "../../examples"

func TestUsersPasswdAndList(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: io.Discard, Stdin: strings.NewReader("mật khẩu rất dài\n")}
	base := []string{"--data", data, "--directory", examples + "/directory.yaml"}
	if err := m.Run(context.Background(), append([]string{"users", "passwd", "ngo-thi-mai"}, base...)); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(data, "credentials.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("credentials.json: %v %v", st, err)
	}
	raw, _ := os.ReadFile(filepath.Join(data, "credentials.json"))
	if strings.Contains(string(raw), "rất dài") {
		t.Fatal("password in clear")
	}
	out.Reset()
	if err := m.Run(context.Background(), append([]string{"users", "list"}, base...)); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`ngo-thi-mai .* yes`).MatchString(out.String()) || !regexp.MustCompile(`ly-van-tuan .* no`).MatchString(out.String()) {
		t.Errorf("users list:\n%s", out.String())
	}
	m.Stdin = strings.NewReader("short\n")
	if err := m.Run(context.Background(), append([]string{"users", "passwd", "ngo-thi-mai"}, base...)); ExitCode(err) != 2 {
		t.Errorf("short password: err %v exit %d, want 2", err, ExitCode(err))
	}
	if err := m.Run(context.Background(), append([]string{"users", "passwd", "nobody"}, base...)); ExitCode(err) != 2 {
		t.Errorf("unknown person: err %v, want exit 2", err)
	}
	if err := m.Run(context.Background(), []string{"users", "frobnicate"}); ExitCode(err) != 2 {
		t.Errorf("unknown subcommand: %v", err)
	}
}

// mustRunServe starts serve in-process the way the command does, on a
// free port of the loopback and a fresh data folder, with the flags given
// after those, and closes it when the test ends (Ben Johnson's
// MustRunMain). It returns the running server and what it printed.
func mustRunServe(t *testing.T, args ...string) (*ServeMain, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	c, err := parseServeFlags(m, append([]string{"--listen", "127.0.0.1:0", "--data", t.TempDir(),
		"--procedures", examples + "/procedures", "--directory", examples + "/directory.yaml"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	s := newServeMain(m, c)
	if err := s.Run(t.Context()); err != nil {
		t.Fatalf("serve did not start: %v\n%s", err, out.String())
	}
	t.Cleanup(func() { s.Close() })
	return s, &out
}

// TestServeStartsServesAndDrains starts serve in-process on a free port,
// uses it, and stops it the way Ctrl-C does (Close).
func TestServeStartsServesAndDrains(t *testing.T) {
	t.Parallel()
	start := time.Now()
	s, out := mustRunServe(t, "--demo")
	t.Logf("started in %v", time.Since(start))
	base := "http://" + s.Addr().String()
	if !strings.Contains(out.String(), "listening on "+base) {
		t.Errorf("start-up output does not name the address %s:\n%s", base, out.String())
	}
	res, err := http.Get(base + "/api/v1/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	// Demo people sign in with the printed password, and demo dossiers exist.
	if !strings.Contains(out.String(), demoPassword) || !strings.Contains(out.String(), "demo dossier") {
		t.Errorf("demo output:\n%s", out.String())
	}
	demo, err := s.Engine.Store.List(t.Context(), engine.Query{Limit: 1})
	if err != nil || len(demo) != 1 {
		t.Fatalf("demo dossiers in the store: %v (%v), want one", demo, err)
	}
	if !strings.Contains(out.String(), "demo dossier "+demo[0].Code) {
		t.Errorf("the demo dossier %s is not printed:\n%s", demo[0].Code, out.String())
	}
	res, err = http.Get(base + "/api/v1/lookup/" + demo[0].Code)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("lookup of a demo dossier: %v %v", res, err)
	}
	var lv map[string]any
	json.NewDecoder(res.Body).Decode(&lv)
	res.Body.Close()
	if lv["due_at"] == nil {
		t.Errorf("demo dossier without a due instant: %v", lv)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("serve stopped with %v", err)
	}
	if !strings.Contains(out.String(), "motcua: stopped") {
		t.Errorf("no clean stop message:\n%s", out.String())
	}
	if _, err := http.Get(base + "/api/v1/healthz"); err == nil {
		t.Error("still serving after stop")
	}
	if err := s.Close(); err != nil {
		t.Errorf("a second Close returned %v", err)
	}
}

// TestServeStartFailureClosesTheStore: a start-up that fails after the
// store is open (here an --smtp-addr without a port) releases the
// embedded store's folder, so the next start is not refused as "in use".
func TestServeStartFailureClosesTheStore(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	c, err := parseServeFlags(m, []string{"--listen", "127.0.0.1:0", "--data", data,
		"--procedures", examples + "/procedures", "--directory", examples + "/directory.yaml",
		"--smtp-addr", "mail.example.gov.vn", "--smtp-from", "motcua@example.gov.vn"})
	if err != nil {
		t.Fatal(err)
	}
	if err := newServeMain(m, c).Run(t.Context()); ExitCode(err) != 2 || !strings.Contains(err.Error(), "--smtp-addr") {
		t.Fatalf("start with an --smtp-addr without a port: %v, want a usage error naming --smtp-addr", err)
	}
	st, err := sqlitestore.Open(data)
	if err != nil {
		t.Fatalf("the folder is still held after a failed start: %v", err)
	}
	st.Close()
}

func TestServeFlagErrors(t *testing.T) {
	t.Parallel()
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	for _, args := range [][]string{
		{"serve", "--smtp-addr", "mail:25"},
		{"serve", "--webhook-url", "http://x"},
		{"serve", "extra"},
		{"serve", "--no-such-flag"},
	} {
		if err := m.Run(context.Background(), args); ExitCode(err) != 2 {
			t.Errorf("%v: err %v exit %d, want 2", args, err, ExitCode(err))
		}
	}
}
