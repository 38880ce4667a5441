package portalsync_test

import (
	"context"
	"errors"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/notify"
	"github.com/motcua/motcua/engine/portalsync"
)

var _ notify.Route = (*portalsync.Delivery)(nil)

// scenario runs an online dossier through acceptance and the sample flow
// and a counter dossier through a supplement round and a refusal, and
// returns their codes with the national statuses each change must report.
func scenario(t testing.TB, b *bundle, name string) map[string][]int {
	t.Helper()
	ctx := context.Background()
	online, created, err := b.eng.SubmitOnline(ctx, enginetest.SampleCode, 0, engine.OnlineInput{
		Actor: Portal, PortalID: "G-" + name, Applicant: engine.Applicant{Name: name}, Digest: "d"})
	if err != nil || !created {
		t.Fatalf("submit: %v created %v", err, created)
	}
	b.clock.Advance(10 * 60e9)
	if _, err := b.eng.Act(ctx, online.Code, engine.ActInput{Action: engine.ActionAcceptOnline, Actor: enginetest.Receiver}, 0); err != nil {
		t.Fatal(err)
	}
	for _, a := range enginetest.SampleFlow() {
		b.clock.Advance(60e9)
		if _, err := b.eng.Act(ctx, online.Code, a, 0); err != nil {
			t.Fatal(err)
		}
	}
	counter, err := b.eng.Receive(ctx, enginetest.SampleCode, 0, enginetest.SampleReception(name))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []engine.ActInput{
		{Action: "chuyen", Actor: enginetest.Receiver},
		{Action: "yeu_cau_bo_sung", Actor: enginetest.Officer, Inputs: map[string]string{"reason": "thiếu bản sao"}},
		{Action: "nhan_bo_sung", Actor: enginetest.Receiver},
		{Action: "tu_choi", Actor: enginetest.Officer, Inputs: map[string]string{"reason": "không đủ điều kiện"}},
	} {
		b.clock.Advance(60e9)
		if _, err := b.eng.Act(ctx, counter.Code, a, 0); err != nil {
			t.Fatal(err)
		}
	}
	return map[string][]int{
		online.Code:  {1, 2, 4, 4, 9, 10},
		counter.Code: {2, 4, 5, 4, 3},
	}
}

// checkArrived: every change of each dossier arrived exactly once, in
// order, with its national status, and the last record is the whole
// picture (all its progress rows).
func checkArrived(t *testing.T, r *receiver, want map[string][]int) {
	t.Helper()
	for code, statuses := range want {
		got := r.records(code)
		if len(got) != len(statuses) {
			t.Errorf("%s: %d records arrived, want %d", code, len(got), len(statuses))
			continue
		}
		for i, p := range got {
			if p.Seq != i+1 || p.RecordID != engine.SyncRecordID(code, i+1, "") || p.Dossier.Status != statuses[i] {
				t.Errorf("%s record %d: seq %d id %s status %d; want seq %d status %d", code, i, p.Seq, p.RecordID, p.Dossier.Status, i+1, statuses[i])
			}
		}
		if last := got[len(got)-1]; len(last.Dossier.Progress) != len(statuses) {
			t.Errorf("%s: the last record has %d progress rows, want %d", code, len(last.Dossier.Progress), len(statuses))
		}
	}
}

// TestEveryTransitionArrivesOnceInOrder is the scenario with the
// receiver up throughout.
func TestEveryTransitionArrivesOnceInOrder(t *testing.T) {
	b := setup(t, t.TempDir())
	want := scenario(t, b, "Nguyễn Văn A")
	b.drain(t)
	checkArrived(t, b.recv, want)
	if b.recv.dups != 0 || b.delivery.Duplicates() != 0 {
		t.Errorf("duplicates without a crash: receiver %d, counted %d", b.recv.dups, b.delivery.Duplicates())
	}
	for code := range want {
		st, ok, err := portalsync.StateOf(context.Background(), b.store, code)
		if err != nil || !ok || st.State != portalsync.Synced || st.Sent != st.Records {
			t.Errorf("%s: state %+v ok %v err %v, want synced", code, st, ok, err)
		}
	}
}

