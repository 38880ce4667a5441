package engine

import (
	"errors"
	"strings"
	"testing"
)

// TestApprovalGates names each rule of the gates on the approved final
// state, through Step.
func TestApprovalGates(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthWithContents(t))
	const t0 = "2026-03-09T10:00:00+07:00"
	atSigning := func(copies int) *Dossier {
		return run(t, env, receiveWith(t, env, copies),
			act{t0, "transfer", "tn01", nil}, act{t0, "submit", "tp01", map[string]string{"note": "đủ"}})
	}
	result := FileRef{ID: "f1", SHA256: "ab", Result: true}
	withFiles := func(d *Dossier, fs ...FileRef) *Dossier { d = d.Clone(); d.Files = append(d.Files, fs...); return d }
	payAll := func(d *Dossier) *Dossier {
		dec, err := Pay(env, d, PayInput{Actor: "tn01", Fee: "ban-sao", Method: PayCounter, Receipt: "BL-1"}, at(t, t0))
		if err != nil {
			t.Fatal(err)
		}
		return dec.Dossier
	}
	noResultRule := envOf(t, birthWithContents(t))
	noResultRule.Procedure.Result.File = ResultFileOptional

	for _, tc := range []struct {
		rule   string
		env    Env
		d      *Dossier
		action string
		want   any // nil: allowed
		words  string
	}{
		{"a required result file missing blocks approval", env, payAll(atSigning(1)), "sign", new(*ResultMissingError), "Giấy khai sinh"},
		{"a result superseded by a later result file counts through its successor", env,
			payAll(withFiles(atSigning(1), result, FileRef{ID: "f2", Result: true, Supersedes: "f1"})), "sign", nil, ""},
		{"a result superseded by a component scan leaves no result", env,
			payAll(withFiles(atSigning(1), result, FileRef{ID: "f2", Component: "to-khai", Supersedes: "f1"})), "sign", new(*ResultMissingError), "Giấy khai sinh"},
		{"a component scan is no result", env, payAll(withFiles(atSigning(1), FileRef{ID: "c1", Component: "to-khai"})), "sign", new(*ResultMissingError), ""},
		{"an unpaid fee due before the result blocks approval", env, withFiles(atSigning(2), result), "sign", new(*FeeUnpaidError), "16.000 đ"},
		{"the result is asked for before the fee", env, atSigning(2), "sign", new(*ResultMissingError), ""},
		{"a fee due before the result with no copies asked is nothing to pay", env, withFiles(atSigning(0), result), "sign", nil, ""},
		{"a fee due at reception does not block approval", env, payAll(withFiles(atSigning(1), result)), "sign", nil, ""},
		{"with the result and the fee paid, approval passes", env, payAll(withFiles(atSigning(1), result)), "sign", nil, ""},
		{"an optional result file is not asked for", noResultRule, payAll(atSigning(1)), "sign", nil, ""},
		{"refusal needs neither result nor fee", env, run(t, env, receiveWith(t, env, 2), act{t0, "transfer", "tn01", nil}), "refuse", nil, ""},
		{"withdrawal needs neither result nor fee", env, atSigning(2), "withdraw", nil, ""},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			actor := map[string]string{"sign": "ld01", "refuse": "tp01", "withdraw": "tn01"}[tc.action]
			_, err := Step(tc.env, tc.d, ActInput{Action: tc.action, Actor: actor, Inputs: map[string]string{"reason": "x"}}, at(t, t0))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want allowed", err)
				}
				return
			}
			if !errors.As(err, tc.want) || ErrorCode(err) != ECONFLICT {
				t.Fatalf("err = %v (%T), want %T", err, err, tc.want)
			}
			l := err.(Localized)
			if !strings.Contains(l.Message("vi"), tc.words) || l.Message("en") == l.Message("vi") {
				t.Errorf("words: %q / %q", l.Message("vi"), l.Message("en"))
			}
		})
	}
}
