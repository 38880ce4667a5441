// Package simulate dry-runs procedures: a scenario lists receptions,
// actions and deadline sweeps at simulated instants, and Run plays them
// through the real engine on a real store, so that admins see states,
// due instants and rejections before a procedure goes live.
//
// A scenario file (paths relative to the file):
//
//	procedures: [../procedures]
//	directory: ../directory.yaml
//	calendar: ../calendars/vn-2026.yaml   # optional; default the built-in vn
//	steps:
//	  - at: 2026-02-12T16:30:00+07:00
//	    receive: {procedure: "1.001193", ref: D1, by: ngo-thi-mai, channel: counter,
//	              applicant: {name: Nguyễn Văn An}}
//	  - at: 2026-02-23T08:30:00+07:00
//	    act: {ref: D1, action: transfer, by: ngo-thi-mai}
//	  - at: 2026-02-25T08:00:00+07:00
//	    sweep: {}
package simulate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/internal/yamlnode"
)

// Scenario is a parsed scenario file.
type Scenario struct {
	// Path is the scenario file as given.
	Path string
	// Procedures are files or folders of procedure definitions, resolved
	// against the scenario's folder.
	Procedures []string
	// Directory is the directory file, resolved likewise.
	Directory string
	// Calendar is the calendar file; empty means the built-in vn calendar.
	Calendar string
	// Steps run in order; their instants never go back.
	Steps []Step
}

// StepKind says what a step does.
type StepKind string

// Step kinds.
const (
	KindReceive StepKind = "receive"
	KindAct     StepKind = "act"
	KindSweep   StepKind = "sweep"
)

// Step is one step of a scenario: at At, one of Receive, Act or a sweep.
type Step struct {
	// Line and Col locate the step in the scenario file.
	Line, Col int
	At        time.Time
	Kind      StepKind
	Receive   *ReceiveStep // Kind == KindReceive
	Act       *ActStep     // Kind == KindAct
}

// ReceiveStep receives a dossier and names it Ref for later steps.
type ReceiveStep struct {
	Procedure string
	// Version 0 means the latest.
	Version   int
	Ref       string
	By        string
	Channel   engine.Channel
	Applicant engine.Applicant
	Inputs    map[string]string
	// ReceivedAt is zero unless the reception is dated earlier (post).
	ReceivedAt     time.Time
	IdempotencyKey string
}

// ActStep fires an action on the dossier received as Ref.
type ActStep struct {
	Ref            string
	Action         string
	By             string
	Inputs         map[string]string
	IdempotencyKey string
}

// Problem is one finding in a scenario file, located as path:line:col.
type Problem = yamlnode.Problem

// ParseError lists every problem found in a scenario file.
type ParseError struct {
	List []Problem
}

func (e *ParseError) Error() string { return yamlnode.Lines(e.List) }

// ErrorCode makes a malformed scenario bad input (exit status 2).
func (e *ParseError) ErrorCode() engine.Code { return engine.EINVALID }

// Parse reads and decodes the scenario at path strictly: unknown keys,
// malformed instants, unknown step kinds and references to dossiers not
// received by an earlier step are all reported, each as path:line:col.
func Parse(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return nil, &ParseError{List: []Problem{{Path: path, Line: 1, Col: 1, Msg: "cannot read scenario: " + msg}}}
	}
	return ParseBytes(path, data)
}

// ParseBytes decodes a scenario read from path (used to resolve the
// relative paths it names and in messages).
func ParseBytes(path string, data []byte) (*Scenario, error) {
	d := &decoder{yamlnode.Decoder{Path: path}}
	sc := d.scenario(data)
	if len(d.Probs) > 0 {
		return nil, &ParseError{List: d.Probs}
	}
	return sc, nil
}

// decoder is the shared YAML walker (internal/yamlnode, also the
// procedure language's) with what scenarios need on top: instants, input
// maps and paths relative to the scenario file.
type decoder struct{ yamlnode.Decoder }

type fields = yamlnode.Fields

func (d *decoder) errorf(n *yaml.Node, format string, a ...any) { d.Errorf(n, format, a...) }
func (d *decoder) mapping(n *yaml.Node, what string, fs fields, required ...string) bool {
	return d.Mapping(n, what, fs, required...)
}

