package procedures

import (
	"fmt"
	"sort"
	"strings"

	"github.com/motcua/motcua/engine"
)

// Problem is one finding about a definition file, located at the YAML node
// it is about so that an editor can jump to it.
type Problem struct {
	Path string
	Line int // 1-based
	Col  int // 1-based
	Msg  string
}

// String formats p as "path:line:col: message", the form compilers use and
// editors understand.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.Path, p.Line, p.Col, p.Msg)
}

// Problems is the error returned when definitions do not compile: every
// problem found, not just the first, so an admin fixes a file in one pass.
type Problems struct {
	List []Problem
}

// Error returns one line per problem.
func (e *Problems) Error() string {
	lines := make([]string, len(e.List))
	for i, p := range e.List {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// ErrorCode marks broken definitions as bad input.
func (e *Problems) ErrorCode() engine.Code { return engine.EINVALID }

// sortProblems orders problems by file and position, keeping the order in
// which they were found for problems at the same node.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// asError returns nil for no problems and a *Problems otherwise.
func asError(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	sortProblems(ps)
	return &Problems{List: ps}
}
