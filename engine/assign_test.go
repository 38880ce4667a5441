package engine_test

import (
	"slices"
	"testing"

	"github.com/motcua/motcua/engine"
)

// TestAssign checks who may assign a step to whom, and what is recorded.
func TestAssign(t *testing.T) {
	t.Parallel()
	env := wtEnv(t) // binh heads "phong"; chi and dung are its officers
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	now := wtAt(2026, 3, 2, 10, 0)
	for _, c := range []struct {
		rule            string
		actor, assignee string
		code            engine.Code
	}{
		{"the unit head assigns to a named officer", "binh", "dung", ""},
		{"an officer takes the step", "chi", "chi", ""},
		{"an officer may not assign someone else", "chi", "dung", engine.EFORBIDDEN},
		{"nobody outside the unit takes it", "chu-tich", "chu-tich", engine.EINVALID},
		{"the head may not assign to another unit's people", "binh", "chu-tich", engine.EINVALID},
		{"an unknown person is no assignee", "binh", "ghost", engine.EINVALID},
	} {
		dec, err := engine.Assign(env, d, c.actor, c.assignee, now)
		if c.code != "" {
			if engine.ErrorCode(err) != c.code {
				t.Errorf("rule: %s: err = %v, want code %s", c.rule, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("rule: %s: %v", c.rule, err)
			continue
		}
		row := dec.Row
		if dec.Dossier.Assignee != c.assignee || row.Action != engine.ActionAssign || row.Actor != c.actor || row.Inputs["assignee"] != c.assignee || row.Seq != 2 {
			t.Errorf("rule: %s: assignee %q, row %+v", c.rule, dec.Dossier.Assignee, row)
		}
		if d.Assignee != "" || len(d.History) != 1 {
			t.Errorf("rule: %s: the input dossier changed", c.rule)
		}
	}

	dec, err := engine.Assign(env, d, "binh", "dung", now)
	if err != nil {
		t.Fatal(err)
	}
	d2 := wtApply(d, dec)
	dec, err = engine.Assign(env, d2, "chi", "chi", now)
	if err != nil {
		t.Fatal(err)
	}
	if got := dec.Row.Inputs["previous"]; got != "dung" {
		t.Errorf("rule: a reassignment records whom it replaced; previous = %q", got)
	}
	if again, _ := engine.Assign(env, d2, "binh", "dung", now); again == nil || !again.Replay {
		t.Errorf("rule: assigning the assignee again writes nothing")
	}
	moved, err := engine.Step(env, d2, engine.ActInput{Action: "trinh-ky", Actor: "dung"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Dossier.Assignee != "" {
		t.Errorf("rule: leaving the state clears the assignee; got %q", moved.Dossier.Assignee)
	}
	if _, err := engine.Assign(env, &engine.Dossier{Code: "X", State: "cho-bo-sung", Status: engine.StatusPaused}, "binh", "chi", now); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("rule: a dossier waiting for the citizen has no step to assign; err = %v", err)
	}
}

// TestReminderGoesToAssignee: the reminder rung tells the assignee alone,
// the whole unit when nobody is assigned; the breach still goes to the
// unit head.
func TestReminderGoesToAssignee(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	reminderAt := wtAt(2026, 3, 3, 16, 0) // within 4 working hours of Wed 09:00

	dec, _ := wtCheck(t, env, d, reminderAt)
	if got := wtKinds(dec.Notifications); !slices.Equal(got, []string{engine.NoteReminder}) {
		t.Fatalf("kinds = %v", got)
	}
	if to := dec.Notifications[0].To; !slices.Equal(to, []string{"binh", "chi", "dung"}) {
		t.Errorf("rule: nobody assigned, the whole unit is reminded; To = %v", to)
	}

	as, err := engine.Assign(env, d, "chi", "chi", wtAt(2026, 3, 2, 10, 0))
	if err != nil {
		t.Fatal(err)
	}
	d = wtApply(d, as)
	dec, _ = wtCheck(t, env, d, reminderAt)
	if to := dec.Notifications[0].To; !slices.Equal(to, []string{"chi"}) {
		t.Errorf("rule: the assignee alone is reminded; To = %v", to)
	}
	d = wtApply(d, dec)
	dec, _ = wtCheck(t, env, d, wtAt(2026, 3, 4, 10, 0))
	if got := wtKinds(dec.Notifications); len(got) == 0 || got[0] != engine.NoteBreach || !slices.Equal(dec.Notifications[0].To, []string{"binh"}) {
		t.Errorf("rule: the breach goes to the unit head; %v to %v", got, dec.Notifications)
	}
}

// TestApologyNoticeOnlyToThoseWhoMayFireIt: an admin of the acting unit
// who is not an officer is not told to write the apology letter.
func TestApologyNoticeOnlyToThoseWhoMayFireIt(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	people := env.Directory.People()
	var ps []engine.Person
	var us []engine.Unit
	for _, p := range people {
		ps = append(ps, *p)
	}
	ps = append(ps, engine.Person{ID: "admin", Units: []string{"phong"}, Roles: []engine.Role{engine.RoleAdmin}, Active: true},
		engine.Person{ID: "left", Units: []string{"phong"}, Roles: []engine.Role{engine.RoleOfficer}})
	for _, u := range env.Directory.Units() {
		us = append(us, *u)
	}
	dir, err := engine.NewDirectory(us, ps)
	if err != nil {
		t.Fatal(err)
	}
	env.Directory = dir
	d := &engine.Dossier{Code: "X", State: "xu-ly", Unit: "phong", Status: engine.StatusInProgress}
	got := engine.Recipients(env, d, engine.Alarm{Kind: engine.NoteApologyDue})
	if !slices.Equal(got, []string{"binh", "chi", "dung"}) {
		t.Errorf("rule: the apology notice goes to the active officers who may fire it; To = %v", got)
	}
	if got := engine.Recipients(env, d, engine.Alarm{Kind: engine.NoteReminder}); !slices.Equal(got, []string{"binh", "chi", "dung"}) {
		t.Errorf("rule: an unassigned reminder goes to the unit's active officers, not its admin; To = %v", got)
	}
	d0 := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	dec, err := engine.Step(env, d0, engine.ActInput{Action: "yeu-cau-bo-sung", Actor: "chi"}, wtAt(2026, 3, 2, 10, 0))
	if err != nil {
		t.Fatal(err)
	}
	dec, err = engine.Step(env, wtApply(d0, dec), engine.ActInput{Action: "nhan-bo-sung", Actor: "chi"}, wtAt(2026, 3, 3, 10, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(dec.Notifications) != 1 || !slices.Equal(dec.Notifications[0].To, []string{"binh", "chi", "dung"}) {
		t.Errorf("rule: the handover goes to the unit's active officers, not its admin nor a leaver; %+v", dec.Notifications)
	}
}
