package engine_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// The fixtures of this file are prefixed wt (watch test) so that they do
// not collide with other test files of package engine_test.

var wtLoc = calendar.VN().Location()

// wtAt returns a wall-clock instant in Vietnam.
func wtAt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, wtLoc)
}

func wtDur(s string) *calendar.Duration {
	d, err := calendar.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return &d
}

// wtProcedure is a 5-working-day procedure whose processing step has a
// 2-working-day budget, the default ladder with a leadership rung, an
// apology action, a supplement wait that stops the dossier after 15
// working days, and an in-place clock restart.
func wtProcedure(t testing.TB, rungs ...engine.Rung) *engine.Procedure {
	t.Helper()
	if len(rungs) == 0 {
		rungs = []engine.Rung{
			{Before: wtDur("4 working hours"), Notify: engine.NotifyAssignee},
			{After: wtDur("0 working hours"), Notify: engine.NotifyUnitHead},
			{After: wtDur("1 working day"), Notify: "lanh-dao"},
		}
	}
	p := &engine.Procedure{
		Code: "1.000001", Name: "Đăng ký hộ kinh doanh", NameEN: "Household business registration", Version: 1,
		Kind: engine.KindProcedure, TimeLimit: *wtDur("5 working days"), Supplement: engine.SupplementRestart,
		Initial: "xu-ly",
		States: []*engine.State{
			{ID: "xu-ly", Name: "Thẩm định", NameEN: "Appraisal", Unit: "phong", TimeLimit: *wtDur("2 working days")},
			{ID: "cho-bo-sung", Name: "Chờ bổ sung", WaitsFor: "applicant",
				Timeout: &engine.Timeout{After: *wtDur("15 working days"), Action: "dung"}},
			{ID: "ky", Name: "Ký duyệt", Unit: "lanh-dao", TimeLimit: *wtDur("1 working day")},
			{ID: "xong", Name: "Đã trả kết quả", Final: engine.OutcomeApproved},
			{ID: "da-dung", Name: "Đã dừng", Final: engine.OutcomeWithdrawn},
		},
		Actions: []*engine.Action{
			{ID: "yeu-cau-bo-sung", From: []string{"xu-ly"}, To: "cho-bo-sung"},
			{ID: "nhan-bo-sung", From: []string{"cho-bo-sung"}, To: "xu-ly", By: []string{"phong"}},
			{ID: "trinh-ky", From: []string{"xu-ly"}, To: "ky"},
			{ID: "duyet", From: []string{"ky"}, To: "xong"},
			{ID: "xin-loi", Name: "Văn bản xin lỗi, hẹn lại", From: []string{"xu-ly", "ky"}, Reappoint: true, Requires: []string{"due_at"}},
			{ID: "tinh-lai", From: []string{"xu-ly"}, Clock: engine.EffectRestart},
			{ID: "dung", From: []string{"cho-bo-sung"}, To: "da-dung", System: true},
		},
		Escalation: rungs,
	}
	if err := p.Index(); err != nil {
		t.Fatal(err)
	}
	return p
}

