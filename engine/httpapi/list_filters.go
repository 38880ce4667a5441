package httpapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/engine"
)

// The list filters of issue 11, the same in GET /api/v1/dossiers, GET
// /api/v1/inbox and the pages that show them (the inbox and the list of
// dossiers): one search box (q), procedure, state, channel, received and
// due date ranges, overdue, and the keyset cursor (after) of the next
// page. unit and status are read by each list, whose meanings differ.

// maxSearchText bounds q: a search key is shorter (engine.SearchKeys).
const maxSearchText = 100

// filterQuery reads the common filters of r into q.
func (s *Server) filterQuery(r *http.Request, q *engine.Query) error {
	qs := r.URL.Query()
	q.State, q.Procedure = strings.TrimSpace(qs.Get("state")), strings.TrimSpace(qs.Get("procedure"))
	q.Text = strings.TrimSpace(qs.Get("q"))
	if utf8.RuneCountInString(q.Text) > maxSearchText {
		return &engine.InvalidInputError{Field: "q", Reason: "at most 100 characters", ReasonVI: "tối đa 100 ký tự"}
	}
	if c := engine.Channel(qs.Get("channel")); c != "" {
		if !c.Valid() {
			return &engine.InvalidInputError{Field: "channel", Reason: "want counter, online or post", ReasonVI: "chọn counter, online hoặc post"}
		}
		q.Channel = c
	}
	switch v := qs.Get("overdue"); v {
	case "", "false", "0":
	case "true", "1", "on":
		q.Overdue = true
	default:
		return &engine.InvalidInputError{Field: "overdue", Reason: "want true or false", ReasonVI: "chọn true hoặc false"}
	}
	loc := s.eng.Calendar.Location()
	for _, f := range []struct {
		name     string
		from, to *time.Time
	}{{"received", &q.ReceivedFrom, &q.ReceivedTo}, {"due", &q.DueFrom, &q.DueTo}} {
		from, err := parseDay(qs.Get(f.name+"_from"), f.name+"_from", loc)
		if err != nil {
			return err
		}
		to, err := parseDay(qs.Get(f.name+"_to"), f.name+"_to", loc)
		if err != nil {
			return err
		}
		if !from.IsZero() && !to.IsZero() && to.Before(from) {
			return &engine.InvalidInputError{Field: f.name + "_to", Reason: "the end is before the start", ReasonVI: "ngày cuối trước ngày đầu"}
		}
		*f.from = from
		if !to.IsZero() {
			// Both days are included: up to the start of the next one.
			*f.to = to.AddDate(0, 0, 1)
		}
	}
	if v := qs.Get("after"); v != "" {
		p, err := decodeCursor(v)
		if err != nil {
			return err
		}
		q.After = p
	}
	return nil
}

// parseDay reads a day as the pages write it (dd/mm/yyyy, whatever the
// browser's locale) or as ISO 8601 (yyyy-mm-dd, for API clients): its
// start in the calendar's zone. Empty is the zero time.
func parseDay(v, field string, loc *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2/1/2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &engine.InvalidInputError{Field: field, Reason: "want a date dd/mm/yyyy, e.g. 02/03/2026",
		ReasonVI: "nhập ngày dạng dd/mm/yyyy, ví dụ 02/03/2026"}
}

// encodeCursor writes a list position as the opaque after= of the next
// page: the due instant in unix milliseconds ("-" for none) and the code.
func encodeCursor(p *engine.Position) string {
	due := "-"
	if p.Due != nil {
		due = strconv.FormatInt(p.Due.UnixMilli(), 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(due + "|" + p.Code))
}

// decodeCursor reads encodeCursor's text.
func decodeCursor(v string) (*engine.Position, error) {
	bad := &engine.InvalidInputError{Field: "after", Reason: "not a cursor this list gave", ReasonVI: "không phải vị trí do danh sách trả về"}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return nil, bad
	}
	due, code, ok := strings.Cut(string(b), "|")
	if !ok || code == "" {
		return nil, bad
	}
	p := &engine.Position{Code: code}
	if due != "-" {
		ms, err := strconv.ParseInt(due, 10, 64)
		if err != nil {
			return nil, bad
		}
		t := time.UnixMilli(ms).UTC()
		p.Due = &t
	}
	return p, nil
}

// nextURL is the address of the page after pg: the same filters and the
// cursor; page only numbers it for the reader.
func nextURL(u url.URL, pg Page) string {
	v := u.Query()
	v.Set("after", pg.Next)
	v.Set("page", strconv.Itoa(pg.Page+1))
	u.RawQuery = v.Encode()
	return u.RequestURI()
}

// firstURL is the address of the first page with the same filters: a
// cursor leads forward only.
func firstURL(u url.URL) string {
	v := u.Query()
	v.Del("after")
	v.Del("page")
	u.RawQuery = v.Encode()
	return u.RequestURI()
}

// inboxFilters reads the filters of the inbox's own view into q: the
// common ones, a unit among p's, and one of the open statuses.
func (s *Server) inboxFilters(r *http.Request, p *engine.Person, q *engine.Query) error {
	if err := s.filterQuery(r, q); err != nil {
		return err
	}
	qs := r.URL.Query()
	if u := qs.Get("unit"); u != "" {
		if !p.InUnit(u) {
			return errorf(engine.EFORBIDDEN, "Hộp việc chỉ có hồ sơ của đơn vị bạn; đơn vị %s không phải của bạn.",
				"The inbox holds your units' dossiers only; unit %s is not yours.", u)
		}
		q.Units = []string{u}
	}
	switch v := qs.Get("status"); v {
	case "", "open":
	case string(engine.StatusInProgress), string(engine.StatusPaused):
		q.Status = []engine.Status{engine.Status(v)}
	default:
		return &engine.InvalidInputError{Field: "status", Reason: "want open, in_progress or paused", ReasonVI: "chọn open, in_progress hoặc paused"}
	}
	return nil
}
