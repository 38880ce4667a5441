// Package ferrettest gives tests a MongoDB-compatible server: a real
// MongoDB when MOTCUA_TEST_MONGODB_URI is set, otherwise an embedded
// FerretDB 1.24 on its SQLite backend, started on first use and shared by
// every test of the package (each test takes its own database, DBName).
//
// FerretDB stands in for MongoDB only for single-writer semantics on
// small data: it is not atomic under concurrent conditional updates and
// scans whole collections for anything but _id (docs/stores.md). Tests
// that need those properties check Real and skip otherwise.
//
// Only test code may import this package: it links FerretDB, which the
// motcua binary must not embed.
//
// A test package that uses it stops the server after its tests:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		ferrettest.Stop()
//		os.Exit(code)
//	}
package ferrettest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// EnvURI names the environment variable holding the URI of a real MongoDB
// (6.0 or later, a replica set preferred) to run the tests against.
const EnvURI = "MOTCUA_TEST_MONGODB_URI"

// EnvLog names an environment variable that, set to a slog level (debug,
// info, warn, error), turns the embedded server's log on. It is off by
// default because FerretDB logs commands, and commands carry applicants'
// personal data.
const EnvLog = "MOTCUA_TEST_FERRETDB_LOG"

var (
	mu      sync.Mutex
	started bool
	uri     string
	err     error
	dir     string
	cancel  context.CancelFunc
	done    chan struct{}
	seq     atomic.Int64
)

// Real reports whether tests run against a real MongoDB (EnvURI is set).
func Real() bool { return os.Getenv(EnvURI) != "" }

// Start returns the URI of the server tests use: EnvURI when set,
// otherwise the package's embedded FerretDB, started on the first call.
// It fails t if the server cannot start.
func Start(t testing.TB) string {
	t.Helper()
	if u := os.Getenv(EnvURI); u != "" {
		return u
	}
	mu.Lock()
	defer mu.Unlock()
	if !started {
		started = true
		uri, err = startFerret()
	}
	if err != nil {
		t.Fatalf("ferrettest: %v", err)
	}
	return uri
}

func startFerret() (string, error) {
	d, err := os.MkdirTemp("", "motcua-ferretdb-")
	if err != nil {
		return "", err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + d + "/",
		Logger:    logger(),
	})
	if err != nil {
		os.RemoveAll(d)
		return "", fmt.Errorf("start FerretDB: %w", err)
	}
	ctx, c := context.WithCancel(context.Background())
	dir, cancel, done = d, c, make(chan struct{})
	go func(done chan struct{}) {
		defer close(done)
		_ = f.Run(ctx)
	}(done)
	// MongoDBURI waits until the listener has its address.
	return f.MongoDBURI(), nil
}

func logger() *slog.Logger {
	var level slog.Level
	if s := os.Getenv(EnvLog); s != "" && level.UnmarshalText([]byte(s)) == nil {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	}
	return slog.New(slog.DiscardHandler)
}

// Stop shuts the embedded server down, waits for it and removes its
// folder. It does nothing when no server was started; call it from
// TestMain after m.Run.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	os.RemoveAll(dir)
	cancel, started, uri, err = nil, false, "", nil
}

// DBName returns a database name of its own for t, valid for MongoDB and
// FerretDB (letters, digits, _ and -, at most 63 characters): a counter
// keeps names unique within the process, the test's name makes them
// readable, and the process id keeps parallel packages apart on a shared
// real MongoDB.
func DBName(t testing.TB) string {
	var b strings.Builder
	for _, r := range t.Name() {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	prefix := fmt.Sprintf("t%d_%d_", os.Getpid()%100000, seq.Add(1))
	name := b.String()
	if room := 63 - len(prefix); len(name) > room {
		name = name[len(name)-room:]
	}
	return prefix + name
}