func wtDirectory(t testing.TB, phongHead string) *engine.Directory {
	t.Helper()
	units := []engine.Unit{
		{ID: "phong", Name: "Phòng Kinh tế", Head: phongHead},
		{ID: "lanh-dao", Name: "Lãnh đạo UBND", Head: "chu-tich"},
	}
	people := []engine.Person{
		{ID: "binh", Name: "Trần Bình", Email: "binh@example.vn", Units: []string{"phong"}, Roles: []engine.Role{engine.RoleHead, engine.RoleOfficer}, Active: true},
		{ID: "chi", Name: "Lê Chi", Email: "chi@example.vn", Units: []string{"phong"}, Roles: []engine.Role{engine.RoleOfficer}, Active: true},
		{ID: "dung", Name: "Phạm Dũng", Email: "dung@example.vn", Units: []string{"phong"}, Roles: []engine.Role{engine.RoleOfficer}, Active: true},
		{ID: "chu-tich", Name: "Nguyễn Chủ Tịch", Email: "ct@example.vn", Units: []string{"lanh-dao"}, Active: true},
	}
	d, err := engine.NewDirectory(units, people)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func wtEnv(t testing.TB, rungs ...engine.Rung) engine.Env {
	return engine.Env{Procedure: wtProcedure(t, rungs...), Directory: wtDirectory(t, "binh"), Calendar: calendar.VN()}
}

// wtReceive receives a dossier at Mon 2 Mar 2026 09:00: step due Wed 4
// Mar 09:00, overall due Mon 9 Mar 09:00.
func wtReceive(t testing.TB, env engine.Env, at time.Time) *engine.Dossier {
	t.Helper()
	dec, err := engine.Receive(env, engine.ReceiveInput{Actor: "chi", Applicant: engine.Applicant{Name: "Nguyễn Văn A"}}, "PHONG-260302-0001", at)
	if err != nil {
		t.Fatal(err)
	}
	dec.Dossier.Version = 1
	return dec.Dossier
}

// wtApply mimics a store: the decision's dossier becomes the next version.
func wtApply(d *engine.Dossier, dec *engine.Decision) *engine.Dossier {
	nd := dec.Dossier
	nd.Version = d.Version + 1
	return nd
}

func wtCheck(t *testing.T, env engine.Env, d *engine.Dossier, now time.Time) (*engine.Decision, bool) {
	t.Helper()
	dec, changed, err := engine.Check(env, d, now)
	if err != nil {
		t.Fatalf("Check at %s: %v", now, err)
	}
	return dec, changed
}

func wtKinds(ns []engine.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

func TestAlarmInstants(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	if want := wtAt(2026, 3, 4, 9, 0); !d.StepDueAt.Equal(want) {
		t.Fatalf("step due %s, want %s", d.StepDueAt, want)
	}
	got := engine.Alarms(env, d)
	want := []struct {
		key, kind string
		at        time.Time
	}{
		{"v1/g1/r1", engine.NoteReminder, wtAt(2026, 3, 3, 14, 0)},    // 4 working hours before Wed 09:00
		{"v1/g1/r2", engine.NoteBreach, wtAt(2026, 3, 4, 9, 0)},       // at the step deadline
		{"v1/g1/r3", engine.NoteEscalation, wtAt(2026, 3, 5, 9, 0)},   // 1 working day after
		{"g1/apology", engine.NoteApologyDue, wtAt(2026, 3, 6, 9, 0)}, // 1 working day before Mon 9 Mar 09:00
	}
	if len(got) != len(want) {
		t.Fatalf("got %d alarms, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Key != w.key || got[i].Kind != w.kind || !got[i].At.Equal(w.at) {
			t.Errorf("alarm %d = %s %s at %s, want %s %s at %s", i, got[i].Key, got[i].Kind,
				got[i].At.In(wtLoc), w.key, w.kind, w.at)
		}
	}
	if d.NextCheckAt == nil || !d.NextCheckAt.Equal(want[0].at) {
		t.Errorf("NextCheckAt after reception = %v, want the reminder at %s", d.NextCheckAt, want[0].at)
	}
}

func TestCheckFiresEachRungOnce(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))

	if _, changed := wtCheck(t, env, d, wtAt(2026, 3, 3, 13, 59)); changed {
		t.Fatal("rule: nothing fires before the reminder's instant")
	}
	dec, changed := wtCheck(t, env, d, wtAt(2026, 3, 3, 14, 0))
	if !changed || len(dec.Notifications) != 1 {
		t.Fatalf("rule: the reminder fires at its instant; got changed=%v %+v", changed, dec)
	}
	n := dec.Notifications[0]
	if n.Kind != engine.NoteReminder || n.Level != 1 || n.ID != "PHONG-260302-0001/v1/g1/r1" {
		t.Errorf("reminder = %s level %d id %s", n.Kind, n.Level, n.ID)
	}
	if !slices.Equal(n.To, []string{"binh", "chi", "dung"}) {
		t.Errorf("rule: a reminder goes to the acting unit's members; To = %v", n.To)
	}
	if n.Data["code"] != d.Code || n.Data["step"] != "Thẩm định" || n.Data["deadline"] != "2026-03-04T09:00:00+07:00" {
		t.Errorf("reminder data = %v", n.Data)
	}
	if dec.Row.Seq != 0 || len(dec.Dossier.History) != len(d.History) {
		t.Error("rule: a rung adds no history row")
	}
	d = wtApply(d, dec)
	if !d.NextCheckAt.Equal(wtAt(2026, 3, 4, 9, 0)) {
		t.Errorf("NextCheckAt = %s, want the breach at Wed 09:00", d.NextCheckAt.In(wtLoc))
	}
	if _, changed := wtCheck(t, env, d, wtAt(2026, 3, 3, 16, 0)); changed {
		t.Error("rule: a fired rung does not fire again")
	}

	// The watch was down until Thursday 10:00: breach and escalation both
	// fire, once, to the unit head and to leadership's head.
	dec, _ = wtCheck(t, env, d, wtAt(2026, 3, 5, 10, 0))
	if got := wtKinds(dec.Notifications); !slices.Equal(got, []string{engine.NoteBreach, engine.NoteEscalation}) {
		t.Fatalf("kinds = %v", got)
	}
	if to := dec.Notifications[0].To; !slices.Equal(to, []string{"binh"}) {
		t.Errorf("rule: a breach goes to the unit head; To = %v", to)
	}
	if to := dec.Notifications[1].To; !slices.Equal(to, []string{"chu-tich"}) {
		t.Errorf("rule: a rung naming a unit goes to its head; To = %v", to)
	}
	if got := dec.Notifications[1].Data["late_work"]; got != "9h0m0s" {
		t.Errorf("late_work = %q, want 9h0m0s (Wed 09:00 → Thu 10:00 in office time)", got)
	}
	d = wtApply(d, dec)
	if !d.NextCheckAt.Equal(wtAt(2026, 3, 6, 9, 0)) {
		t.Errorf("NextCheckAt = %s, want the apology notice Fri 09:00", d.NextCheckAt.In(wtLoc))
	}
	dec, _ = wtCheck(t, env, d, wtAt(2026, 3, 6, 9, 0))
	if got := wtKinds(dec.Notifications); !slices.Equal(got, []string{engine.NoteApologyDue}) {
		t.Fatalf("rule: one working day before the overall due, the apology notice; kinds = %v", got)
	}
	if n := dec.Notifications[0]; n.Data["action"] != "xin-loi" || !slices.Equal(n.To, []string{"binh", "chi", "dung"}) {
		t.Errorf("apology notice = %+v", n)
	}
	d = wtApply(d, dec)
	if d.NextCheckAt != nil {
		t.Errorf("rule: nothing left armed, NextCheckAt = %s", d.NextCheckAt)
	}
}

