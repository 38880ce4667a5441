package sqlitestore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

// The columns of a dossier's row beside its document.
//
// A dossier's row carries, beside doc and slim, the columns that its nine
// indexes, the open-count triggers (schema 7) and the generated due_order
// read. An UPDATE that sets a column rewrites every index entry holding it
// even when the value is the same, so the full update (sqlUpdate) writes
// all nine indexes, fires the triggers and recomputes due_order on every
// transition. Most of a desk's actions change none of these columns: a
// note, a file, a fee paid, an assignment. For those Apply writes only
// version, doc and slim (sqlUpdateDoc), which leaves eight of the indexes
// and the triggers alone: a note action then writes 4.6 WAL frames instead
// of 8.7 (strace over 3,000 writes, docs/benchmarks.md "Round five").
//
// Correct by construction: rowColumns is read with the document from the
// row at version prev, and the narrow update's WHERE requires the row to
// still be at prev, so the columns it leaves alone hold exactly the values
// the full update would have written. Both updates take their values
// from one rowColumns (columnsOf), and TestUpdatesSetEveryColumn checks
// that the full update sets every column this type compares.

// rowColumns are a dossier row's columns other than version, doc and
// slim, as the full update writes them.
type rowColumns struct {
	state, unit, status, procedure, kind string
	receivedAt                           int64
	dueAt, nextCheckAt, finishedAt       sql.NullInt64
	applicantName, channel, figureUnit   string
}

// sqlCurrentRow reads what Apply needs of the stored row: the version it
// must still be at, the document, the slim copy and the columns.
const sqlCurrentRow = `SELECT version, doc, slim, state, unit, status, procedure, kind, received_at,
	due_at, next_check_at, finished_at, applicant_name, channel, figure_unit FROM dossiers WHERE code = ?`

// sqlUpdateDoc is the update of an Apply that changes no column: see
// above.
const sqlUpdateDoc = `UPDATE dossiers SET version = ?, doc = ?, slim = ? WHERE code = ? AND version = ?`

// columnsOf is what the full update writes for d.
func columnsOf(d *engine.Dossier, figureUnit string) rowColumns {
	return rowColumns{
		state: d.State, unit: d.Unit, status: string(d.Status), procedure: d.Procedure, kind: string(d.Kind),
		receivedAt: ms(d.ReceivedAt), dueAt: nullMs(d.DueAt), nextCheckAt: nullMs(d.NextCheckAt),
		finishedAt: nullMs(d.FinishedAt), applicantName: strings.ToLower(d.Applicant.Name),
		channel: string(d.Channel), figureUnit: figureUnit,
	}
}

// nullMs is msPtr as a comparable value: NULL for nil.
func nullMs(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: ms(*t), Valid: true}
}

// currentRow reads the stored row of code from the read pool, provided
// it is at version prev (as current does).
func (s *Store) currentRow(ctx context.Context, code string, prev int64) (doc, slimCopy []byte, cols rowColumns, err error) {
	var version int64
	err = s.st.currentRow.QueryRowContext(ctx, code).Scan(&version, &doc, &slimCopy,
		&cols.state, &cols.unit, &cols.status, &cols.procedure, &cols.kind, &cols.receivedAt,
		&cols.dueAt, &cols.nextCheckAt, &cols.finishedAt, &cols.applicantName, &cols.channel, &cols.figureUnit)
	if err != nil {
		return nil, nil, rowColumns{}, interpretError(err, "dossier", code)
	}
	if version != prev {
		return nil, nil, rowColumns{}, &engine.ConflictError{Code: code, Version: prev}
	}
	return doc, slimCopy, cols, nil
}

// updateRow runs the update of an Apply: the narrow one when the columns
// are unchanged, the full one otherwise.
func (s *Store) updateRow(ctx context.Context, tx *sql.Tx, code string, prev, version int64, stored, next rowColumns, doc, slimCopy []byte) (sql.Result, error) {
	if stored == next {
		s.narrowWrites.Add(1)
		return in(ctx, tx, s.st.updateDoc).ExecContext(ctx, version, doc, slimCopy, code, prev)
	}
	n := next
	return in(ctx, tx, s.st.update).ExecContext(ctx, version, n.state, n.unit, n.status, n.procedure, n.kind,
		n.receivedAt, n.dueAt, n.nextCheckAt, n.finishedAt, n.applicantName, doc, n.channel, slimCopy, n.figureUnit,
		code, prev)
}