// str and nonEmpty return "" for a value already reported as wrong.
func (d *decoder) str(n *yaml.Node, what string) string {
	v, _ := d.Str(n, what)
	return v
}

func (d *decoder) nonEmpty(n *yaml.Node, what string) string {
	v, _ := d.NonEmpty(n, what)
	return strings.TrimSpace(v)
}

func (d *decoder) instant(n *yaml.Node, what string) time.Time {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s must be an instant", what)
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, n.Value)
	if err != nil {
		d.errorf(n, "invalid instant %q for %s: want RFC3339 with an offset, such as 2026-02-12T16:30:00+07:00", n.Value, what)
		return time.Time{}
	}
	return t
}

func (d *decoder) strMap(n *yaml.Node, what string) map[string]string {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of names to values", what)
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			d.errorf(v, "%s.%s must be a single value", what, k.Value)
			continue
		}
		out[k.Value] = v.Value
	}
	return out
}

// paths accepts one path or a list of paths, resolved against base.
func (d *decoder) paths(n *yaml.Node, what, base string) []string {
	var items []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		items = []*yaml.Node{n}
	case yaml.SequenceNode:
		items = n.Content
	default:
		d.errorf(n, "%s must be a path or a list of paths", what)
		return nil
	}
	var out []string
	for _, it := range items {
		if p := d.nonEmpty(it, what); p != "" {
			out = append(out, resolvePath(base, p))
		}
	}
	if len(out) == 0 && len(items) == 0 {
		d.errorf(n, "%s: at least one path", what)
	}
	return out
}

func resolvePath(base, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}

func (d *decoder) scenario(data []byte) *Scenario {
	root := d.Parse(data)
	if root == nil {
		return nil
	}
	base := filepath.Dir(d.Path)
	sc := &Scenario{Path: d.Path}
	var stepsNode *yaml.Node
	d.mapping(root, "scenario", fields{
		"description": func(_, v *yaml.Node) { d.str(v, "description") },
		"procedures":  func(_, v *yaml.Node) { sc.Procedures = d.paths(v, "procedures", base) },
		"directory": func(_, v *yaml.Node) {
			if p := d.nonEmpty(v, "directory"); p != "" {
				sc.Directory = resolvePath(base, p)
			}
		},
		"calendar": func(_, v *yaml.Node) {
			if p := d.nonEmpty(v, "calendar"); p != "" {
				sc.Calendar = resolvePath(base, p)
			}
		},
		"steps": func(_, v *yaml.Node) { stepsNode = v },
	}, "procedures", "directory", "steps")
	if stepsNode == nil {
		return sc
	}
	if stepsNode.Kind != yaml.SequenceNode {
		d.errorf(stepsNode, "steps must be a list")
		return sc
	}
	refs := map[string]bool{}
	var last time.Time
	for i, n := range stepsNode.Content {
		st, ok := d.step(n, i)
		if !ok {
			continue
		}
		if !st.At.IsZero() && st.At.Before(last) {
			d.errorf(n, "step %d at %s is earlier than the step before it (%s): the simulated clock only moves forward",
				i+1, st.At.Format(time.RFC3339), last.Format(time.RFC3339))
		}
		if st.At.After(last) {
			last = st.At
		}
		switch st.Kind {
		case KindReceive:
			if refs[st.Receive.Ref] {
				d.errorf(n, "ref %q is already used by an earlier receive step", st.Receive.Ref)
			}
			refs[st.Receive.Ref] = true
		case KindAct:
			if st.Act.Ref != "" && !refs[st.Act.Ref] {
				d.errorf(refNode(n), "unknown ref %q: no earlier receive step names it", st.Act.Ref)
			}
		}
		sc.Steps = append(sc.Steps, st)
	}
	return sc
}

// refNode finds the act's ref value, for a precise position.
func refNode(step *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(step.Content); i += 2 {
		if step.Content[i].Value == "act" {
			a := step.Content[i+1]
			for j := 0; j+1 < len(a.Content); j += 2 {
				if a.Content[j].Value == "ref" {
					return a.Content[j+1]
				}
			}
			return a
		}
	}
	return step
}

