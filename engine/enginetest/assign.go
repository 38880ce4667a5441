package enginetest

import (
	"testing"

	"github.com/motcua/motcua/engine"
)

// testEngineAssignee: the step's assignee is part of the dossier
// document: stored with its history row, read back equal, and removed
// from the stored document when the dossier moves to the next step (a
// store that only sets fields would keep yesterday's assignee).
func testEngineAssignee(t *testing.T, s engine.Store) {
	ctx := t.Context()
	e, _, d := received(t, s)
	nd, err := e.Assign(ctx, d.Code, Receiver, Receiver, d.Version)
	if err != nil {
		t.Fatalf("Assign: %v", err)
	}
	got := mustGet(t, s, d.Code)
	if diff := Diff(nd, got); diff != "" {
		t.Fatalf("stored dossier differs from the assigned one: %s", diff)
	}
	last := got.History[len(got.History)-1]
	if got.Assignee != Receiver || last.Action != engine.ActionAssign || last.Inputs["assignee"] != Receiver || got.Version != 2 {
		t.Fatalf("after taking the step: assignee %q, last row %+v, version %d", got.Assignee, last, got.Version)
	}
	if _, err := e.Assign(ctx, d.Code, Receiver, Receiver, 1); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("an assignment from a stale page: %v, want a conflict", err)
	}
	if _, err := e.Act(ctx, d.Code, SampleFlow()[0], 0); err != nil {
		t.Fatalf("hand over: %v", err)
	}
	if got := mustGet(t, s, d.Code); got.Assignee != "" || len(got.History) != 3 {
		t.Errorf("after the handover: assignee %q (want none), %d history rows", got.Assignee, len(got.History))
	}
}
