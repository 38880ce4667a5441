package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
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
	var payload any // NULL: none
	if p, ok := n.Data[engine.SyncPayloadKey]; ok {
		payload = []byte(p)
		data := make(map[string]string, len(n.Data)-1)
		for k, v := range n.Data {
			if k != engine.SyncPayloadKey {
				data[k] = v
			}
		}
		n.Data = data
	}
	doc, err := json.Marshal(notificationDocOf(n))
	if err != nil {
		return false, err
	}
	res, err := in(ctx, tx, s.st.insertNotification).ExecContext(ctx,
		n.ID, n.Dossier, n.Status, ms(n.NextAttempt), ms(n.At), doc,
		n.Attempts, msPtr(n.SentAt), nullString(n.LastError), n.Kind, payload)
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
	return s.notifications(ctx, `SELECT `+notificationCols+` FROM notifications
		WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?`, ms(now), limit)
}

// NotificationsOfKind implements engine.Store: the dossier's rows in
// notifications_dossier, only those of the kind (and pending) decoded,
// and never the payload column. A row of before schema 8 keeps its
// payload in the document, taken out after decoding.
func (s *Store) NotificationsOfKind(ctx context.Context, dossier, kind string, pendingOnly bool) ([]engine.Notification, error) {
	st := s.st.ofKind
	if pendingOnly {
		st = s.st.pendingOf
	}
	ns, err := s.scanNotifications(st.QueryContext(ctx, dossier, kind))
	for i := range ns {
		delete(ns[i].Data, engine.SyncPayloadKey)
	}
	return ns, err
}

// Notifications implements engine.Store: newest first (by decision
// instant, then id).
func (s *Store) Notifications(ctx context.Context, dossier string, limit int) ([]engine.Notification, error) {
	if limit <= 0 {
		limit = -1
	}
	if dossier == "" {
		return s.notifications(ctx, `SELECT `+notificationCols+` FROM notifications ORDER BY at DESC, id DESC LIMIT ?`, limit)
	}
	return s.notifications(ctx, `SELECT `+notificationCols+` FROM notifications WHERE dossier = ?
		ORDER BY at DESC, id DESC LIMIT ?`, dossier, limit)
}

func (s *Store) notifications(ctx context.Context, query string, args ...any) ([]engine.Notification, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	return s.scanNotifications(rows, err)
}

// scanNotifications reads the rows of a query of notificationCols.
func (s *Store) scanNotifications(rows *sql.Rows, err error) ([]engine.Notification, error) {
	if err != nil {
		return nil, interpretError(err, "notification", "")
	}
	defer rows.Close()
	var out []engine.Notification
	for rows.Next() {
		var r notificationRow
		if err := rows.Scan(&r.doc, &r.status, &r.nextAttempt, &r.attempts, &r.sentAt, &r.lastError, &r.payload); err != nil {
			return nil, err
		}
		n, err := r.notification()
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// notificationCols are the columns a notificationRow is scanned from.
const notificationCols = "doc, status, next_attempt, attempts, sent_at, last_error, payload"

// notificationColsNoPayload reads the same row without its payload.
const notificationColsNoPayload = "doc, status, next_attempt, attempts, sent_at, last_error, NULL"

// notificationRow is a stored notification: the document as decided, and
// the delivery state and a sync record's payload in columns of their own
// (schema 8).
type notificationRow struct {
	doc         []byte
	status      string
	nextAttempt int64
	attempts    sql.NullInt64 // NULL: a row of before schema 8, not attempted since
	sentAt      sql.NullInt64
	lastError   sql.NullString
	payload     []byte // nil: none, or in the document (a row of before)
}

func (r notificationRow) notification() (engine.Notification, error) {
	n, err := decodeNotification(r.doc)
	if err != nil {
		return n, err
	}
	if r.payload != nil {
		if n.Data == nil {
			n.Data = make(map[string]string, 1)
		}
		n.Data[engine.SyncPayloadKey] = string(r.payload)
	}
	if !r.attempts.Valid {
		return n, nil
	}
	n.Status, n.Attempts = r.status, int(r.attempts.Int64)
	n.NextAttempt = time.UnixMilli(r.nextAttempt).UTC()
	n.SentAt = nil
	if r.sentAt.Valid {
		n.SentAt = new(time.UnixMilli(r.sentAt.Int64).UTC())
	}
	n.LastError = r.lastError.String
	return n, nil
}

// UpdateNotification implements engine.Store: the delivery columns
// (schema 8) replaced, if the row still has prev's status and attempts.
// The UPDATE's condition is the status and attempts read, so the check
// and the write are one even if another connection wrote between.
//
// It rides the group commit (commit.go): the dispatcher's workers
// acknowledge records of different dossiers at once, and their
// acknowledgements, with the transitions of the desk, share one fsync
// instead of taking one each. What is checked is read before the write
// joins a batch, on a reader connection, so that only the conditional
// UPDATE of a few columns is left to the batch, whose writes, the desk's
// transitions among them, run one after the other. A
// NotificationChangedError rolls back only this write's savepoint.
func (s *Store) UpdateNotification(ctx context.Context, n, prev engine.Notification) error {
	var (
		status   string
		attempts sql.NullInt64
		raw      []byte
	)
	if err := s.r.QueryRowContext(ctx, "SELECT status, attempts, CASE WHEN attempts IS NULL THEN doc END FROM notifications WHERE id = ?",
		n.ID).Scan(&status, &attempts, &raw); err != nil {
		return interpretError(err, "notification", n.ID)
	}
	stored := int(attempts.Int64)
	if !attempts.Valid {
		// Not attempted since schema 8: the document says.
		old, err := decodeNotification(raw)
		if err != nil {
			return err
		}
		stored = old.Attempts
	}
	changed := &engine.NotificationChangedError{ID: n.ID, Status: prev.Status, Attempts: prev.Attempts}
	if status != prev.Status || stored != prev.Attempts {
		return changed
	}
	return s.ride(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.StmtContext(ctx, s.st.updateNotification).ExecContext(ctx,
			n.Status, ms(storeTime(n.NextAttempt)), n.Attempts, msPtr(n.SentAt), nullString(n.LastError),
			n.ID, status, attempts)
		if err != nil {
			return interpretError(err, "notification", n.ID)
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k != 1 {
			// Another dispatcher recorded an attempt since the read
			// (notifications are never deleted).
			return changed
		}
		return nil
	})
}
