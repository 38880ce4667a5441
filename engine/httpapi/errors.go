package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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
		nf   *engine.NotFoundError
		ua   *engine.UnknownActionError
		na   *engine.NotAllowedError
		fb   *engine.ForbiddenError
		mi   *engine.MissingInputError
		ii   *engine.InvalidInputError
		lr   *engine.LimitReachedError
		fe   *engine.FinishedError
		ce   *engine.ConflictError
		de   *engine.DuplicateError
		rl   *auth.RateLimitedError
		ic   *auth.InvalidCredentialsError
		weak *auth.WeakPasswordError
	)
	switch {
	case code == engine.EINTERNAL:
		d.Message, d.MessageEN = "Lỗi hệ thống, vui lòng thử lại sau.", "Internal error, please try again later."
	case errors.As(err, &ae):
		d.Message, d.MessageEN = ae.vi, ae.en
	case errors.As(err, &nf):
		d.Message = fmt.Sprintf("Không tìm thấy %s %q.", whatVI(nf.What), nf.ID)
		d.MessageEN = fmt.Sprintf("%s %q not found.", nf.What, nf.ID)
	case errors.As(err, &ua):
		d.Message = fmt.Sprintf("Thủ tục %s không có thao tác %q.", ua.Procedure, ua.Action)
		d.MessageEN = fmt.Sprintf("Procedure %s has no action %q.", ua.Procedure, ua.Action)
	case errors.As(err, &na):
		d.Message = fmt.Sprintf("Không thể thực hiện %q khi hồ sơ ở bước %q.", na.Action, na.State)
		d.MessageEN = fmt.Sprintf("Action %q is not allowed in state %q.", na.Action, na.State)
	case errors.As(err, &fb):
		if fb.Reason != "" {
			d.Message = "Bạn không có quyền thực hiện thao tác này."
			d.MessageEN = "You may not do this: " + fb.Reason + "."
		} else {
			d.Message = fmt.Sprintf("Chỉ cán bộ thuộc đơn vị %s được thực hiện.", strings.Join(fb.Units, ", "))
			d.MessageEN = fmt.Sprintf("Only members of %s may do this.", strings.Join(fb.Units, ", "))
		}
	case errors.As(err, &mi):
		d.Message = fmt.Sprintf("Thao tác %q cần nhập: %s.", mi.Action, strings.Join(mi.Inputs, ", "))
		d.MessageEN = fmt.Sprintf("Action %q requires: %s.", mi.Action, strings.Join(mi.Inputs, ", "))
	case errors.As(err, &ii):
		d.Message = fmt.Sprintf("Giá trị %s không hợp lệ: %s.", ii.Field, ii.Reason)
		d.MessageEN = fmt.Sprintf("Invalid %s: %s.", ii.Field, ii.Reason)
	case errors.As(err, &lr):
		d.Message = fmt.Sprintf("Thao tác %q chỉ được dùng tối đa %d lần cho mỗi hồ sơ.", lr.Action, lr.Max)
		d.MessageEN = fmt.Sprintf("Action %q may be used at most %d time(s) per dossier.", lr.Action, lr.Max)
	case errors.As(err, &fe):
		d.Message = fmt.Sprintf("Hồ sơ %s đã kết thúc.", fe.Code)
		d.MessageEN = fmt.Sprintf("Dossier %s is finished.", fe.Code)
	case errors.As(err, &ce):
		d.Message = fmt.Sprintf("Hồ sơ %s đã thay đổi sau phiên bản %d; hãy tải lại.", ce.Code, ce.Version)
		d.MessageEN = fmt.Sprintf("Dossier %s changed since version %d; reload it.", ce.Code, ce.Version)
	case errors.As(err, &de):
		d.Message, d.MessageEN = "Hồ sơ hoặc khoá chống lặp đã tồn tại.", de.Error()+"."
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
}

func whatVI(what string) string {
	switch what {
	case "procedure":
		return "thủ tục"
	case "dossier":
		return "hồ sơ"
	case "person":
		return "cán bộ"
	case "unit":
		return "đơn vị"
	case "action":
		return "thao tác"
	case "year":
		return "năm"
	}
	return what
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
