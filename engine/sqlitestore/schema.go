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
	// 7: reads at a million dossiers (issue 14 §3). See figures.go.
	//
	// slim is the dossier's slim copy (engine/internal/slim), written with
	// doc in the same statement; NULL in rows written before, which Open
	// backfills (backfillSlim, once: schema 9) and a Slim scan reads from
	// doc meanwhile.
	// dossiers_figures carries it with the report's bounds, so a report
	// reads that index alone: no row of the table, no JSON.
	//
	// figure_unit is engine.FigureUnit, written with the row; the existing
	// rows take it from their document's history (the last row naming a
	// unit, to_unit before from_unit; else the receiving unit).
	//
	// open_counts holds how many unfinished dossiers each (unit,
	// figure_unit, status) has, kept by triggers in the transaction of the
	// write that moves a dossier, so it can never disagree with the rows;
	// dossiers_open_by_due serves the overdue and due-today counts, which
	// depend on the instant asked and are counted from the index, reading
	// only the dossiers due before the end of the day; and the overdue
	// list of every unit (the dashboard's), walked in due order without
	// passing over the finished dossiers due earlier, which at a year of
	// a province's dossiers are hundreds of thousands.
	`ALTER TABLE dossiers ADD COLUMN slim BLOB;
	ALTER TABLE dossiers ADD COLUMN figure_unit TEXT NOT NULL DEFAULT '';
	UPDATE dossiers SET figure_unit = coalesce(
		(SELECT coalesce(nullif(json_extract(h.value, '$.to_unit'), ''), nullif(json_extract(h.value, '$.from_unit'), ''))
			FROM json_each(CAST(doc AS TEXT), '$.history') AS h
			WHERE coalesce(nullif(json_extract(h.value, '$.to_unit'), ''), nullif(json_extract(h.value, '$.from_unit'), '')) IS NOT NULL
			ORDER BY h.key DESC LIMIT 1),
		json_extract(CAST(doc AS TEXT), '$.receiving_unit'), '');
	CREATE INDEX dossiers_figures ON dossiers (finished_at, received_at, slim);
	CREATE INDEX dossiers_open_by_due ON dossiers (due_at, code, unit, figure_unit, status) WHERE status <> 'finished';
	CREATE TABLE open_counts (
		unit        TEXT NOT NULL,
		figure_unit TEXT NOT NULL,
		status      TEXT NOT NULL,
		n           INTEGER NOT NULL,
		PRIMARY KEY (unit, figure_unit, status)
	) WITHOUT ROWID;
	INSERT INTO open_counts (unit, figure_unit, status, n)
		SELECT unit, figure_unit, status, count(*) FROM dossiers WHERE status <> 'finished'
		GROUP BY unit, figure_unit, status;
	CREATE TRIGGER open_counts_insert AFTER INSERT ON dossiers WHEN NEW.status <> 'finished' BEGIN
		INSERT INTO open_counts (unit, figure_unit, status, n) VALUES (NEW.unit, NEW.figure_unit, NEW.status, 1)
			ON CONFLICT (unit, figure_unit, status) DO UPDATE SET n = n + 1;
	END;
	CREATE TRIGGER open_counts_update AFTER UPDATE OF unit, figure_unit, status ON dossiers
		WHEN OLD.unit IS NOT NEW.unit OR OLD.figure_unit IS NOT NEW.figure_unit OR OLD.status IS NOT NEW.status BEGIN
		UPDATE open_counts SET n = n - 1
			WHERE OLD.status <> 'finished' AND unit = OLD.unit AND figure_unit = OLD.figure_unit AND status = OLD.status;
		INSERT INTO open_counts (unit, figure_unit, status, n)
			SELECT NEW.unit, NEW.figure_unit, NEW.status, 1 WHERE NEW.status <> 'finished'
			ON CONFLICT (unit, figure_unit, status) DO UPDATE SET n = n + 1;
	END;`,

	// 8: a notification's delivery state in columns of its own
	// (UpdateNotification, outbox.go). An acknowledgement used to decode
	// and re-encode the whole document, a sync record's payload included,
	// on every attempt; now it writes these columns and the status and
	// next_attempt beside them, and the document keeps what was decided.
	// attempts NULL marks a row written before: its document's delivery
	// fields are current until its first attempt is recorded. kind lets
	// the sync record's ordering check (NotificationsOfKind) decode
	// only the dossier's pending sync records, not its staff's notices.
	// payload holds a sync record's payload (Data["payload"]) beside the
	// document instead of inside it: the payload carries the dossier's
	// whole progress, so a long-lived dossier's records grow with the
	// square of its steps, and every read of its outbox (the sync state on
	// each answer) parsed them as JSON strings; as a column it is copied,
	// not parsed. NULL: none, or a row of before with it in the document.
	`ALTER TABLE notifications ADD COLUMN attempts INTEGER;
	ALTER TABLE notifications ADD COLUMN sent_at INTEGER;
	ALTER TABLE notifications ADD COLUMN last_error TEXT;
	ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT '';
	ALTER TABLE notifications ADD COLUMN payload BLOB;
	UPDATE notifications SET kind = coalesce(json_extract(CAST(doc AS TEXT), '$.kind'), '');`,

	// 9: the Go backfills that Open runs after the SQL steps (the slim
	// copies of schema 7) record here that they finished, so that Open
	// walks the table for them once, not at every start: no index holds
	// "slim IS NULL", so the check alone read every row, about a second
	// per million dossiers at each restart. A backfill that stops half
	// way records nothing and resumes at the next Open.
	`CREATE TABLE backfills (
		name        TEXT PRIMARY KEY,
		finished_at INTEGER NOT NULL
	) WITHOUT ROWID;`,
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
