package enginetest

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/calendar"
)

// Identifiers of the sample directory and procedure, for tests that act
// on them by name.
const (
	UnitDesk   = "mot-cua"    // one-stop desk; dossier codes start with its code XA01
	UnitOffice = "chuyen-mon" // specialised office
	UnitLeader = "lanh-dao"   // commune leadership

	DeskCode = "XA01" // code of UnitDesk, the prefix of received dossiers

	Receiver = "tiep-nhan-01" // officer at the desk
	Officer  = "cong-chuc-01" // officer of the specialised office
	Officer2 = "cong-chuc-02" // second officer of the office
	Head     = "truong-phong" // head of the office
	Chairman = "chu-tich"     // head of leadership, signs results
	Outsider = "nguoi-ngoai"  // a person in no unit of the procedure

	SampleCode = "TEST.01" // code of SampleProcedure
)

// SampleDirectory returns a small commune directory: the desk, the
// specialised office, leadership, and one person outside all of them.
func SampleDirectory() *engine.Directory {
	units := []engine.Unit{
		{ID: UnitDesk, Name: "Bộ phận Một cửa", NameEN: "One-stop desk", Code: DeskCode},
		{ID: UnitOffice, Name: "Công chức Tư pháp - Hộ tịch", NameEN: "Justice and civil status officer", Head: Head},
		{ID: UnitLeader, Name: "Lãnh đạo UBND xã", NameEN: "Commune leadership", Head: Chairman},
		{ID: "khac", Name: "Đơn vị khác", NameEN: "Another unit"},
	}
	people := []engine.Person{
		{ID: Receiver, Name: "Nguyễn Thị Tiếp", Units: []string{UnitDesk}, Roles: []engine.Role{engine.RoleOfficer}, Active: true},
		{ID: Officer, Name: "Trần Văn Chức", Units: []string{UnitOffice}, Roles: []engine.Role{engine.RoleOfficer}, Active: true},
		{ID: Officer2, Name: "Lê Thị Hai", Units: []string{UnitOffice}, Roles: []engine.Role{engine.RoleOfficer}, Active: true},
		{ID: Head, Name: "Phạm Văn Trưởng", Units: []string{UnitOffice}, Roles: []engine.Role{engine.RoleHead}, Active: true},
		{ID: Chairman, Name: "Hoàng Văn Chủ", Units: []string{UnitLeader}, Roles: []engine.Role{engine.RoleHead}, Active: true},
		{ID: Outsider, Name: "Người Ngoài", Units: []string{"khac"}, Roles: []engine.Role{engine.RoleOfficer}, Active: true},
	}
	d, err := engine.NewDirectory(units, people)
	if err != nil {
		panic("enginetest: sample directory: " + err.Error())
	}
	return d
}

