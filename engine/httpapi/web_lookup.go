package httpapi

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/engine"
)

type lookupPage struct {
	Code     string
	Factor   string
	Found    *LookupView
	NotFound bool
}

func (w *web) lookup(q *req) error {
	code := strings.TrimSpace(q.r.URL.Query().Get("code"))
	factor := strings.TrimSpace(q.r.URL.Query().Get(FactorParam))
	lp := lookupPage{Code: code, Factor: factor}
	status := http.StatusOK
	if code != "" {
		// Only a search counts against the limit: the empty form is free.
		if err := w.s.limitLookup(q.w, q.r); err != nil {
			return err
		}
		v, err := w.s.lookup(q.r, code, factor)
		switch {
		case err == nil:
			lp.Found = &v
		case engine.ErrorCode(err) == engine.ENOTFOUND || engine.ErrorCode(err) == engine.EINVALID:
			lp.NotFound, status = true, StatusFor(engine.ErrorCode(err))
		default:
			return err
		}
	}
	return w.render(q, status, "lookup", w.data(q, tr("lookup", q.lang), "lookup", lp))
}
