package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; PRAGMA user_version records how many
// ran. Append new steps, never edit old ones: folders created by earlier
// versions replay only what they lack.
var migrations = []string{
	// 1: dossiers, notifications, daily code series, leases.
	`CREATE TABLE dossiers (
		code           TEXT PRIMARY KEY,
		version        INTEGER NOT NULL,
		state          TEXT NOT NULL,
		unit           TEXT NOT NULL,
		status         TEXT NOT NULL,
		procedure      TEXT NOT NULL,
		kind           TEXT NOT NULL,
		received_at    INTEGER NOT NULL,
		due_at         INTEGER,
		next_check_at  INTEGER,
		applicant_name TEXT NOT NULL, -- lower-cased in Go (SQLite's lower() is ASCII only)
		receive_key    TEXT UNIQUE,   -- NULL when none: NULLs never collide
		doc            BLOB NOT NULL
	);
	-- Inboxes: a unit's open dossiers by due instant.
	CREATE INDEX dossiers_inbox ON dossiers (unit, status, due_at);
	-- The deadline watch: open dossiers by next check.
	CREATE INDEX dossiers_watch ON dossiers (next_check_at, code)
		WHERE next_check_at IS NOT NULL AND status <> 'finished';
	-- Reports: by reception instant.
	CREATE INDEX dossiers_received ON dossiers (received_at);
	CREATE TABLE notifications (
		id           TEXT PRIMARY KEY,
		dossier      TEXT NOT NULL,
		status       TEXT NOT NULL,
		next_attempt INTEGER NOT NULL,
		at           INTEGER NOT NULL,
		doc          BLOB NOT NULL
	);
	CREATE INDEX notifications_pending ON notifications (next_attempt, id) WHERE status = 'pending';
	CREATE INDEX notifications_dossier ON notifications (dossier, at);
	CREATE INDEX notifications_at ON notifications (at);
	CREATE TABLE sequences (
		unit TEXT NOT NULL,
		day  TEXT NOT NULL,
		n    INTEGER NOT NULL,
		PRIMARY KEY (unit, day)
	) WITHOUT ROWID;
	CREATE TABLE leases (
		name   TEXT PRIMARY KEY,
		holder TEXT NOT NULL,
		until  INTEGER NOT NULL
	) WITHOUT ROWID;`,
}

// migrate brings the schema to the latest version.
func migrate(ctx context.Context, db *sql.DB) error {
	var have int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return err
	}
	if have > len(migrations) {
		return fmt.Errorf("the data was written by a newer motcua (schema %d, this one knows %d)", have, len(migrations))
	}
	for i := have; i < len(migrations); i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("schema step %d: %w", i+1, err)
		}
		// PRAGMA takes no parameters; i+1 is ours.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
