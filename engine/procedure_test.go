package engine

import (
	"strings"
	"testing"
)

// TestCheckMachine: looplab/fsm vouches for the compiled table the step
// reads. Each case breaks the table (or the declarations) one way and
// names the disagreement the check must report.
func TestCheckMachine(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule    string
		breakIt func(p *Procedure)
		want    string // "" : no error
	}{
		{"a procedure as compiled passes", func(*Procedure) {}, ""},
		{"a compiled target other than the declared one is caught", func(p *Procedure) {
			p.actions["transfer"] = &Action{ID: "transfer", From: []string{"received"}, To: "signing"}
		}, `leads to "signing" in the compiled table, to "processing" in looplab/fsm`},
		{"a move the compiled table allows but nothing declares is caught", func(p *Procedure) {
			p.actions["sign"] = &Action{ID: "sign", From: []string{"received", "signing"}, To: "returned"}
		}, `in state "received" the compiled table moves "sign" to "returned", looplab/fsm refuses it`},
		{"a declared move missing from the compiled table is caught", func(p *Procedure) {
			delete(p.actions, "transfer")
		}, `looplab/fsm moves "transfer" to "processing", the compiled table does not`},
		{"a final state that can be left is caught", func(p *Procedure) {
			p.actions["reopen"] = &Action{ID: "reopen", From: []string{"refused"}, To: "processing"}
			p.Actions = append(p.Actions, p.actions["reopen"])
		}, `final state "refused" can be left by [reopen]`},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			p := birthProc(t)
			c.breakIt(p)
			err := p.CheckMachine()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("CheckMachine: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("CheckMachine = %v, want an error saying %s", err, c.want)
			}
		})
	}
}

// TestIndexChecksTheMachine: Index, which every compiled procedure goes
// through, refuses one the machine disagrees with.
func TestIndexChecksTheMachine(t *testing.T) {
	t.Parallel()
	p := birthProc(t)
	p.Actions = append(p.Actions, &Action{ID: "reopen", From: []string{"returned"}, To: "processing"})
	if err := p.Index(); err == nil || !strings.Contains(err.Error(), `final state "returned"`) {
		t.Fatalf("Index = %v, want the machine's refusal of a final state that can be left", err)
	}
}
