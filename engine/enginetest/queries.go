package enginetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// queryTests pin the contract of List, Scan and DueForCheck.
var queryTests = []storeTest{
	{"List/Filters", false, testList},
	{"Scan/VisitsEveryMatchAndStopsOnError", false, testScan},
	{"Scan/FnMayWriteThroughTheStore", false, testScanWrites},
	{"List/FinishedRangeAndOpenAt", false, testFinishedBounds},
	{"DueForCheck/OrderCursorLimitAndExclusions", false, testDueForCheck},
}

// listFixture stores six dossiers that tell the Query filters apart and
// returns them by letter.
func listFixture(t *testing.T, s engine.Store) {
	mk := func(code string, mod func(d *engine.Dossier)) {
		d := NewDossier(code, func(d *engine.Dossier) { d.ReceiveKey = "" })
		mod(d)
		mustInsert(t, s, d)
	}
	mk("XA01-260302-0001", func(d *engine.Dossier) { // A
		d.Applicant.Name = "Nguyễn Văn Án"
		d.DueAt = ptr(at(7 * day))
	})
	mk("XA01-260302-0002", func(d *engine.Dossier) { // B
		d.Applicant.Name = "Trần Thị Bình"
		d.State, d.Unit = "phe_duyet", UnitLeader
		d.DueAt = ptr(at(day))
	})
	mk("XA01-260303-0001", func(d *engine.Dossier) { // C
		d.Applicant.Name = "Lê Văn Cường"
		d.State, d.Unit, d.Status = "cho_bo_sung", "", engine.StatusPaused
		d.DueAt, d.AppointmentAt = nil, nil
		d.ReceivedAt = at(day)
	})
	mk("XA01-260303-0002", func(d *engine.Dossier) { // D
		d.Applicant.Name = "NGUYỄN THỊ DUNG"
		d.State, d.Unit, d.Status = "da_tra", "", engine.StatusFinished
		d.DueAt = ptr(at(hour))
		d.FinishedAt = ptr(at(3 * day))
		d.ReceivedAt = at(day + hour)
	})
	mk("XA02-260304-0001", func(d *engine.Dossier) { // E
		d.Applicant.Name = "Phạm Khiếu Nại"
		d.Procedure, d.Kind, d.State = "KN.01", engine.KindComplaint, "thu_ly"
		d.DueAt = ptr(at(3 * day))
		d.ReceivedAt = at(2 * day)
	})
	mk("XA01-260304-0001", func(d *engine.Dossier) { // F
		d.Applicant.Name = "Đỗ (Văn) Ánh"
		d.DueAt = ptr(at(day)) // ties with B: the code breaks the tie
		d.ReceivedAt = at(2*day + hour)
	})
}

