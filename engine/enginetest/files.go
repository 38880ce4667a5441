package enginetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// RunFileStoreSuite runs the engine.FileStore contract against the stores
// newStore makes (each test gets a fresh, empty one): the disk store and
// GridFS run the same cases.
func RunFileStoreSuite(t *testing.T, newStore func(t *testing.T) engine.FileStore) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s engine.FileStore)
	}{
		{"RoundTrip", testFileRoundTrip},
		{"SameBytesOnce", testFileSameBytes},
		{"Streams", testFileStreams},
		{"AtTheCap", testFileAtCap},
		{"OverTheCapKeepsNothing", testFileOverCap},
		{"ReaderErrorKeepsNothing", testFileReaderError},
		{"OpenUnknown", testFileOpenUnknown},
		{"SweepKeepsReferencedAndRecent", testFileSweep},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, newStore(t)) })
	}
}

// FileBytes returns n bytes of a PDF-looking file that differs by seed.
func FileBytes(n int, seed byte) []byte {
	b := make([]byte, n)
	copy(b, "%PDF-1.7\n")
	for i := 9; i < n; i++ {
		b[i] = byte(i*31) ^ seed
	}
	return b
}

// SHA returns the hex SHA-256 of b.
func SHA(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func mustPutFile(t *testing.T, s engine.FileStore, b []byte) string {
	t.Helper()
	sha, n, err := s.Put(context.Background(), bytes.NewReader(b), 0)
	if err != nil {
		t.Fatal(err)
	}
	if sha != SHA(b) || n != int64(len(b)) {
		t.Fatalf("Put = %s, %d; want %s, %d", sha, n, SHA(b), len(b))
	}
	return sha
}

func readFile(t *testing.T, s engine.FileStore, sha string) []byte {
	t.Helper()
	rc, n, err := s.Open(context.Background(), sha)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) != n {
		t.Fatalf("Open says %d bytes, read %d", n, len(b))
	}
	return b
}

// nothingKept checks that the store holds no bytes at all: a sweep that
// keeps nothing and spares nothing removes none.
func nothingKept(t *testing.T, s engine.FileStore) {
	t.Helper()
	n, err := s.Sweep(context.Background(), nil, time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a refused Put left %d file(s) behind", n)
	}
}

func testFileRoundTrip(t *testing.T, s engine.FileStore) {
	b := FileBytes(1000, 1)
	sha := mustPutFile(t, s, b)
	if got := readFile(t, s, sha); !bytes.Equal(got, b) {
		t.Fatal("bytes read differ from bytes put")
	}
}

func testFileSameBytes(t *testing.T, s engine.FileStore) {
	b := FileBytes(500, 2)
	mustPutFile(t, s, b)
	mustPutFile(t, s, b)
	n, err := s.Sweep(context.Background(), nil, time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("the same bytes put twice are kept %d times, want once", n)
	}
}

// patternReader yields n bytes of a repeating pattern without holding them.
type patternReader struct{ left int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.left {
		b = b[:p.left]
	}
	for i := range b {
		b[i] = byte(p.left-int64(i)) * 7
	}
	p.left -= int64(len(b))
	return len(b), nil
}

func testFileStreams(t *testing.T, s engine.FileStore) {
	const size = 6<<20 + 123 // several GridFS chunks and copy buffers
	h := sha256.New()
	io.Copy(h, &patternReader{left: size})
	want := hex.EncodeToString(h.Sum(nil))
	sha, n, err := s.Put(context.Background(), &patternReader{left: size}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sha != want || n != size {
		t.Fatalf("Put = %s, %d; want %s, %d", sha, n, want, size)
	}
	rc, _, err := s.Open(context.Background(), sha)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	h.Reset()
	if m, err := io.Copy(h, rc); err != nil || m != size || hex.EncodeToString(h.Sum(nil)) != want {
		t.Fatalf("read back %d bytes (%v), hash matches %v", m, err, hex.EncodeToString(h.Sum(nil)) == want)
	}
}

func testFileAtCap(t *testing.T, s engine.FileStore) {
	b := FileBytes(100, 3)
	if _, _, err := s.Put(context.Background(), bytes.NewReader(b), 100); err != nil {
		t.Fatalf("a file exactly at the cap: %v", err)
	}
}

func testFileOverCap(t *testing.T, s engine.FileStore) {
	_, _, err := s.Put(context.Background(), bytes.NewReader(FileBytes(101, 4)), 100)
	var tl *engine.FileTooLargeError
	if !errors.As(err, &tl) || tl.Limit != 100 {
		t.Fatalf("Put over the cap = %v, want *FileTooLargeError{Limit: 100}", err)
	}
	nothingKept(t, s)
}

var errBroken = errors.New("connection reset")

type brokenReader struct{ n int }

func (b *brokenReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, errBroken
	}
	if len(p) > b.n {
		p = p[:b.n]
	}
	for i := range p {
		p[i] = 'x'
	}
	b.n -= len(p)
	return len(p), nil
}

func testFileReaderError(t *testing.T, s engine.FileStore) {
	_, _, err := s.Put(context.Background(), &brokenReader{n: 300 << 10}, 0)
	if !errors.Is(err, errBroken) {
		t.Fatalf("Put of a broken upload = %v, want the reader's error", err)
	}
	nothingKept(t, s)
}

func testFileOpenUnknown(t *testing.T, s engine.FileStore) {
	for _, sha := range []string{SHA([]byte("never put")), "../../etc/passwd", ""} {
		_, _, err := s.Open(context.Background(), sha)
		var nf *engine.NotFoundError
		if !errors.As(err, &nf) {
			t.Errorf("Open(%q) = %v, want *NotFoundError", sha, err)
		}
	}
}

func testFileSweep(t *testing.T, s engine.FileStore) {
	ctx := context.Background()
	kept := mustPutFile(t, s, FileBytes(200, 5))
	orphan := mustPutFile(t, s, FileBytes(200, 6))
	keep := map[string]bool{kept: true}
	// Within the grace period nothing goes, referenced or not.
	if n, err := s.Sweep(ctx, keep, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("sweep within the grace period removed %d (%v), want 0", n, err)
	}
	if n, err := s.Sweep(ctx, keep, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("sweep removed %d (%v), want the one orphan", n, err)
	}
	readFile(t, s, kept)
	if _, _, err := s.Open(ctx, orphan); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Fatalf("the orphan is still there: %v", err)
	}
}
