package main

import "github.com/motcua/motcua/engine"

// exitCodeFor maps an application error to its exit status through
// engine's one code table: bad input (including a not-found reference
// given on the command line) is 2, everything else 1.
func exitCodeFor(err error) int {
	return engine.ErrorCode(err).ExitCode()
}

// errorText is what a person reads for err: the words of the outermost
// error that has some (engine.Localized: the core's typed errors, the
// embedded store's lock, the command's own, which name files), in
// Vietnamese or in English with MOTCUA_LANG=en; anything else as it is.
func errorText(err error, lang string) string {
	if vi, en, ok := engine.Describe(err); ok {
		if lang == "en" {
			return en
		}
		return vi
	}
	return err.Error()
}
