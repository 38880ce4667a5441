package httpapi

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// row is one dossier in the inbox or a list, with its one-click actions.
type row struct {
	Summary
	Class   string
	Actions []ActionView
	// Links are forward actions that ask for input, offered as a link to
	// the dossier's form: only in the supplement queue, whose one job is
	// the action out of the waiting state, whatever it asks for.
	Links []ActionView
	Key   string
	// UnitNm and AssigneeNm name the unit and the assignee for people.
	UnitNm, AssigneeNm string
}

type listView struct {
	Rows    []row
	Page    Page
	Query   url.Values
	PrevURL string
	NextURL string
	// FirstURL leads back to the first page from a page reached by a
	// cursor, which leads forward only.
	FirstURL string
	Filters  filterForm
	ShowUnit bool
	// View is the inbox view shown (viewMine, viewReceived,
	// viewSupplement); Tabs the views offered.
	View string
	Tabs []inboxTab
}

// inboxTab is one view of the inbox in its tab bar.
type inboxTab struct {
	View, Label, URL string
	Current          bool
}

func rowClass(s Summary) string {
	switch {
	case s.Overdue:
		return "overdue"
	case s.DueToday:
		return "due-today"
	case s.Paused:
		return "paused"
	}
	return ""
}

func (w *web) rows(q *req, pg Page, view string) []row {
	var out []row
	for _, s := range pg.Items {
		rw := row{Summary: s, Class: rowClass(s), Key: auth.RandomToken(), UnitNm: w.unitName(s.Unit, q.lang)}
		if s.Assignee != "" {
			rw.AssigneeNm = w.personName(s.Assignee)
		}
		if p, err := w.s.eng.Catalog.Get(s.Procedure, 0); err == nil {
			d := &engine.Dossier{State: s.State, Status: s.Status}
			for _, a := range actionsFor(p, d, q.person, q.lang) {
				// One click only for forward actions that need no input:
				// ending or sending back asks for a reason and a
				// confirmation on the dossier page.
				switch {
				case a.Danger || !a.Moves:
				case len(a.Requires) == 0:
					rw.Actions = append(rw.Actions, a)
				case view == viewSupplement:
					rw.Links = append(rw.Links, a)
				}
			}
		}
		out = append(out, rw)
	}
	return out
}

func pageURL(u url.URL, page int) string {
	v := u.Query()
	v.Set("page", fmt.Sprint(page))
	u.RawQuery = v.Encode()
	return u.RequestURI()
}

func (w *web) listView(q *req, pg Page, view string) listView {
	v := listView{Rows: w.rows(q, pg, view), Page: pg, Query: q.r.URL.Query(), View: view}
	switch {
	case v.Query.Get("after") != "":
		v.FirstURL = firstURL(*q.r.URL)
	case pg.Page > 1:
		v.PrevURL = pageURL(*q.r.URL, pg.Page-1)
	}
	if pg.HasMore {
		// The cursor, not page+1: a dossier received meanwhile neither
		// repeats a row on the next page nor pushes one off it.
		v.NextURL = nextURL(*q.r.URL, pg)
	}
	return v
}

func (w *web) inbox(q *req) error {
	pg, view, err := w.s.inboxPage(q.r, q.person)
	if err != nil {
		return err
	}
	v := w.listView(q, pg, view)
	v.ShowUnit = view != viewMine
	switch view {
	case viewMine:
		var units []*engine.Unit
		for _, id := range q.person.Units {
			if u, ok := w.s.eng.Directory.Unit(id); ok {
				units = append(units, u)
			}
		}
		v.Filters = w.filters(q, "/inbox", "", units, []string{"in_progress", "paused"})
	case viewReceived:
		v.Filters = w.filters(q, "/inbox", view, nil, []string{"open", "finished", "all"})
	default:
		v.Filters = w.filters(q, "/inbox", view, nil, nil)
	}
	// The desk's views are offered to those who receive: an office
	// officer would find them always empty.
	tabs := []struct{ view, label string }{{viewMine, "view_mine"}, {viewReceived, "view_received"}, {viewSupplement, "view_supplement"}}
	if !auth.CanReceive(q.person, w.s.eng.Catalog) && view == viewMine {
		tabs = nil
	}
	for _, t := range tabs {
		u := "/inbox"
		if t.view != viewMine {
			u += "?view=" + t.view
		}
		v.Tabs = append(v.Tabs, inboxTab{View: t.view, Label: tr(t.label, q.lang), URL: u, Current: t.view == view})
	}
	p := w.data(q, tr("inbox", q.lang), "inbox", v)
	if done := q.r.URL.Query().Get("done"); done != "" {
		p.Flash = tr("done", q.lang) + ": " + done
	}
	return w.render(q, http.StatusOK, "inbox", p)
}

func (w *web) list(q *req) error {
	query, err := w.s.listQuery(q.r, q.person)
	if err != nil {
		return err
	}
	pg, err := w.s.page(q.r, q.person, query)
	if err != nil {
		return err
	}
	v := w.listView(q, pg, "")
	v.ShowUnit = true
	var units []*engine.Unit
	if ids, all := auth.ListUnits(q.person); all {
		units = w.s.eng.Directory.Units()
	} else {
		for _, u := range ids {
			if un, ok := w.s.eng.Directory.Unit(u); ok {
				units = append(units, un)
			}
		}
	}
	v.Filters = w.filters(q, "/dossiers", "", units, []string{"open", "in_progress", "paused", "finished"})
	return w.render(q, http.StatusOK, "list", w.data(q, tr("all_dossiers", q.lang), "list", v))
}
