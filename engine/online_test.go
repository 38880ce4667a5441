package engine

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// portalEnv is envOf with a portal account (dvcqg) and, when sync is
// true, sync records on.
func portalEnv(t *testing.T, sync bool) Env {
	t.Helper()
	base := testDirectory(t)
	var units []Unit
	for _, u := range base.Units() {
		units = append(units, *u)
	}
	var people []Person
	for _, p := range base.People() {
		people = append(people, *p)
	}
	people = append(people,
		Person{ID: "dvcqg", Name: "Cổng DVCQG", Roles: []Role{RolePortal}, Active: true},
		Person{ID: "cong-cu", Name: "Cổng cũ", Roles: []Role{RolePortal}, Active: false})
	dir, err := NewDirectory(units, people)
	if err != nil {
		t.Fatal(err)
	}
	return Env{Procedure: birthProc(t), Directory: dir, Calendar: vnCal, PortalSync: sync}
}

func submitted(t *testing.T, env Env, when string) *Dossier {
	t.Helper()
	dec, err := SubmitOnline(env, OnlineInput{Actor: "dvcqg", PortalID: "G22.99-260302-000001", Applicant: Applicant{Name: "Nguyễn Văn A"},
		Components: []ComponentReceipt{{ID: "to-khai", Copy: CopyOriginal, Count: 1}}, Digest: "d1"}, "UBND-260302-0001", at(t, when))
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return dec.Dossier
}

