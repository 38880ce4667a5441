package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/procedures"
)

const lintUsage = "usage: motcua lint [--directory FILE] [--templates DIR [--public-url URL]] [-q] FILE|FOLDER..."

// runLint prints every problem as "path:line:col: message" on stdout, the
// form editors and CI annotate from, and exits 1 when there is any.
func runLint(_ context.Context, m *Main, args []string) error {
	fs := newFlags("lint", lintUsage)
	dirPath := fs.String("directory", "", "directory file (units and people) that unit and notify references must resolve against")
	quiet := fs.Bool("q", false, "print nothing when there are no problems")
	tplDir := fs.String("templates", "", "also check this folder of notification templates (as serve --templates): each renders, each SMS fits one segment")
	publicURL := fs.String("public-url", "https://dichvucong.xaphuocan.gov.vn", "public address the SMS links are checked with (as serve --public-url)")
	if err := fs.parse(m, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("%s", lintUsage)
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
	var tplProblems []string
	if *tplDir != "" {
		tplProblems = lintTemplates(*tplDir, *publicURL)
	}
	for _, p := range tplProblems {
		fmt.Fprintln(m.Stdout, p)
	}
	if len(all)+len(tplProblems) > 0 {
		fmt.Fprintf(m.Stderr, "%d problem(s) in %d file(s)\n", len(all)+len(tplProblems), r.Files)
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
