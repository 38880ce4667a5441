// Package httpapi is motcua's HTTP face: the JSON API under /api/v1 (its
// OpenAPI 3 document at /api/v1/openapi.json), the server-rendered web
// pages officers, unit heads and citizens work in, the printable
// documents of the one-stop desk, and Prometheus metrics.
//
// # Requests
//
//	request → route (Go 1.22 patterns) → who is asking (bearer token or
//	session cookie + CSRF) → may they (engine/auth rights) → engine.Engine
//	→ view (JSON or html/template) │ error → describe → one JSON shape
//
// Every handler reads the store through the engine; the server keeps no
// dossier state, so several processes can serve one MongoDB. Bodies are
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
package httpapi
