package auth

import (
	"context"
	"sync"
	"time"

	"github.com/motcua/motcua/engine"
)

// MemorySessionStore is an engine.SessionStore in the memory of one
// process: for tests, and the default of a Service given no other. A
// restart signs everyone out and other processes do not see its sessions,
// so serve wires the dossier store's sessions instead.
type MemorySessionStore struct {
	mu sync.Mutex
	m  map[string]engine.WebSession
}

var _ engine.SessionStore = (*MemorySessionStore)(nil)

// NewMemorySessionStore returns an empty in-memory session store.
func NewMemorySessionStore() *MemorySessionStore {
	return &MemorySessionStore{m: map[string]engine.WebSession{}}
}

// CreateSession implements engine.SessionStore.
func (s *MemorySessionStore) CreateSession(_ context.Context, ws engine.WebSession) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[ws.IDHash]; ok {
		return &engine.DuplicateError{Code: "session " + ws.IDHash}
	}
	s.m[ws.IDHash] = ws
	return nil
}

// GetSession implements engine.SessionStore.
func (s *MemorySessionStore) GetSession(_ context.Context, idHash string, now time.Time) (engine.WebSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, ok := s.m[idHash]
	if !ok || !now.Before(ws.ExpiresAt) {
		return engine.WebSession{}, &engine.NotFoundError{What: "session", ID: idHash}
	}
	return ws, nil
}

// TouchSession implements engine.SessionStore.
func (s *MemorySessionStore) TouchSession(_ context.Context, idHash string, lastSeen, expiresAt time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws, ok := s.m[idHash]
	if !ok || !lastSeen.Before(ws.ExpiresAt) {
		return &engine.NotFoundError{What: "session", ID: idHash}
	}
	ws.LastSeen, ws.ExpiresAt = lastSeen, expiresAt
	s.m[idHash] = ws
	return nil
}

// DeleteSession implements engine.SessionStore.
func (s *MemorySessionStore) DeleteSession(_ context.Context, idHash string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, idHash)
	return nil
}

// DeletePersonSessions implements engine.SessionStore.
func (s *MemorySessionStore) DeletePersonSessions(_ context.Context, person, keep string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, ws := range s.m {
		if ws.Person == person && id != keep {
			delete(s.m, id)
			n++
		}
	}
	return n, nil
}

// DeleteExpiredSessions implements engine.SessionStore.
func (s *MemorySessionStore) DeleteExpiredSessions(_ context.Context, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, ws := range s.m {
		if !now.Before(ws.ExpiresAt) {
			delete(s.m, id)
			n++
		}
	}
	return n, nil
}
