package httpapi

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/engine"
)

// route serves r through the mux, but answers a page the site does not
// have with the 404 page in the site's layout instead of the mux's bare
// text. The API keeps its own JSON 404 under /api/. A catch-all "GET /"
// pattern cannot do this: it conflicts with "/api/", and an unmethoded
// "/" would turn every 405 into a 404.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	_, pattern := s.mux.Handler(r)
	if pattern != "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) || strings.HasPrefix(r.URL.Path, "/api/") || s.web == nil {
		s.mux.ServeHTTP(w, r)
		return
	}
	// No pattern: the mux answers 404, or 405 for a path that exists for
	// other methods; only the 404 becomes the page.
	nf := &notFoundWriter{ResponseWriter: w}
	s.mux.ServeHTTP(nf, r)
	if nf.notFound {
		s.web.page(false, s.web.notFound)(w, r)
	}
}

// notFoundWriter passes a response through unless its status is 404,
// which it swallows so that the 404 page can be written instead.
type notFoundWriter struct {
	http.ResponseWriter
	notFound, wrote bool
}

func (n *notFoundWriter) WriteHeader(status int) {
	if !n.wrote && status == http.StatusNotFound {
		n.notFound = true
	}
	n.wrote = true
	if !n.notFound {
		n.ResponseWriter.WriteHeader(status)
	}
}

func (n *notFoundWriter) Write(b []byte) (int, error) {
	if !n.wrote {
		n.WriteHeader(http.StatusOK)
	}
	if n.notFound {
		return len(b), nil
	}
	return n.ResponseWriter.Write(b)
}

// notFound is the page handler of a page the site does not have.
func (w *web) notFound(q *req) error {
	// No message: the page itself says it, an alert would repeat it.
	return errorf(engine.ENOTFOUND, "", "")
}
