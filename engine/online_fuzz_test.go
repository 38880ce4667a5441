package engine

import (
	"testing"
)

// FuzzSubmitOnline: whatever a portal sends, the pure submission either
// refuses it with a typed error or builds a dossier waiting for the desk,
// with no clock, that its sync record describes as national status 1.
func FuzzSubmitOnline(f *testing.F) {
	f.Add("G-1", "Nguyễn Văn A", "001090000001", "0912345678", "a@b.vn", "to-khai", "original", 1)
	f.Add(" G", "", "12", "+84 912 345 678", "x", "", "scan", 0)
	f.Add("G\x00", "A", "", "", "", "to-khai", "", 101)
	f.Fuzz(func(t *testing.T, id, name, idNo, phone, email, comp, copyKind string, count int) {
		env := portalEnv(t, true)
		env.Procedure.Components = []Component{{ID: "to-khai", Name: "Tờ khai"}}
		in := OnlineInput{Actor: "dvcqg", PortalID: id, Applicant: Applicant{Name: name, IDNo: idNo, Phone: phone, Email: email}, Digest: "d"}
		if comp != "" {
			in.Components = []ComponentReceipt{{ID: comp, Copy: CopyKind(copyKind), Count: count}}
		}
		dec, err := SubmitOnline(env, in, "UBND-260302-0001", at(t, "2026-03-02T09:00:00+07:00"))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("refused with %v (%s), want a field error", err, ErrorCode(err))
			}
			return
		}
		d := dec.Dossier
		if d.State != StateOnlineRegistered || d.Status != StatusRegistered || d.DueAt != nil || len(d.Ledger) != 0 {
			t.Fatalf("accepted as %s/%s due %v ledger %v", d.State, d.Status, d.DueAt, d.Ledger)
		}
		if len(dec.Notifications) != 1 || dec.Notifications[0].Data["status"] != "1" {
			t.Fatalf("sync records %+v", dec.Notifications)
		}
	})
}
