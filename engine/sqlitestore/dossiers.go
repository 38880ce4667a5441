package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/internal/slim"
)

// NextSequence implements engine.Store: an upsert that returns the
// incremented counter, atomic because writes are serialised.
func (s *Store) NextSequence(ctx context.Context, unit, day string) (int, error) {
	var n int
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		n, err = s.nextSequence(ctx, tx, unit, day)
		return err
	})
	return n, err
}

func (s *Store) nextSequence(ctx context.Context, tx *sql.Tx, unit, day string) (int, error) {
	var n int
	if err := in(ctx, tx, s.st.sequence).QueryRowContext(ctx, unit, day).Scan(&n); err != nil {
		return 0, fmt.Errorf("sequence %s/%s: %w", unit, day, interpretError(err, "sequence", unit))
	}
	return n, nil
}

// Insert implements engine.Store: the row and the outbox rows commit
// together or not at all.
func (s *Store) Insert(ctx context.Context, d *engine.Dossier, outbox []engine.Notification) error {
	if err := checkNew(d); err != nil {
		return err
	}
	doc, err := encodeDossier(d)
	if err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return s.insert(ctx, tx, d, doc, outbox)
	})
}

// checkNew checks Insert's version rule.
func checkNew(d *engine.Dossier) error {
	if d.Version != 1 {
		return &engine.InvalidInputError{Field: "version",
			Reason: fmt.Sprintf("dossier %s: a new dossier is stored at version 1, not %d", d.Code, d.Version)}
	}
	return nil
}

// insert writes the new dossier's row (doc its encoded document) and its
// notifications inside the batch's transaction.
func (s *Store) insert(ctx context.Context, tx *sql.Tx, d *engine.Dossier, doc []byte, outbox []engine.Notification) error {
	_, err := in(ctx, tx, s.st.insertDossier).ExecContext(ctx,
		d.Code, d.Version, d.State, d.Unit, string(d.Status), d.Procedure, string(d.Kind),
		ms(d.ReceivedAt), msPtr(d.DueAt), msPtr(d.NextCheckAt), msPtr(d.FinishedAt), strings.ToLower(d.Applicant.Name),
		nullString(d.ReceiveKey), doc, string(d.Channel), slim.Encode(nil, d), engine.FigureUnit(d))
	if err != nil {
		err = interpretError(err, "dossier", d.Code)
		var dup *engine.DuplicateError
		if !errors.As(err, &dup) {
			return err
		}
		// Which key collided decides what the engine does: a used
		// reception key is answered with the first reception, so it wins
		// when the code collides too (SQLite reports whichever index it
		// checked first).
		if d.ReceiveKey != "" {
			var one int
			switch kerr := tx.QueryRowContext(ctx, "SELECT 1 FROM dossiers WHERE receive_key = ?", d.ReceiveKey).Scan(&one); {
			case kerr == nil:
				return &engine.DuplicateError{Key: d.ReceiveKey}
			case !errors.Is(kerr, sql.ErrNoRows):
				return kerr
			}
		}
		return &engine.DuplicateError{Code: d.Code}
	}
	if err := s.writeKeys(ctx, tx, d.Code, nil, engine.SearchKeys(d)); err != nil {
		return err
	}
	return s.insertNotifications(ctx, tx, outbox)
}

var _ engine.NumberingStore = (*Store)(nil)

// InsertNumbered implements engine.NumberingStore: the day's counter and
// the dossier's row are written in one transaction (one savepoint of a
// batch), so a crash leaves both or neither. A code that is already
// stored keeps its number taken: the counter's increment is kept and
// only the insert is rolled back (a nested savepoint), so that the
// engine's next attempt gets the next number instead of the same one.
func (s *Store) InsertNumbered(ctx context.Context, unit, day string, build func(seq int) (*engine.Dossier, []engine.Notification, error)) error {
	return s.insertNumbered(ctx, unit, day, 0, func(seq, _ int) (*engine.Dossier, []engine.Notification, error) { return build(seq) })
}

