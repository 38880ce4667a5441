package report

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/httperr"
)

// Option configures Handler and MonthlyRates.
type Option func(*Query)

// WithCatalog lets the report replay clocks with each dossier's own
// procedure and name procedure rows (see Query.Catalog).
func WithCatalog(c *engine.Catalog) Option { return func(q *Query) { q.Catalog = c } }

// WithDirectory names unit rows (see Query.Directory).
func WithDirectory(d *engine.Directory) Option { return func(q *Query) { q.Directory = d } }

// WithLogger is where the report handler logs the internal errors it
// answers with a 500 (slog.Default without it): the answer never holds
// their text.
func WithLogger(l *slog.Logger) Option { return func(q *Query) { q.log = l } }

// Handler serves GET /api/v1/reports/on-time?from=YYYY-MM-DD&to=YYYY-MM-DD
// &by=unit|procedure|kind|channel|none[&format=json|csv|xlsx][&lang=vi|en].
// Without format, the Accept header chooses (text/csv, the XLSX media
// type, otherwise JSON). Errors answer in the API's one shape and status
// (httperr): bad parameters get 422 with
// {"error":{"code":"invalid","message":"<vi>","message_en":"<en>"}}.
// It does no authentication: the server mounts it behind its own.
func Handler(src Source, cal *calendar.Calendar, opts ...Option) http.Handler {
	var base Query
	for _, o := range opts {
		o(&base)
	}
	fail := func(w http.ResponseWriter, r *http.Request, err error) {
		w.Header().Set("Cache-Control", "no-store")
		httperr.Write(w, r, base.log, err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			fail(w, r, errMethod)
			return
		}
		q, format, lang, err := parseRequest(r, base)
		if err != nil {
			fail(w, r, err)
			return
		}
		if units, scoped := ScopeFrom(r.Context()); scoped {
			q.Units = append([]string{}, units...)
		}
		rep, err := Compute(r.Context(), src, cal, q)
		if err != nil {
			fail(w, r, fmt.Errorf("compute report: %w", err))
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, rep, format, lang); err != nil {
			fail(w, r, fmt.Errorf("render report: %w", err))
			return
		}
		h := w.Header()
		switch format {
		case FormatCSV:
			h.Set("Content-Type", ContentTypeCSV)
			h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, FileName(rep, FormatCSV)))
		case FormatXLSX:
			h.Set("Content-Type", ContentTypeXLSX)
			h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, FileName(rep, FormatXLSX)))
		default:
			h.Set("Content-Type", ContentTypeJSON)
		}
		h.Set("Cache-Control", "no-store")
		h.Set("Vary", "Accept")
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(buf.Bytes())
		}
	})
}

type scopeKey struct{}

// WithScope returns ctx limiting the reports Handler serves to units (a
// unit head's; see Query.Units): the server that mounts the handler, and
// knows who asks, sets it. A context without it reports the whole agency.
func WithScope(ctx context.Context, units []string) context.Context {
	return context.WithValue(ctx, scopeKey{}, append([]string{}, units...))
}

// ScopeFrom returns the units ctx limits reports to, and whether it does.
func ScopeFrom(ctx context.Context) ([]string, bool) {
	u, ok := ctx.Value(scopeKey{}).([]string)
	return u, ok
}

// FileName is the suggested file name of r in format f, e.g.
// bao-cao-2026-01-01_2026-03-31-unit.xlsx.
func FileName(r *Report, f Format) string {
	return fmt.Sprintf("bao-cao-%s_%s-%s.%s", r.From, r.To, r.By, f)
}

func parseRequest(r *http.Request, base Query) (Query, Format, string, error) {
	v := r.URL.Query()
	q := base
	var err error
	if q.From, err = parseDate(v.Get("from"), "from", "ngày bắt đầu"); err != nil {
		return q, "", "", err
	}
	if q.To, err = parseDate(v.Get("to"), "to", "ngày kết thúc"); err != nil {
		return q, "", "", err
	}
	if q.By, err = ParseGrouping(v.Get("by")); err != nil {
		return q, "", "", err
	}
	lang := v.Get("lang")
	switch lang {
	case "", "vi":
		lang = "vi"
	case "en":
	default:
		return q, "", "", &QueryError{Field: "lang",
			VI: fmt.Sprintf("ngôn ngữ %q không hợp lệ: chọn vi hoặc en", lang),
			EN: fmt.Sprintf("language %q is invalid: choose vi or en", lang)}
	}
	format := Format("")
	if s := v.Get("format"); s != "" {
		if format, err = ParseFormat(s); err != nil {
			return q, "", "", err
		}
		if format == FormatTable {
			return q, "", "", &QueryError{Field: "format",
				VI: "định dạng table chỉ dùng ở dòng lệnh: chọn json, csv hoặc xlsx",
				EN: "the table format is for the command line: choose json, csv or xlsx"}
		}
	} else {
		format = negotiate(r.Header.Get("Accept"))
	}
	return q, format, lang, nil
}

// negotiate picks a format from an Accept header; JSON unless CSV or
// XLSX is asked for by name.
func negotiate(accept string) Format {
	for _, part := range strings.Split(accept, ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch mt {
		case "text/csv":
			return FormatCSV
		case ContentTypeXLSX:
			return FormatXLSX
		case "application/json":
			return FormatJSON
		}
	}
	return FormatJSON
}

func parseDate(s, field, vi string) (calendar.Date, error) {
	if strings.TrimSpace(s) == "" {
		return calendar.Date{}, &QueryError{Field: field,
			VI: fmt.Sprintf("thiếu %s (%s=YYYY-MM-DD)", vi, field),
			EN: fmt.Sprintf("%s is required (YYYY-MM-DD)", field)}
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}, &QueryError{Field: field,
			VI: fmt.Sprintf("%s %q không hợp lệ: cần dạng YYYY-MM-DD", vi, s),
			EN: fmt.Sprintf("%s %q is invalid: want YYYY-MM-DD", field, s)}
	}
	return d, nil
}

// ParseDate parses a report date for field ("from" or "to") with a
// bilingual *QueryError, for callers outside HTTP (the CLI).
func ParseDate(s, field string) (calendar.Date, error) {
	vi := map[string]string{"from": "ngày bắt đầu", "to": "ngày kết thúc"}[field]
	if vi == "" {
		vi = field
	}
	return parseDate(s, field, vi)
}

// methodError refuses a method the reports do not serve.
type methodError struct{}

func (methodError) Error() string          { return "only GET is supported" }
func (methodError) ErrorCode() engine.Code { return engine.EMETHOD }

// Message implements engine.Localized.
func (e methodError) Message(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	return "chỉ hỗ trợ phương thức GET"
}

var errMethod error = methodError{}
