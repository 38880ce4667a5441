package httpapi

import (
	"slices"

	"github.com/motcua/motcua/engine"
)

// filterForm is what the filter bar of a list page offers (templates
// _filters.html): the same filters as the API's query parameters, read
// back from the page's own query.
type filterForm struct {
	// Action is the page the form submits to; View keeps the inbox's
	// view across a filtering.
	Action, View string
	Procedures   []option
	States       []option
	Units        []option
	Statuses     []option
	Channels     []option
	// Active reports whether any filter is set, for the "clear" link.
	Active bool
}

// option is one choice of a select.
type option struct {
	Value, Label string
}

// filterKeys are the query parameters the filter bar sets.
var filterKeys = []string{"q", "procedure", "state", "unit", "status", "channel",
	"received_from", "received_to", "due_from", "due_to", "overdue"}

// filters builds the filter bar of a list page: units are those the
// reader may pick (none: no unit select), statuses the values the list
// understands.
func (w *web) filters(q *req, action, view string, units []*engine.Unit, statuses []string) filterForm {
	f := filterForm{Action: action, View: view}
	seenState := map[string]bool{}
	for _, p := range w.s.eng.Catalog.Latest() {
		f.Procedures = append(f.Procedures, option{p.Code, p.Code + " · " + pick(p.Name, p.NameEN, q.lang)})
		for _, st := range p.States {
			if !seenState[st.ID] {
				seenState[st.ID] = true
				f.States = append(f.States, option{st.ID, pick(st.Name, st.NameEN, q.lang)})
			}
		}
	}
	slices.SortFunc(f.States, func(a, b option) int { return compareLabels(a.Label, b.Label) })
	if len(units) > 1 {
		for _, u := range units {
			f.Units = append(f.Units, option{u.ID, w.unitName(u.ID, q.lang)})
		}
	}
	for _, s := range statuses {
		f.Statuses = append(f.Statuses, option{s, tr("status_"+s, q.lang)})
	}
	for _, c := range []engine.Channel{engine.ChannelCounter, engine.ChannelOnline, engine.ChannelPost} {
		f.Channels = append(f.Channels, option{string(c), tr(string(c), q.lang)})
	}
	v := q.r.URL.Query()
	for _, k := range filterKeys {
		if v.Get(k) != "" {
			f.Active = true
		}
	}
	return f
}

// compareLabels orders labels as a reader looks them up: by their folded
// form, so "Đã trả" sits among the d's.
func compareLabels(a, b string) int {
	if c := cmpString(engine.Fold(a), engine.Fold(b)); c != 0 {
		return c
	}
	return cmpString(a, b)
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
