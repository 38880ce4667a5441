package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/motcua/motcua/engine"
)

// File names inside the data folder.
const (
	DBFile   = "motcua.db"
	LockFile = "motcua.lock"
)

// readers is the size of the read pool: enough for the web pages and the
// watch to read while the writer commits, small for a 2-core machine.
const readers = 4

var _ engine.Store = (*Store)(nil)

// Store is the embedded engine.Store over a data folder. It is safe for
// concurrent use by one process; a second process is refused.
type Store struct {
	dir  string
	w    *sql.DB // exactly one connection: writes are serialised
	r    *sql.DB // read-only pool
	lock *os.File
}

// LockedError reports a data folder already opened by another process.
type LockedError struct {
	Dir string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("data folder %s is in use by another motcua process: an embedded store serves one process at a time (stop the other process, or run several against MongoDB with --mongo-uri)", e.Dir)
}

// Message returns the error for people, in Vietnamese unless lang is "en".
func (e *LockedError) Message(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	return fmt.Sprintf("thư mục dữ liệu %s đang được một tiến trình motcua khác sử dụng: kho dữ liệu nhúng chỉ phục vụ một tiến trình tại một thời điểm (hãy dừng tiến trình kia, hoặc dùng MongoDB với --mongo-uri để chạy nhiều tiến trình)", e.Dir)
}

// ErrorCode implements the engine's application error code interface.
func (e *LockedError) ErrorCode() engine.Code { return engine.EINVALID }

var errLocked = errors.New("locked")

// Open opens (creating if needed) the store in the data folder dir:
// database motcua.db, lock file motcua.lock.
func Open(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(abs, "?#") {
		return nil, fmt.Errorf("data folder %s: the path may not contain ? or #", abs)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	lock, err := lockFolder(filepath.Join(abs, LockFile))
	if errors.Is(err, errLocked) {
		return nil, &LockedError{Dir: abs}
	}
	if err != nil {
		return nil, fmt.Errorf("data folder %s: %w", abs, err)
	}
	s := &Store{dir: abs, lock: lock}
	if err := s.open(); err != nil {
		s.Close()
		return nil, fmt.Errorf("data folder %s: %w", abs, err)
	}
	return s, nil
}

// dsn builds the driver's connection string. synchronous=FULL makes
// every commit durable (fsync of the WAL); busy_timeout covers the
// checkpoints readers and the writer may meet.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return path + "?" + q.Encode()
}

// Dir returns the data folder.
func (s *Store) Dir() string { return s.dir }

func (s *Store) open() error {
	path := filepath.Join(s.dir, DBFile)
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return err
	}
	s.w = w
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(context.Background(), w); err != nil {
		return err
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return err
	}
	s.r = r
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxIdleTime(0)
	return r.Ping()
}

// Close closes the database and releases the folder.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close()) // closing the file drops the flock
		s.lock = nil
	}
	return errors.Join(errs...)
}

// ms converts an instant to the stored form: UTC unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

func msPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// interpretError maps SQLite errors to the engine's: the one place that
// knows SQLite's error shapes. code and key describe the dossier being
// written, for the messages.
func interpretError(err error, what, id string) error {
	if err == nil {
		return nil
	}
	if full := storageFull(err); engine.ErrorCode(full) == engine.ESTORAGEFULL {
		return full
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &engine.NotFoundError{What: what, ID: id}
	}
	var se interface{ Code() int }
	if errors.As(err, &se) {
		switch se.Code() {
		case 1555, 2067: // SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE
			msg := err.Error()
			switch {
			case strings.Contains(msg, "dossiers.receive_key"):
				return &engine.DuplicateError{Key: id}
			case strings.Contains(msg, "dossiers.code"):
				return &engine.DuplicateError{Code: id}
			}
		}
	}
	return err
}

// NextSequence implements engine.Store: an upsert that returns the
// incremented counter, atomic because writes are serialised.
func (s *Store) NextSequence(ctx context.Context, unit, day string) (int, error) {
	var n int
	err := s.w.QueryRowContext(ctx, `INSERT INTO sequences (unit, day, n) VALUES (?, ?, 1)
		ON CONFLICT (unit, day) DO UPDATE SET n = n + 1 RETURNING n`, unit, day).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sequence %s/%s: %w", unit, day, interpretError(err, "sequence", unit))
	}
	return n, nil
}

