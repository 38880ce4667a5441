package engine

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Bounds on what one history row may carry. A dossier is one document,
// and MongoDB refuses a document past 16 MB: with these caps a row stays
// under about 17 KB, so MaxHistoryRows rows stay under 16 MB with room
// for the ledger, the alarms and the outbox. They are far beyond what a
// form asks (a few short notes), so only a runaway client meets them.
const (
	MaxInputKeys       = 32       // keys in one row's inputs
	MaxInputKeyBytes   = 64       // bytes of one key
	MaxInputValueBytes = 8 << 10  // bytes of one value
	MaxInputBytes      = 16 << 10 // bytes of one row's keys and values together
	MaxHistoryRows     = 800      // rows of one dossier; see HistoryFullError
)

// CheckInputs refuses inputs a store could not keep as given: keys that
// MongoDB would read as an operator or a path ($-prefixed, dotted), NUL
// anywhere (a C string ends there), text that is not UTF-8, and sizes
// past the caps above. The error is an *InvalidInputError naming the key.
// Both stores get the same rule, so that a dossier moves between them.
func CheckInputs(in map[string]string) error {
	if len(in) > MaxInputKeys {
		return &InvalidInputError{Field: "inputs", Reason: fmt.Sprintf("%d keys, at most %d", len(in), MaxInputKeys)}
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first bad key in a stable order
	total := 0
	for _, k := range keys {
		v := in[k]
		field := "inputs." + k
		switch {
		case k == "":
			return &InvalidInputError{Field: "inputs", Reason: "an empty key"}
		case strings.HasPrefix(k, "$"):
			return &InvalidInputError{Field: fmt.Sprintf("inputs[%q]", k), Reason: "a key must not start with $"}
		case strings.Contains(k, "."):
			return &InvalidInputError{Field: fmt.Sprintf("inputs[%q]", k), Reason: "a key must not contain a dot"}
		case strings.ContainsRune(k, 0):
			return &InvalidInputError{Field: fmt.Sprintf("inputs[%q]", k), Reason: "a key must not contain NUL"}
		case !utf8.ValidString(k):
			return &InvalidInputError{Field: fmt.Sprintf("inputs[%q]", k), Reason: "a key must be UTF-8"}
		case len(k) > MaxInputKeyBytes:
			return &InvalidInputError{Field: fmt.Sprintf("inputs[%q]", k), Reason: fmt.Sprintf("a key of %d bytes, at most %d", len(k), MaxInputKeyBytes)}
		case strings.ContainsRune(v, 0):
			return &InvalidInputError{Field: field, Reason: "a value must not contain NUL"}
		case !utf8.ValidString(v):
			return &InvalidInputError{Field: field, Reason: "a value must be UTF-8"}
		case len(v) > MaxInputValueBytes:
			return &InvalidInputError{Field: field, Reason: fmt.Sprintf("%d bytes, at most %d", len(v), MaxInputValueBytes)}
		}
		total += len(k) + len(v)
	}
	if total > MaxInputBytes {
		return &InvalidInputError{Field: "inputs", Reason: fmt.Sprintf("%d bytes in all, at most %d", total, MaxInputBytes)}
	}
	return nil
}

// HistoryFullError refuses an action that would leave a dossier with no
// room for the action that finishes it: the last row of MaxHistoryRows is
// kept for a move into a final state, so that a very long-lived dossier
// can always be closed (and a new one opened for what remains) rather
// than grow until its store refuses every write.
type HistoryFullError struct {
	Code string
	Rows int
}

func (e *HistoryFullError) Error() string {
	return fmt.Sprintf("dossier %s has %d history rows, the most it may hold; only an action that finishes it is allowed", e.Code, e.Rows)
}

// ErrorCode is ECONFLICT: the dossier's state, not the request, refuses it.
func (e *HistoryFullError) ErrorCode() Code { return ECONFLICT }

// Message implements Localized.
func (e *HistoryFullError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("Dossier %s has reached %d actions, the most one dossier may hold: finish it (and receive a new dossier for what remains)", e.Code, e.Rows)
	}
	return fmt.Sprintf("Hồ sơ %s đã có %d thao tác, mức tối đa của một hồ sơ: hãy kết thúc hồ sơ (và tiếp nhận hồ sơ mới cho phần còn lại)", e.Code, e.Rows)
}
