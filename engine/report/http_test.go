package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/httperr"
	"github.com/motcua/motcua/engine/report"
)

// brokenSource fails every scan with a text that must stay in the logs.
type brokenSource struct{}

func (brokenSource) Scan(context.Context, engine.Query, func(*engine.Dossier) error) error {
	return errors.New("open /var/lib/motcua/secret.db: disk on fire")
}

// TestHandlerErrorsSpeakTheAPIsShape: the reports answer errors through
// the same writer, table and words as the rest of /api/v1.
func TestHandlerErrorsSpeakTheAPIsShape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule     string
		src      report.Source
		method   string
		query    string
		status   int
		code     engine.Code
		logged   bool
		header   string // a header the answer must carry
		contains string // in message_en
	}{
		{"a bad parameter is invalid input (422)", newMemStore(), http.MethodGet, "to=2026-03-31", 422, engine.EINVALID, false, "", "from is required"},
		{"a store failure is internal: logged, generic words, no detail", brokenSource{}, http.MethodGet, "from=2026-03-01&to=2026-03-31", 500, engine.EINTERNAL, true, "", "Internal error"},
		{"another method is refused with Allow", newMemStore(), http.MethodPost, "", 405, engine.EMETHOD, false, "Allow", "only GET"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			h := report.Handler(tc.src, calendar.VN(), report.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, "/api/v1/reports/on-time?"+tc.query, nil))
			var b httperr.Body
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if rec.Code != tc.status || b.Error.Code != tc.code || b.Error.Message == "" || !strings.Contains(b.Error.MessageEN, tc.contains) {
				t.Errorf("got %d %+v; want %d %s mentioning %q", rec.Code, b.Error, tc.status, tc.code, tc.contains)
			}
			if got := rec.Header().Get("Content-Type"); got != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Error("an error answer about a report is not cached")
			}
			if tc.header != "" && rec.Header().Get(tc.header) == "" {
				t.Errorf("missing header %s", tc.header)
			}
			if strings.Contains(rec.Body.String(), "secret") {
				t.Errorf("the answer leaks the cause: %s", rec.Body)
			}
			if got := strings.Contains(logs.String(), "disk on fire"); got != tc.logged {
				t.Errorf("cause logged = %v, want %v (log %q)", got, tc.logged, logs.String())
			}
		})
	}
}
