package simulate_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/simulate"
)

// scenarioProblem is the "path:line:col: message" form Parse promises for
// every problem of a scenario file.
var scenarioProblem = regexp.MustCompile(`^fuzz\.yaml:[1-9][0-9]*:[1-9][0-9]*: .`)

// FuzzParseBytes: any bytes give a scenario or a typed *ParseError whose
// every problem is located, never a panic; seeded with the example
// scenarios. A scenario that parses has steps in time order, refs
// received before they are acted on, and one kind per step.
func FuzzParseBytes(f *testing.F) {
	files, err := filepath.Glob("../../examples/scenarios/*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no example scenarios: %v", err)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("procedures: a.yaml\ndirectory: d.yaml\nsteps:\n  - {at: 2026-02-12T16:30:00+07:00, sweep: }\n"))
	f.Add([]byte("procedures: &p [a.yaml]\ndirectory: *p\nsteps: [{at: x, act: {ref: r}}]\n"))
	f.Add([]byte("steps:\n  - at: 2026-01-01T00:00:00Z\n    receive: {procedure: p, version: \"\", ref: r, by: b, applicant: {name: n}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := simulate.ParseBytes("fuzz.yaml", data)
		if (sc == nil) == (err == nil) {
			t.Fatalf("ParseBytes returned %v and %v: want exactly one", sc, err)
		}
		if err != nil {
			var pe *simulate.ParseError
			if !errors.As(err, &pe) || len(pe.List) == 0 {
				t.Fatalf("error is not a non-empty *ParseError: %T %v", err, err)
			}
			if c := engine.ErrorCode(err); c != engine.EINVALID {
				t.Fatalf("error code %q, want %q", c, engine.EINVALID)
			}
			for _, p := range pe.List {
				if !scenarioProblem.MatchString(p.String()) {
					t.Fatalf("problem %q is not path:line:col: message", p.String())
				}
			}
			return
		}
		refs := map[string]bool{}
		for i, st := range sc.Steps {
			if i > 0 && st.At.Before(sc.Steps[i-1].At) {
				t.Fatalf("step %d goes back in time", i+1)
			}
			switch st.Kind {
			case simulate.KindReceive:
				if st.Receive == nil || st.Receive.Ref == "" || refs[st.Receive.Ref] {
					t.Fatalf("step %d: receive without a fresh ref: %+v", i+1, st.Receive)
				}
				refs[st.Receive.Ref] = true
			case simulate.KindAct:
				if st.Act == nil || !refs[st.Act.Ref] {
					t.Fatalf("step %d: act on a ref never received: %+v", i+1, st.Act)
				}
			case simulate.KindSweep:
			default:
				t.Fatalf("step %d: kind %q", i+1, st.Kind)
			}
		}
	})
}
