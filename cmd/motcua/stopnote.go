package main

import (
	"strings"

	"github.com/motcua/motcua/engine"
)

// stopNote says what the stop left behind, for the "stopped" line: the
// store's close that failed (closeErr), or the embedded store's WAL left
// beside the database when the last checkpoint could not run (on a full
// disk it used to print "stopped" alone). store is already closed.
func stopNote(store engine.Store, closeErr error) string {
	var notes []string
	if err := closeErr; err != nil {
		notes = append(notes, "closing the store failed: "+err.Error())
	}
	if l, ok := store.(interface{ Leftovers() []string }); ok {
		if left := l.Leftovers(); len(left) > 0 {
			notes = append(notes, "left beside the database: "+strings.Join(left, ", ")+
				" (replayed at the next start; free disk space before restarting)")
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return "; " + strings.Join(notes, "; ")
}
