package enginetest

import (
	"time"

	"github.com/motcua/motcua/engine"
)

// FixtureCode is the code of FixtureDossier.
const FixtureCode = "XA01-260302-0042"

// FixtureDossier returns the dossier kept, as each store wrote it on
// 2 December 2026 (schema of that day), in the stores' testdata:
// sqlitestore/testdata/dossier-v1.json and
// mongostore/testdata/dossier-v1.json. Every field is set, so that a
// future change of a store's document that no longer reads one of them
// fails the stores' fixture tests.
//
// It is frozen: unlike NewDossier it must never change, because the
// stored documents it describes cannot. A new field gets a new fixture
// beside the old one, which must still be read as it is.
func FixtureDossier() *engine.Dossier {
	base := time.Date(2026, 3, 2, 2, 0, 0, 123_000_000, time.UTC)
	at := func(min int) *time.Time { t := base.Add(time.Duration(min) * time.Minute); return &t }
	appt := *at(60 * 24 * 9)
	return &engine.Dossier{
		Code: FixtureCode, Procedure: "1.001193", ProcedureVersion: 3, Kind: engine.KindComplaint,
		Applicant: engine.Applicant{Name: "Nguyễn Văn Án", IDNo: "001090000001", Phone: "0912345678",
			Email: "an@example.vn", Address: "Số 1, thôn Đông, xã Mẫu"},
		Channel: engine.ChannelPost, ReceivingUnit: "mot-cua", ReceivedBy: "tiep-nhan-01",
		State: "da_tra", Unit: "chuyen-mon", Status: engine.StatusFinished,
		ReceivedAt: base, StartAt: *at(1), DueAt: at(60 * 24 * 7), AppointmentAt: &appt,
		StepStartedAt: *at(30), StepDueAt: at(60 * 24 * 3), StepVisit: 2,
		FinishedAt: at(60 * 24 * 4), Result: engine.OutcomeRefused, Timeliness: engine.Late,
		WorkTaken: 90*time.Minute + 7*time.Millisecond,
		Ledger: []engine.ClockEvent{
			{Kind: engine.ClockStart, At: base, Limit: "5 working days", Action: "receive"},
			{Kind: engine.ClockReappoint, At: *at(20), Appointment: &appt, Action: "hen_lai"},
			{Kind: engine.ClockFinish, At: *at(60 * 24 * 4), Action: "tu_choi"},
		},
		History: []engine.HistoryRow{
			{Seq: 1, At: base, Action: "receive", Actor: "tiep-nhan-01", ToState: "tiep_nhan", ToUnit: "mot-cua",
				Inputs: map[string]string{"ghi_chu": "Hồ sơ đầy đủ"}, IdempotencyKey: "rk-42"},
			{Seq: 2, At: *at(30), Action: "chuyen", Actor: "tiep-nhan-01", FromState: "tiep_nhan", ToState: "tham_dinh",
				FromUnit: "mot-cua", ToUnit: "chuyen-mon", StepStartedAt: at(0), StepDueAt: at(60 * 24),
				StepResult: engine.Early, IdempotencyKey: "ak-42"},
			{Seq: 3, At: *at(60 * 24 * 4), Action: "tu_choi", Actor: "cong-chuc-01", FromState: "tham_dinh", ToState: "da_tra",
				FromUnit: "chuyen-mon", ToUnit: "chuyen-mon", StepStartedAt: at(30), StepDueAt: at(60 * 24 * 3),
				StepResult: engine.Late, Inputs: map[string]string{"reason": "Thiếu giấy tờ"}},
		},
		Uses:        map[string]int{"gia_han": 1, "hen_lai": 2},
		Fired:       []string{"v1/g1/r1", "v1/g1/r2"},
		NextCheckAt: at(60 * 24 * 2),
		ReceiveKey:  "rk-42",
		Version:     3,
		UpdatedAt:   *at(60 * 24 * 4),
	}
}

// FixtureNotification is the notification kept in the MongoDB fixture's
// outbox (mongostore/testdata/dossier-v1.json). Frozen as FixtureDossier.
func FixtureNotification() engine.Notification {
	at := time.Date(2026, 3, 6, 2, 0, 0, 123_000_000, time.UTC)
	return engine.Notification{
		ID: FixtureCode + "/3/finished", Dossier: FixtureCode, Kind: "finished", Level: 0,
		To: []string{"tiep-nhan-01"}, Channel: "email", At: at,
		Data:   map[string]string{"code": FixtureCode, "state": "Đã trả kết quả"},
		Status: engine.NotificationPending, NextAttempt: at,
	}
}
