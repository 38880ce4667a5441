package yamlnode

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// bomb is the attack of issue 15: 25 KB whose aliases expand to millions
// of nodes.
func bomb() []byte {
	var b strings.Builder
	b.WriteString("x: &s {")
	for i := range 2000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "k%d: 1", i)
	}
	b.WriteString("}\nstates: [")
	for i := range 2000 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("*s")
	}
	b.WriteString("]\n")
	return []byte(b.String())
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule string
		data []byte
		want string // in the one problem; empty: parses
	}{
		{"aliases expanding past MaxExpandedNodes are refused", bomb(), "aliases expand the document beyond"},
		{"a file over MaxFileBytes is refused unread", []byte("a: " + strings.Repeat("x", MaxFileBytes)), "file too large"},
		{"a few aliases of a small anchor parse", []byte("base: &b {unit: desk}\nstates: [*b, *b, *b]\n"), ""},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			d := &Decoder{Path: "f.yaml"}
			root := d.Parse(c.data)
			if c.want == "" {
				if root == nil || len(d.Probs) != 0 {
					t.Fatalf("refused: %v", d.Probs)
				}
				return
			}
			if root != nil || len(d.Probs) != 1 || !strings.Contains(d.Probs[0].Msg, c.want) {
				t.Fatalf("root %v, problems %v; want only %q", root != nil, d.Probs, c.want)
			}
		})
	}
}

// TestProblemsAreCapped: past MaxProblems a file reports one last
// problem counting the rest.
func TestProblemsAreCapped(t *testing.T) {
	t.Parallel()
	d := &Decoder{Path: "f.yaml"}
	n := &yaml.Node{Line: 3, Column: 1}
	for i := range MaxProblems + 500 {
		d.Errorf(n, "problem %d", i)
	}
	if len(d.Probs) != MaxProblems+1 {
		t.Fatalf("%d problems kept, want %d", len(d.Probs), MaxProblems+1)
	}
	if last := d.Probs[MaxProblems].Msg; last != "500 more problems not shown" {
		t.Errorf("last problem %q", last)
	}
}
