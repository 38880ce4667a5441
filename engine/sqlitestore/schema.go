package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/motcua/motcua/engine"
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

	// 2: lists by due instant walk an index in order. due_order is the
	// due instant, or noDue (after every real instant) when there is
	// none, so "nil last, then code" is a plain (due_order, code) order
	// that an index delivers: no sort, and a page reads only its rows.
	// A generated column is computed from due_at on every write and for
	// the existing rows (the CREATE INDEX below fills the indexes from
	// them), so it can never disagree with due_at. Each index ends with
	// status so that status filters are checked on the index entry.
	`ALTER TABLE dossiers ADD COLUMN due_order INTEGER
		GENERATED ALWAYS AS (coalesce(due_at, ` + noDue + `)) VIRTUAL;
	DROP INDEX dossiers_inbox;
	-- Inboxes and lists of open dossiers: a unit's open dossiers by due
	-- instant. Queries repeat the literal "status <> 'finished'" so that
	-- SQLite may use this partial index (see openOnly).
	CREATE INDEX dossiers_open_due ON dossiers (unit, due_order, code, status)
		WHERE status <> 'finished';
	-- Lists of a unit over every status, by due instant.
	CREATE INDEX dossiers_unit_due ON dossiers (unit, due_order, code, status);
	-- Lists over every unit, by due instant.
	CREATE INDEX dossiers_due ON dossiers (due_order, code, status);`,

	// 3: the finished instant, so that "finished in [from, to)" (digests,
	// reports) and "not finished before t" (dossiers carried into a
	// report's period) read an index instead of every dossier ever
	// received. A plain column written with the row, like due_at; the
	// existing finished dossiers take it from their document, where Go
	// wrote it as RFC 3339 with an offset, which unixepoch reads
	// ('subsec' keeps the milliseconds). NULL while not finished: SQLite
	// indexes NULLs, so "finished_at IS NULL OR finished_at >= ?" is two
	// ranges of this one index.
	`ALTER TABLE dossiers ADD COLUMN finished_at INTEGER;
	UPDATE dossiers SET finished_at =
		CAST(round(unixepoch(json_extract(CAST(doc AS TEXT), '$.finished_at'), 'subsec') * 1000) AS INTEGER)
		WHERE json_extract(CAST(doc AS TEXT), '$.finished_at') IS NOT NULL;
	CREATE INDEX dossiers_finished ON dossiers (finished_at);`,

	// 4: published procedure versions, insert-only. The primary key is
	// what makes (code, version) unique, also between processes that
	// might one day share a folder; source is the YAML as loaded.
	`CREATE TABLE procedure_versions (
		code       TEXT NOT NULL,
		version    INTEGER NOT NULL,
		sha256     TEXT NOT NULL,
		source     BLOB NOT NULL,
		first_seen INTEGER NOT NULL,
		PRIMARY KEY (code, version)
	) WITHOUT ROWID;`,

	// 5: web sessions, so that a restart signs nobody out. Keyed by the
	// SHA-256 of the session id (the cookie holds the id; a copy of this
	// file gives no live session); expires_at is checked on every read and
	// swept by its index; person serves "end this person's sessions".
	`CREATE TABLE sessions (
		id_hash    TEXT PRIMARY KEY,
		person     TEXT NOT NULL,
		csrf_hash  TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		last_seen  INTEGER NOT NULL,
		expires_at INTEGER NOT NULL
	) WITHOUT ROWID;
	CREATE INDEX sessions_person ON sessions (person);
	CREATE INDEX sessions_expires ON sessions (expires_at);`,

	// 6: search and list filters (issue 11). dossier_search holds each
	// dossier's search keys (engine.SearchKeys: the code and its parts,
	// the name from each word on, the ID number, the phone, folded), a
	// row per key, its primary key the range a prefix search reads
	// (search.go); the stored dossiers get theirs from their documents
	// through motcua_search_keys, the same Go function the writes use.
	// channel is a column like state, filled from the documents.
	`CREATE TABLE dossier_search (
		key  TEXT NOT NULL,
		code TEXT NOT NULL,
		PRIMARY KEY (key, code)
	) WITHOUT ROWID;
	INSERT OR IGNORE INTO dossier_search (key, code)
		SELECT j.value, d.code FROM dossiers d, json_each(motcua_search_keys(d.doc)) j;
	ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT '';
	UPDATE dossiers SET channel = coalesce(json_extract(CAST(doc AS TEXT), '$.channel'), '');`,
}

// noDue is the due_order of a dossier without a due instant: the largest
// integer, after every instant in unix milliseconds.
const noDue = "9223372036854775807"

// migrate brings the schema to the latest version.
func migrate(ctx context.Context, db *sql.DB) error {
	var have int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return err
	}
	if have > len(migrations) {
		return &engine.SchemaTooNewError{Store: "sqlite", Have: have, Know: len(migrations)}
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
