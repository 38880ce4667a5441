// Package sqlitestore is the embedded engine.Store: one SQLite database
// (modernc.org/sqlite, pure Go) in a data folder, the default when no
// MongoDB URI is given.
//
// Durability and concurrency:
//
//   - WAL journal with synchronous=FULL: a commit is fsynced to the WAL
//     before Apply returns, so an acknowledged transition survives a power
//     loss. (NORMAL would be about 2.5× faster here but may lose the last
//     commits on power loss; a legal audit trail does not accept that.)
//   - One process per folder: Open takes an exclusive flock on
//     motcua.lock and refuses a second process with a *LockedError naming
//     the folder. The kernel drops the lock when a process dies, so a
//     crashed process never blocks the next start.
//   - Writes go through a single connection (with synchronous=FULL
//     several concurrent writers stall each other for seconds, see
//     docs/benchmarks.md); reads use a small pool of read-only
//     connections and never block the writer.
//   - Group commit (commit.go): receptions, transitions and alarm writes
//     go to one committer goroutine, which runs every write waiting for
//     it in one transaction, each between a SAVEPOINT and its RELEASE
//     (a stale version or a used key rolls back only its own write),
//     then commits once: one fsync for the batch, and no caller is told
//     "written" before that commit has returned. Eight officers acting
//     at once share fsyncs instead of queueing for one each.
//   - A reception takes its number and inserts its dossier in one
//     transaction (InsertNumbered): a crash leaves both or neither, so
//     the day's series has no gaps (crash_test.go kills a receiving
//     process and checks). Its register line (form 06) is taken in the
//     same transaction (InsertRegistered), so the book has none either.
//   - The hot statements are prepared once (stmts.go): the driver then
//     only binds and steps them instead of parsing the SQL on every call.
//
// Layout: one row per dossier with the indexed fields as columns and the
// whole dossier as a JSON document of this package's own type
// (document.go), never engine.Dossier's API shape; testdata holds a
// document of the first schema that every version must still read. A
// transition is one savepoint of a batch (an immediate transaction) that
// reads the row, checks its version and history, updates it and adds the
// notifications decided with it; the deadline watch's alarm-only write (ApplyAlarms) replaces
// only the alarm fields. Instants are stored as UTC unix milliseconds in
// columns (for indexes) and as RFC 3339 in UTC, to the millisecond, in
// documents. Lists by due instant read the generated column due_order
// (the due instant, nil last) through indexes that deliver their order,
// so a page of an inbox reads and decodes only its own rows.
//
// Files: store.go (opening, the lock, errors), commit.go (group commit),
// stmts.go (prepared statements), document.go (the stored documents),
// dossiers.go (numbers, insert, transitions, reads by key),
// queries.go (lists, scans, the watch's index), outbox.go, leases.go,
// procedures.go, sessions.go, schema.go (migrations).
package sqlitestore
