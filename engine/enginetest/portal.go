package enginetest

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// portalTests pin what the online intake and the portal sync ask of a
// store through the existing methods: a dossier submitted online (no
// ledger, no clock, status registered) is kept as any other, and a sync
// record — a notification whose payload is a large JSON text — comes back
// byte for byte, since the sync state is derived from the outbox.
var portalTests = []storeTest{
	{"Portal/OnlineDossierRoundTrip", false, testOnlineDossierRoundTrip},
	{"Portal/SyncRecordKeptWhole", false, testSyncRecordKeptWhole},
}

// onlineDossier is a dossier as engine.SubmitOnline leaves it.
func onlineDossier(code string) *engine.Dossier {
	return NewDossier(code, func(d *engine.Dossier) {
		d.State, d.Status, d.Unit = engine.StateOnlineRegistered, engine.StatusRegistered, UnitDesk
		d.Ledger, d.DueAt, d.AppointmentAt, d.StepDueAt, d.NextCheckAt, d.FinishedAt = nil, nil, nil, nil, nil, nil
		d.StartAt = time.Time{} // no clock: counting starts at acceptance
		d.WorkTaken, d.Result, d.Timeliness, d.ReceivedBy = 0, "", "", ""
		d.History = d.History[:1]
		d.History[0].Action, d.History[0].ToState = engine.ActionSubmitOnline, engine.StateOnlineRegistered
		d.ReceiveKey = engine.OnlineKey("cong-dvc", "G-"+code)
	})
}

func testOnlineDossierRoundTrip(t *testing.T, s engine.Store) {
	d := onlineDossier("XA01-260302-0001")
	mustInsert(t, s, d)
	mustInsert(t, s, NewDossier("XA01-260302-0002"))
	if diff := Diff(d, mustGet(t, s, d.Code)); diff != "" {
		t.Errorf("Get: %s", diff)
	}
	got, err := s.GetByReceiveKey(t.Context(), d.ReceiveKey)
	if err != nil || got.Code != d.Code {
		t.Fatalf("GetByReceiveKey: %v", err)
	}
	// The desk's queue lists it by its status, beside dossiers in progress.
	ds, err := s.List(t.Context(), engine.Query{Units: []string{UnitDesk}, Status: []engine.Status{engine.StatusInProgress, engine.StatusRegistered}})
	if err != nil {
		t.Fatal(err)
	}
	if codes := codesOf(ds); len(codes) != 1 || codes[0] != d.Code {
		t.Errorf("queue %v, want [%s]", codes, d.Code)
	}
}

func testSyncRecordKeptWhole(t *testing.T, s engine.Store) {
	d := NewDossier("XA01-260302-0001")
	n := NewNotification(engine.SyncRecordID(d.Code, 2, ""), d.Code, at(0))
	n.Kind, n.Channel, n.To = engine.NotePortalSync, engine.ChannelPortal, nil
	payload := `{"record_id":"` + n.ID + `","dossier":{"applicant":{"name":"Nguyễn Văn Án"},"progress":[` +
		strings.Repeat(`{"seq":1,"at":"20260302090000","actor":"Trần Thị Lan"},`, 400) + `{}]}}`
	n.Data = map[string]string{"record_id": n.ID, "seq": "2", "status": "4", "payload": payload}
	mustInsert(t, s, d, n)
	ns, err := s.Notifications(t.Context(), d.Code, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 {
		t.Fatalf("%d notifications, want the sync record", len(ns))
	}
	if diff := Diff(n, ns[0]); diff != "" {
		t.Errorf("sync record: %s", diff)
	}
}
