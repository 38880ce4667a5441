package procedures

import (
	"regexp"

	"gopkg.in/yaml.v3"

	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/internal/yamlnode"
)

// decoder walks a yaml.Node tree by hand instead of yaml.Unmarshal into
// structs: that keeps every node's position for messages, and lets one
// pass report every unknown key and wrong type instead of stopping at the
// first. The walking itself is shared with the simulator's scenarios
// (internal/yamlnode); this file adds what is particular to the language.
type decoder struct{ yamlnode.Decoder }

// fields maps each known key of a mapping to its handler.
type fields = yamlnode.Fields

func resolve(n *yaml.Node) *yaml.Node { return yamlnode.Resolve(n) }

func (d *decoder) errorf(n *yaml.Node, format string, a ...any) { d.Errorf(n, format, a...) }
func (d *decoder) parseYAML(data []byte) *yaml.Node             { return d.Parse(data) }
func (d *decoder) mapping(n *yaml.Node, what string, fs fields, required ...string) bool {
	return d.Mapping(n, what, fs, required...)
}
func (d *decoder) str(n *yaml.Node, what string) (string, bool)      { return d.Str(n, what) }
func (d *decoder) nonEmpty(n *yaml.Node, what string) (string, bool) { return d.NonEmpty(n, what) }
func (d *decoder) integer(n *yaml.Node, what string) (int, bool)     { return d.Integer(n, what) }
func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool)    { return d.Boolean(n, what) }
func (d *decoder) seq(n *yaml.Node, what string) ([]*yaml.Node, bool) {
	return d.Seq(n, what)
}
func (d *decoder) strs(n *yaml.Node, what string, single bool) ([]string, []*yaml.Node) {
	return d.Strs(n, what, single)
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

// idPattern is the shape of state and action ids: they become Mermaid and
// Graphviz identifiers and looplab/fsm event names, so keep them plain.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// refPattern is the shape of directory ids (units, people): kebab-case as
// in "mot-cua", "tu-phap-ho-tich".
var refPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// personPattern is the shape of person ids: a unit id's shape, or the
// forms existing accounts use, dotted ("nguyen.van.a") and e-mail-like
// ("a.nv@xa.gov.vn"): lower case, at most one @, and a dot, @, hyphen or
// underscore only between letters or digits.
var personPattern = regexp.MustCompile(`^[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:@[a-z0-9]+(?:[.-][a-z0-9]+)*)?$`)

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
