package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// apiDoc is openapi.json loaded and validated once for every test: the
// document every answer the API tests receive is checked against, so it
// can never drift from the server again (issue 15).
var apiDoc = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openapiJSON)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

// apiRoute finds the documented operation of method and path (the path
// after /api/v1), with its path parameters; nil when none matches.
func apiRoute(doc *openapi3.T, method, path string) (*routers.Route, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for tmpl, item := range doc.Paths.Map() {
		tsegs := strings.Split(strings.Trim(tmpl, "/"), "/")
		if len(tsegs) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for i, ts := range tsegs {
			if strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "}") {
				if segs[i] == "" {
					ok = false
					break
				}
				params[ts[1:len(ts)-1]] = segs[i]
				continue
			}
			if ts != segs[i] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		op := item.GetOperation(method)
		if op == nil {
			return nil, nil
		}
		return &routers.Route{Spec: doc, Path: tmpl, PathItem: item, Method: method, Operation: op}, params
	}
	return nil, nil
}

// checkAgainstDoc validates one answer of the API against openapi.json: its
// status must be declared for the operation, a JSON body must have a
// declared schema, and the body must match it; a request answered 2xx
// (sent is its body) must be one the document allows. Paths the document does
// not know (unknown routes answering 404) are not checked here;
// TestOpenAPIDescribesEveryRoute holds the routes and the document
// together.
func checkAgainstDoc(t testing.TB, req *http.Request, sent []byte, status int, header http.Header, body []byte) {
	t.Helper()
	path, ok := strings.CutPrefix(req.URL.Path, "/api/v1")
	if !ok {
		return
	}
	doc, err := apiDoc()
	if err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	route, params := apiRoute(doc, req.Method, path)
	if route == nil {
		return
	}
	if status/100 == 2 {
		// A request the server accepted must be one the document allows,
		// or a client generated from it could not send it.
		r := req.Clone(context.Background())
		r.Body = io.NopCloser(bytes.NewReader(sent))
		rin := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
		if err := openapi3filter.ValidateRequest(context.Background(), rin); err != nil {
			t.Errorf("%s %s was accepted (%d), but openapi.json does not allow the request: %v", req.Method, req.URL.Path, status, err)
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s answered %d, which openapi.json does not describe: %v\nbody: %.400s", req.Method, req.URL.Path, status, err, body)
		return
	}
	if strings.HasPrefix(header.Get("Content-Type"), "application/json") && len(body) > 0 {
		rr := route.Operation.Responses.Status(status)
		if rr == nil || rr.Value == nil || rr.Value.Content.Get("application/json") == nil || rr.Value.Content.Get("application/json").Schema == nil {
			t.Errorf("%s %s answered %d with JSON, but openapi.json declares no schema for it", req.Method, route.Path, status)
		}
	}
}

// TestOpenAPIDocument: the document is valid OpenAPI, and every operation
// has an operationId (client generators name methods by it), declares a
// schema for every JSON answer, and at least one 4xx.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	doc, err := apiDoc()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %s", where, other, op.OperationID)
			}
			ids[op.OperationID] = where
			has4xx := false
			for code, rr := range op.Responses.Map() {
				has4xx = has4xx || strings.HasPrefix(code, "4")
				if rr.Value == nil {
					continue
				}
				for mt, c := range rr.Value.Content {
					if strings.HasPrefix(mt, "application/json") && c.Schema == nil {
						t.Errorf("%s answers %s with JSON but no schema", where, code)
					}
				}
				if strings.HasPrefix(code, "2") && len(rr.Value.Content) == 0 {
					t.Errorf("%s declares no content for its %s answer", where, code)
				}
			}
			if !has4xx {
				t.Errorf("%s declares no 4xx answer", where)
			}
		}
	}
}

// TestReceptionInstantsCarryTheCalendarsOffset: the reception's due_at
// and appointment_at are written in the calendar's zone (+07:00), as the
// dossier beside them, not in UTC.
func TestReceptionInstantsCarryTheCalendarsOffset(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.call("POST", "/api/v1/dossiers", receiver, receiveBody("Múi giờ"))
	var raw map[string]any
	r.json(t, &raw)
	for _, k := range []string{"due_at", "appointment_at"} {
		v, ok := raw[k].(string)
		if !ok {
			continue
		}
		if !strings.HasSuffix(v, "+07:00") {
			t.Errorf("%s = %q, want the +07:00 offset", k, v)
		}
	}
	if _, ok := raw["due_at"].(string); !ok {
		t.Fatalf("no due_at in %s", r.body)
	}
}
