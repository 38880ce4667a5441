package engine

import (
	"context"
	"fmt"
)

// RegisterStore numbers the dossier register (sổ theo dõi hồ sơ, form 06
// of Circular 01/2018/TT-VPCP): each receiving unit keeps one book a year
// and writes every dossier it receives on the next line. Both stores
// implement it beside Store; every implementation passes
// enginetest.RunRegisterSuite. A store without it receives dossiers with
// no register line.
type RegisterStore interface {
	// NextRegisterNumber returns the next line (1, 2, …) of unit's book
	// of year. Numbers are never handed out twice for one book, also
	// under concurrent callers, and books of different units or years
	// count apart.
	NextRegisterNumber(ctx context.Context, unit string, year int) (int, error)
}

// RegisterBook names the book of unit (its code) for year, as printed on
// form 01 and the register: "XA01/2026".
func RegisterBook(unitCode string, year int) string { return fmt.Sprintf("%s/%d", unitCode, year) }

// RegisterSeries is the key under which stores that keep the register in
// their daily-number table count unit's book of year: "Y2026". A daily
// series is six digits (YYMMDD), so the two never share a counter.
func RegisterSeries(year int) string { return fmt.Sprintf("Y%04d", year) }

// RegisteringStore is a store that writes a dossier's register line in
// the same atomic step as the dossier, so that a crash or a refused write
// between taking the line and storing the dossier leaves no gap in the
// book (form 06 is a paper-like book: a skipped line looks like a dossier
// lost). Both stores implement it; the engine uses it when the store has
// it, NextRegisterNumber then the write otherwise. enginetest pins it.
type RegisteringStore interface {
	NumberingStore
	RegisterStore

	// InsertRegistered is InsertNumbered that also takes the next line of
	// unit's book of year and passes it to build with the day's number,
	// all in one atomic step. Its cases are InsertNumbered's, and the
	// line is taken only when the dossier is stored: on a used code
	// (*DuplicateError{Code}) the day's number stays taken, the line
	// does not, so the caller's next attempt gets the same line.
	InsertRegistered(ctx context.Context, unit, day string, year int, build func(seq, line int) (*Dossier, []Notification, error)) error

	// ApplyRegistered is Apply of the dossier build returns, given the
	// next line of unit's book of year, in one atomic step: a refused
	// Apply (a *ConflictError, a *NotFoundError, an *InvalidInputError)
	// or a refused build takes no line. build must be pure and quick, as
	// InsertNumbered's.
	ApplyRegistered(ctx context.Context, unit string, year int, prev int64, build func(line int) (*Dossier, []Notification, error)) error
}
