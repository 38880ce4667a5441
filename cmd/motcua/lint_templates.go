package main

import (
	"errors"
	"fmt"

	"github.com/motcua/motcua/engine/notify"
)

// lintTemplates checks an admin's notification templates before serve
// reads them: each renders, and each SMS fits one 160-character GSM-7
// segment with the longest values under the public address (issue 12).
// It returns one line per problem, prefixed with the folder.
func lintTemplates(dir, publicURL string) []string {
	t := &notify.Templates{Dir: dir, PublicURL: publicURL}
	var out []string
	add := func(err error) {
		if err == nil {
			return
		}
		errs := []error{err}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap()
		}
		for _, e := range errs {
			var long *notify.SMSTooLongError
			if errors.As(e, &long) {
				for _, tpl := range long.Templates {
					out = append(out, fmt.Sprintf("%s: SMS template %s does not fit one %d-character segment with the longest values", dir, tpl, notify.SMSSegment))
				}
				continue
			}
			out = append(out, fmt.Sprintf("%s: %v", dir, e))
		}
	}
	add(t.Check())
	add(t.CheckSMS())
	return out
}
