package sqlitestore

import (
	"context"
	"database/sql"

	"github.com/motcua/motcua/engine"
)

// InsertBatch stores new dossiers in one transaction, as Insert stores
// each (the same checks, documents, slim copies and counts), without
// notifications: an import of dossiers kept elsewhere before, or a
// benchmark's million, at one fsync per call instead of one per dossier.
// Either every dossier is stored or none is: the first error (a
// *DuplicateError, an *InvalidInputError) rolls the batch back.
func (s *Store) InsertBatch(ctx context.Context, ds []*engine.Dossier) error {
	docs := make([][]byte, len(ds))
	for i, d := range ds {
		if err := checkNew(d); err != nil {
			return err
		}
		doc, err := encodeDossier(d)
		if err != nil {
			return err
		}
		docs[i] = doc
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i, d := range ds {
			if err := s.insert(ctx, tx, d, docs[i], nil); err != nil {
				return err
			}
		}
		return nil
	})
}
