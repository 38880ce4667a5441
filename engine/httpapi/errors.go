package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// Codes the HTTP layer adds to engine's: problems with the request itself,
// found before anything reaches the engine.
const (
	// EBADREQUEST is a body that is not the JSON the endpoint takes:
	// malformed, unknown fields, trailing data (400).
	EBADREQUEST engine.Code = "bad_request"
	// ETOOLARGE is a body over the size limit (413).
	ETOOLARGE engine.Code = "too_large"
)

// statusOf is the one table from application error codes to HTTP
// statuses. Nothing else in the package chooses an error status.
var statusOf = map[engine.Code]int{
	EBADREQUEST:          http.StatusBadRequest,
	engine.EINVALID:      http.StatusUnprocessableEntity,
	ETOOLARGE:            http.StatusRequestEntityTooLarge,
	engine.EUNAUTHORIZED: http.StatusUnauthorized,
	engine.EFORBIDDEN:    http.StatusForbidden,
	engine.ENOTFOUND:     http.StatusNotFound,
	engine.ECONFLICT:     http.StatusConflict,
	auth.ELIMITED:        http.StatusTooManyRequests,
	engine.ESTORAGEFULL:  http.StatusInsufficientStorage,
	engine.EINTERNAL:     http.StatusInternalServerError,
}

// StatusFor returns the HTTP status of an application error code; 500 for
// codes the table does not know.
func StatusFor(c engine.Code) int {
	if s, ok := statusOf[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// apiError is an error raised by this package with both messages ready.
type apiError struct {
	code   engine.Code
	vi, en string
}

func (e *apiError) Error() string          { return e.en }
func (e *apiError) ErrorCode() engine.Code { return e.code }

func errorf(code engine.Code, vi, en string, a ...any) error {
	return &apiError{code: code, vi: fmt.Sprintf(vi, a...), en: fmt.Sprintf(en, a...)}
}

// ErrorBody is the one JSON shape of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the stable code and the messages of an error.
type ErrorDetail struct {
	Code      engine.Code `json:"code"`
	Message   string      `json:"message"`
	MessageEN string      `json:"message_en"`
	// RetryAfter is set on rate-limited answers (seconds).
	RetryAfter int `json:"retry_after,omitempty"`
}

// describe turns err into its code and a Vietnamese and English message.
// Internal errors are never described: their text may hold paths, SQL or
// personal data, so users get a generic sentence and the log the detail.
func describe(err error) ErrorDetail {
	code := engine.ErrorCode(err)
	d := ErrorDetail{Code: code}
	var (
		ae   *apiError
		ll   *LookupLimitedError
		rl   *auth.RateLimitedError
		ic   *auth.InvalidCredentialsError
		weak *auth.WeakPasswordError
	)
	switch {
	case code == engine.EINTERNAL:
		d.Message, d.MessageEN = "Lỗi hệ thống, vui lòng thử lại sau.", "Internal error, please try again later."
	case errors.As(err, &ae):
		d.Message, d.MessageEN = ae.vi, ae.en
	case engineWords(err, &d):
	case errors.As(err, &ll):
		d.RetryAfter = ll.retrySeconds()
		d.Message = fmt.Sprintf("Tra cứu quá nhiều lần; vui lòng thử lại sau %d giây.", d.RetryAfter)
		d.MessageEN = fmt.Sprintf("Too many lookups; retry in %d seconds.", d.RetryAfter)
	case errors.As(err, &rl):
		secs := int(rl.RetryAfter.Round(time.Second) / time.Second)
		d.RetryAfter = max(secs, 1)
		d.Message = fmt.Sprintf("Đăng nhập sai quá nhiều lần; thử lại sau %d giây.", d.RetryAfter)
		d.MessageEN = fmt.Sprintf("Too many failed sign-ins; retry in %d seconds.", d.RetryAfter)
	case errors.As(err, &ic):
		d.Message, d.MessageEN = "Sai tên đăng nhập hoặc mật khẩu.", "Unknown user or wrong password."
	case errors.As(err, &weak):
		d.Message = fmt.Sprintf("Mật khẩu quá ngắn: cần ít nhất %d ký tự.", weak.Min)
		d.MessageEN = weak.Error() + "."
	default:
		// A coded error from another package: its text is meant for
		// people (e.g. report query errors), in English.
		d.Message, d.MessageEN = genericVI[code], err.Error()
		if d.Message == "" {
			d.Message = err.Error()
		}
	}
	return d
}

var genericVI = map[engine.Code]string{
	engine.EINVALID:      "Dữ liệu không hợp lệ.",
	engine.ENOTFOUND:     "Không tìm thấy.",
	engine.ECONFLICT:     "Xung đột dữ liệu; hãy tải lại.",
	engine.EFORBIDDEN:    "Bạn không có quyền.",
	engine.EUNAUTHORIZED: "Cần đăng nhập.",
	engine.ESTORAGEFULL:  "Bộ nhớ lưu trữ đã đầy: chưa ghi được gì; cần giải phóng dung lượng đĩa.",
}

// engineWords fills d with the core's own words for its typed errors.
func engineWords(err error, d *ErrorDetail) bool {
	vi, en, ok := engine.Describe(err)
	if ok {
		d.Message, d.MessageEN = vi+".", en+"."
	}
	return ok
}

// writeError answers err in the shared JSON shape, logging internal ones.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	d := describe(err)
	status := StatusFor(d.Code)
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if d.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(d.RetryAfter))
	}
	if d.Code == engine.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="motcua"`)
	}
	writeJSON(w, status, ErrorBody{Error: d})
}
