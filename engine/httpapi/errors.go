package httpapi

import (
	"fmt"
	"net/http"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/httperr"
)

// Codes the HTTP layer raises: problems with the request itself, found
// before anything reaches the engine. They are defined in engine, beside
// the others, so that the one code table holds them; these names stay for
// the package's callers.
const (
	// EBADREQUEST is a body that is not the JSON the endpoint takes:
	// malformed, unknown fields, trailing data (400).
	EBADREQUEST = engine.EBADREQUEST
	// ETOOLARGE is a body over the size limit (413).
	ETOOLARGE = engine.ETOOLARGE
)

// StatusFor returns the HTTP status of an application error code from
// engine's one table; 500 for codes the table does not know. Nothing in
// the package chooses an error status otherwise.
func StatusFor(c engine.Code) int { return httperr.Status(c) }

// apiError is an error raised by this package with both messages ready.
type apiError struct {
	code   engine.Code
	vi, en string
}

func (e *apiError) Error() string          { return e.en }
func (e *apiError) ErrorCode() engine.Code { return e.code }

// Message implements engine.Localized: the words were written at the call
// site, in both languages.
func (e *apiError) Message(lang string) string {
	if lang == "en" {
		return e.en
	}
	return e.vi
}

func errorf(code engine.Code, vi, en string, a ...any) error {
	return &apiError{code: code, vi: fmt.Sprintf(vi, a...), en: fmt.Sprintf(en, a...)}
}

// ErrorBody is the one JSON shape of every error answer (httperr.Body).
type ErrorBody = httperr.Body

// ErrorDetail is the stable code and the messages of an error
// (httperr.Detail).
type ErrorDetail = httperr.Detail

// describe turns err into its code and a Vietnamese and English message,
// as httperr does for every answer under /api/v1; the pages show the
// same words.
func describe(err error) ErrorDetail { return httperr.Describe(err) }

// writeError answers err in the shared JSON shape, logging internal ones.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	httperr.Write(w, r, s.log, err)
}
