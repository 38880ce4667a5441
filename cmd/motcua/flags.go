package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// commandFlags is the flag set every command parses its arguments with,
// so that all of them behave alike: flags may follow positional
// arguments, -h prints the usage on stdout and succeeds, and anything
// package flag refuses is a usage error (exit status 2).
type commandFlags struct {
	*flag.FlagSet
	usage string
	// terse keeps a usage error on one line that points at -h, instead
	// of the whole usage below the error, and leaves the flag list to the
	// usage text itself. due and calendar are terse: their output is read
	// by scripts line by line and their usage documents each flag by hand.
	terse bool
}

// newFlags returns the flag set of the command name, whose -h prints
// usage. It never writes to stderr on its own: parse decides what a
// person reads.
func newFlags(name, usage string) *commandFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &commandFlags{FlagSet: fs, usage: usage}
}

// errHelped reports that -h printed the usage: the command stops, exit 0.
var errHelped = errors.New("help printed")

// parse parses args and handles -h the same way for every command: the
// usage (and, unless the command is terse, the flags' defaults) on
// stdout, then errHelped, which Run turns into success.
func (f *commandFlags) parse(m *Main, args []string) error {
	err := f.Parse(interleaved(f.FlagSet, args))
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(m.Stdout, strings.TrimRight(f.usage, "\n"))
		if !f.terse {
			fmt.Fprintln(m.Stdout, "\nFlags:")
			f.SetOutput(m.Stdout)
			f.PrintDefaults()
		}
		return errHelped
	}
	if err != nil {
		if f.terse {
			return usagef("%s: %v (run \"motcua %s -h\")", f.Name(), err, f.Name())
		}
		return usagef("%s: %v\n%s", f.Name(), err, f.usage)
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

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// worldFlags are the files serve and sweep build the engine from: the
// procedures, the directory and the calendar.
type worldFlags struct {
	procs            stringList
	dirPath, calPath string
}

// addWorldFlags registers --procedures, --directory and --calendar on fs
// with the defaults serve and sweep share.
func addWorldFlags(fs *commandFlags) *worldFlags {
	w := &worldFlags{}
	fs.Var(&w.procs, "procedures", "procedure files or folders (repeatable; default examples/procedures)")
	fs.StringVar(&w.dirPath, "directory", "examples/directory.yaml", "directory file: units, heads, people")
	fs.StringVar(&w.calPath, "calendar", "", "calendar file (default: the built-in vn calendar)")
	return w
}

// procedures returns --procedures, examples/procedures when none is given.
func (w *worldFlags) procedures() []string {
	if len(w.procs) == 0 {
		return []string{"examples/procedures"}
	}
	return w.procs
}
