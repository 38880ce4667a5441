// Package httperr answers errors over HTTP in the API's one JSON shape:
//
//	{"error":{"code":"invalid","message":"<vi>","message_en":"<en>"}}
//
// and "field" naming the input at fault when one is.
//
// with the status engine's code table gives the code. The JSON API
// (httpapi) and the reports' handler (report) both write their errors
// here, so that everything under /api/v1 answers an error the same way;
// it lives apart from both because httpapi mounts report.
//
// The words come from engine.Describe; internal errors are logged and
// answered with generic words, never their own text.
package httperr

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/engine"
)

// Body is the one JSON shape of every error answer.
type Body struct {
	Error Detail `json:"error"`
}

// Detail is the stable code and the messages of an error.
type Detail struct {
	Code      engine.Code `json:"code"`
	Message   string      `json:"message"`
	MessageEN string      `json:"message_en"`
	// Field names the input at fault on an invalid-input answer
	// ("applicant.phone"), so that a client can show the message beside
	// it.
	Field string `json:"field,omitempty"`
	// Fields lists every input at fault when the request was checked
	// whole (a reception's form), Field being the first; absent when one
	// input is.
	Fields []FieldDetail `json:"fields,omitempty"`
	// RetryAfter is set on rate-limited answers (seconds).
	RetryAfter int `json:"retry_after,omitempty"`
	// Missing lists the required components a refused reception lacks
	// (engine.IncompleteError), and Guidance where the printable
	// supplement guidance (form 02) for them is.
	Missing  []engine.MissingComponent `json:"missing,omitempty"`
	Guidance string                    `json:"guidance,omitempty"`
}

// FieldDetail is one wrong input of an answer that names several.
type FieldDetail struct {
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// RetryAfter is implemented by errors that tell the client when to try
// again (rate limits); the answer carries it in Retry-After and in the
// body.
type RetryAfter interface {
	RetryAfterSeconds() int
}

// Describe turns err into its code and a Vietnamese and English message.
// Internal errors are never described: their text may hold paths, SQL or
// personal data, so people get the code's generic words and the log the
// detail.
func Describe(err error) Detail {
	code := engine.ErrorCode(err)
	d := Detail{Code: code}
	if code == engine.EINTERNAL {
		d.Message, d.MessageEN = sentence(code.Message("vi")), sentence(code.Message("en"))
		return d
	}
	var ra RetryAfter
	if errors.As(err, &ra) {
		d.RetryAfter = ra.RetryAfterSeconds()
	}
	var bad *engine.InvalidInputError
	if errors.As(err, &bad) {
		d.Field = bad.Field
		if len(bad.More) > 0 {
			for _, f := range bad.Fields() {
				d.Fields = append(d.Fields, FieldDetail{Field: f.Field, Message: sentence(f.Message("vi")), MessageEN: sentence(f.Message("en"))})
			}
		}
	}
	var inc *engine.IncompleteError
	if errors.As(err, &inc) {
		d.Field, d.Missing, d.Guidance = engine.FieldComponents, inc.Missing, inc.Guidance
	}
	if vi, en, ok := engine.Describe(err); ok {
		d.Message, d.MessageEN = sentence(vi), sentence(en)
		return d
	}
	// A coded error without words of its own (a procedure's lint
	// findings, for instance): its text is meant for people, in English;
	// Vietnamese readers get the code's generic words first.
	d.Message, d.MessageEN = sentence(code.Message("vi")), err.Error()
	return d
}

// Status returns the HTTP status of an error with code c, from the one
// table.
func Status(c engine.Code) int { return c.HTTPStatus() }

// Write answers err in the shared JSON shape with its status. Errors
// answered with a 5xx status are logged on log (slog.Default when nil)
// with the request's method and path: the answer never holds their text.
func Write(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	d := Describe(err)
	status := Status(d.Code)
	if status >= 500 {
		if log == nil {
			log = slog.Default()
		}
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	h := w.Header()
	if d.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(d.RetryAfter))
	}
	if d.Code == engine.EUNAUTHORIZED {
		h.Set("WWW-Authenticate", `Bearer realm="motcua"`)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(Body{Error: d})
}

// sentence ends s with a period unless it already ends a sentence: the
// words are written without one, so that the command line can print them
// after a prefix, and the API shows full sentences.
func sentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}
