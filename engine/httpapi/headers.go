package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// hstsMaxAge is a year: the usual value for a site served only over
// HTTPS, long enough that a visitor's browser never tries plain HTTP
// between two visits.
const hstsMaxAge = "max-age=31536000"

// secureHeaders sets the headers every answer carries, pages, API and
// static files alike: no MIME sniffing (a JSON answer or an uploaded
// text is never run as a script), no framing, and HSTS when the public
// address is https (a proxy terminates TLS, so r.TLS cannot tell).
func (s *Server) secureHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	if strings.HasPrefix(strings.ToLower(s.cfg.BaseURL), "https://") {
		h.Set("Strict-Transport-Security", hstsMaxAge)
	}
}

// listsDirectory reports whether r asks the static file server for a
// folder, which http.FileServer would answer with a listing of the
// files: the static folder is served, never shown.
func listsDirectory(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/static/") && strings.HasSuffix(r.URL.Path, "/")
}

// localPath reports whether next is a path on this site, safe to
// redirect to after sign-in: it starts with one slash, has no scheme or
// host, and no backslash or control character, which browsers strip or
// turn into a slash ("/\t/evil.example" becomes "//evil.example").
func localPath(next string) bool {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return false
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return false
	}
	// A percent-encoded slash or backslash decodes in some browsers
	// before the path is resolved: refuse it at the start.
	low := strings.ToLower(next)
	return !strings.HasPrefix(low, "/%2f") && !strings.HasPrefix(low, "/%5c")
}
