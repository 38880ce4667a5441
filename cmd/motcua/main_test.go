package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/motcua/motcua/engine"
)

func TestErrorTextAndExitCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule     string
		err      error
		lang     string
		want     string
		wantExit int
	}{
		{"the core's errors read in Vietnamese by default", fmt.Errorf("passwd: %w", &engine.NotFoundError{What: "person", ID: "x"}), "", `Không tìm thấy cán bộ "x"`, 2},
		{"MOTCUA_LANG=en gives English", &engine.NotFoundError{What: "person", ID: "x"}, "en", `person "x" not found`, 2},
		{"a forbidden act is bad input on the command line", &engine.ForbiddenError{Person: "ha", Units: []string{"mot-cua"}}, "", "ha không thuộc đơn vị được xử lý bước này; chỉ cán bộ của mot-cua được thực hiện", 2},
		{"usage errors exit 2 with their own text", usagef("bad flag"), "", "bad flag", 2},
		{"other failures exit 1 with their text", errors.New("disk full"), "", "disk full", 1},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			if got := errorText(tc.err, tc.lang); got != tc.want {
				t.Errorf("errorText = %q, want %q", got, tc.want)
			}
			if got := ExitCode(tc.err); got != tc.wantExit {
				t.Errorf("ExitCode = %d, want %d", got, tc.wantExit)
			}
		})
	}
}
