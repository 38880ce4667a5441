package procedures

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

	"github.com/motcua/motcua/engine/calendar"
)

// decoder walks a yaml.Node tree by hand instead of yaml.Unmarshal into
// structs: that keeps every node's position for messages, and lets one
// pass report every unknown key and wrong type instead of stopping at the
// first.
type decoder struct {
	path  string
	probs []Problem
}

func (d *decoder) errorf(n *yaml.Node, format string, a ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, n.Column
	}
	d.probs = append(d.probs, Problem{Path: d.path, Line: line, Col: col, Msg: fmt.Sprintf(format, a...)})
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseYAML parses data into its document node. Syntax errors become
// problems; yaml.v3 gives their line but no column.
func (d *decoder) parseYAML(data []byte) (doc *yaml.Node) {
	defer func() {
		// yaml.v3 recovers its own panics; this guards against the ones it
		// misses, so that a broken file is a finding, never a crash.
		if r := recover(); r != nil {
			d.probs = append(d.probs, Problem{Path: d.path, Line: 1, Col: 1, Msg: fmt.Sprintf("invalid YAML: %v", r)})
			doc = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			d.probs = append(d.probs, Problem{Path: d.path, Line: 1, Col: 1, Msg: "empty file"})
			return nil
		}
		d.syntaxError(err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(&extra, "more than one YAML document; put each definition in its own file")
	} else if !errors.Is(err, io.EOF) {
		d.syntaxError(err)
		return nil
	}
	if len(root.Content) == 0 {
		d.errorf(&root, "empty document")
		return nil
	}
	return root.Content[0]
}

func (d *decoder) syntaxError(err error) {
	line := 1
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil && n > 0 {
			line = n
		}
		msg = strings.TrimPrefix(msg, m[0]+": ")
	}
	d.probs = append(d.probs, Problem{Path: d.path, Line: line, Col: 1, Msg: "invalid YAML: " + msg})
}

// resolve follows aliases, so that anchors work anywhere a value does.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// kindName names what a node holds, for "want X, got Y" messages.
func kindName(n *yaml.Node) string {
	n = resolve(n)
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

// fields maps each known key of a mapping to its handler; key is the key
// node (for "repeated" messages), v the resolved value.
type fields map[string]func(key, v *yaml.Node)

// mapping checks that n is a mapping and dispatches its keys in document
// order. Unknown and repeated keys are problems; required keys that are
// absent are reported at the mapping itself.
func (d *decoder) mapping(n *yaml.Node, what string, fs fields, required ...string) bool {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping, got %s", what, kindName(n))
		return false
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode {
			d.errorf(k, "%s: keys must be strings, got %s", what, kindName(k))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, "%s: key %q repeated (first at line %d)", what, k.Value, first.Line)
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
			d.errorf(k, "%s: unknown key %q (known: %s)%s", what, k.Value, knownKeys(fs), hint)
			continue
		}
		fn(k, v)
	}
	for _, r := range required {
		if _, ok := seen[r]; !ok {
			d.errorf(n, "%s: missing required key %q", what, r)
		}
	}
	return true
}

func knownKeys(fs fields) string {
	ks := make([]string, 0, len(fs))
	for k := range fs {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// str reads a string. Numbers are accepted as their text because
// procedure codes such as 1.001193 look like numbers when left unquoted.
func (d *decoder) str(n *yaml.Node, what string) (string, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!bool" {
		d.errorf(n, "%s must be a string, got %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

// nonEmpty reads a string that must not be blank.
func (d *decoder) nonEmpty(n *yaml.Node, what string) (string, bool) {
	s, ok := d.str(n, what)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(n, "%s must not be empty", what)
		return "", false
	}
	return s, ok
}

func (d *decoder) integer(n *yaml.Node, what string) (int, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		d.errorf(n, "%s must be a whole number, got %s", what, kindName(n))
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 32)
	if err != nil {
		d.errorf(n, "%s: %q is not a whole number in range", what, n.Value)
		return 0, false
	}
	return int(v), true
}

func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errorf(n, "%s must be true or false, got %s", what, kindName(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		d.errorf(n, "%s must be true or false", what)
		return false, false
	}
	return b, true
}

// duration reads a legal time limit in any form calendar.ParseDuration
// accepts, Vietnamese included.
func (d *decoder) duration(n *yaml.Node, what string) (calendar.Duration, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return calendar.Duration{}, false
	}
	v, err := calendar.ParseDuration(s)
	if err != nil {
		d.errorf(n, "%s: %v", what, err)
		return calendar.Duration{}, false
	}
	return v, true
}

// seq checks that n is a list and returns its resolved items.
func (d *decoder) seq(n *yaml.Node, what string) ([]*yaml.Node, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list, got %s", what, kindName(n))
		return nil, false
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = resolve(c)
	}
	return out, true
}

// strs reads a list of strings, or a single string when one is allowed
// ("from: review" as well as "from: [review, sign]"). It returns the item
// nodes alongside, for messages about individual items.
func (d *decoder) strs(n *yaml.Node, what string, single bool) ([]string, []*yaml.Node) {
	n = resolve(n)
	if single && n != nil && n.Kind == yaml.ScalarNode {
		s, ok := d.nonEmpty(n, what)
		if !ok {
			return nil, nil
		}
		return []string{s}, []*yaml.Node{n}
	}
	items, ok := d.seq(n, what)
	if !ok {
		return nil, nil
	}
	var out []string
	var nodes []*yaml.Node
	for _, it := range items {
		if s, ok := d.nonEmpty(it, what+" item"); ok {
			out = append(out, s)
			nodes = append(nodes, it)
		}
	}
	return out, nodes
}

// idPattern is the shape of state and action ids: they become Mermaid and
// Graphviz identifiers and looplab/fsm event names, so keep them plain.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// refPattern is the shape of directory ids (units, people): kebab-case as
// in "mot-cua", "tu-phap-ho-tich".
var refPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

func (d *decoder) id(n *yaml.Node, what string, re *regexp.Regexp) (string, bool) {
	s, ok := d.nonEmpty(n, what)
	if !ok {
		return "", false
	}
	if !re.MatchString(s) {
		d.errorf(n, "%s %q must match %s", what, s, re)
		return s, false
	}
	return s, true
}

// unitCodePattern is the shape of a unit's dossier-code prefix
// ({code}-{YYMMDD}-{NNNN}, Circular 03/2025 Art 13): upper case, digits,
// dashes, e.g. "UBND-XA".
var unitCodePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9.-]*$`)
