package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/motcua/motcua/engine"
)

// readyTimeout bounds a readiness check: a store that takes longer to
// take one small write is not ready either.
const readyTimeout = 5 * time.Second

// readiness is what a store offers to prove it can write now
// (sqlitestore.Store.Ready); stores without it are taken as ready when
// /healthz answers.
type readiness interface {
	Ready(ctx context.Context) error
}

// ReadyView is the answer of GET /readyz.
type ReadyView struct {
	Status string `json:"status"`
}

// hardenRoutes registers the API endpoints added beside routesAPI.
func (s *Server) hardenRoutes() {
	s.handle("GET", "/readyz", public, s.apiReady)
}

// apiReady answers 200 when the store takes a write now (and
// Config.ReadyProbe passes), 503 with the reason's code otherwise:
// storage_full on a full disk, so a load balancer stops sending writes
// and the operator sees why, where /healthz (the process answers) stays
// "ok".
func (s *Server) apiReady(w http.ResponseWriter, r *http.Request, _ *engine.Person) error {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	err := s.ready(ctx)
	if err == nil {
		writeJSON(w, http.StatusOK, ReadyView{Status: "ready"})
		return nil
	}
	s.log.Error("not ready", "err", err)
	w.Header().Set("Retry-After", "30")
	writeJSON(w, http.StatusServiceUnavailable, ErrorBody{Error: describe(err)})
	return nil
}

func (s *Server) ready(ctx context.Context) error {
	if rs, ok := s.eng.Store.(readiness); ok {
		if err := rs.Ready(ctx); err != nil {
			return err
		}
	}
	if s.cfg.ReadyProbe != nil {
		return s.cfg.ReadyProbe(ctx)
	}
	return nil
}