func (d *decoder) step(n *yaml.Node, i int) (Step, bool) {
	st := Step{Line: n.Line, Col: n.Column}
	what := fmt.Sprintf("step %d", i+1)
	var kinds []string
	before := len(d.Probs)
	ok := d.mapping(n, what, fields{
		"at": func(_, v *yaml.Node) { st.At = d.instant(v, what+" at") },
		"receive": func(_, v *yaml.Node) {
			kinds = append(kinds, "receive")
			st.Kind, st.Receive = KindReceive, d.receive(v, what+" receive")
		},
		"act": func(_, v *yaml.Node) {
			kinds = append(kinds, "act")
			st.Kind, st.Act = KindAct, d.act(v, what+" act")
		},
		"sweep": func(_, v *yaml.Node) {
			kinds = append(kinds, "sweep")
			st.Kind = KindSweep
			if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "") {
				return // "sweep:" with nothing after it
			}
			d.mapping(v, what+" sweep", fields{})
		},
	}, "at")
	if n.Kind != yaml.MappingNode {
		return st, false
	}
	switch len(kinds) {
	case 0:
		d.errorf(n, "%s: missing the step kind: want one of receive, act, sweep", what)
		ok = false
	case 1:
	default:
		d.errorf(n, "%s: one step does one thing, found %s", what, strings.Join(kinds, " and "))
		ok = false
	}
	return st, ok && len(d.Probs) == before
}

func (d *decoder) receive(n *yaml.Node, what string) *ReceiveStep {
	r := &ReceiveStep{}
	d.mapping(n, what, fields{
		"procedure": func(_, v *yaml.Node) { r.Procedure = d.nonEmpty(v, "procedure") },
		"version": func(_, v *yaml.Node) {
			x, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil || x < 1 {
				d.errorf(v, "version must be a whole number from 1")
				return
			}
			r.Version = x
		},
		"ref": func(_, v *yaml.Node) { r.Ref = d.nonEmpty(v, "ref") },
		"by":  func(_, v *yaml.Node) { r.By = d.nonEmpty(v, "by") },
		"channel": func(_, v *yaml.Node) {
			c := engine.Channel(d.nonEmpty(v, "channel"))
			if c != "" && !c.Valid() {
				d.errorf(v, "unknown channel %q: want counter, online or post", c)
			}
			r.Channel = c
		},
		"applicant": func(_, v *yaml.Node) {
			a := &r.Applicant
			d.mapping(v, what+" applicant", fields{
				"name":    func(_, v *yaml.Node) { a.Name = d.nonEmpty(v, "applicant name") },
				"id_no":   func(_, v *yaml.Node) { a.IDNo = d.str(v, "applicant id_no") },
				"phone":   func(_, v *yaml.Node) { a.Phone = d.str(v, "applicant phone") },
				"email":   func(_, v *yaml.Node) { a.Email = d.str(v, "applicant email") },
				"address": func(_, v *yaml.Node) { a.Address = d.str(v, "applicant address") },
			}, "name")
		},
		"inputs":          func(_, v *yaml.Node) { r.Inputs = d.strMap(v, "inputs") },
		"received_at":     func(_, v *yaml.Node) { r.ReceivedAt = d.instant(v, "received_at") },
		"idempotency_key": func(_, v *yaml.Node) { r.IdempotencyKey = d.nonEmpty(v, "idempotency_key") },
	}, "procedure", "ref", "by", "applicant")
	return r
}

func (d *decoder) act(n *yaml.Node, what string) *ActStep {
	a := &ActStep{}
	d.mapping(n, what, fields{
		"ref":             func(_, v *yaml.Node) { a.Ref = d.nonEmpty(v, "ref") },
		"action":          func(_, v *yaml.Node) { a.Action = d.nonEmpty(v, "action") },
		"by":              func(_, v *yaml.Node) { a.By = d.nonEmpty(v, "by") },
		"inputs":          func(_, v *yaml.Node) { a.Inputs = d.strMap(v, "inputs") },
		"idempotency_key": func(_, v *yaml.Node) { a.IdempotencyKey = d.nonEmpty(v, "idempotency_key") },
	}, "ref", "action", "by")
	return a
}
