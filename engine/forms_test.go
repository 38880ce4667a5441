package engine

import (
	"fmt"
	"slices"
	"testing"
)

// TestForms checks when forms 02–04 apply, one rule a case: the question
// the API, the pages and the portal sync all ask through Forms.
func TestForms(t *testing.T) {
	t.Parallel()
	birth := envOf(t, birthProc(t))
	biz := envOf(t, businessProc(t, SupplementRestart))
	// The business procedure with an apology allowed twice, to see the
	// second apology replace the first one's promise.
	bizp := businessProc(t, SupplementRestart)
	bizp.Actions = append(bizp.Actions, &Action{ID: "apologize", From: []string{"review"}, Reappoint: true, Max: 2,
		By: []string{"kinh-te"}, Requires: []string{"due_at", "reason"}})
	bizApology := envOf(t, indexed(t, bizp))

	received := receive(t, birth, "2026-03-09T09:00:00+07:00")
	processing := run(t, birth, received, act{"2026-03-09T09:30:00+07:00", "transfer", "tn01", nil})
	bizReview := run(t, biz, receive(t, biz, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil})
	waiting := run(t, biz, bizReview,
		act{"2026-03-10T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu bản sao"}})
	twoRounds := run(t, biz, waiting,
		act{"2026-03-11T10:00:00+07:00", "supplemented", "tn01", nil},
		act{"2026-03-12T10:00:00+07:00", "request_supplement", "kt01", map[string]string{"reason": "thiếu chữ ký"}})
	extendedWaiting := run(t, biz, waiting,
		act{"2026-03-10T11:00:00+07:00", "extend", "kt01", nil})
	withdrawnWaiting := run(t, biz, waiting,
		act{"2026-03-10T11:00:00+07:00", "withdraw", "tn01", nil})
	refused := run(t, birth, received,
		act{"2026-03-09T09:30:00+07:00", "refuse", "tn01", map[string]string{"reason": "không thuộc thẩm quyền"}})
	refusedByWatch := run(t, birth, processing,
		act{"2026-03-10T08:00:00+07:00", "auto_refuse", ActorSystem, nil})
	withdrawn := run(t, birth, processing,
		act{"2026-03-09T10:00:00+07:00", "withdraw", "tn01", nil})
	approved := run(t, birth, processing,
		act{"2026-03-09T10:00:00+07:00", "submit", "tp01", map[string]string{"note": "đủ"}},
		act{"2026-03-09T11:00:00+07:00", "sign", "ld01", nil})
	apologized := run(t, birth, processing,
		act{"2026-03-09T15:00:00+07:00", "apologize", "tp01", map[string]string{"due_at": "2026-03-10T17:00:00+07:00", "reason": "chờ xác minh"}})
	apologizedThenRefused := run(t, birth, apologized,
		act{"2026-03-10T09:00:00+07:00", "refuse", "tp01", map[string]string{"reason": "giấy tờ giả"}})
	bizApologized := run(t, bizApology, receive(t, bizApology, "2026-03-09T09:00:00+07:00"),
		act{"2026-03-09T10:00:00+07:00", "transfer", "tn01", nil},
		act{"2026-03-12T10:00:00+07:00", "apologize", "kt01", map[string]string{"due_at": "2026-03-16T17:00:00+07:00", "reason": "chờ xác minh"}},
		act{"2026-03-16T10:00:00+07:00", "apologize", "kt01", map[string]string{"due_at": "2026-03-18T17:00:00+07:00", "reason": "chờ ý kiến"}})

	// Each form is written "form@row", an apology "04@row original→new".
	cases := []struct {
		rule string
		env  Env
		d    *Dossier
		want []string
	}{
		{"a dossier just received has no form", birth, received, nil},
		{"a dossier moving between offices has no form", birth, processing, nil},
		{"a request for supplementation is form 02, on the row that sent the dossier to wait", biz, waiting, []string{"02@3"}},
		{"each round of supplementation is its own form 02", biz, twoRounds, []string{"02@3", "02@5"}},
		{"an extension while waiting asks the applicant for nothing new", biz, extendedWaiting, []string{"02@3"}},
		{"the request stays printable after the dossier is withdrawn", biz, withdrawnWaiting, []string{"02@3"}},
		{"a refusal is form 03, on the row that ended the dossier", birth, refused, []string{"03@2"}},
		{"a refusal by the deadline watch is form 03 too", birth, refusedByWatch, []string{"03@3"}},
		{"a withdrawal is no refusal", birth, withdrawn, nil},
		{"an approval is no refusal", birth, approved, nil},
		{"an apology is form 04, replacing the appointment of the receipt", birth, apologized,
			[]string{"04@3 2026-03-09T17:00:00+07:00→2026-03-10T17:00:00+07:00"}},
		{"a refusal after an apology issues both, the refusal first", birth, apologizedThenRefused,
			[]string{"03@4", "04@3 2026-03-09T17:00:00+07:00→2026-03-10T17:00:00+07:00"}},
		{"a second apology replaces the appointment the first promised (the ledger replayed)", bizApology, bizApologized,
			[]string{"04@3 2026-03-12T09:00:00+07:00→2026-03-16T17:00:00+07:00", "04@4 2026-03-16T17:00:00+07:00→2026-03-18T17:00:00+07:00"}},
		{"without its procedure version a dossier has no form", Env{Calendar: vnCal}, refused, nil},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			fs, err := Forms(c.env.Procedure, c.env.Calendar, c.d)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				s := fmt.Sprintf("%s@%d", f.Form, f.Row.Seq)
				if f.Form == FormApology {
					s += " " + show(f.Original) + "→" + showT(f.New)
				}
				got = append(got, s)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("forms %q, want %q", got, c.want)
			}
		})
	}
}