func TestCheckIsDeterministic(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	a, _ := wtCheck(t, env, d, wtAt(2026, 3, 5, 10, 0))
	b, _ := wtCheck(t, env, d, wtAt(2026, 3, 5, 10, 0))
	if len(a.Notifications) == 0 || len(a.Notifications) != len(b.Notifications) {
		t.Fatalf("got %d and %d notifications", len(a.Notifications), len(b.Notifications))
	}
	for i := range a.Notifications {
		if a.Notifications[i].ID != b.Notifications[i].ID {
			t.Errorf("rule: a re-decision has the same IDs: %s vs %s", a.Notifications[i].ID, b.Notifications[i].ID)
		}
	}
	if d.Fired != nil {
		t.Error("Check mutated its input")
	}
}

func TestStaleReminderIsNotSent(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	dec, _ := wtCheck(t, env, d, wtAt(2026, 3, 4, 10, 0))
	if got := wtKinds(dec.Notifications); !slices.Equal(got, []string{engine.NoteBreach}) {
		t.Errorf("rule: a reminder whose deadline already passed is superseded by the breach; kinds = %v", got)
	}
	if !slices.Contains(dec.Dossier.Fired, "v1/g1/r1") {
		t.Error("the superseded reminder must be marked fired, or NextCheck would return it forever")
	}
}

