// Command motcua runs Vietnam's administrative procedures: it computes
// legal deadlines, checks procedure definitions, advances dossiers and
// watches their deadlines. Run "motcua help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/motcua/motcua/engine"
)

// command is one subcommand: its name, the line "motcua help" prints
// for it and the function that runs it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, m *Main, args []string) error
}

// commands is the one list of subcommands, in the order "motcua help"
// prints them. Each runs from its own file; a new command is one more
// line here, where a reader finds them all, not an init() adding itself
// to a global map from wherever it lives.
func commands() []command {
	return []command{
		{name: "backup", summary: "copy a running embedded store, database and files, into a new folder (BACKUP_DIR [--data DIR])", run: runBackup},
		{name: "calendar", summary: "list a year's days off and make-up working days (lịch nghỉ, làm bù)", run: runCalendar},
		{name: "due", summary: "compute a legal due instant (hạn giải quyết) from a reception time and a limit", run: runDue},
		{name: "graph", summary: "print a procedure's state machine (FILE [--format mermaid|dot])", run: runGraph},
		{name: "lint", summary: "check procedure definitions (FILE or FOLDER...; --directory FILE)", run: runLint},
		{name: "portal", summary: "re-send dossiers' status to the national portal (portal resync --from DATE [--to DATE])", run: runPortal},
		{name: "report", summary: "on-time report for a period (--from --to [--by unit] [--format table|csv|xlsx|json] [--out FILE])", run: runReport},
		{name: "serve", summary: "serve the web pages and the API, run the deadline watch and send notifications", run: runServe},
		{name: "simulate", summary: "dry-run a scenario on the real engine with a simulated clock (SCENARIO.yaml [--json] [--lang vi|en])", run: runSimulate},
		{name: "sweep", summary: "run the deadline watch once: fire due rungs and timed actions (--at RFC3339 [--dispatch])", run: runSweep},
		{name: "users", summary: "list people and set passwords or issue API tokens (users list | passwd ID | token ID NAME)", run: runUsers},
	}
}

// lookup returns the command called name.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// Main is the testable CLI: its streams and environment are fields, so
// tests run commands in-process.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	Getenv func(string) string
	// Now is the one clock the commands read wall time from (FirstSeen of
	// a published version, sweep's default instant, serve's engine and
	// services, calendar's current year); nil is the system clock.
	Now engine.Clock
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
	c, ok := lookup(args[0])
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
	for _, c := range commands() {
		fmt.Fprintf(m.Stdout, "  %-10s %s\n", c.name, c.summary)
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
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv, Now: time.Now}
	err := m.Run(ctx, os.Args[1:])
	if err != nil {
		var ee *exitError
		if !errors.As(err, &ee) || ee.msg != "" {
			fmt.Fprintln(os.Stderr, "motcua:", errorText(err, os.Getenv("MOTCUA_LANG")))
		}
	}
	os.Exit(ExitCode(err))
}
