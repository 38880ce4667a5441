package engine

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckInputs names the rule each refusal or acceptance checks.
func TestCheckInputs(t *testing.T) {
	t.Parallel()
	many := map[string]string{}
	for i := range MaxInputKeys + 1 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	big := map[string]string{}
	for i := range 3 {
		big[strings.Repeat("k", i+1)] = strings.Repeat("v", MaxInputValueBytes)
	}
	cases := []struct {
		rule  string
		in    map[string]string
		field string // the refused field; "" when accepted
	}{
		{"none is fine", nil, ""},
		{"Vietnamese keys and values are fine", map[string]string{"lý_do": "Thiếu giấy khai sinh", "ghi-chú": "a$b.c"}, ""},
		{"a key starting with $ is refused", map[string]string{"$gt": ""}, `inputs["$gt"]`},
		{"a $ inside a key is fine (only a leading one is an operator)", map[string]string{"a$": "x"}, ""},
		{"a dotted key is refused", map[string]string{"a.b": "x"}, `inputs["a.b"]`},
		{"a NUL in a key is refused", map[string]string{"a\x00": "x"}, `inputs["a\x00"]`},
		{"a NUL in a value is refused", map[string]string{"a": "x\x00"}, "inputs.a"},
		{"a key that is not UTF-8 is refused", map[string]string{"\xff": "x"}, `inputs["\xff"]`},
		{"an empty key is refused", map[string]string{"": "x"}, "inputs"},
		{"a key past MaxInputKeyBytes is refused", map[string]string{strings.Repeat("k", MaxInputKeyBytes+1): "x"}, `inputs["` + strings.Repeat("k", MaxInputKeyBytes+1) + `"]`},
		{"a value of exactly MaxInputValueBytes is fine", map[string]string{"a": strings.Repeat("v", MaxInputValueBytes)}, ""},
		{"more than MaxInputKeys keys are refused", many, "inputs"},
		{"more than MaxInputBytes in all is refused", big, "inputs"},
	}
	for _, c := range cases {
		err := CheckInputs(c.in)
		var inv *InvalidInputError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: refused: %v", c.rule, err)
		case c.field != "" && !errors.As(err, &inv):
			t.Errorf("%s: got %v, want *InvalidInputError", c.rule, err)
		case c.field != "" && inv.Field != c.field:
			t.Errorf("%s: field %q, want %q", c.rule, inv.Field, c.field)
		}
	}
}

// TestCapsKeepADossierUnder16MB: a dossier of MaxHistoryRows rows, each
// carrying the most inputs a row may, stays under MongoDB's document
// limit with room to spare (the ledger, alarms and outbox besides).
func TestCapsKeepADossierUnder16MB(t *testing.T) {
	t.Parallel()
	// Per row: the inputs at their cap plus the fixed fields, generously
	// (action, actor, states, units, instants, key: well under 1 KB).
	const perRow = MaxInputBytes + MaxInputKeys*8 + 1024
	if total := MaxHistoryRows * perRow; total > 14<<20 {
		t.Errorf("%d rows of up to %d bytes: %d bytes, want at most 14 MB of 16", MaxHistoryRows, perRow, total)
	}
}