func TestRungsWaitForOfficeHours(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		offHours bool
		want     time.Time
	}{
		{"a rung due at 17:00 fires at the next session start", false, wtAt(2026, 3, 6, 8, 0)},
		{"an off-hours rung fires at its instant", true, wtAt(2026, 3, 5, 17, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// 1 calendar day after Wed 09:00 ends at Thu's close, 17:00.
			env := wtEnv(t, engine.Rung{After: wtDur("1 day"), Notify: engine.NotifyUnitHead, OffHours: tc.offHours})
			d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
			a := engine.Alarms(env, d)[0]
			if !a.At.Equal(tc.want) {
				t.Fatalf("fires at %s, want %s", a.At.In(wtLoc), tc.want)
			}
			if _, changed := wtCheck(t, env, d, tc.want.Add(-time.Minute)); changed {
				t.Error("fired before its instant")
			}
			dec, _ := wtCheck(t, env, d, tc.want)
			if len(dec.Notifications) != 1 {
				t.Errorf("did not fire at %s", tc.want)
			}
		})
	}
	t.Run("a breach at a 17:00 deadline fires at 08:00 the next working day", func(t *testing.T) {
		t.Parallel()
		env := wtEnv(t, engine.Rung{After: wtDur("0 working hours"), Notify: engine.NotifyUnitHead})
		d := wtReceive(t, env, wtAt(2026, 3, 6, 8, 0)) // Fri 08:00 + 2 working days = Mon 17:00
		if a := engine.Alarms(env, d)[0]; !a.At.Equal(wtAt(2026, 3, 10, 8, 0)) {
			t.Errorf("fires at %s, want Tue 10/03 08:00", a.At.In(wtLoc))
		}
	})
}

func TestPausedDossierDoesNotEscalateButTimesOut(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	dec, err := engine.Step(env, d, engine.ActInput{Action: "yeu-cau-bo-sung", Actor: "chi"}, wtAt(2026, 3, 2, 10, 0))
	if err != nil {
		t.Fatal(err)
	}
	d = wtApply(d, dec)
	if d.Status != engine.StatusPaused {
		t.Fatalf("status %s", d.Status)
	}
	timeout := wtAt(2026, 3, 23, 10, 0) // 15 working days after Mon 2 Mar 10:00
	if d.NextCheckAt == nil || !d.NextCheckAt.Equal(timeout) {
		t.Fatalf("rule: a paused dossier is only checked for its timeout; NextCheckAt = %v, want %s", d.NextCheckAt, timeout)
	}
	if _, changed := wtCheck(t, env, d, timeout.Add(-time.Minute)); changed {
		t.Error("rule: deadlines do not escalate while waiting for the applicant")
	}
	dec, changed := wtCheck(t, env, d, timeout)
	if !changed {
		t.Fatal("rule: the timed action fires at its instant")
	}
	if dec.Dossier.State != "da-dung" || dec.Row.Actor != engine.ActorSystem || dec.Row.Action != "dung" {
		t.Errorf("timed action: state %s, row %+v", dec.Dossier.State, dec.Row)
	}
	if n := len(dec.Dossier.History); n != len(d.History)+1 {
		t.Errorf("rule: a timed action adds one history row; %d → %d", len(d.History), n)
	}
	if dec.Dossier.NextCheckAt != nil {
		t.Error("a finished dossier has nothing armed")
	}
}