// SampleProcedure returns a compiled five-step procedure modelled on a
// commune procedure with a 5-working-day limit and a 15:00 cut-off:
// receive (desk) → chuyen (desk to office) → trinh (office to leadership)
// → ky (signed, back to the desk) → tra (result returned). Side paths:
// yeu_cau_bo_sung / nhan_bo_sung (supplementation; the limit restarts,
// Decree 61/2018 Art 19), tu_choi (refusal), gia_han (one extension of
// 2 working days) and ghi_chu (a note that does not move the dossier).
func SampleProcedure() *engine.Procedure {
	cut := calendar.Clock(15 * 60)
	before := calendar.WorkingHoursOf(4)
	after := calendar.WorkingHoursOf(0)
	open := []string{"tiep_nhan", "tham_dinh", "phe_duyet", "tra_ket_qua"}
	p := &engine.Procedure{
		Code: SampleCode, Name: "Thủ tục mẫu", NameEN: "Sample procedure", Version: 1,
		Kind: engine.KindProcedure, LegalBasis: []string{"Nghị định 118/2025/NĐ-CP"},
		TimeLimit: calendar.WorkingDaysOf(5), Cutoff: &cut, Supplement: engine.SupplementRestart,
		Initial: "tiep_nhan",
		States: []*engine.State{
			{ID: "tiep_nhan", Name: "Tiếp nhận", NameEN: "Received", Unit: UnitDesk, TimeLimit: calendar.WorkingDaysOf(1), Status: 2},
			{ID: "tham_dinh", Name: "Thẩm định", NameEN: "Appraisal", Unit: UnitOffice, TimeLimit: calendar.WorkingDaysOf(3), Status: 4},
			{ID: "phe_duyet", Name: "Phê duyệt", NameEN: "Approval", Unit: UnitLeader, TimeLimit: calendar.WorkingDaysOf(1), Status: 4},
			{ID: "tra_ket_qua", Name: "Trả kết quả", NameEN: "Returning the result", Unit: UnitDesk, TimeLimit: calendar.WorkingHoursOf(4), Status: 9},
			{ID: "cho_bo_sung", Name: "Chờ bổ sung", NameEN: "Waiting for supplement", WaitsFor: "applicant", Status: 5},
			{ID: "da_tra", Name: "Đã trả kết quả", NameEN: "Result returned", Final: engine.OutcomeApproved, Status: 10},
			{ID: "tu_choi", Name: "Từ chối", NameEN: "Refused", Final: engine.OutcomeRefused, Status: 3},
		},
		Actions: []*engine.Action{
			{ID: "chuyen", Name: "Chuyển xử lý", NameEN: "Transfer", From: []string{"tiep_nhan"}, To: "tham_dinh"},
			{ID: "trinh", Name: "Trình ký", NameEN: "Submit for signature", From: []string{"tham_dinh"}, To: "phe_duyet"},
			{ID: "ky", Name: "Ký duyệt", NameEN: "Sign", From: []string{"phe_duyet"}, To: "tra_ket_qua"},
			{ID: "tra", Name: "Trả kết quả", NameEN: "Return the result", From: []string{"tra_ket_qua"}, To: "da_tra"},
			{ID: "yeu_cau_bo_sung", Name: "Yêu cầu bổ sung", NameEN: "Request supplement", From: []string{"tham_dinh"}, To: "cho_bo_sung", Requires: []string{"reason"}},
			{ID: "nhan_bo_sung", Name: "Nhận bổ sung", NameEN: "Supplement received", From: []string{"cho_bo_sung"}, To: "tham_dinh", By: []string{UnitDesk}},
			{ID: "tu_choi", Name: "Từ chối", NameEN: "Refuse", From: []string{"tham_dinh"}, To: "tu_choi", Requires: []string{"reason"}},
			{ID: "gia_han", Name: "Gia hạn", NameEN: "Extend", From: []string{"tham_dinh"}, Extend: calendar.WorkingDaysOf(2), Max: 1},
			{ID: "ghi_chu", Name: "Ghi chú", NameEN: "Note", From: open, By: []string{UnitDesk, UnitOffice, UnitLeader}, Requires: []string{"note"}},
		},
		Escalation: []engine.Rung{{Before: &before, Notify: "assignee"}, {After: &after, Notify: "unit_head"}},
		Source:     "enginetest.SampleProcedure",
	}
	if err := p.Index(); err != nil {
		panic("enginetest: sample procedure: " + err.Error())
	}
	return p
}

// SampleFlow returns the four actions that take a dossier of
// SampleProcedure from reception to its result, each with its actor.
func SampleFlow() []engine.ActInput {
	return []engine.ActInput{
		{Action: "chuyen", Actor: Receiver, Inputs: map[string]string{"note": "đủ hồ sơ"}},
		{Action: "trinh", Actor: Officer},
		{Action: "ky", Actor: Chairman},
		{Action: "tra", Actor: Receiver},
	}
}

// SampleReception returns a counter reception by Receiver for the
// applicant name.
func SampleReception(name string) engine.ReceiveInput {
	return engine.ReceiveInput{
		Actor: Receiver, Channel: engine.ChannelCounter,
		Applicant: engine.Applicant{Name: name, IDNo: "001090000001", Phone: "0900000001"},
	}
}

// Monday is 09:00 on Monday 2 March 2026 in Hanoi, a working day far from
// holidays: a convenient start for clocks.
var Monday = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// NewEngine returns an Engine over store with the sample procedure,
// directory, the built-in Vietnamese calendar and clock's Now. Retries
// is generous so that contention tests measure the store, not the
// retry budget.
func NewEngine(store engine.Store, clock *StubClock) *engine.Engine {
	cat, err := engine.NewCatalog(SampleProcedure())
	if err != nil {
		panic("enginetest: catalog: " + err.Error())
	}
	return &engine.Engine{
		Store: store, Catalog: cat, Directory: SampleDirectory(),
		Calendar: calendar.VN(), Now: clock.Now, Retries: 100,
	}
}

