package mongostore_test

import (
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestSlimScanLeavesOutWhatFiguresDoNotRead: a Slim scan's documents
// come without the personal data and free text engine.SlimDropped names
// (the server projects them away), every other field as stored.
func TestSlimScanLeavesOutWhatFiguresDoNotRead(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	d := enginetest.NewDossier("XA01-260302-0001")
	if err := s.Insert(t.Context(), d, nil); err != nil {
		t.Fatal(err)
	}
	var got []*engine.Dossier
	if err := s.Scan(t.Context(), engine.Query{Slim: true}, func(d *engine.Dossier) error { got = append(got, d); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("Slim scan: %d dossiers", len(got))
	}
	g := got[0]
	if g.Applicant != (engine.Applicant{}) || g.ReceiveKey != "" || g.Uses != nil || g.Fired != nil ||
		g.History[0].Inputs != nil || g.History[0].IdempotencyKey != "" {
		t.Errorf("a Slim scan carries dropped fields: %+v", g)
	}
	if diff := enginetest.Diff(enginetest.StripSlim(d.Clone()), g); diff != "" {
		t.Errorf("a Slim scan's dossier differs from the stored one but for SlimDropped: %s", diff)
	}
}
