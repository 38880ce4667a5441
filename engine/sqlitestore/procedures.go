package sqlitestore

import (
	"context"
	"time"

	"github.com/motcua/motcua/engine"
)

var _ engine.ProcedureStore = (*Store)(nil)

// PutProcedureVersion implements engine.ProcedureStore: an insert that
// leaves an existing (code, version) alone, then a read of what is
// stored to tell a repeat (same hash) from an edit in place. Both run on
// the one writer connection, so no other write comes between them.
func (s *Store) PutProcedureVersion(ctx context.Context, v engine.ProcedureVersion) error {
	if v.Code == "" || v.SHA256 == "" {
		return &engine.InvalidInputError{Field: "procedure version", Reason: "code and sha256 are required"}
	}
	src := v.Source
	if src == nil {
		src = []byte{} // the column is NOT NULL; an empty source is still a source
	}
	var stored string
	err := s.w.QueryRowContext(ctx, `INSERT INTO procedure_versions (code, version, sha256, source, first_seen)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (code, version) DO UPDATE SET code = code
		RETURNING sha256`, v.Code, v.Version, v.SHA256, src, ms(v.FirstSeen)).Scan(&stored)
	if err != nil {
		return err
	}
	if stored != v.SHA256 {
		return &engine.ProcedureChangedError{Code: v.Code, Version: v.Version, Stored: stored, Given: v.SHA256}
	}
	return nil
}

// ProcedureVersions implements engine.ProcedureStore.
func (s *Store) ProcedureVersions(ctx context.Context) ([]engine.ProcedureVersion, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT code, version, sha256, source, first_seen
		FROM procedure_versions ORDER BY code, version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []engine.ProcedureVersion{}
	for rows.Next() {
		var v engine.ProcedureVersion
		var first int64
		if err := rows.Scan(&v.Code, &v.Version, &v.SHA256, &v.Source, &first); err != nil {
			return nil, err
		}
		v.FirstSeen = time.UnixMilli(first).UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}
