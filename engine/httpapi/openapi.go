package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/motcua/motcua/engine"
)

// openapiJSON is the OpenAPI 3 description of the API; a test checks it
// names every registered route and nothing else.
//
//go:embed openapi.json
var openapiJSON []byte

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, _ *engine.Person) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openapiJSON)
	return err
}
