package report

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// Grouping is what the rows of a report are grouped by.
type Grouping string

// Groupings a report accepts.
const (
	ByUnit      Grouping = "unit"
	ByProcedure Grouping = "procedure"
	ByKind      Grouping = "kind"
	ByChannel   Grouping = "channel"
	// ByNone gives no rows, only the total.
	ByNone Grouping = "none"
)

// Groupings lists the accepted groupings in the order sheets appear.
var Groupings = []Grouping{ByUnit, ByProcedure, ByKind, ByChannel, ByNone}

// ParseGrouping parses a grouping name; empty means ByUnit.
func ParseGrouping(s string) (Grouping, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ByUnit, nil
	}
	for _, g := range Groupings {
		if string(g) == s {
			return g, nil
		}
	}
	return "", &QueryError{
		Field: "by",
		VI:    fmt.Sprintf("nhóm theo %q không hợp lệ: chọn unit, procedure, kind, channel hoặc none", s),
		EN:    fmt.Sprintf("grouping (by) %q is invalid: choose unit, procedure, kind, channel or none", s),
	}
}

// Query says which period to report on and how to group it.
type Query struct {
	// From and To are inclusive civil dates in the calendar's zone.
	From, To calendar.Date
	By       Grouping
	// Catalog, if given, replays each dossier's legal clock with its own
	// procedure (exact cut-offs on restarts) and names procedure rows.
	// Without it the replay takes the recorded valid start of the first
	// generation and ignores cut-offs on later restarts, which only
	// matters for dossiers whose clock changed after the period's end.
	Catalog *engine.Catalog
	// Directory, if given, names unit rows.
	Directory *engine.Directory
	// Units, when not nil, limits the report to these units (a unit
	// head's): each figure counts, in its row and in the total, only
	// when the unit it is attributed to is one of them; petitions count
	// by their receiving unit. Nil is the whole agency.
	Units []string
	// DislikeAtMost is the criterion score at or below which a rating
	// counts as a dislike in indicator 5.4 (Decision 766); 0 means 1, the
	// lowest score.
	DislikeAtMost int

	// log is where Handler logs internal errors (WithLogger); Compute
	// does not read it.
	log *slog.Logger
}

// QueryError reports a bad report query, in both languages; its code is
// EINVALID (HTTP 422 like every invalid input under /api/v1, exit status
// 2).
type QueryError struct {
	Field string
	VI    string // Vietnamese
	EN    string
}

func (e *QueryError) Error() string { return e.EN }

// ErrorCode implements the application error code interface.
func (e *QueryError) ErrorCode() engine.Code { return engine.EINVALID }

// Message implements engine.Localized.
func (e *QueryError) Message(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.VI
}

// validate checks q before any dossier is read: a bad query is a
// *QueryError naming its field.
func (q Query) validate() error {
	if q.From.Year == 0 || q.To.Year == 0 {
		return &QueryError{Field: "from", VI: "thiếu ngày bắt đầu hoặc ngày kết thúc (YYYY-MM-DD)",
			EN: "from and to dates are required (YYYY-MM-DD)"}
	}
	if q.To.String() < q.From.String() {
		return &QueryError{Field: "to",
			VI: fmt.Sprintf("ngày kết thúc %s trước ngày bắt đầu %s", q.To, q.From),
			EN: fmt.Sprintf("to %s is before from %s", q.To, q.From)}
	}
	if _, err := ParseGrouping(string(q.By)); err != nil {
		return err
	}
	return nil
}