func testList(t *testing.T, s engine.Store) {
	listFixture(t, s)
	const (
		A = "XA01-260302-0001"
		B = "XA01-260302-0002"
		C = "XA01-260303-0001"
		D = "XA01-260303-0002"
		E = "XA02-260304-0001"
		F = "XA01-260304-0001"
	)
	cases := []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"no filter: all, ordered by code", engine.Query{}, []string{A, B, C, D, F, E}},
		{"units: responsible unit in one", engine.Query{Units: []string{UnitOffice}}, []string{A, F, E}},
		{"units: responsible unit in several", engine.Query{Units: []string{UnitOffice, UnitLeader}}, []string{A, B, F, E}},
		{"state", engine.Query{State: "tham_dinh"}, []string{A, F}},
		{"procedure", engine.Query{Procedure: "KN.01"}, []string{E}},
		{"kind", engine.Query{Kind: engine.KindComplaint}, []string{E}},
		{"status in one", engine.Query{Status: []engine.Status{engine.StatusPaused}}, []string{C}},
		{"status in several", engine.Query{Status: []engine.Status{engine.StatusInProgress, engine.StatusPaused}}, []string{A, B, C, F, E}},
		{"overdue: unfinished, due before now; paused (no due) and finished excluded", engine.Query{Overdue: true, Now: at(2 * day)}, []string{B, F}},
		{"text: applicant name, case-insensitive with diacritics", engine.Query{Text: "nguyễn"}, []string{A, D}},
		{"text: upper-case query with diacritics", engine.Query{Text: "NGUYỄN"}, []string{A, D}},
		{"text: part of a name", engine.Query{Text: "bình"}, []string{B}},
		{"text: part of the code", engine.Query{Text: "260303"}, []string{C, D}},
		{"text: code case-insensitive", engine.Query{Text: "xa02"}, []string{E}},
		{"text: pattern characters are literal", engine.Query{Text: "(văn)"}, []string{F}},
		{"text: a dot is not a wildcard", engine.Query{Text: "n.uy"}, nil},
		{"text: a percent sign is not a wildcard", engine.Query{Text: "%"}, nil},
		{"text: an underscore is not a wildcard", engine.Query{Text: "_"}, nil},
		{"text: spaces around it are not part of it", engine.Query{Text: "  bình "}, []string{B}},
		{"text: blank does not filter", engine.Query{Text: "   "}, []string{A, B, C, D, F, E}},
		{"text: a code in another case", engine.Query{Text: "xa02"}, []string{E}},
		{"received range [from, to)", engine.Query{ReceivedFrom: at(day), ReceivedTo: at(2 * day)}, []string{C, D}},
		{"received from only", engine.Query{ReceivedFrom: at(2 * day)}, []string{F, E}},
		{"received to only", engine.Query{ReceivedTo: at(day)}, []string{A, B}},
		{"order by due, nil last, ties by code", engine.Query{OrderByDue: true}, []string{D, B, F, E, A, C}},
		{"order by due within a unit (inbox)", engine.Query{OrderByDue: true, Units: []string{UnitOffice}}, []string{F, E, A}},
		{"offset and limit", engine.Query{Offset: 1, Limit: 2}, []string{B, C}},
		{"offset and limit by due", engine.Query{OrderByDue: true, Offset: 4, Limit: 5}, []string{A, C}},
		{"offset past the end", engine.Query{Offset: 10}, nil},
		{"offset alone: the rest of the order", engine.Query{Offset: 4}, []string{F, E}},
		{"order by due over several units, merged", engine.Query{OrderByDue: true, Units: []string{UnitOffice, UnitLeader}}, []string{B, F, E, A}},
		{"filters combine", engine.Query{Units: []string{UnitOffice}, State: "tham_dinh", Text: "án"}, []string{A, F}},
	}
	for _, c := range cases {
		got, err := s.List(t.Context(), c.q)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if codes := codesOf(got); !slices.Equal(codes, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, codes, c.want)
		}
	}
	// Listed dossiers are whole.
	got, err := s.List(t.Context(), engine.Query{Text: "bình"})
	if err != nil || len(got) != 1 {
		t.Fatalf("List bình: %v %v", got, err)
	}
	if diff := Diff(mustGet(t, s, B), got[0]); diff != "" {
		t.Errorf("listed dossier differs from Get: %s", diff)
	}
}

