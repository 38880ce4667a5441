// Package yamlnode decodes YAML files by walking yaml.Node trees, so that
// every problem carries the file, line and column of the node it is about
// (path:line:col, the form editors jump to) and one pass reports every
// problem. The procedure language and the simulator's scenarios share it.
package yamlnode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is one finding about a file, located at the YAML node it is
// about so that an editor can jump to it.
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

// Decoder walks a yaml.Node tree by hand instead of yaml.Unmarshal into
// structs: that keeps every node's position for messages, and lets one
// pass report every unknown key and wrong type instead of stopping at the
// first.
type Decoder struct {
	// Path names the file in every problem.
	Path string
	// Probs collects the problems found, in the order found: at most
	// MaxProblems, then one last problem saying how many more there were.
	Probs []Problem
	// more counts the problems past MaxProblems.
	more int
}

// Limits on one file, so that a small hostile file cannot cost minutes
// and gigabytes (issue 15: 25 KB of aliases expanded to four million
// problems). Real procedures, calendars and scenarios are a few
// kilobytes and a few thousand nodes.
const (
	// MaxFileBytes is the largest file Parse reads.
	MaxFileBytes = 1 << 20
	// MaxExpandedNodes bounds the nodes of a document with every alias
	// expanded, which is what walking it visits.
	MaxExpandedNodes = 200_000
	// MaxProblems is how many problems one file reports; the rest are
	// counted in a last problem.
	MaxProblems = 200
)

// Errorf records a problem at node n (line 1, column 1 when n has no position).
func (d *Decoder) Errorf(n *yaml.Node, format string, a ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, n.Column
	}
	d.add(Problem{Path: d.Path, Line: line, Col: col, Msg: fmt.Sprintf(format, a...)})
}

// add records p unless MaxProblems are already recorded; past that it
// counts p in a final "N more problems" entry instead.
func (d *Decoder) add(p Problem) {
	if len(d.Probs) < MaxProblems {
		d.Probs = append(d.Probs, p)
		return
	}
	d.more++
	msg := fmt.Sprintf("%d more problems not shown", d.more)
	if d.more == 1 {
		d.Probs = append(d.Probs, Problem{Path: d.Path, Line: p.Line, Col: p.Col, Msg: msg})
		return
	}
	d.Probs[len(d.Probs)-1].Msg = msg
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// Parse parses data into its document node. Syntax errors become
// problems; yaml.v3 gives their line but no column.
func (d *Decoder) Parse(data []byte) (doc *yaml.Node) {
	defer func() {
		// yaml.v3 recovers its own panics; this guards against the ones it
		// misses, so that a broken file is a finding, never a crash.
		if r := recover(); r != nil {
			d.add(Problem{Path: d.Path, Line: 1, Col: 1, Msg: fmt.Sprintf("invalid YAML: %v", r)})
			doc = nil
		}
	}()
	if len(data) > MaxFileBytes {
		d.add(Problem{Path: d.Path, Line: 1, Col: 1, Msg: fmt.Sprintf("file too large: %d bytes, at most %d", len(data), MaxFileBytes)})
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			d.add(Problem{Path: d.Path, Line: 1, Col: 1, Msg: "empty file"})
			return nil
		}
		d.syntaxError(err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.Errorf(&extra, "more than one YAML document; put each definition in its own file")
	} else if !errors.Is(err, io.EOF) {
		d.syntaxError(err)
		return nil
	}
	if len(root.Content) == 0 {
		d.Errorf(&root, "empty document")
		return nil
	}
	if n, ok := expandedSize(root.Content[0], MaxExpandedNodes); !ok {
		d.Errorf(root.Content[0], "aliases expand the document beyond %d nodes (at least %d): use fewer aliases or smaller anchors", MaxExpandedNodes, n)
		return nil
	}
	return root.Content[0]
}

// expandedSize counts the nodes of n with every alias expanded, as a walk
// visits them, stopping early once past budget (ok false). Anchored
// subtrees are measured once and remembered, so the count itself costs
// no more than the document's literal size.
func expandedSize(n *yaml.Node, budget int) (int, bool) {
	memo := map[*yaml.Node]int{}
	var size func(n *yaml.Node, depth int) int
	size = func(n *yaml.Node, depth int) int {
		if n == nil {
			return 0
		}
		if n.Kind == yaml.AliasNode {
			if depth > 64 {
				return budget + 1 // a chain Resolve would not follow anyway
			}
			return 1 + size(n.Alias, depth+1)
		}
		if v, ok := memo[n]; ok {
			return v
		}
		memo[n] = budget + 1 // in progress: a cycle counts as too big
		total := 1
		for _, c := range n.Content {
			total += size(c, depth)
			if total > budget {
				break
			}
		}
		memo[n] = total
		return total
	}
	total := size(n, 0)
	return total, total <= budget
}

func (d *Decoder) syntaxError(err error) {
	line := 1
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil && n > 0 {
			line = n
		}
		msg = strings.TrimPrefix(msg, m[0]+": ")
	}
	d.add(Problem{Path: d.Path, Line: line, Col: 1, Msg: "invalid YAML: " + msg})
}

