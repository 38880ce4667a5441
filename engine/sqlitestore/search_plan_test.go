package sqlitestore

import (
	"fmt"
	"slices"
	"testing"

	"github.com/motcua/motcua/engine"
)

// TestBroadAndNarrowSearchAgree: the two ways a search is read (from its
// matches, or walking the list's order and checking each code) give the
// same rows in the same order, whatever the filters and the page.
func TestBroadAndNarrowSearchAgree(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 60 {
		mustInsertDossier(t, s, benchDossier(i))
	}
	open := []engine.Status{engine.StatusInProgress, engine.StatusPaused}
	after := benchDossier(7)
	for _, q := range []engine.Query{
		{Text: "binh"},
		{Text: "nguyen", OrderByDue: true},
		{Text: "nguyen", OrderByDue: true, Limit: 3, Offset: 2},
		{Text: "09", OrderByDue: true, Units: []string{"unit-01"}, Status: open},
		{Text: "09", OrderByDue: true, Units: []string{"unit-01", "unit-02", "unit-03"}},
		{Text: "xa0", Units: []string{"unit-01", "unit-02"}},
		{Text: "van", OrderByDue: true, After: engine.PositionOf(after, engine.Query{OrderByDue: true}), Limit: 5},
		{Text: "thi", Status: []engine.Status{engine.StatusFinished}},
	} {
		var got [2][]string
		for i, broad := range []bool{false, true} {
			query, args := selectDossiersFor(q, broad)
			err := s.scan(t.Context(), query, args, func(d *engine.Dossier) error {
				got[i] = append(got[i], d.Code)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if len(got[0]) == 0 || !slices.Equal(got[0], got[1]) {
			t.Errorf("%+v: narrow %v, broad %v", q, got[0], got[1])
		}
	}
}

func mustInsertDossier(t *testing.T, s *Store, d *engine.Dossier) {
	t.Helper()
	if err := s.Insert(t.Context(), d, nil); err != nil {
		t.Fatal(fmt.Errorf("%s: %w", d.Code, err))
	}
}
