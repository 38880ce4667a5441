package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
)

// stmts are the statements of the hot paths (a reception, a transition,
// a read by code), prepared once on the writer or the read pool. The
// driver keeps a prepared statement's compiled program, so a call only
// binds and steps it; the writer is one connection, so its statements
// are prepared on it once and reused by every batch's transaction.
type stmts struct {
	sequence, insertDossier, current, update, updateAlarms, insertNotification *sql.Stmt // writer
	updateNotification                                                         *sql.Stmt // writer: an acknowledgement
	insertKey, deleteKey                                                       *sql.Stmt // writer: search keys (search.go)
	savepoint, rollbackTo, release                                             *sql.Stmt // writer: a batch's savepoints
	updateDoc                                                                  *sql.Stmt // writer: an Apply that changes no column (columns.go)
	getByCode, getByKey, currentRow, pendingOf, ofKind                         *sql.Stmt // read pool
}

const (
	sqlSequence = `INSERT INTO sequences (unit, day, n) VALUES (?, ?, 1)
		ON CONFLICT (unit, day) DO UPDATE SET n = n + 1 RETURNING n`
	sqlInsertDossier = `INSERT INTO dossiers (code, version, state, unit, status, procedure, kind,
		received_at, due_at, next_check_at, finished_at, applicant_name, receive_key, doc, channel, slim, figure_unit)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlCurrent = "SELECT version, doc FROM dossiers WHERE code = ?"
	sqlUpdate  = `UPDATE dossiers SET version = ?, state = ?, unit = ?, status = ?,
		procedure = ?, kind = ?, received_at = ?, due_at = ?, next_check_at = ?, finished_at = ?,
		applicant_name = ?, doc = ?, channel = ?, slim = ?, figure_unit = ?
		WHERE code = ? AND version = ?`
	sqlUpdateAlarms       = `UPDATE dossiers SET version = ?, next_check_at = ?, doc = ?, slim = ? WHERE code = ? AND version = ?`
	sqlInsertNotification = `INSERT INTO notifications (id, dossier, status, next_attempt, at, doc, attempts, sent_at, last_error, kind, payload)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
	// sqlOfKind and sqlPendingOf read a dossier's notifications of a kind
	// without their payload (NotificationsOfKind).
	sqlOfKind    = `SELECT ` + notificationColsNoPayload + ` FROM notifications WHERE dossier = ? AND kind = ?`
	sqlPendingOf = sqlOfKind + ` AND status = 'pending'`
	// sqlUpdateNotification records a delivery attempt over the status
	// and attempts it was read with (UpdateNotification).
	sqlUpdateNotification = `UPDATE notifications SET status = ?, next_attempt = ?, attempts = ?, sent_at = ?, last_error = ?
		WHERE id = ? AND status = ? AND attempts IS ?`
	sqlGetByCode = "SELECT doc, receive_key FROM dossiers WHERE code = ?"
	sqlGetByKey  = "SELECT doc, receive_key FROM dossiers WHERE receive_key = ?"
)

func (s *Store) prepare(ctx context.Context) error {
	for _, p := range []struct {
		db  *sql.DB
		to  **sql.Stmt
		sql string
	}{
		{s.w, &s.st.sequence, sqlSequence},
		{s.w, &s.st.insertDossier, sqlInsertDossier},
		{s.w, &s.st.current, sqlCurrent},
		{s.w, &s.st.update, sqlUpdate},
		{s.w, &s.st.updateDoc, sqlUpdateDoc},
		{s.w, &s.st.updateAlarms, sqlUpdateAlarms},
		{s.w, &s.st.insertNotification, sqlInsertNotification},
		{s.w, &s.st.updateNotification, sqlUpdateNotification},
		{s.w, &s.st.insertKey, sqlInsertKey},
		{s.w, &s.st.deleteKey, sqlDeleteKey},
		{s.w, &s.st.savepoint, "SAVEPOINT w"},
		{s.w, &s.st.rollbackTo, "ROLLBACK TO w"},
		{s.w, &s.st.release, "RELEASE w"},
		{s.r, &s.st.getByCode, sqlGetByCode},
		{s.r, &s.st.getByKey, sqlGetByKey},
		{s.r, &s.st.currentRow, sqlCurrentRow},
		{s.r, &s.st.pendingOf, sqlPendingOf},
		{s.r, &s.st.ofKind, sqlOfKind},
	} {
		st, err := p.db.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", p.sql, err)
		}
		*p.to = st
	}
	return nil
}

// in returns the writer's statement st bound to the batch's
// transaction, or st itself outside one.
func in(ctx context.Context, tx *sql.Tx, st *sql.Stmt) *sql.Stmt {
	if tx == nil {
		return st
	}
	return tx.StmtContext(ctx, st)
}
