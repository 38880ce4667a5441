package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
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

	// st are the hot statements, prepared once (parsing the same SQL
	// on every call was a tenth of an action's CPU).
	st stmts
	// The committer (commit.go): jobs feeds it, quit stops it, stopped
	// is closed when it has.
	jobs chan *writeJob
	// rides feeds it the writes that wait for company (ride), at most
	// rideWait nanoseconds (the constant; tests set others).
	rides    chan *writeJob
	rideWait atomic.Int64
	quit     chan struct{}
	stopped  chan struct{}
	// stopOnce makes a second Close harmless.
	stopOnce sync.Once
	// commits and written count batches and their writes (CommitStats).
	commits, written, busy atomic.Int64
	// narrowWrites counts the Applies that wrote only version, doc and
	// slim (columns.go).
	narrowWrites atomic.Int64
}

// LockedError reports a data folder already opened by another process.
type LockedError struct {
	Dir string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("data folder %s is in use by another motcua process: an embedded store serves one process at a time (stop the other process, or run several against MongoDB with --mongo-uri)", e.Dir)
}

// Message implements engine.Localized: the error for people, in
// Vietnamese unless lang is "en".
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
	if err := s.backfillSlim(context.Background()); err != nil {
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
	if err := r.Ping(); err != nil {
		return err
	}
	if err := s.prepare(context.Background()); err != nil {
		return err
	}
	s.startCommitter()
	return nil
}

// Close closes the database and releases the folder.
func (s *Store) Close() error {
	var errs []error
	// The batch in progress commits before the connections close.
	s.stopCommitter()
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
