package main

import "github.com/motcua/motcua/engine"

// exitCodeFor maps application error codes to exit statuses: bad input
// (including a not-found reference given on the command line) is 2,
// everything else 1.
func exitCodeFor(err error) int {
	switch engine.ErrorCode(err) {
	case engine.EINVALID, engine.ENOTFOUND, engine.EFORBIDDEN, engine.ECONFLICT:
		return 2
	default:
		return 1
	}
}
