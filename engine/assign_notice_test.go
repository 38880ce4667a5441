package engine_test

import (
	"slices"
	"testing"

	"github.com/motcua/motcua/engine"
)

// TestAssignTellsTheAssignee: a head's assignment writes one notice, to
// the officer named and nobody else; an officer taking the step, or a
// replay, writes none.
func TestAssignTellsTheAssignee(t *testing.T) {
	t.Parallel()
	env := wtEnv(t) // binh heads "phong"; chi and dung are its officers
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	now := wtAt(2026, 3, 2, 10, 0)

	dec, err := engine.Assign(env, d, "binh", "dung", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(dec.Notifications) != 1 {
		t.Fatalf("rule: a head's assignment tells the assignee: %d notices", len(dec.Notifications))
	}
	n := dec.Notifications[0]
	if n.Kind != engine.NoteAssigned || !slices.Equal(n.To, []string{"dung"}) || n.Dossier != d.Code ||
		n.Status != engine.NotificationPending || n.Data["code"] != d.Code || n.Data["state"] == "" || n.Data["assigned_by"] == "binh" {
		t.Errorf("rule: the notice names the dossier, its step and the head by name, to the assignee only: %+v", n)
	}
	d2 := wtApply(d, dec)
	if again, _ := engine.Assign(env, d2, "binh", "dung", now); again == nil || len(again.Notifications) != 0 {
		t.Errorf("rule: assigning the same officer again tells nobody")
	}
	dec, err = engine.Assign(env, d2, "chi", "chi", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(dec.Notifications) != 0 {
		t.Errorf("rule: an officer taking the step is told nothing: %+v", dec.Notifications)
	}
	// Reassigning: a new notice with its own ID, to the new assignee.
	dec2, err := engine.Assign(env, wtApply(d2, dec), "binh", "dung", now)
	if err != nil || len(dec2.Notifications) != 1 || dec2.Notifications[0].ID == n.ID {
		t.Errorf("rule: a reassignment is a new notice: %v %+v", err, dec2)
	}
}