// TestOnlineIntake pins the rules of the online intake, one case each.
func TestOnlineIntake(t *testing.T) {
	env := portalEnv(t, false)

	t.Run("a submission waits as Mới đăng ký with no clock", func(t *testing.T) {
		d := submitted(t, env, "2026-03-02T09:00:00+07:00")
		if d.State != StateOnlineRegistered || d.Status != StatusRegistered || d.Channel != ChannelOnline {
			t.Fatalf("state %s status %s channel %s", d.State, d.Status, d.Channel)
		}
		if d.DueAt != nil || d.StepDueAt != nil || d.NextCheckAt != nil || len(d.Ledger) != 0 || !d.StartAt.IsZero() {
			t.Fatalf("a clock runs before acceptance: due %s step due %s next %s ledger %v", show(d.DueAt), show(d.StepDueAt), show(d.NextCheckAt), d.Ledger)
		}
		if d.Unit != "tiep-nhan" || NationalStatus(env.Procedure, d.State) != NationalRegistered {
			t.Fatalf("queue %s, national status %d", d.Unit, NationalStatus(env.Procedure, d.State))
		}
		if d.ReceiveKey != OnlineKey("dvcqg", "G22.99-260302-000001") || d.History[0].Inputs[InputDigest] != "d1" {
			t.Fatalf("key %q inputs %v", d.ReceiveKey, d.History[0].Inputs)
		}
	})

	t.Run("the legal clock starts at acceptance, not at submission", func(t *testing.T) {
		d := submitted(t, env, "2026-03-02T09:00:00+07:00") // Monday morning
		// Accepted the next day after the 15:00 cut-off: birth registration
		// is same-day, counted from the next working day.
		dec, err := AcceptOnline(env, d, ActInput{Action: ActionAcceptOnline, Actor: "tn01"}, at(t, "2026-03-03T16:00:00+07:00"))
		if err != nil {
			t.Fatal(err)
		}
		nd := dec.Dossier
		if nd.State != "received" || nd.Status != StatusInProgress || nd.ReceivedBy != "tn01" {
			t.Fatalf("state %s status %s by %s", nd.State, nd.Status, nd.ReceivedBy)
		}
		if got := showT(nd.ReceivedAt); got != "2026-03-03T16:00:00+07:00" {
			t.Errorf("received at %s, want the acceptance", got)
		}
		if got := show(nd.DueAt); got != "2026-03-04T17:00:00+07:00" {
			t.Errorf("due %s, want the end of the working day after the acceptance", got)
		}
		if len(nd.Ledger) != 1 || nd.Ledger[0].Kind != ClockStart || nd.NextCheckAt == nil {
			t.Errorf("ledger %v next check %s", nd.Ledger, show(nd.NextCheckAt))
		}
		if r := nd.History[1]; r.Action != ActionAcceptOnline || r.FromState != StateOnlineRegistered || r.ToState != "received" || r.Seq != 2 {
			t.Errorf("row %+v", r)
		}
		if d.State != StateOnlineRegistered {
			t.Error("AcceptOnline mutated its input")
		}
	})

	t.Run("a refusal needs a reason and ends not received, judged neither on time nor late", func(t *testing.T) {
		d := submitted(t, env, "2026-03-02T09:00:00+07:00")
		var miss *MissingInputError
		if _, err := RefuseOnline(env, d, ActInput{Action: ActionRefuseOnline, Actor: "tn01", Inputs: map[string]string{"reason": "  "}}, at(t, "2026-03-02T10:00:00+07:00")); !errors.As(err, &miss) {
			t.Fatalf("no reason: %v", err)
		}
		dec, err := RefuseOnline(env, d, ActInput{Action: ActionRefuseOnline, Actor: "tn01", Inputs: map[string]string{"reason": "Thiếu tờ khai"}}, at(t, "2026-03-02T10:00:00+07:00"))
		if err != nil {
			t.Fatal(err)
		}
		nd := dec.Dossier
		if nd.State != StateOnlineRefused || !nd.IsFinished() || nd.Result != OutcomeRefused || nd.Timeliness != "" || nd.DueAt != nil {
			t.Fatalf("state %s status %s result %s timeliness %q due %s", nd.State, nd.Status, nd.Result, nd.Timeliness, show(nd.DueAt))
		}
		if NationalStatus(env.Procedure, nd.State) != NationalNotReceived || nd.History[1].Inputs["reason"] != "Thiếu tờ khai" {
			t.Fatalf("national %d row %+v", NationalStatus(env.Procedure, nd.State), nd.History[1])
		}
	})

	t.Run("only the reception unit decides", func(t *testing.T) {
		d := submitted(t, env, "2026-03-02T09:00:00+07:00")
		var forbidden *ForbiddenError
		if _, err := AcceptOnline(env, d, ActInput{Action: ActionAcceptOnline, Actor: "tp01"}, at(t, "2026-03-02T10:00:00+07:00")); !errors.As(err, &forbidden) {
			t.Fatalf("accepted by another unit: %v", err)
		}
	})

	t.Run("a decided dossier is not decided again", func(t *testing.T) {
		d := submitted(t, env, "2026-03-02T09:00:00+07:00")
		dec, err := AcceptOnline(env, d, ActInput{Action: ActionAcceptOnline, Actor: "tn01"}, at(t, "2026-03-02T10:00:00+07:00"))
		if err != nil {
			t.Fatal(err)
		}
		var na *NotAllowedError
		if _, err := RefuseOnline(env, dec.Dossier, ActInput{Action: ActionRefuseOnline, Actor: "tn01", Inputs: map[string]string{"reason": "x"}}, at(t, "2026-03-02T10:01:00+07:00")); !errors.As(err, &na) {
			t.Fatalf("refused after acceptance: %v", err)
		}
		ref, _ := RefuseOnline(env, d, ActInput{Action: ActionRefuseOnline, Actor: "tn01", Inputs: map[string]string{"reason": "x"}}, at(t, "2026-03-02T10:00:00+07:00"))
		var fin *FinishedError
		if _, err := AcceptOnline(env, ref.Dossier, ActInput{Action: ActionAcceptOnline, Actor: "tn01"}, at(t, "2026-03-02T10:01:00+07:00")); !errors.As(err, &fin) {
			t.Fatalf("accepted after refusal: %v", err)
		}
	})

	t.Run("the procedure's actions do not apply before acceptance", func(t *testing.T) {
		d := submitted(t, env, "2026-03-02T09:00:00+07:00")
		var na *NotAllowedError
		if _, err := Step(env, d, ActInput{Action: "transfer", Actor: "tn01"}, at(t, "2026-03-02T10:00:00+07:00")); !errors.As(err, &na) {
			t.Fatalf("transfer before acceptance: %v", err)
		}
	})
}

