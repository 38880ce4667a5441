package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/motcua/motcua/engine"
)

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
		return err
	}
	return tx.Commit()
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
		return err
	}
	return tx.Commit()
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