// execer is a transaction or the writer.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// doc is what the JSON document holds: the dossier plus its reception
// key, which the domain type keeps out of JSON.
func encodeDossier(d *engine.Dossier) ([]byte, error) { return json.Marshal(d) }

func decodeDossier(doc []byte, key sql.NullString) (*engine.Dossier, error) {
	var d engine.Dossier
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("dossier document: %w", err)
	}
	d.ReceiveKey = key.String
	return &d, nil
}

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

// Insert implements engine.Store.
func (s *Store) Insert(ctx context.Context, d *engine.Dossier, outbox []engine.Notification) error {
	doc, err := encodeDossier(d)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO dossiers (code, version, state, unit, status, procedure, kind,
		received_at, due_at, next_check_at, finished_at, applicant_name, receive_key, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.Code, d.Version, d.State, d.Unit, string(d.Status), d.Procedure, string(d.Kind),
		ms(d.ReceivedAt), msPtr(d.DueAt), msPtr(d.NextCheckAt), msPtr(d.FinishedAt), strings.ToLower(d.Applicant.Name),
		nullString(d.ReceiveKey), doc)
	if err != nil {
		err = interpretError(err, "dossier", d.Code)
		var dup *engine.DuplicateError
		if errors.As(err, &dup) && dup.Code == "" {
			dup.Key = d.ReceiveKey
		}
		return err
	}
	if err := insertNotifications(ctx, tx, outbox); err != nil {
		return storageFull(err)
	}
	return storageFull(tx.Commit())
}

// Apply implements engine.Store: the conditional update and the outbox
// rows commit together or not at all.
func (s *Store) Apply(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	if d.Version != prev+1 {
		return fmt.Errorf("apply %s: version %d does not follow %d", d.Code, d.Version, prev)
	}
	doc, err := encodeDossier(d)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE dossiers SET version = ?, state = ?, unit = ?, status = ?,
		procedure = ?, kind = ?, received_at = ?, due_at = ?, next_check_at = ?, finished_at = ?,
		applicant_name = ?, doc = ?
		WHERE code = ? AND version = ?`,
		d.Version, d.State, d.Unit, string(d.Status), d.Procedure, string(d.Kind), ms(d.ReceivedAt),
		msPtr(d.DueAt), msPtr(d.NextCheckAt), msPtr(d.FinishedAt), strings.ToLower(d.Applicant.Name), doc,
		d.Code, prev)
	if err != nil {
		return interpretError(err, "dossier", d.Code)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return &engine.ConflictError{Code: d.Code, Version: prev}
	}
	if err := insertNotifications(ctx, tx, outbox); err != nil {
		return storageFull(err)
	}
	return storageFull(tx.Commit())
}

// Get implements engine.Store.
func (s *Store) Get(ctx context.Context, code string) (*engine.Dossier, error) {
	return s.getBy(ctx, "code", code)
}

// GetByReceiveKey implements engine.Store.
func (s *Store) GetByReceiveKey(ctx context.Context, key string) (*engine.Dossier, error) {
	if key == "" {
		return nil, &engine.NotFoundError{What: "reception key", ID: key}
	}
	return s.getBy(ctx, "receive_key", key)
}

func (s *Store) getBy(ctx context.Context, column, v string) (*engine.Dossier, error) {
	var doc []byte
	var key sql.NullString
	// column is one of two constants above, never input.
	err := s.r.QueryRowContext(ctx, "SELECT doc, receive_key FROM dossiers WHERE "+column+" = ?", v).Scan(&doc, &key)
	if err != nil {
		what := "dossier"
		if column == "receive_key" {
			what = "reception key"
		}
		return nil, interpretError(err, what, v)
	}
	return decodeDossier(doc, key)
}

// likeEscape makes s a literal LIKE pattern fragment (escape char \).
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// maxMerge is the most units whose by-due lists are merged (one index
// walk per unit, UNION ALL); more units are read together and sorted.
const maxMerge = 64

// openOnly is the condition of the partial index dossiers_open_due,
// written exactly as there: SQLite uses a partial index only when the
// query's WHERE contains its condition.
const openOnly = "status <> 'finished'"

// filter builds the conditions of q other than its units.
func filter(q engine.Query) ([]string, []any) {
	var conds []string
	var args []any
	if q.State != "" {
		conds, args = append(conds, "state = ?"), append(args, q.State)
	}
	if q.Procedure != "" {
		conds, args = append(conds, "procedure = ?"), append(args, q.Procedure)
	}
	if q.Kind != "" {
		conds, args = append(conds, "kind = ?"), append(args, string(q.Kind))
	}
	if len(q.Status) > 0 {
		open := true
		ph := make([]string, len(q.Status))
		for i, v := range q.Status {
			ph[i] = "?"
			args = append(args, string(v))
			open = open && v != engine.StatusFinished
		}
		conds = append(conds, "status IN ("+strings.Join(ph, ",")+")")
		if open && !q.Overdue {
			conds = append(conds, openOnly) // implied; lets SQLite use dossiers_open_due
		}
	}
	if q.Overdue {
		// due_order < now excludes dossiers without a due instant (noDue).
		conds, args = append(conds, openOnly, "due_order < ?"), append(args, ms(q.Now))
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		// Lower-cased in Go on both sides, so "NGUYỄN" finds "Nguyễn";
		// diacritics are kept as typed. LIKE folds ASCII case of codes.
		pat := "%" + likeEscape(strings.ToLower(t)) + "%"
		conds = append(conds, `(code LIKE ? ESCAPE '\' OR applicant_name LIKE ? ESCAPE '\')`)
		args = append(args, pat, pat)
	}
	if !q.ReceivedFrom.IsZero() {
		conds, args = append(conds, "received_at >= ?"), append(args, ms(q.ReceivedFrom))
	}
	if !q.ReceivedTo.IsZero() {
		conds, args = append(conds, "received_at < ?"), append(args, ms(q.ReceivedTo))
	}
	// A NULL finished_at fails both comparisons: a dossier not finished
	// is never "finished in" a range.
	if !q.FinishedFrom.IsZero() {
		conds, args = append(conds, "finished_at >= ?"), append(args, ms(q.FinishedFrom))
	}
	if !q.FinishedTo.IsZero() {
		conds, args = append(conds, "finished_at < ?"), append(args, ms(q.FinishedTo))
	}
	if !q.OpenAt.IsZero() {
		conds, args = append(conds, "(finished_at IS NULL OR finished_at >= ?)"), append(args, ms(q.OpenAt))
	}
	return conds, args
}

