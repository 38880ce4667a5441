package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/motcua/motcua/engine"
)

// decodeJSON reads exactly one JSON value of the request body into v:
// unknown fields, trailing data, wrong types and bodies over limit bytes
// are refused before anything else happens, so bad input never reaches
// the engine.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errorf(EBADREQUEST, "Nội dung phải là JSON (Content-Type: application/json).",
			"The body must be JSON (Content-Type: application/json).")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return errorf(EBADREQUEST, "Có dữ liệu thừa sau đối tượng JSON.", "Unexpected data after the JSON value.")
		}
		if _, err2 := dec.Token(); err2 != io.EOF {
			return errorf(EBADREQUEST, "Có dữ liệu thừa sau đối tượng JSON.", "Unexpected data after the JSON value.")
		}
		return nil
	}
	var (
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		size *http.MaxBytesError
	)
	switch {
	case errors.As(err, &size):
		return errorf(ETOOLARGE, "Nội dung quá lớn (tối đa %d byte).", "Body too large (at most %d bytes).", size.Limit)
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(EBADREQUEST, "JSON không hợp lệ.", "Malformed JSON.")
	case errors.Is(err, io.EOF):
		return errorf(EBADREQUEST, "Thiếu nội dung JSON.", "Missing JSON body.")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return errorf(engine.EINVALID, "Trường %s sai kiểu: cần %s.", "Field %s has the wrong type: want %s.", field, typ.Type.String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return errorf(EBADREQUEST, "Trường không được hỗ trợ: %s.", "Unknown field %s.", f)
	default:
		// time.Time and other UnmarshalJSON errors: a value of the right
		// JSON type but the wrong shape.
		return errorf(engine.EINVALID, "Giá trị không hợp lệ: %s.", "Invalid value: %s.", err.Error())
	}
}

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