// TestOutageDeliversEverythingInOrder: the receiver answers 503 while the
// dossiers change; the records wait, the state says failed with the
// error, and once it is back everything arrives, in order, once.
func TestOutageDeliversEverythingInOrder(t *testing.T) {
	b := setup(t, t.TempDir())
	b.recv.setDown(true)
	want := scenario(t, b, "Trần Thị B")
	ctx := context.Background()
	for range 5 {
		if _, _, err := b.disp.DispatchOnce(ctx, b.clock.Now()); err != nil {
			t.Fatal(err)
		}
		b.clock.Advance(60e9)
	}
	for code := range want {
		st, _, err := portalsync.StateOf(ctx, b.store, code)
		if err != nil || st.State != portalsync.Failed || st.Sent != 0 || st.LastError == "" || st.NextAttempt == nil {
			t.Errorf("%s during the outage: %+v (%v), want failed with the error", code, st, err)
		}
	}
	// Only the head record of each dossier was tried: the rest were held.
	if b.recv.refused != 5*len(want) {
		t.Errorf("%d attempts refused during the outage, want %d (one per dossier per round)", b.recv.refused, 5*len(want))
	}
	if b.disp.Held() == 0 {
		t.Error("no record was held behind its dossier's first")
	}
	b.recv.setDown(false)
	b.drain(t)
	checkArrived(t, b.recv, want)
	for code := range want {
		if st, _, _ := portalsync.StateOf(ctx, b.store, code); st.State != portalsync.Synced {
			t.Errorf("%s after the outage: %+v", code, st)
		}
	}
}

// TestResyncSendsThePeriodAgain: a resync enqueues the current picture of
// each dossier received in the period once per stamp, after the change
// records, and the receiver gets it as a new record.
func TestResyncSendsThePeriodAgain(t *testing.T) {
	b := setup(t, t.TempDir())
	want := scenario(t, b, "Lê Văn C")
	b.drain(t)
	ctx := context.Background()
	from := enginetest.Monday.Add(-1e12)
	n, err := portalsync.Resync(ctx, b.eng, from, enginetest.Monday.Add(24*3600e9), "r1")
	if err != nil || n != len(want) {
		t.Fatalf("resync: %d records, %v; want %d", n, err, len(want))
	}
	if again, _ := portalsync.Resync(ctx, b.eng, from, enginetest.Monday.Add(24*3600e9), "r1"); again != 0 {
		t.Errorf("the same resync queued %d records again", again)
	}
	if none, _ := portalsync.Resync(ctx, b.eng, enginetest.Monday.Add(24*3600e9), enginetest.Monday.Add(48*3600e9), "r2"); none != 0 {
		t.Errorf("a period with no reception queued %d", none)
	}
	b.drain(t)
	for code, statuses := range want {
		got := b.recv.records(code)
		if len(got) != len(statuses)+1 {
			t.Fatalf("%s: %d records", code, len(got))
		}
		last := got[len(got)-1]
		if last.Reason != "resync" || last.RecordID != engine.SyncRecordID(code, len(statuses), "resync-r1") || last.Dossier.Status != statuses[len(statuses)-1] {
			t.Errorf("%s: resent %+v", code, last)
		}
	}
}

// TestOnlineIdempotency: the portal's id is the key; the same body twice
// is the same dossier and one record, another body is a conflict.
func TestOnlineIdempotency(t *testing.T) {
	b := setup(t, t.TempDir())
	ctx := context.Background()
	in := engine.OnlineInput{Actor: Portal, PortalID: "G-1", Applicant: engine.Applicant{Name: "A"}, Digest: "d1"}
	first, created, err := b.eng.SubmitOnline(ctx, enginetest.SampleCode, 0, in)
	if err != nil || !created {
		t.Fatal(err, created)
	}
	again, created, err := b.eng.SubmitOnline(ctx, enginetest.SampleCode, 0, in)
	if err != nil || created || again.Code != first.Code {
		t.Fatalf("retry: %v created %v code %s", err, created, again.Code)
	}
	in.Digest = "d2"
	var conflict *engine.PortalIDConflictError
	if _, _, err := b.eng.SubmitOnline(ctx, enginetest.SampleCode, 0, in); !errors.As(err, &conflict) {
		t.Fatalf("another body under the same id: %v", err)
	}
	ns, _ := b.store.Notifications(ctx, first.Code, 0)
	if len(ns) != 1 {
		t.Errorf("%d records for one submission", len(ns))
	}
	// The acceptance, retried with its key, is applied once and takes
	// one line of the desk's register.
	accept := engine.ActInput{Action: engine.ActionAcceptOnline, Actor: enginetest.Receiver, IdempotencyKey: "k1"}
	a1, err := b.eng.Act(ctx, first.Code, accept, 0)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := b.eng.Act(ctx, first.Code, accept, 0)
	if err != nil || a2.Version != a1.Version || a1.RegisterNo != 1 || a1.RegisterBook == "" {
		t.Fatalf("retried acceptance: %v, versions %d/%d, register %s #%d", err, a1.Version, a2.Version, a1.RegisterBook, a1.RegisterNo)
	}
	if _, err := b.eng.Act(ctx, first.Code, engine.ActInput{Action: engine.ActionAcceptOnline, Actor: enginetest.Receiver}, 0); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("a second acceptance: %v (%s)", err, engine.ErrorCode(err))
	}
}