// insertNumbered is InsertNumbered and, with year > 0, InsertRegistered:
// the register line is taken inside the nested savepoint, so a used code
// rolls it back with the insert while the day's number stays taken.
func (s *Store) insertNumbered(ctx context.Context, unit, day string, year int, build func(seq, line int) (*engine.Dossier, []engine.Notification, error)) error {
	var dupCode error
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		seq, err := s.nextSequence(ctx, tx, unit, day)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT numbered"); err != nil {
			return err
		}
		line := 0
		if year > 0 {
			if line, err = s.nextSequence(ctx, tx, unit, engine.RegisterSeries(year)); err != nil {
				return err
			}
		}
		d, outbox, err := build(seq, line)
		if err != nil {
			return err
		}
		if err := checkNew(d); err != nil {
			return err
		}
		doc, err := encodeDossier(d)
		if err != nil {
			return err
		}
		err = s.insert(ctx, tx, d, doc, outbox)
		var dup *engine.DuplicateError
		if errors.As(err, &dup) && dup.Key == "" {
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO numbered"); rerr != nil {
				return rerr
			}
			// The number stays taken: this write succeeds, and the caller
			// hears of the collision once it is committed.
			dupCode, err = err, nil
		}
		if err != nil {
			return err // the batch rolls back the counter too
		}
		_, err = tx.ExecContext(ctx, "RELEASE numbered")
		return err
	})
	if err == nil {
		err = dupCode
	}
	return err
}

// appliedDoc is a dossierDoc whose history is given as encoded rows:
// the outer History hides the embedded one from encoding/json.
type appliedDoc struct {
	dossierDoc
	History []json.RawMessage `json:"history"`
}

// follows checks the version rule shared by Apply and ApplyAlarms.
func follows(d *engine.Dossier, prev int64) error {
	if d.Version != prev+1 {
		return &engine.InvalidInputError{Field: "version",
			Reason: fmt.Sprintf("dossier %s: new version %d does not follow %d", d.Code, d.Version, prev)}
	}
	return nil
}

// current reads the stored document of code inside the write
// transaction tx, provided it is at version prev: a missing dossier is a
// *engine.NotFoundError, another version a *engine.ConflictError. Nothing
// changes the row between this read and the update that follows (the
// writer is one connection in an immediate transaction). Apply reads
// from the read pool instead (currentRow), and its update checks the
// version itself.
func (s *Store) current(ctx context.Context, tx *sql.Tx, code string, prev int64) ([]byte, error) {
	var (
		version int64
		doc     []byte
	)
	if err := tx.StmtContext(ctx, s.st.current).QueryRowContext(ctx, code).Scan(&version, &doc); err != nil {
		return nil, interpretError(err, "dossier", code)
	}
	if version != prev {
		return nil, &engine.ConflictError{Code: code, Version: prev}
	}
	return doc, nil
}

// Apply implements engine.Store: the stored rows of the history are kept
// as stored and d's last row appended; the update and the outbox rows
// commit together or not at all (in a batch of the committer: its own
// savepoint, the batch's fsync).
func (s *Store) Apply(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	fn, err := s.applyWrite(ctx, d, prev, outbox)
	if err != nil {
		return err
	}
	return s.write(ctx, fn)
}