// testFinishedBounds checks Query.FinishedFrom/To ([From, To), a
// dossier not finished never matches) and Query.OpenAt (not finished
// before: never finished, or at or after), exactly at the millisecond
// boundaries, alone and with ReceivedTo, and on a dossier finished by
// Apply rather than inserted finished.
func testFinishedBounds(t *testing.T, s engine.Store) {
	const (
		O  = "XA01-260302-0001" // open, received on day 0
		F0 = "XA01-260302-0002" // finished 1 ms before day 1
		F1 = "XA01-260302-0003" // finished exactly at day 1
		F2 = "XA01-260302-0004" // finished 1 ms before day 2
		F3 = "XA01-260303-0001" // finished exactly at day 2, received on day 1
		A  = "XA01-260303-0002" // received on day 1, finished by Apply at day 1 + 1 h
	)
	ms := time.Millisecond
	mk := func(code string, received time.Time, finished *time.Time) *engine.Dossier {
		d := NewDossier(code, func(d *engine.Dossier) {
			d.ReceiveKey = ""
			d.ReceivedAt = received
			d.FinishedAt = finished
			if finished != nil {
				d.State, d.Unit, d.Status = "da_tra", "", engine.StatusFinished
				d.NextCheckAt = nil
			}
		})
		mustInsert(t, s, d)
		return d
	}
	mk(O, at(0), nil)
	mk(F0, at(0), ptr(at(day-ms)))
	mk(F1, at(0), ptr(at(day)))
	mk(F2, at(0), ptr(at(2*day-ms)))
	mk(F3, at(day), ptr(at(2*day)))
	a := mk(A, at(day), nil)
	fin := next(a, "da_tra", at(day+hour))
	fin.Unit, fin.Status, fin.FinishedAt, fin.NextCheckAt = "", engine.StatusFinished, ptr(at(day+hour)), nil
	if err := s.Apply(t.Context(), fin, a.Version, nil); err != nil {
		t.Fatalf("Apply finishing %s: %v", A, err)
	}
	cases := []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"finished in [day 1, day 2): from inclusive, to exclusive, open excluded",
			engine.Query{FinishedFrom: at(day), FinishedTo: at(2 * day)}, []string{F1, F2, A}},
		{"finished from only: at or after, open excluded",
			engine.Query{FinishedFrom: at(2 * day)}, []string{F3}},
		{"finished to only: before, open excluded",
			engine.Query{FinishedTo: at(day)}, []string{F0}},
		{"finished in a millisecond: [from, from+1ms)",
			engine.Query{FinishedFrom: at(2*day - ms), FinishedTo: at(2 * day)}, []string{F2}},
		{"open at day 1: never finished, or finished at or after day 1",
			engine.Query{OpenAt: at(day)}, []string{O, F1, F2, F3, A}},
		{"open at day 2: a dossier finished exactly then was still open",
			engine.Query{OpenAt: at(2 * day)}, []string{O, F3}},
		{"carried into a period from day 1: received before, open at its start",
			engine.Query{ReceivedTo: at(day), OpenAt: at(day)}, []string{O, F1, F2}},
		{"finished in [day 1, day 2) among those received before day 1",
			engine.Query{ReceivedTo: at(day), FinishedFrom: at(day), FinishedTo: at(2 * day)}, []string{F1, F2}},
		{"finished bounds combine with a status filter",
			engine.Query{Status: []engine.Status{engine.StatusInProgress}, OpenAt: at(2 * day)}, []string{O}},
		{"finished bounds with a page",
			engine.Query{OpenAt: at(day), Offset: 1, Limit: 2}, []string{F1, F2}},
	}
	for _, c := range cases {
		got, err := s.List(t.Context(), c.q)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if codes := codesOf(got); !slices.Equal(codes, c.want) {
			t.Errorf("%s: got %v, want %v", c.rule, codes, c.want)
		}
	}
}

