package mongostore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

func codes(ds []*engine.Dossier) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func TestListFiltersAndOrders(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	mk := func(code, unit, name string, due *time.Time, status engine.Status, received time.Time) {
		d := dossier(code)
		d.Unit, d.Applicant.Name, d.DueAt, d.Status, d.ReceivedAt = unit, name, due, status, received
		if status == engine.StatusFinished {
			d.FinishedAt, d.NextCheckAt = ptr(received.Add(time.Hour)), nil
		}
		mustInsert(t, s, d)
	}
	mk("MC-260302-0001", "tu-phap", "Nguyễn Văn An", ptr(t0.Add(48*time.Hour)), engine.StatusInProgress, t0)
	mk("MC-260302-0002", "tu-phap", "Trần Thị Bình (con)", nil, engine.StatusPaused, t0.Add(time.Hour))
	mk("MC-260302-0003", "tu-phap", "Lê Văn Cường", ptr(t0.Add(24*time.Hour)), engine.StatusInProgress, t0.Add(2*time.Hour))
	mk("MC-260303-0001", "dia-chinh", "NGUYỄN THỊ DUNG", ptr(t0.Add(-time.Hour)), engine.StatusInProgress, t0.Add(24*time.Hour))
	mk("MC-260303-0002", "dia-chinh", "Phạm Văn Em", ptr(t0.Add(-time.Hour)), engine.StatusFinished, t0.Add(25*time.Hour))

	tests := []struct {
		rule string
		q    engine.Query
		want []string
	}{
		{"no filter lists all by code", engine.Query{},
			[]string{"MC-260302-0001", "MC-260302-0002", "MC-260302-0003", "MC-260303-0001", "MC-260303-0002"}},
		{"an inbox is ordered by due instant, dossiers without one last", engine.Query{Units: []string{"tu-phap"}, OrderByDue: true},
			[]string{"MC-260302-0003", "MC-260302-0001", "MC-260302-0002"}},
		{"status in", engine.Query{Status: []engine.Status{engine.StatusPaused, engine.StatusFinished}},
			[]string{"MC-260302-0002", "MC-260303-0002"}},
		{"overdue excludes finished dossiers", engine.Query{Overdue: true, Now: t0},
			[]string{"MC-260303-0001"}},
		{"text matches the name case-insensitively, Vietnamese letters included", engine.Query{Text: "nguyễn"},
			[]string{"MC-260302-0001", "MC-260303-0001"}},
		{"text matches a code in any case", engine.Query{Text: "mc-260303"},
			[]string{"MC-260303-0001", "MC-260303-0002"}},
		{"text is literal, not a pattern", engine.Query{Text: "(con"},
			[]string{"MC-260302-0002"}},
		{"a regex metacharacter matches only itself", engine.Query{Text: "."},
			[]string{}},
		{"reception period is [from, to)", engine.Query{ReceivedFrom: t0.Add(time.Hour), ReceivedTo: t0.Add(24 * time.Hour)},
			[]string{"MC-260302-0002", "MC-260302-0003"}},
		{"offset and limit page the order", engine.Query{Offset: 1, Limit: 2},
			[]string{"MC-260302-0002", "MC-260302-0003"}},
		{"filters combine", engine.Query{Units: []string{"tu-phap", "dia-chinh"}, Status: []engine.Status{engine.StatusInProgress}, State: "received", Procedure: "1.001193", Kind: "dossier", OrderByDue: true},
			[]string{"MC-260303-0001", "MC-260302-0003", "MC-260302-0001"}},
	}
	for _, tc := range tests {
		got, err := s.List(ctxT(t), tc.q)
		if err != nil {
			t.Errorf("%s: %v", tc.rule, err)
			continue
		}
		if !reflect.DeepEqual(codes(got), tc.want) {
			t.Errorf("%s: got %v, want %v", tc.rule, codes(got), tc.want)
		}
	}
}

func TestDueForCheckPagesOpenDossiersInOrder(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	mk := func(code string, next *time.Time, status engine.Status) {
		d := dossier(code)
		d.NextCheckAt, d.Status = next, status
		mustInsert(t, s, d)
	}
	at := t0.Add(time.Hour)
	mk("A-1", ptr(at), engine.StatusInProgress)
	mk("A-2", ptr(at), engine.StatusPaused)
	mk("A-3", ptr(t0), engine.StatusInProgress)
	mk("A-4", ptr(at.Add(time.Millisecond)), engine.StatusInProgress) // after `at`
	mk("A-5", nil, engine.StatusInProgress)                           // nothing armed
	mk("A-6", ptr(t0), engine.StatusFinished)                         // finished: never

	page1, err := s.DueForCheck(ctxT(t), at, engine.Cursor{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(page1); !reflect.DeepEqual(got, []string{"A-3", "A-1"}) {
		t.Fatalf("first page %v, want [A-3 A-1]", got)
	}
	last := page1[len(page1)-1]
	page2, err := s.DueForCheck(ctxT(t), at, engine.Cursor{At: *last.NextCheckAt, Code: last.Code}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(page2); !reflect.DeepEqual(got, []string{"A-2"}) {
		t.Errorf("second page %v, want [A-2]", got)
	}
}

func TestLeaseIsHeldByOneHolderUntilItExpires(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	steps := []struct {
		rule     string
		holder   string
		now      time.Time
		until    time.Time
		wantHeld bool
	}{
		{"a free lease is taken", "a", t0, t0.Add(time.Minute), true},
		{"a live lease of another is refused", "b", t0.Add(30 * time.Second), t0.Add(2 * time.Minute), false},
		{"the holder renews", "a", t0.Add(40 * time.Second), t0.Add(2 * time.Minute), true},
		{"still refused before the renewed end", "b", t0.Add(90 * time.Second), t0.Add(3 * time.Minute), false},
		{"an expired lease is taken over", "b", t0.Add(2 * time.Minute), t0.Add(3 * time.Minute), true},
		{"the former holder is now refused", "a", t0.Add(150 * time.Second), t0.Add(4 * time.Minute), false},
	}
	for _, st := range steps {
		got, err := s.AcquireLease(ctxT(t), "watch", st.holder, st.now, st.until)
		if err != nil || got != st.wantHeld {
			t.Errorf("%s: AcquireLease(%s) = %v, %v; want %v", st.rule, st.holder, got, err, st.wantHeld)
		}
	}
	if ok, err := s.AcquireLease(ctxT(t), "other", "a", t0, t0.Add(time.Minute)); !ok || err != nil {
		t.Errorf("leases are independent by name: %v, %v", ok, err)
	}
}

func TestNextSequenceCountsPerUnitAndDay(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	var got []int
	for _, k := range [][2]string{{"MC", "260302"}, {"MC", "260302"}, {"MC", "260303"}, {"TP", "260302"}, {"MC", "260302"}} {
		n, err := s.NextSequence(ctxT(t), k[0], k[1])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, n)
	}
	if want := []int{1, 2, 1, 1, 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("sequences %v, want %v", got, want)
	}
}
