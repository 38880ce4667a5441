package engine

import "testing"

// BenchmarkReceiveChecklist measures the pure reception of a dossier with
// a four-component checklist and three fees against the same procedure
// without contents, in the same run: what the checklist and the fee
// records add to a reception.
func BenchmarkReceiveChecklist(b *testing.B) {
	with := envOf(b, birthWithContents(b))
	without := envOf(b, birthProc(b))
	now := at(b, "2026-03-09T09:00:00+07:00")
	for _, bc := range []struct {
		name string
		env  Env
		in   ReceiveInput
	}{
		{"baseline-no-contents", without, ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "A"}}},
		{"checklist-and-fees", with, ReceiveInput{Actor: "tn01", Applicant: Applicant{Name: "A"},
			Components: append(full(), ComponentReceipt{ID: "tuy-than", Copy: CopyPlain, Count: 1}), Copies: map[string]int{"ban-sao": 2}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Receive(bc.env, bc.in, "UBND-260309-0001", now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
