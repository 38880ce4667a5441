package httpapi

import (
	"context"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// receiveApplicant receives a dossier of the sample procedure for name, with
// phone and channel.
func (b *bundle) receiveApplicant(name, phone string, ch engine.Channel) *engine.Dossier {
	b.t.Helper()
	in := enginetest.SampleReception(name)
	in.Applicant.Phone, in.Channel = phone, ch
	d, err := b.eng.Receive(context.Background(), enginetest.SampleCode, 0, in)
	if err != nil {
		b.t.Fatal(err)
	}
	return d
}

// TestListFilters: GET /api/v1/dossiers and /api/v1/inbox take the same
// search and filters; the search ignores case and diacritics; dates are
// read as the pages write them (dd/mm/yyyy) or as ISO; a bad filter is
// a 422 naming it.
func TestListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	binh := b.receiveApplicant("Trần Thị Bình", "0912345678", engine.ChannelCounter)
	dang := b.receiveApplicant("Đặng Văn Cường", "0987654321", engine.ChannelOnline)
	b.clock.Advance(40 * 24 * time.Hour) // both are overdue now
	late := b.receiveApplicant("Lê Văn Muộn", "0911111111", engine.ChannelCounter)
	all := []string{binh.Code, dang.Code, late.Code}
	day := func(t time.Time) string { return t.In(b.eng.Calendar.Location()).Format("02/01/2006") }
	iso := func(t time.Time) string { return t.In(b.eng.Calendar.Location()).Format("2006-01-02") }
	for _, c := range []struct {
		rule, query string
		want        []string
	}{
		{"no filter", "", all},
		{"binh finds Bình", "q=binh", []string{binh.Code}},
		{"dang finds Đặng (đ folds to d)", "q=dang", []string{dang.Code}},
		{"upper case with diacritics", "q=" + url.QueryEscape("BÌNH"), []string{binh.Code}},
		{"a phone in the international form", "q=" + url.QueryEscape("+84987"), []string{dang.Code}},
		{"a code", "q=" + url.QueryEscape(late.Code), []string{late.Code}},
		{"channel", "channel=online", []string{dang.Code}},
		{"overdue", "overdue=true", []string{binh.Code, dang.Code}},
		{"received on a day, dd/mm/yyyy, the day included", "received_from=" + day(late.ReceivedAt) + "&received_to=" + day(late.ReceivedAt), []string{late.Code}},
		{"received up to a day, ISO", "received_to=" + iso(binh.ReceivedAt), []string{binh.Code, dang.Code}},
		{"due from a day", "due_from=" + day(*late.DueAt), []string{late.Code}},
		{"due up to a day", "due_to=" + day(*binh.DueAt), []string{binh.Code, dang.Code}},
		{"search and filters combine", "q=van&channel=counter", []string{late.Code}},
		{"procedure and state", "procedure=" + enginetest.SampleCode + "&state=" + late.State + "&q=le", []string{late.Code}},
	} {
		for _, path := range []string{"/api/v1/dossiers", "/api/v1/inbox"} {
			who := Leader
			if path == "/api/v1/inbox" {
				who = enginetest.Receiver // the three are at the desk
			}
			r := b.call("GET", path+"?"+c.query, who, nil)
			if r.status != 200 {
				t.Errorf("%s %s: %d %s", path, c.rule, r.status, r.body)
				continue
			}
			got := codesOf(t, r)
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s %s (%s): got %v, want %v", path, c.rule, c.query, got, want)
			}
		}
	}
	for _, c := range []struct{ rule, query, field string }{
		{"a date not a date", "received_from=31/02/2026", "received_from"},
		{"a date in another form", "due_to=03-02-2026", "due_to"},
		{"an end before the start", "due_from=05/03/2026&due_to=04/03/2026", "due_to"},
		{"an unknown channel", "channel=fax", "channel"},
		{"a cursor the list did not give", "after=bm90LWEtY3Vyc29y" /* "not-a-cursor" */, "after"},
	} {
		r := b.call("GET", "/api/v1/dossiers?"+c.query, Leader, nil)
		var e struct {
			Error struct {
				Field string `json:"field"`
			} `json:"error"`
		}
		r.json(t, &e)
		if r.status != 422 || e.Error.Field != c.field {
			t.Errorf("%s: %d field %q, want 422 field %q (%s)", c.rule, r.status, e.Error.Field, c.field, r.body)
		}
	}
}

// TestPagingStableUnderInserts reads the list two at a time through the
// next cursor while dossiers are received between the pages: none of the
// first dossiers is listed twice or skipped.
func TestPagingStableUnderInserts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var first []string
	for i := range 7 {
		first = append(first, b.receiveApplicant("Người "+string(rune('A'+i)), "0900000001", engine.ChannelCounter).Code)
		b.clock.Advance(time.Hour)
	}
	seen := map[string]int{}
	path := "/api/v1/dossiers?per_page=2"
	for page := 0; page < 20; page++ {
		r := b.call("GET", path, Leader, nil)
		var pg Page
		r.json(t, &pg)
		for _, it := range pg.Items {
			seen[it.Code]++
		}
		// One due before everything listed so far: with page= offsets it
		// would push a listed row onto the next page again.
		b.clock.Set(enginetest.Monday.Add(-3*24*time.Hour + time.Duration(page)*time.Minute)) // the Friday before
		b.receiveApplicant("Chen Giữa", "0900000002", engine.ChannelCounter)
		if !pg.HasMore {
			break
		}
		if pg.Next == "" {
			t.Fatal("has_more without a next cursor")
		}
		path = "/api/v1/dossiers?per_page=2&after=" + url.QueryEscape(pg.Next)
	}
	for code, n := range seen {
		if n > 1 {
			t.Errorf("%s listed %d times", code, n)
		}
	}
	for _, code := range first {
		if seen[code] != 1 {
			t.Errorf("%s, received before the first page, listed %d times", code, seen[code])
		}
	}
}