func TestRestartRearmsTheLadder(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	dec, _ := wtCheck(t, env, d, wtAt(2026, 3, 3, 14, 0))
	d = wtApply(d, dec)

	t.Run("an in-place restart gives new keys", func(t *testing.T) {
		t.Parallel()
		dec, err := engine.Step(env, d, engine.ActInput{Action: "tinh-lai", Actor: "chi"}, wtAt(2026, 3, 3, 15, 0))
		if err != nil {
			t.Fatal(err)
		}
		nd := wtApply(d, dec)
		if engine.Generation(nd) != 2 {
			t.Fatalf("generation %d", engine.Generation(nd))
		}
		c, _ := wtCheck(t, env, nd, wtAt(2026, 3, 3, 15, 1))
		if c == nil || len(c.Notifications) != 1 || c.Notifications[0].ID != nd.Code+"/v1/g2/r1" {
			t.Fatalf("rule: a restarted clock re-arms the reminder; got %+v", c)
		}
	})
	t.Run("a supplement round trip gives a new visit and generation", func(t *testing.T) {
		t.Parallel()
		dec, err := engine.Step(env, d, engine.ActInput{Action: "yeu-cau-bo-sung", Actor: "chi"}, wtAt(2026, 3, 3, 15, 0))
		if err != nil {
			t.Fatal(err)
		}
		nd := wtApply(d, dec)
		dec, err = engine.Step(env, nd, engine.ActInput{Action: "nhan-bo-sung", Actor: "chi"}, wtAt(2026, 3, 10, 8, 0))
		if err != nil {
			t.Fatal(err)
		}
		nd = wtApply(nd, dec)
		as := engine.Alarms(env, nd)
		if as[0].Key != "v3/g2/r1" || !as[0].At.Equal(wtAt(2026, 3, 11, 13, 0)) {
			t.Errorf("re-armed reminder = %s at %s, want v3/g2/r1 at Wed 11/03 13:00", as[0].Key, as[0].At.In(wtLoc))
		}
		if !nd.NextCheckAt.Equal(as[0].At) {
			t.Errorf("NextCheckAt = %s", nd.NextCheckAt.In(wtLoc))
		}
	})
}

