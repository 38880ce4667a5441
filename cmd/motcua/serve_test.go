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
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a Stdout the test can read while serve writes it, with
// a signal when a line matching re shows up.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	re  *regexp.Regexp
	hit chan string
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if m := b.re.FindStringSubmatch(b.buf.String()); m != nil && b.hit != nil {
		b.hit <- m[1]
		b.hit = nil
	}
	return n, err
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

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

// TestServeStartsServesAndDrains starts the real command in-process on a
// free port, uses it, and stops it the way Ctrl-C does (context cancel).
func TestServeStartsServesAndDrains(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	// The test keeps its own reference to the channel: Write clears the
	// buffer's field under its lock once it has signalled.
	listening := make(chan string, 1)
	out := &lockedBuffer{re: regexp.MustCompile(`listening on (http://\S+)`), hit: listening}
	m := &Main{Stdout: out, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--data", data, "--demo",
			"--procedures", examples + "/procedures", "--directory", examples + "/directory.yaml"})
	}()
	var base string
	select {
	case base = <-listening:
	case err := <-done:
		t.Fatalf("serve ended early: %v\n%s", err, out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start within 60 s:\n%s", out.String())
	}
	t.Logf("started in %v", time.Since(start))
	res, err := http.Get(base + "/api/v1/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", res, err)
	}
	res.Body.Close()
	// Demo people sign in with the printed password, and demo dossiers exist.
	if !strings.Contains(out.String(), demoPassword) || !strings.Contains(out.String(), "demo dossier") {
		t.Errorf("demo output:\n%s", out.String())
	}
	res, err = http.Get(base + "/api/v1/lookup/" + regexp.MustCompile(`demo dossier (\S+)`).FindStringSubmatch(out.String())[1])
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("lookup of a demo dossier: %v %v", res, err)
	}
	var lv map[string]any
	json.NewDecoder(res.Body).Decode(&lv)
	res.Body.Close()
	if lv["due_at"] == nil {
		t.Errorf("demo dossier without a due instant: %v", lv)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of cancel")
	}
	if !strings.Contains(out.String(), "motcua: stopped") {
		t.Errorf("no clean stop message:\n%s", out.String())
	}
	if _, err := http.Get(base + "/api/v1/healthz"); err == nil {
		t.Error("still serving after stop")
	}
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
