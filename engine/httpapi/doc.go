// Package httpapi is motcua's HTTP face: the JSON API under /api/v1 (its
// OpenAPI 3 document at /api/v1/openapi.json), the server-rendered web
// pages officers, unit heads and citizens work in, the printable
// documents of the one-stop desk, and Prometheus metrics.
//
// # Requests
//
//	request → route (Go 1.22 patterns) → who is asking (bearer token or
//	session cookie + CSRF) → may their role act (engine/auth) →
//	engine.Engine (reads and writes, with who may read what) → view
//	(JSON or html/template) │ error → describe → one JSON shape
//
// Every handler reads through the engine (Engine.Read, List, Get, Scan),
// never the store, so the read rules and the forms that apply (engine.Forms)
// are decided in the core and this package only renders. The server keeps
// no dossier state, so several processes can serve one MongoDB. Bodies are
// decoded strictly (unknown fields, trailing data and oversized bodies are
// refused) before anything is stored, so bad input changes nothing.
//
// # Errors
//
// Engine's one code table (StatusFor) maps application codes to HTTP
// statuses; every error answers {"error": {"code", "message"
// (Vietnamese), "message_en"}} through engine/httperr, which the mounted
// reports share, with the words from engine.Describe. Internal errors are logged
// and answered with a generic sentence: nobody reads another's data or a
// stack trace in an error.
//
// # Pages
//
// Inbox, dossier (with the due instant's explanation, the control slip
// and the clock ledger), reception with a printable receipt (form 01),
// the process control slip and forms 02–04, the heads' dashboard (counts,
// this month's on-time rate, a 12-month chart, the overdue list),
// procedures with their diagrams, and the public lookup (rate-limited per
// client, since dossier codes are sequential). Vietnamese by default,
// English with ?lang=en. No JavaScript build step: templates, one CSS file
// and print styles.
//
// # Files
//
//	server.go, json.go, errors.go     the server, JSON in and out, the error table
//	api.go, views.go                  the API's handlers; the views they answer with
//	web.go                            page plumbing: templates, sessions, rendering
//	web_signin.go, account.go         signing in and out, one's own password
//	web_inbox.go, web_dossier.go      the inbox and lists; one dossier and its actions
//	web_reception.go, web_lookup.go   reception at the desk; the public lookup
//	web_procedures.go, svg.go         procedures and their diagrams
//	web_docs.go, docs.go              the printed documents; their shapes and helpers
//	dashboard.go, metrics.go          the heads' dashboard; Prometheus metrics
package httpapi
