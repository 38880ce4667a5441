package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/engine"
)

var _ engine.SessionStore = (*Store)(nil)

// CreateSession implements engine.SessionStore. An id hash already there
// is left alone and reported as a *engine.DuplicateError (found by the
// rows written, not by parsing SQLite's error text).
func (s *Store) CreateSession(ctx context.Context, ws engine.WebSession) error {
	if ws.IDHash == "" || ws.Person == "" {
		return &engine.InvalidInputError{Field: "session", Reason: "id hash and person are required"}
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO sessions (id_hash, person, csrf_hash, created_at, last_seen, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id_hash) DO NOTHING`,
		ws.IDHash, ws.Person, ws.CSRFHash, ms(ws.CreatedAt), ms(ws.LastSeen), ms(ws.ExpiresAt))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return &engine.DuplicateError{Code: "session " + ws.IDHash}
	}
	return nil
}

// GetSession implements engine.SessionStore: expiry is part of the
// query, so an expired row reads as missing whether or not it was swept.
func (s *Store) GetSession(ctx context.Context, idHash string, now time.Time) (engine.WebSession, error) {
	ws := engine.WebSession{IDHash: idHash}
	var created, seen, expires int64
	err := s.r.QueryRowContext(ctx, `SELECT person, csrf_hash, created_at, last_seen, expires_at
		FROM sessions WHERE id_hash = ? AND expires_at > ?`, idHash, ms(now)).
		Scan(&ws.Person, &ws.CSRFHash, &created, &seen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return engine.WebSession{}, &engine.NotFoundError{What: "session", ID: idHash}
	}
	if err != nil {
		return engine.WebSession{}, err
	}
	ws.CreatedAt = time.UnixMilli(created).UTC()
	ws.LastSeen = time.UnixMilli(seen).UTC()
	ws.ExpiresAt = time.UnixMilli(expires).UTC()
	return ws, nil
}

// TouchSession implements engine.SessionStore: one conditional update,
// so a session that expired (or was deleted) meanwhile is not revived.
func (s *Store) TouchSession(ctx context.Context, idHash string, lastSeen, expiresAt time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE sessions SET last_seen = ?, expires_at = ?
		WHERE id_hash = ? AND expires_at > ?`, ms(lastSeen), ms(expiresAt), idHash, ms(lastSeen))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return &engine.NotFoundError{What: "session", ID: idHash}
	}
	return nil
}

// DeleteSession implements engine.SessionStore.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
	return err
}

// DeletePersonSessions implements engine.SessionStore.
func (s *Store) DeletePersonSessions(ctx context.Context, person, keep string) (int, error) {
	return s.deleteSessions(ctx, `DELETE FROM sessions WHERE person = ? AND id_hash <> ?`, person, keep)
}

// DeleteExpiredSessions implements engine.SessionStore: a range of the
// expires_at index.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	return s.deleteSessions(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, ms(now))
}

func (s *Store) deleteSessions(ctx context.Context, query string, args ...any) (int, error) {
	res, err := s.w.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
