package httperr_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
	"github.com/motcua/motcua/engine/httpapi"
	"github.com/motcua/motcua/engine/httperr"
	"github.com/motcua/motcua/engine/report"
	"github.com/motcua/motcua/engine/sqlitestore"
)

// TestErrorsPeopleCauseSpeakBothLanguages: every error type a person can
// cause, from every package, reaches the API with its own words in
// Vietnamese and in English (not the code's generic ones), full sentences,
// and the status of its code.
func TestErrorsPeopleCauseSpeakBothLanguages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule   string
		err    error
		status int
	}{
		{"an unknown dossier", &engine.NotFoundError{What: "dossier", ID: "X-1"}, 404},
		{"an unknown action", &engine.UnknownActionError{Procedure: "1.001193", Action: "bay"}, 422},
		{"an act from the wrong state", &engine.NotAllowedError{Action: "ky", State: "tiep-nhan"}, 409},
		{"an officer of another unit", &engine.ForbiddenError{Person: "ha", Units: []string{"mot-cua"}}, 403},
		{"a missing input", &engine.MissingInputError{Action: "tu-choi", Inputs: []string{"reason"}}, 422},
		{"a bad value", &engine.InvalidInputError{Field: "q", Reason: "too long"}, 422},
		{"an extension past its maximum", &engine.LimitReachedError{Action: "gia-han", Max: 2}, 409},
		{"an act on a finished dossier", &engine.FinishedError{Code: "X-1", State: "xong"}, 409},
		{"a stale version", &engine.ConflictError{Code: "X-1", Version: 3}, 409},
		{"a duplicate dossier", &engine.DuplicateError{Code: "X-1"}, 409},
		{"an edited published procedure", &engine.ProcedureChangedError{Code: "1.001193", Version: 1}, 409},
		{"a failed sign-in", &auth.InvalidCredentialsError{}, 401},
		{"too many failed sign-ins", &auth.RateLimitedError{RetryAfter: 90 * time.Second}, 429},
		{"a short password", &auth.WeakPasswordError{Min: 8}, 422},
		{"too many public lookups", &httpapi.LookupLimitedError{RetryAfter: 1500 * time.Millisecond}, 429},
		{"a bad report query", &report.QueryError{Field: "by", VI: "nhóm theo không hợp lệ", EN: "grouping is invalid"}, 422},
		{"a data folder in use", &sqlitestore.LockedError{Dir: "/srv/motcua"}, 422},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			d := httperr.Describe(fmt.Errorf("context: %w", tc.err))
			if httperr.Status(d.Code) != tc.status {
				t.Errorf("status %d, want %d", httperr.Status(d.Code), tc.status)
			}
			if d.Message == "" || d.MessageEN == "" || d.Message == d.MessageEN {
				t.Errorf("words vi %q, en %q: want both, different", d.Message, d.MessageEN)
			}
			if d.Message == d.Code.Message("vi")+"." || strings.Contains(d.Message+d.MessageEN, "%!") {
				t.Errorf("generic or broken words: %q / %q", d.Message, d.MessageEN)
			}
			if !strings.HasSuffix(d.Message, ".") || !strings.HasSuffix(d.MessageEN, ".") {
				t.Errorf("the API answers full sentences: %q / %q", d.Message, d.MessageEN)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule       string
		err        error
		vi, en     string
		retryAfter int
	}{
		{"an internal error gets generic words, never its text", fmt.Errorf("open /secret/path: %w", errors.New("disk on fire")),
			"Lỗi hệ thống, vui lòng thử lại sau.", "Internal error, please try again later.", 0},
		{"the core's words end with one period", &engine.ConflictError{Code: "X-1", Version: 3},
			"Hồ sơ X-1 đã thay đổi sau phiên bản 3; hãy tải lại.", "Dossier X-1 changed since version 3; reload it.", 0},
		{"a coded error without words: generic Vietnamese, its own English", coded{},
			"Dữ liệu không hợp lệ.", "x.yaml:3:1: unknown key", 0},
		{"a sign-in limit gives whole seconds in words and field", &auth.RateLimitedError{RetryAfter: 90 * time.Second},
			"Đăng nhập sai quá nhiều lần; thử lại sau 90 giây.", "Too many failed sign-ins; retry in 90 seconds.", 90},
		{"a lookup limit rounds up to whole seconds", &httpapi.LookupLimitedError{RetryAfter: 1500 * time.Millisecond},
			"Tra cứu quá nhiều lần; vui lòng thử lại sau 2 giây.", "Too many lookups; retry in 2 seconds.", 2},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			d := httperr.Describe(tc.err)
			if d.Message != tc.vi || d.MessageEN != tc.en || d.RetryAfter != tc.retryAfter {
				t.Errorf("got %q, %q, retry %d; want %q, %q, retry %d", d.Message, d.MessageEN, d.RetryAfter, tc.vi, tc.en, tc.retryAfter)
			}
		})
	}
}

// coded is a coded error with no words of its own, like a lint finding.
type coded struct{}

func (coded) Error() string          { return "x.yaml:3:1: unknown key" }
func (coded) ErrorCode() engine.Code { return engine.EINVALID }

func TestWrite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule    string
		err     error
		status  int
		headers map[string]string
		logged  bool
	}{
		{"an internal error is 500 and logged", errors.New("disk on fire"), 500, nil, true},
		{"not signed in asks for a bearer token", &auth.InvalidCredentialsError{}, 401, map[string]string{"WWW-Authenticate": `Bearer realm="motcua"`}, false},
		{"a rate limit says when to retry", &auth.RateLimitedError{RetryAfter: 3 * time.Second}, 429, map[string]string{"Retry-After": "3"}, false},
		{"bad input is neither logged nor retried", &engine.InvalidInputError{Field: "q", Reason: "too long"}, 422, map[string]string{"Retry-After": ""}, false},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			rec := httptest.NewRecorder()
			httperr.Write(rec, httptest.NewRequest("GET", "/api/v1/x", nil), slog.New(slog.NewTextHandler(&logs, nil)), tc.err)
			var b httperr.Body
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || rec.Code != tc.status || b.Error.Code != engine.ErrorCode(tc.err) {
				t.Errorf("got %d %s (%v), want %d", rec.Code, rec.Body, err, tc.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for k, v := range tc.headers {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if got := strings.Contains(logs.String(), tc.err.Error()); got != tc.logged {
				t.Errorf("logged = %v, want %v: %q", got, tc.logged, logs.String())
			}
		})
	}
}

// TestFieldNamed checks that an invalid-input answer names its field, so
// that a client can show the message beside the input, and that other
// answers name none.
func TestFieldNamed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule  string
		err   error
		field string
	}{
		{"a bad value names its field, even wrapped", fmt.Errorf("receive: %w", &engine.InvalidInputError{Field: "applicant.phone", Reason: "x"}), "applicant.phone"},
		{"a missing dossier names no field", &engine.NotFoundError{What: "dossier", ID: "X-1"}, ""},
	} {
		if got := httperr.Describe(tc.err).Field; got != tc.field {
			t.Errorf("%s: field %q, want %q", tc.rule, got, tc.field)
		}
	}
}
