package engine

import (
	"testing"
	"time"

	"github.com/motcua/motcua/engine/calendar"
)

// Test fixtures: procedures built in Go so that the pure core is tested
// without the YAML language. Dates follow the official 2026 calendar
// (Tết 14–22/02, Hùng Kings 27/04, 30/04–03/05, make-up Saturday 10/01).

var vnCal = calendar.VN()

var hcm = vnCal.Location()

// at parses an RFC3339 instant; a typo in a test is a test bug.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad instant %q: %v", s, err)
	}
	return v
}

// show renders an instant as the tests assert it: RFC3339 in the
// calendar's zone; "<nil>" for a nil pointer.
func show(t *time.Time) string {
	if t == nil {
		return "<nil>"
	}
	return t.In(hcm).Format(time.RFC3339)
}

func showT(t time.Time) string { return show(&t) }

func clockAt(h, m int) *calendar.Clock {
	c := calendar.Clock(h*60 + m)
	return &c
}

func wh(n int) calendar.Duration { return calendar.WorkingHoursOf(n) }
func wd(n int) calendar.Duration { return calendar.WorkingDaysOf(n) }

func testDirectory(t testing.TB) *Directory {
	t.Helper()
	d, err := NewDirectory(
		[]Unit{
			{ID: "tiep-nhan", Name: "Bộ phận Một cửa", Code: "UBND"},
			{ID: "tu-phap", Name: "Công chức Tư pháp – Hộ tịch"},
			{ID: "kinh-te", Name: "Phòng Kinh tế"},
			{ID: "lanh-dao", Name: "Lãnh đạo UBND", Head: "ld01"},
			{ID: "thanh-tra", Name: "Thanh tra"},
		},
		[]Person{
			{ID: "tn01", Name: "Tiếp nhận 01", Units: []string{"tiep-nhan"}, Roles: []Role{RoleOfficer}, Active: true},
			{ID: "tp01", Name: "Tư pháp 01", Units: []string{"tu-phap"}, Roles: []Role{RoleOfficer}, Active: true},
			{ID: "kt01", Name: "Kinh tế 01", Units: []string{"kinh-te"}, Roles: []Role{RoleOfficer}, Active: true},
			{ID: "ld01", Name: "Chủ tịch", Units: []string{"lanh-dao"}, Roles: []Role{RoleHead}, Active: true},
			{ID: "tt01", Name: "Thanh tra 01", Units: []string{"thanh-tra"}, Roles: []Role{RoleOfficer}, Active: true},
			{ID: "tp-cu", Name: "Tư pháp (đã nghỉ)", Units: []string{"tu-phap"}, Roles: []Role{RoleOfficer}, Active: false},
		})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func indexed(t testing.TB, p *Procedure) *Procedure {
	t.Helper()
	if err := p.Index(); err != nil {
		t.Fatal(err)
	}
	return p
}

// birthProc models 1.001193 birth registration: same day, 15:00 cut-off,
// with step budgets, an apology-letter action and a system-only stop.
func birthProc(t testing.TB) *Procedure {
	return indexed(t, &Procedure{
		Code: "1.001193", Name: "Đăng ký khai sinh", Version: 1, Kind: KindProcedure,
		TimeLimit: calendar.SameDayLimit, Cutoff: clockAt(15, 0), Supplement: SupplementRestart,
		Initial: "received",
		States: []*State{
			{ID: "received", Name: "Tiếp nhận", Unit: "tiep-nhan", TimeLimit: wh(4), Status: 2},
			{ID: "processing", Name: "Xử lý", Unit: "tu-phap", TimeLimit: wh(2), Status: 4},
			{ID: "signing", Name: "Ký duyệt", Unit: "lanh-dao", TimeLimit: wh(1), Status: 4},
			{ID: "returned", Name: "Đã trả kết quả", Final: OutcomeApproved, Status: 10},
			{ID: "refused", Name: "Từ chối", Final: OutcomeRefused, Status: 3},
			{ID: "withdrawn", Name: "Rút hồ sơ", Final: OutcomeWithdrawn, Status: 7},
		},
		Actions: []*Action{
			{ID: "transfer", From: []string{"received"}, To: "processing"},
			{ID: "submit", From: []string{"processing"}, To: "signing", Requires: []string{"note"}},
			{ID: "sign", From: []string{"signing"}, To: "returned"},
			{ID: "refuse", From: []string{"received", "processing"}, To: "refused", Requires: []string{"reason"}},
			{ID: "withdraw", From: []string{"received", "processing", "signing"}, To: "withdrawn", By: []string{"tiep-nhan"}},
			{ID: "apologize", From: []string{"processing", "signing"}, Reappoint: true, By: []string{"tu-phap"}, Requires: []string{"due_at", "reason"}},
			{ID: "auto_refuse", From: []string{"processing"}, To: "refused", System: true},
		},
	})
}

// businessProc models household business registration: 3 working days,
// one supplementation round whose clock effect is mode, an extension of
// 2 working days allowed once, also while waiting.
func businessProc(t testing.TB, mode SupplementMode) *Procedure {
	return indexed(t, &Procedure{
		Code: "hkd-" + string(mode), Name: "Đăng ký hộ kinh doanh", Version: 1, Kind: KindProcedure,
		TimeLimit: wd(3), Cutoff: clockAt(15, 0), Supplement: mode,
		Initial: "received",
		States: []*State{
			{ID: "received", Unit: "tiep-nhan", TimeLimit: wh(4)},
			{ID: "review", Unit: "kinh-te", TimeLimit: wd(2)},
			{ID: "supplement", WaitsFor: "applicant", Status: 5},
			{ID: "issued", Final: OutcomeApproved},
			{ID: "withdrawn", Final: OutcomeWithdrawn},
		},
		Actions: []*Action{
			{ID: "transfer", From: []string{"received"}, To: "review"},
			{ID: "request_supplement", From: []string{"review"}, To: "supplement", Requires: []string{"reason"}},
			{ID: "supplemented", From: []string{"supplement"}, To: "review", By: []string{"tiep-nhan"}},
			{ID: "issue", From: []string{"review"}, To: "issued"},
			{ID: "extend", From: []string{"review", "supplement"}, Extend: wd(2), Max: 1, By: []string{"kinh-te"}},
			{ID: "withdraw", From: []string{"received", "review", "supplement"}, To: "withdrawn", By: []string{"tiep-nhan"}},
		},
	})
}

// denunciationProc: 30 days from acceptance, up to two extensions of 30
// days each (Denunciations Law 2018 Art 30), counted in calendar days.
func denunciationProc(t testing.TB) *Procedure {
	return indexed(t, &Procedure{
		Code: "to-cao", Name: "Giải quyết tố cáo", Version: 1, Kind: KindDenunciation,
		TimeLimit: calendar.DaysOf(30), Supplement: SupplementPause, Initial: "accepted",
		States: []*State{
			{ID: "accepted", Unit: "thanh-tra"},
			{ID: "concluded", Final: OutcomeApproved},
		},
		Actions: []*Action{
			{ID: "extend", From: []string{"accepted"}, Extend: calendar.DaysOf(30), Max: 2, Requires: []string{"decision"}},
			{ID: "conclude", From: []string{"accepted"}, To: "concluded"},
		},
	})
}

// complaintProc: the 30-day resolution limit counts from acceptance
// (Complaints Law 2011 Art 28), so acceptance restarts the clock.
func complaintProc(t testing.TB) *Procedure {
	return indexed(t, &Procedure{
		Code: "khieu-nai", Name: "Giải quyết khiếu nại lần đầu", Version: 1, Kind: KindComplaint,
		TimeLimit: calendar.DaysOf(30), Supplement: SupplementPause, Initial: "received",
		States: []*State{
			{ID: "received", Unit: "thanh-tra", TimeLimit: calendar.DaysOf(10)},
			{ID: "investigating", Unit: "thanh-tra"},
			{ID: "resolved", Final: OutcomeApproved},
		},
		Actions: []*Action{
			{ID: "accept", From: []string{"received"}, To: "investigating", Clock: EffectRestart},
			{ID: "resolve", From: []string{"investigating"}, To: "resolved"},
		},
	})
}

func envOf(t testing.TB, p *Procedure) Env {
	return Env{Procedure: p, Directory: testDirectory(t), Calendar: vnCal}
}

// receive runs the pure reception at the given RFC3339 instant, by the
// first member of the initial state's unit.
func receive(t testing.TB, env Env, when string) *Dossier {
	t.Helper()
	now := at(t, when)
	init, _ := env.Procedure.State(env.Procedure.Initial)
	actor := env.Directory.Members(init.Unit)[0]
	dec, err := Receive(env, ReceiveInput{Actor: actor, Channel: ChannelCounter, Applicant: Applicant{Name: "Nguyễn Văn A"}}, "UBND-260101-0001", now)
	if err != nil {
		t.Fatalf("receive at %s: %v", when, err)
	}
	return dec.Dossier
}

// act is one step of a test script.
type act struct {
	when   string
	action string
	actor  string
	inputs map[string]string
}

// run fires the script on d, failing on the first error, and returns
// the last dossier.
func run(t testing.TB, env Env, d *Dossier, script ...act) *Dossier {
	t.Helper()
	for _, a := range script {
		dec, err := Step(env, d, ActInput{Action: a.action, Actor: a.actor, Inputs: a.inputs}, at(t, a.when))
		if err != nil {
			t.Fatalf("%s by %s at %s: %v", a.action, a.actor, a.when, err)
		}
		d = dec.Dossier
	}
	return d
}
