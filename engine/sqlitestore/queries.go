package sqlitestore

import (
	"context"
	"database/sql"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
)

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
	if c, a, ok := searchCond(q.Text); ok {
		conds, args = append(conds, c), append(args, a...)
	}
	if q.Channel != "" {
		conds, args = append(conds, "channel = ?"), append(args, string(q.Channel))
	}
	if !q.DueFrom.IsZero() {
		conds, args = append(conds, "due_order >= ?"), append(args, ms(q.DueFrom))
	}
	if !q.DueTo.IsZero() {
		conds, args = append(conds, "due_order < ?"), append(args, ms(q.DueTo))
	} else if !q.DueFrom.IsZero() {
		conds = append(conds, "due_order < "+noDue) // no due instant: never in a due range
	}
	if a := q.After; a != nil {
		// A row value: SQLite seeks it in the index the order walks.
		if q.OrderByDue {
			due := int64(math.MaxInt64) // noDue
			if a.Due != nil {
				due = ms(*a.Due)
			}
			conds, args = append(conds, "(due_order, code) > (?, ?)"), append(args, due, a.Code)
		} else {
			conds, args = append(conds, "code > ?"), append(args, a.Code)
		}
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
//
// A Slim scan selects (slim, rowid) instead, and reads a report's bounds
// from the covering index dossiers_figures in its own order (no sort).
func selectDossiers(q engine.Query) (string, []any) {
	return selectDossiersFor(q, false)
}

// selectDossiersFor is selectDossiers for a search whose matches are
// many (broad): see Scan.
func selectDossiersFor(q engine.Query, broad bool) (string, []any) {
	if q.Slim && !q.OrderByDue {
		return selectSlim(q)
	}
	cols := "SELECT doc, receive_key"
	if q.Slim {
		cols = "SELECT slim, rowid"
	}
	// A unit named twice would be merged twice.
	q.Units = slices.Compact(slices.Sorted(slices.Values(q.Units)))
	conds, args := filter(q)
	lim, limArgs := limitClause(q)
	from := " FROM dossiers"
	_, _, search := searchCond(q.Text)
	// A broad search (a common name, a short prefix) is read like any
	// list: the order's index walked, each entry's code checked against
	// the matches, until the page is full; with thousands of matches the
	// page fills after a few dozen entries per row shown. A narrow one
	// starts from its few matches instead.
	if search && broad {
		search = false
		// A unary + keeps SQLite from driving the query by code from
		// the matches: the list's own index is walked, in order.
		for i, c := range conds {
			if strings.HasPrefix(c, searchPrefix) {
				conds[i] = "+" + c
			}
		}
	}
	switch {
	case search:
		// A search reads its few matches from dossier_search and fetches
		// each by code, then sorts them. Without statistics SQLite would
		// rather walk a unit's whole list and probe the matches, which
		// reads every dossier of the unit; naming the code's index (the
		// automatic one of the primary key) makes it start from the keys.
		from += " INDEXED BY sqlite_autoindex_dossiers_1"
	case len(q.Units) > 0 && slices.Contains(conds, openOnly):
		// Without statistics SQLite rates dossiers_unit_due as good as
		// the partial index, but walking it passes over every finished
		// dossier of the unit: years of them.
		from += " INDEXED BY dossiers_open_due"
	case !q.OrderByDue && finishedBounds(q):
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
	case search:
		if len(q.Units) > 0 {
			conds = append([]string{inUnits(len(q.Units))}, conds...)
			args = append(unitArgs(q.Units), args...)
		}
		order := " ORDER BY code"
		if q.OrderByDue {
			order = " ORDER BY due_order, code"
		}
		// Two steps: the matches are sorted as (due, code) pairs, read
		// from the first page of each row, and only the page's rows are
		// read whole. Sorting the rows with their documents read every
		// match's document (its overflow pages) and carried it through
		// the sort: a common name or a short phone prefix matches
		// thousands.
		page := "SELECT code" + from + whereClause(conds) + order + lim
		return cols + " FROM dossiers WHERE code IN (" + page + ")" + order, append(args, limArgs...)
	case !q.OrderByDue:
		if len(q.Units) > 0 {
			conds = append([]string{inUnits(len(q.Units))}, conds...)
			args = append(unitArgs(q.Units), args...)
		}
		return cols + from + whereClause(conds) + " ORDER BY code" + lim, append(args, limArgs...)
	case len(q.Units) == 0 && q.Overdue:
		// Every unit's overdue dossiers: the open dossiers' index by due
		// instant, in order. Overdue ones all have a due instant, so
		// due_at orders them as due_order does.
		// The range on due_at bounds the walk when fewer than a page are
		// overdue.
		conds, args = append(conds, "due_at < ?"), append(args, ms(q.Now))
		return cols + " FROM dossiers INDEXED BY dossiers_open_by_due" + whereClause(conds) + " ORDER BY due_at, code" + lim, append(args, limArgs...)
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

// selectSlim builds a Slim scan in no order: (slim, rowid) read from
// the covering index dossiers_figures when q has a report's bounds. "Open
// at t" becomes two arms, finished_at IS NULL and finished_at >= t, since
// SQLite's OR of two ranges collects rowids and reads the table's rows;
// two ranges of one index that cannot overlap need no such step.
func selectSlim(q engine.Query) (string, []any) {
	openAt := q.OpenAt
	q.OpenAt = time.Time{}
	q.Units = slices.Compact(slices.Sorted(slices.Values(q.Units)))
	conds, args := filter(q)
	if len(q.Units) > 0 {
		conds = append([]string{inUnits(len(q.Units))}, conds...)
		args = append(unitArgs(q.Units), args...)
	}
	lim, limArgs := limitClause(q)
	from := "SELECT slim, rowid FROM dossiers"
	if finishedBounds(q) || !openAt.IsZero() {
		from += " INDEXED BY dossiers_figures"
	}
	if openAt.IsZero() {
		return from + whereClause(conds) + lim, append(args, limArgs...)
	}
	open := from + whereClause(append(slices.Clip(conds), "finished_at IS NULL"))
	after := from + whereClause(append(slices.Clip(conds), "finished_at >= ?"))
	all := append(append(slices.Clip(args), args...), ms(openAt))
	return open + " UNION ALL " + after + lim, append(all, limArgs...)
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
	q.Slim = false // lists show whole dossiers, in order
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
	broad := false
	if c, a, ok := searchCond(q.Text); ok {
		// How many keys match decides where to start: counted on the
		// keys' index, and only up to the bound.
		n := 0
		count := "SELECT count(*) FROM (SELECT 1 FROM dossier_search WHERE " +
			strings.TrimSuffix(strings.TrimPrefix(c, searchPrefix), ")") +
			" LIMIT " + strconv.Itoa(broadSearch) + ")"
		if err := s.r.QueryRowContext(ctx, count, a...).Scan(&n); err != nil {
			return interpretError(err, "dossier", "")
		}
		broad = n >= broadSearch
	}
	query, args := selectDossiersFor(q, broad)
	if q.Slim {
		return s.scanSlim(ctx, query, args, fn)
	}
	return s.scan(ctx, query, args, fn)
}

// broadSearch is the number of matching keys from which a search walks
// the list's order instead of fetching and sorting its matches. A match
// fetched costs a read of its row (the rows are large: about one page
// each), an index entry walked about a hundredth of a page: for a page
// of 50 among n dossiers the walk reads about 50 + n/(2m) pages for m
// matches, the fetch m, even at m ≈ 250 for 100,000 dossiers; measured
// in docs/benchmarks.md ("Search over 100,000 dossiers").
const broadSearch = 250

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
		d, err := decodeDossier(doc, key.String)
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
