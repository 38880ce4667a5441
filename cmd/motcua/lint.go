package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/procedures"
)

func init() {
	register(command{
		name:    "lint",
		summary: "check procedure definitions (FILE or FOLDER...; --directory FILE)",
		run:     runLint,
	})
}

// runLint prints every problem as "path:line:col: message" on stdout, the
// form editors and CI annotate from, and exits 1 when there is any.
func runLint(_ context.Context, m *Main, args []string) error {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dirPath := fs.String("directory", "", "directory file (units and people) that unit and notify references must resolve against")
	quiet := fs.Bool("q", false, "print nothing when there are no problems")
	if err := parseFlags(m, fs, args, "usage: motcua lint [--directory FILE] [-q] FILE|FOLDER..."); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("usage: motcua lint [--directory FILE] [-q] FILE|FOLDER...")
	}
	var opts procedures.LintOptions
	var dirProblems []procedures.Problem
	if *dirPath != "" {
		dir, err := procedures.LoadDirectory(*dirPath)
		var ps *procedures.Problems
		switch {
		case errors.As(err, &ps):
			dirProblems = ps.List
		case err != nil:
			return err
		}
		opts.Directory = dir
	}
	r := procedures.Lint(opts, fs.Args()...)
	all := append(dirProblems, r.Problems...)
	for _, p := range all {
		fmt.Fprintln(m.Stdout, p)
	}
	if len(all) > 0 {
		fmt.Fprintf(m.Stderr, "%d problem(s) in %d file(s)\n", len(all), r.Files)
		return &exitError{code: 1}
	}
	if !*quiet {
		with := ""
		if opts.Directory != nil {
			with = fmt.Sprintf(", references checked against %s", *dirPath)
		}
		fmt.Fprintf(m.Stdout, "ok: %d procedure(s) in %d file(s)%s\n", len(r.Procedures), r.Files, with)
	}
	return nil
}

// interleaved moves flags after positional arguments to the front, so
// "motcua lint examples/procedures/* --directory examples/directory.yaml"
// works as people type it (package flag stops at the first non-flag).
func interleaved(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := a[1:]
			if len(name) > 0 && name[0] == '-' {
				name = name[1:]
			}
			if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	return append(flags, rest...)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// loadProcedureArg loads the one procedure a command works on, turning
// definition problems into exit status 1 with the problems printed.
func loadProcedureArg(m *Main, path string) (*engine.Procedure, error) {
	p, err := procedures.LoadFile(path)
	var ps *procedures.Problems
	if errors.As(err, &ps) {
		for _, pr := range ps.List {
			fmt.Fprintln(m.Stderr, pr)
		}
		return nil, &exitError{code: 1}
	}
	return p, err
}
