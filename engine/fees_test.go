package engine

import (
	"errors"
	"testing"
)

// receiveWith receives under env's procedure with a complete checklist
// and copies asked of the per-copy fee.
func receiveWith(t testing.TB, env Env, copies int) *Dossier {
	t.Helper()
	in := ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "A"}, Components: CompleteChecklist(env.Procedure), Copies: map[string]int{"ban-sao": copies}}
	dec, err := Receive(env, in, "UBND-260309-0001", at(t, "2026-03-09T09:00:00+07:00"))
	if err != nil {
		t.Fatal(err)
	}
	return dec.Dossier
}

// TestPay names each rule of recording a payment.
func TestPay(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthWithContents(t))
	d := receiveWith(t, env, 2)
	const now = "2026-03-09T10:00:00+07:00"
	paid, err := Pay(env, d, PayInput{Actor: "tn01", Fee: "ban-sao", Method: PayTransfer, Reference: "FT123", Receipt: "BL-0001"}, at(t, now))
	if err != nil {
		t.Fatal(err)
	}
	f := paid.Dossier.Fees[1]
	if !f.Paid || f.Method != PayTransfer || f.Reference != "FT123" || f.Receipt != "BL-0001" || f.By != "tn01" || f.PaidAt == nil || f.Amount != 16000 {
		t.Errorf("fee record %+v", f)
	}
	row := paid.Row
	if row.Action != ActionPayFee || row.Inputs["amount"] != "16000" || row.Inputs["receipt"] != "BL-0001" || row.ToState != d.State {
		t.Errorf("history row %+v", row)
	}
	if d.Fees[1].Paid {
		t.Error("Pay mutated its input")
	}
	moved := run(t, env, d, act{now, "transfer", "tn01", nil})
	for _, tc := range []struct {
		rule string
		d    *Dossier
		in   PayInput
		want any
		code Code
	}{
		{"a fee already paid is refused", paid.Dossier, PayInput{Actor: "tn01", Fee: "ban-sao", Method: PayCounter, Receipt: "BL-2"}, new(*FeePaidError), ECONFLICT},
		{"an unknown fee is not found", d, PayInput{Actor: "tn01", Fee: "khac", Method: PayCounter, Receipt: "BL-2"}, new(*NotFoundError), ENOTFOUND},
		{"an exempt fee has nothing to collect", d, PayInput{Actor: "tn01", Fee: "le-phi", Method: PayCounter, Receipt: "BL-2"}, new(*InvalidInputError), EINVALID},
		{"a method that is not one is refused", d, PayInput{Actor: "tn01", Fee: "ban-sao", Method: "cheque", Receipt: "BL-2"}, new(*InvalidInputError), EINVALID},
		{"a transfer needs its reference", d, PayInput{Actor: "tn01", Fee: "ban-sao", Method: PayTransfer, Receipt: "BL-2"}, new(*InvalidInputError), EINVALID},
		{"an online payment needs its reference", d, PayInput{Actor: "tn01", Fee: "ban-sao", Method: PayOnline, Receipt: "BL-2"}, new(*InvalidInputError), EINVALID},
		{"every payment needs its receipt number", d, PayInput{Actor: "tn01", Fee: "ban-sao", Method: PayCounter}, new(*InvalidInputError), EINVALID},
		{"a unit that neither received nor holds the dossier may not record", d, PayInput{Actor: "kt01", Fee: "ban-sao", Method: PayCounter, Receipt: "BL-2"}, new(*ForbiddenError), EFORBIDDEN},
		{"an inactive officer may not record", moved, PayInput{Actor: "tp-cu", Fee: "ban-sao", Method: PayCounter, Receipt: "BL-2"}, new(*ForbiddenError), EFORBIDDEN},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			_, err := Pay(env, tc.d, tc.in, at(t, now))
			if err == nil || !errors.As(err, tc.want) || ErrorCode(err) != tc.code {
				t.Fatalf("err = %v (%T), want %T with code %s", err, err, tc.want, tc.code)
			}
			if _, ok := err.(Localized); !ok {
				t.Errorf("%T has no words", err)
			}
		})
	}
	// The unit holding the dossier may record a payment too.
	if _, err := Pay(env, moved, PayInput{Actor: "tp01", Fee: "dich-vu", Method: PayCounter, Receipt: "BL-3"}, at(t, now)); err != nil {
		t.Errorf("acting unit: %v", err)
	}
}

func TestFormatVND(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 đ", 8000: "8.000 đ", 1234567: "1.234.567 đ", 999: "999 đ"} {
		if got := FormatVND(n); got != want {
			t.Errorf("FormatVND(%d) = %q, want %q", n, got, want)
		}
	}
}
