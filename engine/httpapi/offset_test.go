package httpapi

import (
	"strings"
	"testing"
)

// TestAPIInstantsCarryTheCalendarOffset: every instant the API answers
// reads in the calendar's zone (+07:00), as printed on the receipt, not
// in UTC; the instants themselves are unchanged.
func TestAPIInstantsCarryTheCalendarOffset(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := b.receive("Trần Văn Bảy", "chuyen")
	for _, tc := range []struct {
		rule, path, person string
		want               string
	}{
		{"the public lookup shows the appointment in local time", "/api/v1/lookup/" + d.Code, "", `"due_at":"2026-03-09T09:00:00+07:00"`},
		{"the dossier, its history and ledger are in local time", "/api/v1/dossiers/" + d.Code, receiver, `"received_at":"2026-03-02T09:00:00+07:00"`},
		{"inbox rows are in local time", "/api/v1/inbox", officer, `"due_at":"2026-03-09T09:00:00+07:00"`},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			r := b.call("GET", tc.path, tc.person, nil)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if !strings.Contains(string(r.body), tc.want) || strings.Contains(string(r.body), `:00Z"`) {
				t.Errorf("want %s and no UTC instants in:\n%s", tc.want, r.body)
			}
		})
	}
}
