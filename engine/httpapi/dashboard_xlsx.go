package httpapi

import (
	"bytes"
	"fmt"

	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/engine/report"
)

// dashboardXLSX downloads the dashboard's figures of the chosen period
// as a workbook (issue 11), in the reports' own rendering
// (report.WriteXLSX): a sheet by unit with every figure of the period
// (received, finished, on time, late, in progress and overdue at its
// end, step results), then the petitions. A head's workbook holds his
// units' figures only (report.Query.Units), like his page. It is
// computed when downloaded, never from the page's cache: a file is kept
// and filed, so it carries the figures of the moment it was made.
func (w *web) dashboardXLSX(q *req) error {
	units, all, err := w.dashboardScope(q)
	if err != nil {
		return err
	}
	eng := w.s.eng
	now := w.s.now()
	today := calendar.DateOf(now, eng.Calendar.Location())
	p, err := parsePeriod(q.r.URL.Query(), today)
	if err != nil {
		return err
	}
	rq := report.Query{From: p.From, To: p.To, By: report.ByUnit, Catalog: eng.Catalog, Directory: eng.Directory}
	if !all {
		rq.Units = units
		if rq.Units == nil {
			rq.Units = []string{} // a head of no unit reads nothing, not everything
		}
	}
	rep, err := report.Compute(q.r.Context(), eng, eng.Calendar, rq)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteXLSX(&buf, q.lang, rep); err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tong-hop-%s_%s.xlsx"`, rep.From, rep.To))
	h.Set("Cache-Control", "no-store")
	_, err = q.w.Write(buf.Bytes())
	return err
}
