package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua/engine"
)

func (s *Store) insertNotifications(ctx context.Context, tx *sql.Tx, outbox []engine.Notification) error {
	for _, n := range outbox {
		if _, err := s.addNotification(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// addNotification inserts n unless its ID exists: the ID is the
// at-most-once key (a re-decision after a crash finds the same ID). tx
// nil writes on the writer connection outside a batch.
func (s *Store) addNotification(ctx context.Context, tx *sql.Tx, n engine.Notification) (bool, error) {
	doc, err := json.Marshal(notificationDocOf(n))
	if err != nil {
		return false, err
	}
	res, err := in(ctx, tx, s.st.insertNotification).ExecContext(ctx,
		n.ID, n.Dossier, n.Status, ms(n.NextAttempt), ms(n.At), doc)
	if err != nil {
		return false, interpretError(err, "notification", n.ID)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// AddNotification implements engine.Store.
func (s *Store) AddNotification(ctx context.Context, n engine.Notification) (bool, error) {
	return s.addNotification(ctx, nil, n)
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
		n, err := decodeNotification(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UpdateNotification implements engine.Store: the stored document with
// only the delivery fields replaced, if it still has prev's status and
// attempts. The UPDATE's condition is the exact document read, so the
// check and the write are one even if another connection wrote between.
//
// It rides the group commit (commit.go): the dispatcher's workers
// acknowledge records of different dossiers at once, and their
// acknowledgements, with the transitions of the desk, share one fsync
// instead of taking one each. A NotificationChangedError rolls back only
// this write's savepoint.
func (s *Store) UpdateNotification(ctx context.Context, n, prev engine.Notification) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return updateNotification(ctx, tx, n, prev)
	})
}

func updateNotification(ctx context.Context, tx *sql.Tx, n, prev engine.Notification) error {
	var raw []byte
	if err := tx.QueryRowContext(ctx, "SELECT doc FROM notifications WHERE id = ?", n.ID).Scan(&raw); err != nil {
		return interpretError(err, "notification", n.ID)
	}
	var doc notificationDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("notification document: %w", err)
	}
	changed := &engine.NotificationChangedError{ID: n.ID, Status: prev.Status, Attempts: prev.Attempts}
	if doc.Status != prev.Status || doc.Attempts != prev.Attempts {
		return changed
	}
	doc.Status, doc.Attempts, doc.NextAttempt = n.Status, n.Attempts, storeTime(n.NextAttempt)
	doc.SentAt, doc.LastError = storeTimePtr(n.SentAt), n.LastError
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE notifications SET status = ?, next_attempt = ?, doc = ? WHERE id = ? AND doc = ?`,
		n.Status, ms(n.NextAttempt), b, n.ID, raw)
	if err != nil {
		return interpretError(err, "notification", n.ID)
	}
	if k, err := res.RowsAffected(); err != nil {
		return err
	} else if k != 1 {
		return changed
	}
	return nil
}
