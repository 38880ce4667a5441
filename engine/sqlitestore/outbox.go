package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua/engine"
)

func insertNotifications(ctx context.Context, tx execer, outbox []engine.Notification) error {
	for _, n := range outbox {
		if _, err := addNotification(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// addNotification inserts n unless its ID exists: the ID is the
// at-most-once key (a re-decision after a crash finds the same ID).
func addNotification(ctx context.Context, tx execer, n engine.Notification) (bool, error) {
	doc, err := json.Marshal(n)
	if err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO notifications (id, dossier, status, next_attempt, at, doc)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		n.ID, n.Dossier, n.Status, ms(n.NextAttempt), ms(n.At), doc)
	if err != nil {
		return false, interpretError(err, "notification", n.ID)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// AddNotification implements engine.Store.
func (s *Store) AddNotification(ctx context.Context, n engine.Notification) (bool, error) {
	return addNotification(ctx, s.w, n)
}

// PendingNotifications implements engine.Store: by next attempt, then id.
func (s *Store) PendingNotifications(ctx context.Context, now time.Time, limit int) ([]engine.Notification, error) {
	if limit <= 0 {
		limit = -1
	}
	return s.notifications(ctx, `SELECT doc FROM notifications
		WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?`, ms(now), limit)
}

// Notifications implements engine.Store: newest first (by decision
// instant, then id).
func (s *Store) Notifications(ctx context.Context, dossier string, limit int) ([]engine.Notification, error) {
	if limit <= 0 {
		limit = -1
	}
	if dossier == "" {
		return s.notifications(ctx, `SELECT doc FROM notifications ORDER BY at DESC, id DESC LIMIT ?`, limit)
	}
	return s.notifications(ctx, `SELECT doc FROM notifications WHERE dossier = ?
		ORDER BY at DESC, id DESC LIMIT ?`, dossier, limit)
}

func (s *Store) notifications(ctx context.Context, query string, args ...any) ([]engine.Notification, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, interpretError(err, "notification", "")
	}
	defer rows.Close()
	var out []engine.Notification
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var n engine.Notification
		if err := json.Unmarshal(doc, &n); err != nil {
			return nil, fmt.Errorf("notification document: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UpdateNotification implements engine.Store.
func (s *Store) UpdateNotification(ctx context.Context, n engine.Notification) error {
	doc, err := json.Marshal(n)
	if err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE notifications SET status = ?, next_attempt = ?, doc = ? WHERE id = ?`,
		n.Status, ms(n.NextAttempt), doc, n.ID)
	if err != nil {
		return interpretError(err, "notification", n.ID)
	}
	if k, err := res.RowsAffected(); err != nil {
		return err
	} else if k == 0 {
		return &engine.NotFoundError{What: "notification", ID: n.ID}
	}
	return nil
}