func TestApologyNoticeEndsOnceReappointed(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	dec, err := engine.Step(env, d, engine.ActInput{Action: "xin-loi", Actor: "chi",
		Inputs: map[string]string{"due_at": "2026-03-16T17:00:00+07:00"}}, wtAt(2026, 3, 3, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	d = wtApply(d, dec)
	for _, a := range engine.Alarms(env, d) {
		if a.Kind == engine.NoteApologyDue {
			t.Error("rule: the appointment may be re-set only once; no notice after it was")
		}
	}
}

func TestRecipientsResolvedWhenFiring(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	env.Directory = wtDirectory(t, "dung") // a new head since reception
	dec, _ := wtCheck(t, env, d, wtAt(2026, 3, 4, 9, 0))
	for _, n := range dec.Notifications {
		if n.Kind == engine.NoteBreach && !slices.Equal(n.To, []string{"dung"}) {
			t.Errorf("rule: the unit head of today is told; To = %v", n.To)
		}
	}
}

func TestFinishedDossierIsDisarmed(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	for _, a := range []string{"trinh-ky", "duyet"} {
		dec, err := engine.Step(env, d, engine.ActInput{Action: a, Actor: map[string]string{"trinh-ky": "chi", "duyet": "chu-tich"}[a]}, wtAt(2026, 3, 2, 10, 0))
		if err != nil {
			t.Fatal(err)
		}
		d = wtApply(d, dec)
	}
	if d.NextCheckAt != nil {
		t.Fatalf("finished dossier still armed at %s", d.NextCheckAt)
	}
	d.NextCheckAt = new(wtAt(2026, 3, 2, 11, 0)) // stale, written by an older version
	dec, changed := wtCheck(t, env, d, wtAt(2026, 3, 2, 12, 0))
	if !changed || dec.Dossier.NextCheckAt != nil || len(dec.Notifications) != 0 {
		t.Error("rule: a stale NextCheckAt on a finished dossier is cleared, silently")
	}
}

func TestSubWork(t *testing.T) {
	t.Parallel()
	cal := calendar.VN()
	tests := []struct {
		name string
		end  time.Time
		d    string
		want time.Time
	}{
		{"lunch break skipped, answer exact to the second", wtAt(2026, 3, 4, 17, 0), "4 working hours", wtAt(2026, 3, 4, 13, 0)},
		{"across a night", wtAt(2026, 3, 4, 9, 0), "4 working hours", wtAt(2026, 3, 3, 14, 0)},
		{"across a weekend", wtAt(2026, 3, 9, 9, 0), "1 working day", wtAt(2026, 3, 6, 9, 0)},
		{"across Hùng Kings' day (Mon 27 Apr 2026 off)", wtAt(2026, 4, 28, 9, 0), "1 working day", wtAt(2026, 4, 24, 9, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := engine.SubWork(cal, tc.end, *wtDur(tc.d)); !got.Equal(tc.want) {
				t.Errorf("SubWork(%s, %s) = %s, want %s", tc.end, tc.d, got.In(wtLoc), tc.want)
			}
		})
	}
}

func TestNotificationDataNamesTheLateness(t *testing.T) {
	t.Parallel()
	env := wtEnv(t)
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	dec, _ := wtCheck(t, env, d, wtAt(2026, 3, 4, 11, 30))
	n := dec.Notifications[0]
	if n.Data["late_work"] != "2h30m0s" || !strings.HasPrefix(n.Data["due_at"], "2026-03-09T09:00") {
		t.Errorf("data = %v", n.Data)
	}
}

// TestExtensionRearmsLadderOnOverallDue: a denunciation's resolution step
// has no budget of its own, so its ladder hangs on the overall due
// instant; an extension (Denunciations Law 2018 Art 30) moves that instant
// and must re-arm the breach for the new one, while a step with its own
// budget keeps its keys (its deadline did not move).
func TestExtensionRearmsLadderOnOverallDue(t *testing.T) {
	t.Parallel()
	p := &engine.Procedure{
		Code: "TC", Name: "Giải quyết tố cáo", Version: 1, Kind: engine.KindDenunciation,
		TimeLimit: *wtDur("30 days"), Supplement: engine.SupplementPause, Initial: "xu-ly",
		States: []*engine.State{
			{ID: "xu-ly", Name: "Xác minh", Unit: "phong"},
			{ID: "xong", Name: "Kết luận", Final: engine.OutcomeApproved},
		},
		Actions: []*engine.Action{
			{ID: "gia-han", From: []string{"xu-ly"}, Extend: *wtDur("30 days"), Max: 2},
			{ID: "ket-luan", From: []string{"xu-ly"}, To: "xong"},
		},
		Escalation: []engine.Rung{{After: wtDur("0 working hours"), Notify: engine.NotifyUnitHead}},
	}
	if err := p.Index(); err != nil {
		t.Fatal(err)
	}
	env := engine.Env{Procedure: p, Directory: wtDirectory(t, "binh"), Calendar: calendar.VN()}
	d := wtReceive(t, env, wtAt(2026, 3, 2, 9, 0))
	// Due Wed 1 Apr 17:00 (2 Mar + 30 days); the breach fires just after.
	dec, changed := wtCheck(t, env, d, wtAt(2026, 4, 2, 8, 0))
	if !changed || len(dec.Notifications) != 1 || dec.Notifications[0].Kind != engine.NoteBreach {
		t.Fatalf("rule: the breach fires at the overall due; got %+v", dec)
	}
	d = wtApply(d, dec)
	ext, err := engine.Step(env, d, engine.ActInput{Action: "gia-han", Actor: "chi"}, wtAt(2026, 4, 2, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	d = wtApply(d, ext)
	if dec, changed := wtCheck(t, env, d, wtAt(2026, 4, 2, 10, 0)); changed && len(dec.Notifications) > 0 {
		t.Fatalf("rule: after the extension nothing is due before the new deadline; got %v", wtKinds(dec.Notifications))
	}
	// 2 Mar + 60 days ends on 1 May, a day off: Mon 4 May 17:00 (Civil Code Art 148).
	dec, changed = wtCheck(t, env, d, wtAt(2026, 5, 5, 8, 0))
	if !changed || len(dec.Notifications) != 1 || dec.Notifications[0].Kind != engine.NoteBreach || dec.Notifications[0].ID == d.Code+"/v1/g1/r1" {
		t.Fatalf("rule: an extension re-arms the breach for the moved deadline with a new key; got %+v", dec)
	}
}
