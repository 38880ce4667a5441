package procedures

import (
	"sort"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/internal/yamlnode"
)

// Problem is one finding about a definition file, located at the YAML node
// it is about: "path:line:col: message" (see yamlnode.Problem).
type Problem = yamlnode.Problem

// Problems is the error returned when definitions do not compile: every
// problem found, not just the first, so an admin fixes a file in one pass.
type Problems struct {
	List []Problem
}

// Error returns one line per problem.
func (e *Problems) Error() string { return yamlnode.Lines(e.List) }

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
