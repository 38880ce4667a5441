package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/internal/slim"
)

var _ engine.RatingStore = (*Store)(nil)

// Rate implements engine.RatingStore. The read and the conditional
// UPDATE run in one job of the serial committer, so no other write of
// the dossier comes between them: of two concurrent ratings the first
// stores its rating and the second finds it.
func (s *Store) Rate(ctx context.Context, code string, r engine.Rating) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var version int64
		var raw []byte
		if err := tx.StmtContext(ctx, s.st.current).QueryRowContext(ctx, code).Scan(&version, &raw); err != nil {
			return interpretError(err, "dossier", code)
		}
		var doc dossierDoc
		if err := json.Unmarshal(raw, &doc); err != nil {
			return fmt.Errorf("dossier %s document: %w", code, err)
		}
		if doc.Rating != nil {
			return &engine.AlreadyRatedError{Code: code}
		}
		doc.Rating = &ratingDoc{At: storeTime(r.At), Scores: r.Scores, Comment: r.Comment}
		doc.Version = version + 1
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("dossier %s document: %w", code, err)
		}
		// The slim copy carries the rating too: reports read it (5.4).
		slimCopy := slim.Encode(nil, doc.dossier(""))
		// No column changes (next_check_at is left as stored: a rating
		// arms no deadline), so the narrow update of columns.go.
		res, err := in(ctx, tx, s.st.updateDoc).ExecContext(ctx, version+1, b, slimCopy, code, version)
		if err != nil {
			return interpretError(err, "dossier", code)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return &engine.ConflictError{Code: code, Version: version}
		}
		return nil
	})
}