// TestOnlineSubmissionErrors names each submission the core refuses.
func TestOnlineSubmissionErrors(t *testing.T) {
	env := portalEnv(t, false)
	env.Procedure.Components = []Component{{ID: "to-khai", Name: "Tờ khai", Required: true}}
	ok := OnlineInput{Actor: "dvcqg", PortalID: "P1", Applicant: Applicant{Name: "A"}}
	cases := []struct {
		rule string
		edit func(*OnlineInput)
		code Code
	}{
		{"only a portal account submits", func(in *OnlineInput) { in.Actor = "tn01" }, EFORBIDDEN},
		{"a deactivated portal account does not", func(in *OnlineInput) { in.Actor = "cong-cu" }, EFORBIDDEN},
		{"an unknown account is not found", func(in *OnlineInput) { in.Actor = "nobody" }, ENOTFOUND},
		{"the portal id is required", func(in *OnlineInput) { in.PortalID = "" }, EINVALID},
		{"the portal id has no surrounding spaces", func(in *OnlineInput) { in.PortalID = " P1" }, EINVALID},
		{"the applicant's name is required", func(in *OnlineInput) { in.Applicant.Name = "" }, EINVALID},
		{"the phone is checked as at the desk", func(in *OnlineInput) { in.Applicant.Phone = "12345" }, EINVALID},
		{"a component must be the procedure's", func(in *OnlineInput) { in.Components = []ComponentReceipt{{ID: "x", Count: 1}} }, EINVALID},
		{"a component is listed once", func(in *OnlineInput) {
			in.Components = []ComponentReceipt{{ID: "to-khai", Count: 1}, {ID: "to-khai", Count: 1}}
		}, EINVALID},
		{"a component has 1–100 copies", func(in *OnlineInput) { in.Components = []ComponentReceipt{{ID: "to-khai", Count: 0}} }, EINVALID},
		{"a component's form is known", func(in *OnlineInput) {
			in.Components = []ComponentReceipt{{ID: "to-khai", Copy: "scan", Count: 1}}
		}, EINVALID},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			in := ok
			c.edit(&in)
			_, err := SubmitOnline(env, in, "UBND-260302-0001", at(t, "2026-03-02T09:00:00+07:00"))
			if ErrorCode(err) != c.code {
				t.Fatalf("got %v (%s), want %s", err, ErrorCode(err), c.code)
			}
		})
	}
	if _, err := SubmitOnline(env, ok, "UBND-260302-0001", at(t, "2026-03-02T09:00:00+07:00")); err != nil {
		t.Fatalf("the valid submission: %v", err)
	}
}

