package httpapi

// The API's lists: paging, the filters of GET /api/v1/dossiers, and the
// inbox with its views. Split from api.go, which had grown past the size
// at which a handler file is split.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/auth"
)

// Paging defaults and bounds of lists.
const (
	defaultPerPage = 50
	maxPerPage     = 200
)

// paging reads ?page= and ?per_page=, within their bounds.
func paging(r *http.Request) (page, per int, err error) {
	page, per = 1, defaultPerPage
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		page, err = strconv.Atoi(v)
		if err != nil || page < 1 || page > 100000 {
			return 0, 0, &engine.InvalidInputError{Field: "page", Reason: "want a number from 1"}
		}
	}
	if v := q.Get("per_page"); v != "" {
		per, err = strconv.Atoi(v)
		if err != nil || per < 1 || per > maxPerPage {
			return 0, 0, &engine.InvalidInputError{Field: "per_page", Reason: "want a number from 1 to " + strconv.Itoa(maxPerPage)}
		}
	}
	return page, per, nil
}

// listQuery builds the store query of GET /dossiers for p, restricted to
// the units p may list.
func (s *Server) listQuery(r *http.Request, p *engine.Person) (engine.Query, error) {
	units, all := auth.ListUnits(p)
	if !all && len(units) == 0 {
		return engine.Query{}, errorf(engine.EFORBIDDEN, "Bạn không thuộc đơn vị nào được xem hồ sơ.", "You belong to no unit whose dossiers you may read.")
	}
	qs := r.URL.Query()
	q := engine.Query{Units: units, OrderByDue: true, Now: s.now()}
	if err := s.filterQuery(r, &q); err != nil {
		return q, err
	}
	if u := qs.Get("unit"); u != "" {
		if _, ok := s.eng.Directory.Unit(u); !ok {
			return q, &engine.NotFoundError{What: "unit", ID: u}
		}
		if !all && !p.InUnit(u) {
			return q, errorf(engine.EFORBIDDEN, "Bạn không được xem hồ sơ của đơn vị %s.", "You may not read the dossiers of unit %s.", u)
		}
		q.Units = []string{u}
	}
	switch v := qs.Get("status"); v {
	case "":
	case string(engine.StatusInProgress), string(engine.StatusPaused), string(engine.StatusFinished):
		q.Status = []engine.Status{engine.Status(v)}
	case "open":
		q.Status = []engine.Status{engine.StatusInProgress, engine.StatusPaused}
	default:
		return q, &engine.InvalidInputError{Field: "status", Reason: "want in_progress, paused, finished or open"}
	}
	return q, nil
}

// page reads one page of q as p may list it (engine.List).
func (s *Server) page(r *http.Request, p *engine.Person, q engine.Query) (Page, error) {
	return s.pageFrom(r, q, func(ctx context.Context, q engine.Query) ([]*engine.Dossier, error) {
		return s.eng.List(ctx, p, q)
	})
}

// pageFrom reads one page of q through list, which applies the reader's
// rights.
func (s *Server) pageFrom(r *http.Request, q engine.Query, list func(context.Context, engine.Query) ([]*engine.Dossier, error)) (Page, error) {
	page, per, err := paging(r)
	if err != nil {
		return Page{}, err
	}
	// With a cursor (after=) the page starts after it, and page= only
	// numbers it; without one, page= is an offset, as before.
	q.Offset, q.Limit = (page-1)*per, per+1
	if q.After != nil {
		q.Offset = 0
	}
	ds, err := list(r.Context(), q)
	if err != nil {
		return Page{}, err
	}
	out := Page{Items: []Summary{}, Page: page, PerPage: per}
	if len(ds) > per {
		out.HasMore, ds = true, ds[:per]
		out.Next = encodeCursor(engine.PositionOf(ds[per-1], q))
	}
	now, l := s.now(), lang(r)
	for _, d := range ds {
		out.Items = append(out.Items, s.summary(d, now, l))
	}
	return out, nil
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	q, err := s.listQuery(r, p)
	if err != nil {
		return err
	}
	pg, err := s.page(r, p, q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pg)
	return nil
}

// inboxQuery selects the open dossiers with p's units, by due instant.
func (s *Server) inboxQuery(p *engine.Person) engine.Query {
	return engine.Query{Units: append([]string(nil), p.Units...), Status: []engine.Status{engine.StatusInProgress, engine.StatusPaused, engine.StatusRegistered}, OrderByDue: true, Now: s.now()}
}

// The inbox's views (?view=): what is now with the person's units (the
// default), what their units received wherever it is now, and the
// desk's supplement queue of dossiers waiting for the citizen.
const (
	viewMine       = ""
	viewReceived   = "received"
	viewSupplement = "supplement"
)

// inboxView reads and checks the view parameter.
func inboxView(r *http.Request) (string, error) {
	switch v := r.URL.Query().Get("view"); v {
	case viewMine, "mine":
		return viewMine, nil
	case viewReceived, viewSupplement:
		return v, nil
	default:
		return "", &engine.InvalidInputError{Field: "view", Reason: "want mine, received or supplement"}
	}
}

// inboxPage reads one page of the inbox view asked for, as p may see it.
func (s *Server) inboxPage(r *http.Request, p *engine.Person) (Page, string, error) {
	view, err := inboxView(r)
	if err != nil {
		return Page{}, "", err
	}
	if len(p.Units) == 0 {
		page, per, err := paging(r)
		return Page{Items: []Summary{}, Page: page, PerPage: per}, view, err
	}
	var pg Page
	var q engine.Query
	switch view {
	case viewReceived:
		// Open by default; status=finished or all for what the desk
		// received and the office has since finished.
		q = engine.Query{Status: []engine.Status{engine.StatusInProgress, engine.StatusPaused}, OrderByDue: true, Now: s.now()}
		switch st := r.URL.Query().Get("status"); st {
		case "", "open":
		case "finished":
			q.Status = []engine.Status{engine.StatusFinished}
		case "all":
			q.Status = nil
		default:
			return Page{}, view, &engine.InvalidInputError{Field: "status", Reason: "want open, finished or all"}
		}
		if err := s.filterQuery(r, &q); err != nil {
			return Page{}, view, err
		}
		pg, err = s.pageFrom(r, q, func(ctx context.Context, q engine.Query) ([]*engine.Dossier, error) {
			return s.eng.Received(ctx, p, q)
		})
	case viewSupplement:
		q = engine.Query{Now: s.now()}
		if err := s.filterQuery(r, &q); err != nil {
			return Page{}, view, err
		}
		pg, err = s.pageFrom(r, q, func(ctx context.Context, q engine.Query) ([]*engine.Dossier, error) {
			return s.eng.SupplementQueue(ctx, p, q)
		})
	default:
		q = s.inboxQuery(p)
		if err := s.inboxFilters(r, p, &q); err != nil {
			return Page{}, view, err
		}
		pg, err = s.page(r, p, q)
	}
	return pg, view, err
}

func (s *Server) apiInbox(w http.ResponseWriter, r *http.Request, p *engine.Person) error {
	pg, _, err := s.inboxPage(r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pg)
	return nil
}