// applyWrite prepares Apply's write outside the committer, on the
// caller's goroutine: it reads the stored row from the read pool, checks
// it, and encodes the new document; the write it returns is only the
// conditional UPDATE and the outbox rows. That is safe because every
// write of a dossier raises its version: if the row is still at prev when
// the UPDATE runs (its WHERE says so), it is the row read here, and the
// document built from it is right. Otherwise the UPDATE changes nothing
// and the write is a *ConflictError, as if checked inside. Keeping the
// JSON work out of the committer keeps the one serial goroutine short.
func (s *Store) applyWrite(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) (func(context.Context, *sql.Tx) error, error) {
	if err := follows(d, prev); err != nil {
		return nil, err
	}
	if len(d.History) == 0 {
		return nil, &engine.InvalidInputError{Field: "history", Reason: fmt.Sprintf("dossier %s: no new history row", d.Code)}
	}
	raw, storedSlim, storedCols, err := s.currentRow(ctx, d.Code, prev)
	if err != nil {
		return nil, err
	}
	// The stored rows are kept byte for byte: read as raw JSON, never
	// decoded and re-encoded.
	var stored struct {
		searchedDoc
		History []json.RawMessage `json:"history"`
	}
	if err := json.Unmarshal(raw, &stored); err != nil {
		return nil, fmt.Errorf("dossier %s document: %w", d.Code, err)
	}
	if len(stored.History) != len(d.History)-1 {
		return nil, &engine.InvalidInputError{Field: "history",
			Reason: fmt.Sprintf("dossier %s: %d rows given, %d stored; a transition adds exactly one", d.Code, len(d.History), len(stored.History))}
	}
	row, err := json.Marshal(historyDocOf(d.History[len(d.History)-1]))
	if err != nil {
		return nil, fmt.Errorf("dossier %s document: %w", d.Code, err)
	}
	rest := *d // a shallow copy: d itself is not modified
	rest.History = nil
	b, err := json.Marshal(appliedDoc{dossierDoc: docOf(&rest), History: append(stored.History, row)})
	if err != nil {
		return nil, fmt.Errorf("dossier %s document: %w", d.Code, err)
	}
	oldKeys, newKeys := stored.keys(), engine.SearchKeys(d)
	// The slim copy and the figure unit follow the history as stored,
	// like the document, not d's earlier rows.
	hist, err := storedHistory(storedSlim, stored.History)
	if err != nil {
		return nil, fmt.Errorf("dossier %s document: %w", d.Code, err)
	}
	rest.History = append(hist, d.History[len(d.History)-1])
	slimCopy, cols := slim.Encode(nil, &rest), columnsOf(d, engine.FigureUnit(&rest))
	return func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.updateRow(ctx, tx, d.Code, prev, d.Version, storedCols, cols, b, slimCopy)
		if err != nil {
			return interpretError(err, "dossier", d.Code)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			// The row was there at prev a moment ago and dossiers are
			// never deleted: another write has moved it on.
			return &engine.ConflictError{Code: d.Code, Version: prev}
		}
		// The row was at prev, so the stored keys are those of the
		// document read above.
		if err := s.writeKeys(ctx, tx, d.Code, oldKeys, newKeys); err != nil {
			return err
		}
		return s.insertNotifications(ctx, tx, outbox)
	}, nil
}

// ApplyAlarms implements engine.Store: the stored document with only
// the alarm fields replaced, in the same transaction as the outbox rows.
func (s *Store) ApplyAlarms(ctx context.Context, d *engine.Dossier, prev int64, outbox []engine.Notification) error {
	if err := follows(d, prev); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		raw, err := s.current(ctx, tx, d.Code, prev)
		if err != nil {
			return err
		}
		var doc dossierDoc
		if err := json.Unmarshal(raw, &doc); err != nil {
			return fmt.Errorf("dossier %s document: %w", d.Code, err)
		}
		doc.Fired, doc.NextCheckAt = d.Fired, storeTimePtr(d.NextCheckAt)
		doc.UpdatedAt, doc.Version = storeTime(d.UpdatedAt), d.Version
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("dossier %s document: %w", d.Code, err)
		}
		// The receive key is not in the document, nor in the slim copy.
		_, err = in(ctx, tx, s.st.updateAlarms).ExecContext(ctx, d.Version, msPtr(d.NextCheckAt), b,
			slim.Encode(nil, doc.dossier("")), d.Code, prev)
		if err != nil {
			return interpretError(err, "dossier", d.Code)
		}
		return s.insertNotifications(ctx, tx, outbox)
	})
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
	st := s.st.getByCode
	if column == "receive_key" {
		st = s.st.getByKey
	}
	err := st.QueryRowContext(ctx, v).Scan(&doc, &key)
	if err != nil {
		what := "dossier"
		if column == "receive_key" {
			what = "reception key"
		}
		return nil, interpretError(err, what, v)
	}
	return decodeDossier(doc, key.String)
}