// base is the reference instant of NewDossier: millisecond precision,
// UTC, as every store keeps instants.
var base = time.Date(2026, 3, 2, 2, 0, 0, 123_000_000, time.UTC)

// NewDossier returns a dossier with every field set (times at millisecond
// precision in UTC, the ledger, a two-row history, uses, fired keys,
// every optional pointer set) at version 1, then applies mods. Use it to
// check that a store keeps each field.
func NewDossier(code string, mods ...func(*engine.Dossier)) *engine.Dossier {
	at := func(min int) *time.Time { t := base.Add(time.Duration(min) * time.Minute); return &t }
	appt := *at(60 * 24 * 9)
	d := &engine.Dossier{
		Code: code, Procedure: SampleCode, ProcedureVersion: 1, Kind: engine.KindProcedure,
		Applicant: engine.Applicant{Name: "Nguyễn Văn Án", IDNo: "001090000001", Phone: "0912345678",
			Email: "an@example.vn", Address: "Số 1, thôn Đông, xã Mẫu"},
		Channel: engine.ChannelOnline, ReceivingUnit: UnitDesk, ReceivedBy: Receiver,
		State: "tham_dinh", Unit: UnitOffice, Status: engine.StatusInProgress,
		ReceivedAt: base, StartAt: *at(0), DueAt: at(60 * 24 * 7), AppointmentAt: &appt,
		StepStartedAt: *at(30), StepDueAt: at(60 * 24 * 3), StepVisit: 2,
		WorkTaken: 90 * time.Minute,
		Ledger: []engine.ClockEvent{
			{Kind: engine.ClockStart, At: base, Limit: "5 working days", Action: "receive"},
			{Kind: engine.ClockReappoint, At: *at(20), Appointment: &appt, Action: "hen_lai"},
		},
		History: []engine.HistoryRow{
			{Seq: 1, At: base, Action: "receive", Actor: Receiver, ToState: "tiep_nhan", ToUnit: UnitDesk,
				Inputs: map[string]string{"ghi_chu": "Hồ sơ đầy đủ"}, IdempotencyKey: "rk-" + code},
			{Seq: 2, At: *at(30), Action: "chuyen", Actor: Receiver, FromState: "tiep_nhan", ToState: "tham_dinh",
				FromUnit: UnitDesk, ToUnit: UnitOffice, StepStartedAt: at(0), StepDueAt: at(60 * 24),
				StepResult: engine.Early, IdempotencyKey: "ak-" + code},
		},
		Components: []engine.ComponentReceipt{{ID: "to-khai", Copy: engine.CopyOriginal, Count: 1}},
		Files: []engine.FileRef{{ID: "f-" + code, SHA256: strings.Repeat("ab", 32), Size: 1234,
			ContentType: "application/pdf", Name: "to-khai.pdf", Component: "to-khai", Result: true, Signed: true,
			Supersedes: "f-old", ReusedFrom: "XA01-260101-0001", At: *at(5), By: Receiver}},
		Fees: []engine.FeeRecord{{ID: "le-phi", Amount: 8000, Copies: 2, Paid: true, Method: engine.PayOnline,
			Reference: "VNPAY-1", Receipt: "BL-0001", PaidAt: at(6), By: Receiver}},
		Rating:      &engine.Rating{At: *at(7), Scores: map[string]int{"thai_do": 5}, Comment: "Tốt"},
		Uses:        map[string]int{"gia_han": 1},
		Fired:       []string{"v1/g1/r1"},
		NextCheckAt: at(60 * 24 * 2),
		ReceiveKey:  "rk-" + code,
		Version:     1,
		UpdatedAt:   *at(30),
	}
	for _, m := range mods {
		m(d)
	}
	return d
}

// NewNotification returns a pending notification of dossier decided at at.
func NewNotification(id, dossier string, at time.Time) engine.Notification {
	at = at.UTC().Truncate(time.Millisecond)
	return engine.Notification{
		ID: id, Dossier: dossier, Kind: "handover", Level: 0, To: []string{Officer, Officer2},
		Channel: "email", At: at, Data: map[string]string{"code": dossier, "state": "Thẩm định"},
		Status: engine.NotificationPending, NextAttempt: at,
	}
}

// Codes returns n dossier codes of unit on 2 March 2026: XA01-260302-0001...
func Codes(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-260302-%04d", prefix, i+1)
	}
	return out
}