// TestSyncRecordsOfAScenario: with sync on, every decision that adds a
// history row carries one record whose id names the row and whose
// national status is the state's, and the payload is the whole picture.
func TestSyncRecordsOfAScenario(t *testing.T) {
	env := portalEnv(t, true)
	var records []Notification
	dec, err := SubmitOnline(env, OnlineInput{Actor: "dvcqg", PortalID: "G1", Applicant: Applicant{Name: "A"}, Digest: "x"}, "UBND-260302-0001", at(t, "2026-03-02T09:00:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	records = append(records, dec.Notifications...)
	d := dec.Dossier
	dec, err = AcceptOnline(env, d, ActInput{Action: ActionAcceptOnline, Actor: "tn01"}, at(t, "2026-03-02T09:30:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	records = append(records, dec.Notifications...)
	d = dec.Dossier
	for _, a := range []act{
		{"2026-03-02T10:00:00+07:00", "transfer", "tn01", nil},
		{"2026-03-02T11:00:00+07:00", "submit", "tp01", map[string]string{"note": "ok"}},
		{"2026-03-02T11:30:00+07:00", "sign", "ld01", nil},
	} {
		dec, err := Step(env, d, ActInput{Action: a.action, Actor: a.actor, Inputs: a.inputs}, at(t, a.when))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range dec.Notifications {
			if n.Kind == NotePortalSync {
				records = append(records, n)
			}
		}
		d = dec.Dossier
	}
	wantStatus := []int{1, 2, 4, 4, 10}
	if len(records) != len(wantStatus) {
		t.Fatalf("%d records, want one per change (%d)", len(records), len(wantStatus))
	}
	for i, n := range records {
		var p SyncPayload
		if err := json.Unmarshal([]byte(n.Data["payload"]), &p); err != nil {
			t.Fatal(err)
		}
		if n.ID != SyncRecordID(d.Code, i+1, "") || p.RecordID != n.ID || p.Seq != i+1 || n.Channel != ChannelPortal {
			t.Errorf("record %d: id %s payload id %s seq %d channel %s", i, n.ID, p.RecordID, p.Seq, n.Channel)
		}
		if p.Dossier.Status != wantStatus[i] || len(p.Dossier.Progress) != i+1 {
			t.Errorf("record %d: status %d, %d progress rows; want %d, %d", i, p.Dossier.Status, len(p.Dossier.Progress), wantStatus[i], i+1)
		}
	}
	var last SyncPayload
	if err := json.Unmarshal([]byte(records[4].Data["payload"]), &last); err != nil {
		t.Fatal(err)
	}
	ds := last.Dossier
	// Dates in Vietnam's time, yyyyMMddHHmmss; received is the acceptance.
	if ds.Received != "20260302093000" || ds.Returned != "20260302113000" || ds.Finished != "20260302113000" || ds.Channel != 2 {
		t.Errorf("received %s returned %s finished %s channel %d", ds.Received, ds.Returned, ds.Finished, ds.Channel)
	}
	if r := ds.Progress[2]; r.ActorName != "Tiếp nhận 01" || r.StepDue == "" || r.Status != 4 {
		t.Errorf("progress row %+v: want the actor's name, the left step's deadline, status 4", r)
	}
	var first SyncPayload
	_ = json.Unmarshal([]byte(records[0].Data["payload"]), &first)
	if first.Dossier.Received != "" {
		t.Errorf("a dossier not yet received carries received %s", first.Dossier.Received)
	}
	off := portalEnv(t, false)
	dec, _ = Step(off, d, ActInput{Action: "transfer", Actor: "tn01"}, at(t, "2026-03-02T10:00:00+07:00"))
	if dec != nil {
		t.Fatal("a finished dossier moved")
	}
	got, _ := Receive(off, ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "A"}}, "X-1", at(t, "2026-03-02T10:00:00+07:00"))
	if len(got.Notifications) != 0 {
		t.Errorf("sync off, yet %d records", len(got.Notifications))
	}
}

// TestSyncPayloadContents: components with their scans and reuse, the
// result file, fees paid online.
func TestSyncPayloadContents(t *testing.T) {
	env := portalEnv(t, true)
	d := receive(t, env, "2026-03-02T09:00:00+07:00")
	// Declared after the reception, which this test does not check.
	env.Procedure.Components = []Component{{ID: "to-khai", Name: "Tờ khai", Required: true}, {ID: "cccd", Name: "CCCD"}}
	paid := at(t, "2026-03-02T09:10:00+07:00")
	d.Components = []ComponentReceipt{{ID: "to-khai", Copy: CopyOriginal, Count: 1}}
	d.Files = []FileRef{
		{ID: "f1", SHA256: "aa", Component: "to-khai", At: paid},
		{ID: "f2", SHA256: "bb", Component: "cccd", ReusedFrom: "UBND-250101-0001", At: paid},
		{ID: "f3", SHA256: "cc", Result: true, Signed: true, At: paid},
	}
	d.Fees = []FeeRecord{{ID: "le-phi", Amount: 8000, Paid: true, Method: PayOnline, PaidAt: &paid}, {ID: "ban-sao", Amount: 3000, Paid: true, Method: PayCounter}}
	p := BuildSyncPayload(env, d, "r", "change").Dossier
	if len(p.Components) != 2 || !p.Components[0].Digitised || !p.Components[0].Received || p.Components[0].Reused || !p.Components[1].Reused || p.Components[1].Received {
		t.Errorf("components %+v", p.Components)
	}
	if len(p.ResultFiles) != 1 || !p.ResultFiles[0].Signed || p.ResultFiles[0].SHA256 != "cc" {
		t.Errorf("result files %+v", p.ResultFiles)
	}
	if !p.Fees[0].PaidOnline || p.Fees[1].PaidOnline || p.Fees[0].PaidAt != "20260302091000" {
		t.Errorf("fees %+v", p.Fees)
	}
}

// TestOnlineActionsOffered: the desk is offered both decisions on a
// waiting online dossier, and nobody else is; the refusal asks for a
// reason and a confirmation like any action that ends a dossier.
func TestOnlineActionsOffered(t *testing.T) {
	env := portalEnv(t, false)
	d := submitted(t, env, "2026-03-02T09:00:00+07:00")
	desk, _ := env.Directory.Person("tn01")
	office, _ := env.Directory.Person("tp01")
	got := Available(env.Procedure, d, desk)
	if len(got) != 2 || got[0].ID != ActionAcceptOnline || got[1].ID != ActionRefuseOnline || len(got[1].Requires) != 1 {
		t.Fatalf("desk offered %v", got)
	}
	if !env.Procedure.EndsOrSendsBack(got[1]) || env.Procedure.EndsOrSendsBack(got[0]) {
		t.Error("the refusal must be confirmed, the acceptance not")
	}
	if n := len(Available(env.Procedure, d, office)); n != 0 {
		t.Errorf("another unit offered %d actions", n)
	}
	dec, _ := AcceptOnline(env, d, ActInput{Action: ActionAcceptOnline, Actor: "tn01"}, at(t, "2026-03-02T10:00:00+07:00"))
	for _, a := range Available(env.Procedure, dec.Dossier, desk) {
		if IsOnlineAction(a.ID) {
			t.Errorf("%s offered after acceptance", a.ID)
		}
	}
}

// TestSyncPayloadListsNeverNull: a receiver iterates the lists of a
// dossier that has no component, file or fee without a null check.
func TestSyncPayloadListsNeverNull(t *testing.T) {
	env := portalEnv(t, false)
	env.Procedure.Components = []Component{{ID: "to-khai", Name: "Tờ khai"}}
	body, err := json.Marshal(BuildSyncPayload(env, receive(t, env, "2026-03-02T09:00:00+07:00"), "r", "change"))
	if err != nil {
		t.Fatal(err)
	}
	for _, null := range []string{`"components":null`, `"result_files":null`, `"fees":null`, `"files":null`, `"progress":null`} {
		if strings.Contains(string(body), null) {
			t.Errorf("payload has %s: %s", null, body)
		}
	}
}

// TestOnlineDossierHasNoClockToRecompute: a calendar change leaves a
// dossier waiting for acceptance as it is (no clock, still registered).
func TestOnlineDossierHasNoClockToRecompute(t *testing.T) {
	env := portalEnv(t, true)
	d := submitted(t, env, "2026-03-02T09:00:00+07:00")
	if dec, changed, err := Recompute(env, d, at(t, "2026-03-03T09:00:00+07:00")); err != nil || changed || dec != nil {
		t.Fatalf("recompute: %v changed %v", err, changed)
	}
}

// TestAssignAndRecomputeCarrySync: an assignment and a recomputed
// appointment add history rows, so each carries its sync record.
func TestAssignAndRecomputeCarrySync(t *testing.T) {
	env := portalEnv(t, true)
	d := receive(t, env, "2026-03-02T09:00:00+07:00")
	dec, err := Assign(env, d, "tn01", "tn01", at(t, "2026-03-02T09:10:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dec.Notifications) != 1 || dec.Notifications[0].ID != SyncRecordID(d.Code, 2, "") {
		t.Errorf("assignment records %+v", dec.Notifications)
	}
	// A stored due instant the calendar no longer gives (as after a new
	// official calendar) is recomputed, and the portal hears of it.
	stale := dec.Dossier.Clone()
	old := stale.DueAt.Add(-24 * time.Hour)
	stale.DueAt, stale.AppointmentAt = &old, &old
	rec, changed, err := Recompute(env, stale, at(t, "2026-03-02T10:00:00+07:00"))
	if err != nil || !changed || len(rec.Notifications) != 1 || rec.Notifications[0].ID != SyncRecordID(d.Code, 3, "") {
		t.Fatalf("recompute: %v changed %v records %+v", err, changed, rec)
	}
}
