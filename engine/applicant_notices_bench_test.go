package engine

import "testing"

// BenchmarkStepApplicantNotices measures what deciding the applicant's
// notices adds to a transition: the same step (a supplement request, which
// tells the applicant by e-mail and SMS) with no applicant channel (the
// baseline) and with both.
func BenchmarkStepApplicantNotices(b *testing.B) {
	for _, c := range []struct {
		name     string
		channels []string
	}{
		{"baseline-no-channel", nil},
		{"email-and-sms", []string{ApplicantEmail, ApplicantSMS}},
	} {
		b.Run(c.name, func(b *testing.B) {
			env := envOf(b, citizenProc(b))
			env.ApplicantChannels = c.channels
			dec, err := Receive(env, ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "A", Phone: "0912345678", Email: "a@b.vn"}},
				"UBND-260309-0001", at(b, "2026-03-09T09:00:00+07:00"))
			if err != nil {
				b.Fatal(err)
			}
			d := run(b, env, dec.Dossier, act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil})
			in := ActInput{Action: "ask", Actor: "kt01", Inputs: map[string]string{"reason": "Thiếu tờ khai"}}
			now := at(b, "2026-03-09T10:00:00+07:00")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Step(env, d, in, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
