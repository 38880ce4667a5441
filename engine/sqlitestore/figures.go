package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/internal/slim"
)

// Reads at a million dossiers (issue 14 §3, schema 6).
//
//   - Reports scan with engine.Query.Slim: the slim column (a compact
//     binary copy without personal data, engine/internal/slim) read from
//     the covering index dossiers_figures, in index order, instead of
//     decoding every whole JSON document.
//   - The dashboard and the metrics ask OpenCounts: open_counts, kept by
//     triggers in the transaction of every write, for the open and paused
//     counts; the index dossiers_open_by_due for the overdue and
//     due-today counts, which depend on the instant asked.

var _ engine.FigureStore = (*Store)(nil)

// sqlDueCounts counts the unfinished dossiers due before the end of the
// day (its second argument), and those of them due before now (its
// first), per (unit, figure unit), from dossiers_open_by_due alone.
// A NULL due_at (no due instant) fails due_at < dayEnd. The index is on
// due_at, not due_order: SQLite does not read a virtual column from a
// covering index.
const sqlDueCounts = `SELECT unit, figure_unit, sum(due_at < ?), count(*)
	FROM dossiers INDEXED BY dossiers_open_by_due
	WHERE ` + openOnly + ` AND ` + openStatusIn + ` AND due_at < ? GROUP BY unit, figure_unit`

// openStatusIn keeps engine.OpenStatuses. open_counts counts every
// unfinished status, StatusRegistered too (an online submission the desk
// has not received), and the reads keep the open ones, so the counts
// agree with the MongoDB store and with engine.OpenCountsByScan.
const openStatusIn = "status IN ('" + string(engine.StatusInProgress) + "', '" + string(engine.StatusPaused) + "')"

// storedHistory returns the stored history rows of a dossier being
// moved on: from its slim copy when it has one (cheap, and all a slim
// copy keeps), otherwise decoded from the document's JSON rows.
func storedHistory(slimCopy []byte, rows []json.RawMessage) ([]engine.HistoryRow, error) {
	if slimCopy != nil {
		// A nil Decoder: no interning map for a single copy.
		if d, err := (*slim.Decoder)(nil).Decode(slimCopy); err == nil && len(d.History) == len(rows) {
			return d.History, nil
		}
	}
	out := make([]engine.HistoryRow, len(rows))
	for i, raw := range rows {
		var h historyRowDoc
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, err
		}
		out[i] = h.row()
	}
	return out, nil
}

// OpenCounts implements engine.FigureStore: two reads of one snapshot,
// neither of which reads a dossier's row.
func (s *Store) OpenCounts(ctx context.Context, now, dayEnd time.Time) ([]engine.OpenCount, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	type key struct{ unit, figure string }
	groups := map[key]*engine.OpenCount{}
	group := func(u, f string) *engine.OpenCount {
		g := groups[key{u, f}]
		if g == nil {
			g = &engine.OpenCount{Unit: u, FigureUnit: f}
			groups[key{u, f}] = g
		}
		return g
	}
	rows, err := tx.QueryContext(ctx, `SELECT unit, figure_unit, status, n FROM open_counts WHERE n > 0 AND `+openStatusIn)
	if err != nil {
		return nil, interpretError(err, "dossier", "")
	}
	for rows.Next() {
		var u, f, status string
		var n int
		if err := rows.Scan(&u, &f, &status, &n); err != nil {
			rows.Close()
			return nil, err
		}
		g := group(u, f)
		g.Open += n
		if engine.Status(status) == engine.StatusPaused {
			g.Paused += n
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, sqlDueCounts, ms(now), ms(dayEnd))
	if err != nil {
		return nil, interpretError(err, "dossier", "")
	}
	defer rows.Close()
	for rows.Next() {
		var u, f string
		var overdue, n int
		if err := rows.Scan(&u, &f, &overdue, &n); err != nil {
			return nil, err
		}
		g := group(u, f)
		g.Overdue, g.DueToday = overdue, n-overdue
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]engine.OpenCount, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	engine.SortOpenCounts(out)
	return out, nil
}

// scanSlim runs a Slim scan: query selects (slim, rowid, …). A row
// without a slim copy (written before schema 6 and not yet backfilled)
// or with one this binary cannot read is read whole, by rowid.
func (s *Store) scanSlim(ctx context.Context, query string, args []any, fn func(*engine.Dossier) error) error {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return interpretError(err, "dossier", "")
	}
	defer rows.Close()
	var copyBytes []byte
	var rowid int64
	dest := []any{&copyBytes, &rowid}
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	for range names[2:] {
		dest = append(dest, new(any))
	}
	dec := slim.NewDecoder()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		d, err := dec.Decode(copyBytes)
		if errors.Is(err, slim.ErrFormat) {
			d, err = s.byRowid(ctx, rowid)
		}
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *Store) byRowid(ctx context.Context, rowid int64) (*engine.Dossier, error) {
	var doc []byte
	var key sql.NullString
	err := s.r.QueryRowContext(ctx, "SELECT doc, receive_key FROM dossiers WHERE rowid = ?", rowid).Scan(&doc, &key)
	if err != nil {
		return nil, interpretError(err, "dossier", fmt.Sprint("rowid ", rowid))
	}
	return decodeDossier(doc, key.String)
}

// backfillBatch is how many rows one backfill write fills.
const backfillBatch = 500

// backfillSlim writes the slim copy of every row written before schema
// 7, in batches of its own writes (each row only if still without one:
// a transition in between writes its own). It runs at Open, before the
// store serves, until it has once finished (schema 9's backfills table);
// about a minute per million old dossiers.
func (s *Store) backfillSlim(ctx context.Context) error {
	const name = "slim"
	var done int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM backfills WHERE name = ?`, name).Scan(&done); err != nil {
		return fmt.Errorf("slim backfill: %w", err)
	}
	if done > 0 {
		return nil
	}
	var after int64
	for {
		type row struct {
			rowid int64
			slim  []byte
		}
		var batch []row
		rows, err := s.w.QueryContext(ctx, `SELECT rowid, doc FROM dossiers WHERE rowid > ? AND slim IS NULL ORDER BY rowid LIMIT ?`, after, backfillBatch)
		if err != nil {
			return fmt.Errorf("slim backfill: %w", err)
		}
		for rows.Next() {
			var id int64
			var doc []byte
			if err := rows.Scan(&id, &doc); err != nil {
				rows.Close()
				return err
			}
			d, err := decodeDossier(doc, "")
			if err != nil {
				rows.Close()
				return fmt.Errorf("slim backfill: %w", err)
			}
			batch = append(batch, row{id, slim.Encode(nil, d)})
			after = id
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(batch) == 0 {
			_, err := s.w.ExecContext(ctx, `INSERT INTO backfills (name, finished_at) VALUES (?, unixepoch('subsec') * 1000)`, name)
			return err
		}
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, r := range batch {
			if _, err := tx.ExecContext(ctx, "UPDATE dossiers SET slim = ? WHERE rowid = ? AND slim IS NULL", r.slim, r.rowid); err != nil {
				tx.Rollback()
				return fmt.Errorf("slim backfill: %w", err)
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
}
