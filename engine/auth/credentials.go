package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"syscall"

	"github.com/motcua/motcua/engine"
)

// Credential is what is kept about one person's secrets. It is defined
// in engine (engine.Credential) so that a dossier store can implement
// CredentialStore without importing this package.
type Credential = engine.Credential

// Token is one API token. Only a hash of its secret is kept.
type Token = engine.Token

// CredentialStore keeps credentials. Credential returns a
// *engine.NotFoundError (ENOTFOUND) for a person without credentials.
// Implementations: FileStore and MemoryStore here, mongostore.Store for
// deployments on MongoDB.
type CredentialStore = engine.CredentialStore

// FileStore is a CredentialStore in one JSON file, rewritten atomically
// with mode 0600 on every change. Several processes may share the file —
// "motcua users passwd" runs beside "motcua serve" — so reads pick up a
// file another process replaced, and writes re-read it under an exclusive
// lock on a sidecar file, so no process overwrites another's change.
type FileStore struct {
	path string
	mu   sync.Mutex
	m    map[string]Credential
	seen os.FileInfo // the file m was read from; nil when none
}

var _ CredentialStore = (*FileStore)(nil)

// fileFormat is the on-disk shape; the version leaves room to migrate.
type fileFormat struct {
	Version     int          `json:"version"`
	Credentials []Credential `json:"credentials"`
}

// OpenFile opens (or starts) the credential file at path. A missing file
// is an empty store; the file is created on the first write.
func OpenFile(path string) (*FileStore, error) {
	s := &FileStore{path: path, m: map[string]Credential{}}
	if err := s.reloadLocked(true); err != nil {
		return nil, err
	}
	return s, nil
}

// reloadLocked reads the file again when it changed since it was last
// read (or always, with force). A missing file is an empty store.
func (s *FileStore) reloadLocked(force bool) error {
	fi, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) {
		s.m, s.seen = map[string]Credential{}, nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	if !force && s.seen != nil && os.SameFile(fi, s.seen) && fi.ModTime().Equal(s.seen.ModTime()) && fi.Size() == s.seen.Size() {
		return nil
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	var f fileFormat
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("credentials %s: %w", s.path, err)
	}
	m := make(map[string]Credential, len(f.Credentials))
	for _, c := range f.Credentials {
		m[c.Person] = c
	}
	s.m, s.seen = m, fi
	return nil
}

// lockFile takes the cross-process write lock; the returned function
// releases it.
func (s *FileStore) lockFile() (func(), error) {
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	f, err := os.OpenFile(s.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("credentials: lock %s: %w", f.Name(), err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// Path returns the file the store writes.
func (s *FileStore) Path() string { return s.path }

// Credential implements CredentialStore.
func (s *FileStore) Credential(_ context.Context, person string) (Credential, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(false); err != nil {
		return Credential{}, err
	}
	c, ok := s.m[person]
	if !ok {
		return Credential{}, &engine.NotFoundError{What: "credential", ID: person}
	}
	c.Tokens = append([]Token(nil), c.Tokens...)
	return c, nil
}

// Credentials implements CredentialStore, ordered by person id.
func (s *FileStore) Credentials(context.Context) ([]Credential, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(false); err != nil {
		return nil, err
	}
	return s.sortedLocked(), nil
}

func (s *FileStore) sortedLocked() []Credential {
	out := make([]Credential, 0, len(s.m))
	for _, c := range s.m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Person < out[j].Person })
	return out
}

// PutCredential implements CredentialStore. The file is replaced
// atomically, so a crash leaves either the old or the new file, never a
// torn one.
func (s *FileStore) PutCredential(_ context.Context, c Credential) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	unlock, err := s.lockFile()
	if err != nil {
		return err
	}
	defer unlock()
	// Another process may have written since we last read.
	if err := s.reloadLocked(true); err != nil {
		return err
	}
	prev, had := s.m[c.Person]
	s.m[c.Person] = c
	if err := s.writeLocked(); err != nil {
		if had {
			s.m[c.Person] = prev
		} else {
			delete(s.m, c.Person)
		}
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
			// A full disk is the operator's to fix, not a bug (issue 15).
			return &engine.StorageFullError{Where: "credentials", Err: err}
		}
		return err
	}
	if fi, err := os.Stat(s.path); err == nil {
		s.seen = fi
	}
	return nil
}

func (s *FileStore) writeLocked() error {
	data, err := json.MarshalIndent(fileFormat{Version: 1, Credentials: s.sortedLocked()}, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".credentials-*.tmp")
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("credentials: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("credentials: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("credentials: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	// Make the rename itself durable.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// MemoryStore is a CredentialStore in memory, for tests and demos.
type MemoryStore struct {
	mu sync.RWMutex
	m  map[string]Credential
}

var _ CredentialStore = (*MemoryStore)(nil)

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: map[string]Credential{}} }

// Credential implements CredentialStore.
func (s *MemoryStore) Credential(_ context.Context, person string) (Credential, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.m[person]
	if !ok {
		return Credential{}, &engine.NotFoundError{What: "credential", ID: person}
	}
	c.Tokens = append([]Token(nil), c.Tokens...)
	return c, nil
}

// PutCredential implements CredentialStore.
func (s *MemoryStore) PutCredential(_ context.Context, c Credential) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[c.Person] = c
	return nil
}

// Credentials implements CredentialStore.
func (s *MemoryStore) Credentials(context.Context) ([]Credential, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Credential, 0, len(s.m))
	for _, c := range s.m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Person < out[j].Person })
	return out, nil
}
