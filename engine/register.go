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