// whereClause joins conditions into a WHERE clause ("" when none).
func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// limitClause pushes q's page down to SQLite.
func limitClause(q engine.Query) (string, []any) {
	if q.Limit <= 0 && q.Offset <= 0 {
		return "", nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return " LIMIT ? OFFSET ?", []any{limit, max(q.Offset, 0)}
}

// selectDossiers builds the SELECT of q's page: doc and receive_key.
//
// By code (the default), SQLite walks the primary key. By due instant it
// walks an index on (unit, due_order, code, …) in order, so a page reads
// its own rows and stops: for one unit (an inbox) or none directly; for
// several units one walk per unit, merged (a compound SELECT whose
// ORDER BY SQLite runs as a merge of the arms, each reading rows only as
// the merge asks for them). The alternative for several units, one
// unit IN (…) walk and a sort, would read and sort every matching row
// with its document for each page.
func selectDossiers(q engine.Query) (string, []any) {
	const cols = "SELECT doc, receive_key"
	// A unit named twice would be merged twice.
	q.Units = slices.Compact(slices.Sorted(slices.Values(q.Units)))
	conds, args := filter(q)
	lim, limArgs := limitClause(q)
	from := " FROM dossiers"
	if len(q.Units) > 0 && slices.Contains(conds, openOnly) {
		// Without statistics SQLite rates dossiers_unit_due as good as
		// the partial index, but walking it passes over every finished
		// dossier of the unit: years of them.
		from += " INDEXED BY dossiers_open_due"
	} else if !q.OrderByDue && finishedBounds(q) {
		// Without statistics SQLite rates a one-sided range (or the OR of
		// "open at") at a quarter of the table and prefers walking the
		// primary key in code order to sorting what the index finds. But
		// a finished range is narrow (a digest's day, a report's quarter)
		// and "open at t" is the open dossiers plus those finished since
		// t: both a small part of years of finished dossiers. Lists by
		// due instant keep walking their index page by page.
		from += " INDEXED BY dossiers_finished"
	}
	switch {
	case !q.OrderByDue:
		if len(q.Units) > 0 {
			conds = append([]string{inUnits(len(q.Units))}, conds...)
			args = append(unitArgs(q.Units), args...)
		}
		return cols + from + whereClause(conds) + " ORDER BY code" + lim, append(args, limArgs...)
	case len(q.Units) <= 1 || len(q.Units) > maxMerge:
		if len(q.Units) > 0 {
			conds = append([]string{inUnits(len(q.Units))}, conds...)
			args = append(unitArgs(q.Units), args...)
		}
		return cols + from + whereClause(conds) + " ORDER BY due_order, code" + lim, append(args, limArgs...)
	}
	arms := make([]string, len(q.Units))
	var all []any
	for i, u := range q.Units {
		arms[i] = cols + ", due_order, code" + from + whereClause(append([]string{"unit = ?"}, conds...))
		all = append(append(all, u), args...)
	}
	return strings.Join(arms, " UNION ALL ") + " ORDER BY due_order, code" + lim, append(all, limArgs...)
}

// finishedBounds reports whether q filters on the finished instant.
func finishedBounds(q engine.Query) bool {
	return !q.FinishedFrom.IsZero() || !q.FinishedTo.IsZero() || !q.OpenAt.IsZero()
}

// inUnits is the condition on n units: unit = ? for one, so that SQLite
// seeks one range of an index.
func inUnits(n int) string {
	if n == 1 {
		return "unit = ?"
	}
	return "unit IN (" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

func unitArgs(units []string) []any {
	out := make([]any, len(units))
	for i, u := range units {
		out[i] = u
	}
	return out
}

// List implements engine.Store.
func (s *Store) List(ctx context.Context, q engine.Query) ([]*engine.Dossier, error) {
	var out []*engine.Dossier
	err := s.Scan(ctx, q, func(d *engine.Dossier) error {
		out = append(out, d)
		return nil
	})
	return out, err
}

// Scan implements engine.Store. fn runs while the read is open; it may
// write through the store (writes do not wait for readers in WAL mode).
func (s *Store) Scan(ctx context.Context, q engine.Query, fn func(*engine.Dossier) error) error {
	query, args := selectDossiers(q)
	return s.scan(ctx, query, args, fn)
}

func (s *Store) scan(ctx context.Context, query string, args []any, fn func(*engine.Dossier) error) error {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return interpretError(err, "dossier", "")
	}
	defer rows.Close()
	// doc and receive_key come first; a merged list adds its sort keys.
	var doc []byte
	var key sql.NullString
	dest := []any{&doc, &key}
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	for range names[2:] {
		dest = append(dest, new(any))
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		d, err := decodeDossier(doc, key)
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DueForCheck implements engine.Store, reading the partial index
// dossiers_watch in order.
func (s *Store) DueForCheck(ctx context.Context, at time.Time, after engine.Cursor, limit int) ([]*engine.Dossier, error) {
	if limit <= 0 {
		limit = -1
	}
	query := `SELECT doc, receive_key FROM dossiers
		WHERE next_check_at IS NOT NULL AND status <> 'finished' AND next_check_at <= ?`
	args := []any{ms(at)}
	if !after.At.IsZero() || after.Code != "" {
		query += " AND (next_check_at > ? OR (next_check_at = ? AND code > ?))"
		args = append(args, ms(after.At), ms(after.At), after.Code)
	}
	query += " ORDER BY next_check_at, code LIMIT ?"
	args = append(args, limit)
	var out []*engine.Dossier
	err := s.scan(ctx, query, args, func(d *engine.Dossier) error {
		out = append(out, d)
		return nil
	})
	return out, err
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

// AcquireLease implements engine.Store: one conditional upsert; a lease
// whose until is at or before now is free.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
		WHERE leases.holder = excluded.holder OR leases.until <= ?`,
		name, holder, ms(until), ms(now))
	if err != nil {
		return false, interpretError(err, "lease", name)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}
