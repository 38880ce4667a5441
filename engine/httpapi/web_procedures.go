package httpapi

import (
	"html/template"
	"net/http"
)

func (w *web) procedures(q *req) error {
	var items []ProcedureSummary
	for _, p := range w.s.eng.Catalog.Latest() {
		items = append(items, procSummary(p, q.lang))
	}
	return w.render(q, http.StatusOK, "procedures", w.data(q, tr("procedures", q.lang), "procedures", items))
}

type procedurePage struct {
	V      ProcedureView
	Units  map[string]string
	States map[string]string
	SVG    template.HTML
}

func (w *web) procedure(q *req) error {
	p, err := w.s.eng.Catalog.Get(q.r.PathValue("code"), 0)
	if err != nil {
		return err
	}
	v := w.s.procView(p, q.lang)
	pp := procedurePage{V: v, Units: map[string]string{}, States: map[string]string{}}
	for _, st := range v.States {
		pp.States[st.ID] = st.Name
		if st.Unit != "" {
			pp.Units[st.Unit] = w.unitName(st.Unit, q.lang)
		}
	}
	pp.SVG = diagramSVG(v)
	return w.render(q, http.StatusOK, "procedure", w.data(q, v.Name, "procedures", pp))
}
