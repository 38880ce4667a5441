package slim_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/internal/slim"
)

// TestRoundTrip: a slim copy gives back the dossier with exactly the
// fields of engine.SlimDropped cleared, every other field as given.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*engine.Dossier)
	}{
		{"every field set", finished},
		{"nil history stays nil", func(d *engine.Dossier) { d.History = nil }},
		{"empty history stays empty", func(d *engine.Dossier) { d.History = []engine.HistoryRow{} }},
		{"no contents, no rating, no optional instants", func(d *engine.Dossier) {
			d.Components, d.Files, d.Fees, d.Rating = nil, nil, nil, nil
			d.DueAt, d.AppointmentAt, d.StepDueAt, d.FinishedAt, d.NextCheckAt = nil, nil, nil, nil, nil
			d.Ledger = nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := enginetest.NewDossier("XA01-260302-0001", tc.mod)
			want := enginetest.StripSlim(d.Clone())
			if d.History == nil {
				want.History = nil // Clone makes a nil history empty
			}
			got, err := slim.NewDecoder().Decode(slim.Encode(nil, d))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// finished sets the fields enginetest.NewDossier leaves empty (a
// finished, registered, assigned dossier), so that every field is set.
func finished(d *engine.Dossier) {
	at := d.UpdatedAt.Add(time.Hour)
	d.RegisterBook, d.RegisterNo, d.Assignee = "XA01/2026", 7, "chuyen-vien-01"
	d.FinishedAt, d.Result, d.Timeliness = &at, engine.OutcomeApproved, engine.Early
}

// TestEveryFieldButDroppedIsCarried: a field added to engine.Dossier
// must be added to the codec or named in engine.SlimDropped; NewDossier sets every
// field (the stores' round-trip suite fails otherwise).
func TestEveryFieldButDroppedIsCarried(t *testing.T) {
	d := enginetest.NewDossier("XA01-260302-0001", finished)
	got, err := slim.NewDecoder().Decode(slim.Encode(nil, d))
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(got).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		dropped := slices.Contains(engine.SlimDropped, name)
		if v.Field(i).IsZero() != dropped {
			t.Errorf("field %s: zero after the round trip = %v, in Dropped = %v", name, v.Field(i).IsZero(), dropped)
		}
	}
	for i, h := range got.History {
		hv := reflect.ValueOf(h)
		for j := range hv.NumField() {
			name := "History[]." + hv.Type().Field(j).Name
			src := reflect.ValueOf(d.History[i]).Field(j)
			if src.IsZero() {
				continue
			}
			if dropped := slices.Contains(engine.SlimDropped, name); hv.Field(j).IsZero() != dropped {
				t.Errorf("row %d field %s: zero after the round trip = %v, in Dropped = %v", i, name, hv.Field(j).IsZero(), dropped)
			}
		}
	}
}

// TestDecodeRefuses: a damaged copy or an unknown format is ErrFormat,
// never a panic or a half-read dossier.
func TestDecodeRefuses(t *testing.T) {
	good := slim.Encode(nil, enginetest.NewDossier("XA01-260302-0001"))
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"unknown version", append([]byte{9}, good[1:]...)},
		{"truncated", good[:len(good)/2]},
		{"trailing bytes", append(append([]byte(nil), good...), 0)},
	} {
		if _, err := slim.NewDecoder().Decode(tc.b); err == nil {
			t.Errorf("%s: decoded", tc.name)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(slim.Encode(nil, enginetest.NewDossier("XA01-260302-0001")))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := slim.NewDecoder().Decode(b)
		if err != nil {
			return
		}
		// What decodes encodes to something that decodes alike.
		again, err := slim.NewDecoder().Decode(slim.Encode(nil, d))
		if err != nil || !reflect.DeepEqual(again, d) {
			t.Fatalf("re-encoding changed the dossier: %v", err)
		}
	})
}
