package mongostore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/mongostore"
	"github.com/motcua/motcua/internal/ferrettest"
)

// TestMigrationBackfillsFigureUnit: dossiers stored before schema 4 have
// no figure_unit; Open fills it from their stored history, so that the
// open counts attribute them as they attribute a dossier written since
// (the unit it was handed to, or for one waiting for the applicant, the
// unit that sent it there); a reopen changes nothing.
func TestMigrationBackfillsFigureUnit(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	mustInsert(t, s, enginetest.NewDossier("XA01-260302-0001", func(d *engine.Dossier) { d.DueAt = ptrTime(now.Add(-time.Hour)) }))
	mustInsert(t, s, enginetest.NewDossier("XA01-260302-0002", func(d *engine.Dossier) {
		d.State, d.Unit, d.Status, d.DueAt = "cho_bo_sung", "", engine.StatusPaused, nil
		d.History = append(d.History, engine.HistoryRow{Seq: 3, At: d.History[1].At.Add(time.Hour), Action: "yeu_cau_bo_sung",
			Actor: enginetest.Officer, FromState: "tham_dinh", ToState: "cho_bo_sung", FromUnit: enginetest.UnitOffice})
	}))
	dayEnd := now.Add(8 * time.Hour)
	want, err := s.OpenCounts(ctxT(t), now, dayEnd)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 2 || want[0].FigureUnit != enginetest.UnitOffice || want[1].FigureUnit != enginetest.UnitOffice {
		t.Fatalf("counts as written: %+v; want both dossiers attributed to %s", want, enginetest.UnitOffice)
	}
	// The documents as schema 3 left them: no figure unit, schema at 3.
	if _, err := s.Database().Collection("dossiers").UpdateMany(ctxT(t), bson.D{},
		bson.D{{Key: "$unset", Value: bson.D{{Key: "figure_unit", Value: ""}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Database().Collection("meta").UpdateOne(ctxT(t), bson.D{{Key: "_id", Value: "schema"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 3}}}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.OpenCounts(ctxT(t), now, dayEnd); err != nil || reflect.DeepEqual(got, want) {
		t.Fatalf("before the migration: %+v (%v); the test cannot show the backfill", got, err)
	}
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		again, err := mongostore.Open(ctx, ferrettest.Start(t), s.Database().Name())
		cancel()
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		got, err := again.OpenCounts(ctxT(t), now, dayEnd)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("after the migration: %+v (%v), want %+v", got, err, want)
		}
		again.Close()
	}
}

func ptrTime(t time.Time) *time.Time { return &t }
