package main

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/procedures"
)

const graphUsage = "usage: motcua graph FILE [--format mermaid|dot]"

// runGraph prints a procedure's state machine as Mermaid or Graphviz.
func runGraph(_ context.Context, m *Main, args []string) error {
	fs := newFlags("graph", graphUsage)
	format := fs.String("format", "mermaid", "mermaid (stateDiagram-v2) or dot (Graphviz)")
	if err := fs.parse(m, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("%s", graphUsage)
	}
	if *format != "mermaid" && *format != "dot" {
		return usagef("graph: unknown format %q (want mermaid or dot)", *format)
	}
	p, err := loadProcedureArg(m, fs.Arg(0))
	if err != nil {
		return err
	}
	if *format == "dot" {
		fmt.Fprint(m.Stdout, procedures.DOT(p))
	} else {
		fmt.Fprint(m.Stdout, procedures.Mermaid(p))
	}
	return nil
}