// Resolve follows aliases, so that anchors work anywhere a value does.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// KindName names what a node holds, for "want X, got Y" messages.
func KindName(n *yaml.Node) string {
	n = Resolve(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean"
		case "!!int", "!!float":
			return "a number"
		}
		return "a string"
	}
	return "an alias"
}

// Fields maps each known key of a mapping to its handler; key is the key
// node (for "repeated" messages), v the resolved value.
type Fields map[string]func(key, v *yaml.Node)

// Mapping checks that n is a mapping and dispatches its keys in document
// order. Unknown and repeated keys are problems; required keys that are
// absent are reported at the mapping itself.
func (d *Decoder) Mapping(n *yaml.Node, what string, fs Fields, required ...string) bool {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		d.Errorf(n, "%s must be a mapping, got %s", what, KindName(n))
		return false
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := Resolve(n.Content[i]), Resolve(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode {
			d.Errorf(k, "%s: keys must be strings, got %s", what, KindName(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.Errorf(k, "%s: key %q repeated (first at line %d)", what, k.Value, first.Line)
			continue
		}
		seen[k.Value] = k
		fn, ok := fs[k.Value]
		if !ok {
			hint := ""
			if n.Style&yaml.FlowStyle != 0 && strings.ContainsAny(k.Value, " ()") {
				// {name: Tiếp nhận, phân loại, unit: x} splits at the comma.
				hint = "; a comma inside {...} ends a value: quote values that contain commas"
			}
			d.Errorf(k, "%s: unknown key %q (known: %s)%s", what, k.Value, KnownKeys(fs), hint)
			continue
		}
		fn(k, v)
	}
	for _, r := range required {
		if _, ok := seen[r]; !ok {
			d.Errorf(n, "%s: missing required key %q", what, r)
		}
	}
	return true
}

// KnownKeys lists the keys fs accepts, sorted, for messages.
func KnownKeys(fs Fields) string {
	ks := make([]string, 0, len(fs))
	for k := range fs {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// Str reads a string. Numbers are accepted as their text because
// procedure codes such as 1.001193 look like numbers when left unquoted.
func (d *Decoder) Str(n *yaml.Node, what string) (string, bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!bool" {
		d.Errorf(n, "%s must be a string, got %s", what, KindName(n))
		return "", false
	}
	return n.Value, true
}

// NonEmpty reads a string that must not be blank.
func (d *Decoder) NonEmpty(n *yaml.Node, what string) (string, bool) {
	s, ok := d.Str(n, what)
	if ok && strings.TrimSpace(s) == "" {
		d.Errorf(n, "%s must not be empty", what)
		return "", false
	}
	return s, ok
}

// Integer reads a whole number.
func (d *Decoder) Integer(n *yaml.Node, what string) (int, bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		d.Errorf(n, "%s must be a whole number, got %s", what, KindName(n))
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 32)
	if err != nil {
		d.Errorf(n, "%s: %q is not a whole number in range", what, n.Value)
		return 0, false
	}
	return int(v), true
}

// Boolean reads true or false.
func (d *Decoder) Boolean(n *yaml.Node, what string) (bool, bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.Errorf(n, "%s must be true or false, got %s", what, KindName(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		d.Errorf(n, "%s must be true or false", what)
		return false, false
	}
	return b, true
}

// Seq checks that n is a list and returns its resolved items.
func (d *Decoder) Seq(n *yaml.Node, what string) ([]*yaml.Node, bool) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		d.Errorf(n, "%s must be a list, got %s", what, KindName(n))
		return nil, false
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = Resolve(c)
	}
	return out, true
}

// Strs reads a list of strings, or a single string when one is allowed
// ("from: review" as well as "from: [review, sign]"). It returns the item
// nodes alongside, for messages about individual items.
func (d *Decoder) Strs(n *yaml.Node, what string, single bool) ([]string, []*yaml.Node) {
	n = Resolve(n)
	if single && n != nil && n.Kind == yaml.ScalarNode {
		s, ok := d.NonEmpty(n, what)
		if !ok {
			return nil, nil
		}
		return []string{s}, []*yaml.Node{n}
	}
	items, ok := d.Seq(n, what)
	if !ok {
		return nil, nil
	}
	var out []string
	var nodes []*yaml.Node
	for _, it := range items {
		if s, ok := d.NonEmpty(it, what+" item"); ok {
			out = append(out, s)
			nodes = append(nodes, it)
		}
	}
	return out, nodes
}

// Lines formats problems one per line, as error messages list them.
func Lines(ps []Problem) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
