// Command motcua runs Vietnam's administrative procedures: it computes
// legal deadlines, checks procedure definitions, advances dossiers and
// watches their deadlines. Run "motcua help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand. Each lives in its own file and registers
// itself in init, so that commands can be added without touching this one.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, m *Main, args []string) error
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("motcua: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// Main is the testable CLI: its streams and environment are fields, so
// tests run commands in-process.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	Getenv func(string) string
}

// usageError is bad command-line input: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a usage error.
func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// exitError carries an explicit exit status with an optional message
// already printed (lint's findings, for instance).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		m.usage()
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		return usagef("unknown command %q (run \"motcua help\")", args[0])
	}
	if err := c.run(ctx, m, args[1:]); !errors.Is(err, errHelped) {
		return err
	}
	return nil
}

func (m *Main) usage() {
	fmt.Fprintln(m.Stdout, "motcua: một cửa — Vietnam's administrative procedures with their legal deadlines")
	fmt.Fprintln(m.Stdout, "\nUsage: motcua COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(m.Stdout, "  %-10s %s\n", n, commands[n].summary)
	}
}

// ExitCode maps an error to the process exit status: the one place that
// does so. 0 ok, 1 findings or failure, 2 bad input.
func ExitCode(err error) int {
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return 2
	default:
		return exitCodeFor(err)
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv}
	err := m.Run(ctx, os.Args[1:])
	if err != nil {
		var ee *exitError
		if !errors.As(err, &ee) || ee.msg != "" {
			fmt.Fprintln(os.Stderr, "motcua:", errorText(err, os.Getenv("MOTCUA_LANG")))
		}
	}
	os.Exit(ExitCode(err))
}

// errHelped reports that -h printed the usage: the command stops, exit 0.
var errHelped = errors.New("help printed")

// parseFlags parses args (flags may follow positional arguments) and
// handles -h the same way for every command: the usage and the flags'
// defaults on stdout, then errHelped, which Run turns into success.
func parseFlags(m *Main, fs *flag.FlagSet, args []string, usage string) error {
	err := fs.Parse(interleaved(fs, args))
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(m.Stdout, strings.TrimRight(usage, "\n"))
		fmt.Fprintln(m.Stdout, "\nFlags:")
		fs.SetOutput(m.Stdout)
		fs.PrintDefaults()
		return errHelped
	}
	if err != nil {
		return usagef("%s: %v\n%s", fs.Name(), err, usage)
	}
	return nil
}