func testScan(t *testing.T, s engine.Store) {
	listFixture(t, s)
	var seen []string
	err := s.Scan(t.Context(), engine.Query{Units: []string{UnitOffice}}, func(d *engine.Dossier) error {
		seen = append(seen, d.Code)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"XA01-260302-0001", "XA01-260304-0001", "XA02-260304-0001"}; !slices.Equal(seen, want) {
		t.Errorf("Scan units=[chuyen-mon] visits in List's order (by code): got %v, want %v", seen, want)
	}
	for _, q := range []engine.Query{{OrderByDue: true}, {OrderByDue: true, Units: []string{UnitOffice, UnitLeader}}, {Offset: 2, Limit: 3}} {
		listed, err := s.List(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		var scanned []*engine.Dossier
		if err := s.Scan(t.Context(), q, func(d *engine.Dossier) error { scanned = append(scanned, d); return nil }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(codesOf(scanned), codesOf(listed)) {
			t.Errorf("Scan(%+v) visits %v, List returns %v: the same order", q, codesOf(scanned), codesOf(listed))
		}
	}
	stop := errors.New("stop")
	calls := 0
	err = s.Scan(t.Context(), engine.Query{}, func(*engine.Dossier) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Scan must stop at fn's first error and return it: err %v after %d calls", err, calls)
	}
}

func testDueForCheck(t *testing.T, s engine.Store) {
	ctx := t.Context()
	mk := func(code string, next *time.Time, status engine.Status) {
		mustInsert(t, s, NewDossier(code, func(d *engine.Dossier) {
			d.ReceiveKey, d.NextCheckAt, d.Status = "", next, status
		}))
	}
	mk("P1", ptr(at(hour)), engine.StatusInProgress)
	mk("P2", ptr(at(hour)), engine.StatusInProgress)
	mk("P3", ptr(at(2*hour)), engine.StatusInProgress)
	mk("P4", ptr(at(30*time.Minute)), engine.StatusFinished) // finished: never checked
	mk("P5", nil, engine.StatusInProgress)                   // nothing armed
	mk("P6", ptr(at(5*hour)), engine.StatusInProgress)       // not yet due
	mk("P7", ptr(at(90*time.Minute)), engine.StatusPaused)   // a waiting state's timeout

	all, err := s.DueForCheck(ctx, at(3*hour), engine.Cursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := codesOf(all), []string{"P1", "P2", "P7", "P3"}; !slices.Equal(got, want) {
		t.Errorf("DueForCheck at +3h: got %v, want %v (by next check, then code)", got, want)
	}
	edge, err := s.DueForCheck(ctx, at(2*hour), engine.Cursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := codesOf(edge); !slices.Contains(got, "P3") {
		t.Errorf("a dossier whose check is exactly at `at` is due: got %v", got)
	}

	var pages [][]string
	cur := engine.Cursor{}
	for i := 0; i < 5; i++ {
		page, err := s.DueForCheck(ctx, at(3*hour), cur, 2)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, codesOf(page))
		if len(page) == 0 {
			break
		}
		last := page[len(page)-1]
		cur = engine.Cursor{At: *last.NextCheckAt, Code: last.Code}
	}
	want := [][]string{{"P1", "P2"}, {"P7", "P3"}, {}}
	if fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("pages of 2 with the cursor: got %v, want %v", pages, want)
	}
	for _, limit := range []int{0, -1} {
		all, err := s.DueForCheck(ctx, at(3*hour), engine.Cursor{}, limit)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := codesOf(all), []string{"P1", "P2", "P7", "P3"}; !slices.Equal(got, want) {
			t.Errorf("limit %d is no limit: got %v, want %v", limit, got, want)
		}
	}
	// A cursor on the tie P1/P2: after P1 comes P2, at the same instant.
	after, err := s.DueForCheck(ctx, at(3*hour), engine.Cursor{At: at(hour), Code: "P1"}, 1)
	if err != nil || !slices.Equal(codesOf(after), []string{"P2"}) {
		t.Errorf("after (+1h, P1): got %v %v, want [P2]", codesOf(after), err)
	}
}

// testScanWrites: fn may write through the store while the scan is open
// (reports and recomputations do), on the dossier just read.
func testScanWrites(t *testing.T, s engine.Store) {
	ctx := t.Context()
	codes := Codes("XA01", 5)
	for _, c := range codes {
		mustInsert(t, s, NewDossier(c, func(d *engine.Dossier) { d.ReceiveKey = "" }))
	}
	var seen []string
	err := s.Scan(ctx, engine.Query{}, func(d *engine.Dossier) error {
		seen = append(seen, d.Code)
		return s.Apply(ctx, next(d, "phe_duyet", at(hour)), d.Version, []engine.Notification{NewNotification(d.Code+"/scan", d.Code, at(hour))})
	})
	if err != nil {
		t.Fatalf("Scan writing in fn: %v", err)
	}
	if !slices.Equal(seen, codes) {
		t.Errorf("Scan visited %v, want each once: %v", seen, codes)
	}
	for _, c := range codes {
		if got := mustGet(t, s, c); got.Version != 2 || got.State != "phe_duyet" {
			t.Errorf("%s after the scan: version %d state %s, want 2 phe_duyet", c, got.Version, got.State)
		}
	}
}
