package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/motcua/motcua/procedures"
)

func init() {
	register(command{
		name:    "graph",
		summary: "print a procedure's state machine (FILE [--format mermaid|dot])",
		run:     runGraph,
	})
}

func runGraph(_ context.Context, m *Main, args []string) error {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "mermaid", "mermaid (stateDiagram-v2) or dot (Graphviz)")
	if err := parseFlags(m, fs, args, "usage: motcua graph FILE [--format mermaid|dot]"); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("usage: motcua graph FILE [--format mermaid|dot]")
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
