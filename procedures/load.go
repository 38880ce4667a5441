package procedures

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/internal/yamlnode"
)

// Parse decodes, checks and compiles one procedure definition read from
// path. Any problem, syntactic or semantic, makes it fail with *Problems.
func Parse(path string, data []byte) (*engine.Procedure, error) {
	s, probs := parse(path, data, nil)
	if len(probs) > 0 {
		return nil, asError(probs)
	}
	return s.p, nil
}

// parse runs everything short of failing: the source (nil when the file
// is not even a mapping) and every problem found.
func parse(path string, data []byte, dir *engine.Directory) (*source, []Problem) {
	d := &decoder{yamlnode.Decoder{Path: path}}
	root := d.parseYAML(data)
	if root == nil {
		return nil, d.Probs
	}
	s := d.decodeProcedure(root)
	if s == nil {
		return nil, d.Probs
	}
	d.check(s, dir)
	if len(d.Probs) == 0 {
		if err := s.p.Index(); err != nil {
			// Unreachable when decoding rejected duplicates; kept so that
			// a procedure is never returned unindexed.
			d.errorf(root, "%v", err)
		}
	}
	return s, d.Probs
}

// LoadFile reads and compiles one procedure file.
func LoadFile(path string) (*engine.Procedure, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Problems{List: []Problem{readProblem(path, err)}}
	}
	return Parse(path, data)
}

// LoadAll reads and compiles every procedure in the given files and
// folders. A folder contributes its *.yaml and *.yml files, not those of
// its subfolders, so that examples/procedures/ can sit next to
// examples/directory.yaml without the directory being read as a
// procedure. (code, version) must be unique across everything loaded.
// All problems in all files come back together as one *Problems.
func LoadAll(paths ...string) ([]*engine.Procedure, error) {
	r := Lint(LintOptions{}, paths...)
	if len(r.Problems) > 0 {
		return nil, &Problems{List: r.Problems}
	}
	return r.Procedures, nil
}

// LintOptions configures Lint.
type LintOptions struct {
	// Directory, when set, is what every unit and notify reference must
	// resolve against.
	Directory *engine.Directory
}

// LintResult is what Lint found.
type LintResult struct {
	// Files is the number of procedure files read.
	Files int
	// Procedures holds the procedures that compiled cleanly, in file order.
	Procedures []*engine.Procedure
	// Problems lists every problem, ordered by file and position.
	Problems []Problem
}

// Lint checks procedure files and folders (as LoadAll expands them) and
// reports every problem at once, including (code, version) pairs defined
// in more than one file.
func Lint(opts LintOptions, paths ...string) *LintResult {
	r := &LintResult{}
	files, probs := expand(paths)
	r.Problems = probs
	type seen struct {
		path string
		at   *yaml.Node
	}
	keys := map[string]seen{}
	for _, f := range files {
		r.Files++
		data, err := os.ReadFile(f)
		if err != nil {
			r.Problems = append(r.Problems, readProblem(f, err))
			continue
		}
		s, ps := parse(f, data, opts.Directory)
		r.Problems = append(r.Problems, ps...)
		if s == nil || s.p.Code == "" || s.keyBad {
			continue
		}
		key := s.p.Key()
		if first, dup := keys[key]; dup {
			at := s.code
			if s.version != nil {
				at = s.version
			}
			r.Problems = append(r.Problems, Problem{Path: f, Line: at.Line, Col: at.Column,
				Msg: fmt.Sprintf("procedure %s version %d is also defined at %s:%d:%d; raise version for a new revision",
					s.p.Code, s.p.Version, first.path, first.at.Line, first.at.Column)})
			continue
		}
		keys[key] = seen{f, s.code}
		if len(ps) == 0 {
			r.Procedures = append(r.Procedures, s.p)
		}
	}
	sortProblems(r.Problems)
	return r
}

// expand turns files and folders into the list of files to read, in a
// stable order.
func expand(paths []string) ([]string, []Problem) {
	var files []string
	var probs []Problem
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			probs = append(probs, readProblem(p, err))
			continue
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			probs = append(probs, readProblem(p, err))
			continue
		}
		var in []string
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
				in = append(in, filepath.Join(p, e.Name()))
			}
		}
		sort.Strings(in)
		if len(in) == 0 {
			probs = append(probs, Problem{Path: p, Line: 1, Col: 1, Msg: "folder holds no *.yaml or *.yml file"})
		}
		files = append(files, in...)
	}
	return files, probs
}

func readProblem(path string, err error) Problem {
	return Problem{Path: path, Line: 1, Col: 1, Msg: "cannot read: " + unwrapPathError(err)}
}
