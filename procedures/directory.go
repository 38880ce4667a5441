package procedures

import (
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/internal/yamlnode"
)

// LoadDirectory reads a directory (units and people) file.
func LoadDirectory(path string) (*engine.Directory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Problems{List: []Problem{readProblem(path, err)}}
	}
	return ParseDirectory(path, data)
}

// ParseDirectory compiles a directory:
//
//	agency: UBND xã Thử Nghiệm       # optional: printed above the unit on documents
//	place: Thử Nghiệm                # optional: the place of the date line
//	units:
//	  - {id: mot-cua, name: Bộ phận Một cửa, code: UBND-XA, head: truong-bp-mot-cua}
//	  - {id: lanh-dao, name: Lãnh đạo UBND xã, head: chu-tich, leadership: true}
//	people:
//	  - {id: truong-bp-mot-cua, name: ..., email: ..., units: [mot-cua], roles: [head]}
//
// People are active unless "active: false": leavers stay in the file so
// that old history rows still name them. Errors are *Problems.
func ParseDirectory(path string, data []byte) (*engine.Directory, error) {
	d := &decoder{yamlnode.Decoder{Path: path}}
	root := d.parseYAML(data)
	if root == nil {
		return nil, asError(d.Probs)
	}
	var units []engine.Unit
	var people []engine.Person
	unitAt := map[string]*yaml.Node{}
	personAt := map[string]*yaml.Node{}
	var headRefs, unitRefs []*yaml.Node // checked once every id is known
	var agency, place string
	d.mapping(root, "directory", fields{
		"agency": func(_, v *yaml.Node) { agency, _ = d.nonEmpty(v, "agency") },
		"place":  func(_, v *yaml.Node) { place, _ = d.nonEmpty(v, "place") },
		"units": func(_, v *yaml.Node) {
			items, _ := d.seq(v, "units")
			for _, it := range items {
				var u engine.Unit
				var idNode *yaml.Node
				d.mapping(it, "unit", fields{
					"id":         func(_, v *yaml.Node) { idNode = v; u.ID, _ = d.id(v, "unit id", refPattern) },
					"name":       func(_, v *yaml.Node) { u.Name, _ = d.nonEmpty(v, "name") },
					"name_en":    func(_, v *yaml.Node) { u.NameEN, _ = d.str(v, "name_en") },
					"code":       func(_, v *yaml.Node) { u.Code, _ = d.id(v, "unit code", unitCodePattern) },
					"head":       func(_, v *yaml.Node) { u.Head, _ = d.nonEmpty(v, "head"); headRefs = append(headRefs, v) },
					"email":      func(_, v *yaml.Node) { u.Email = d.email(v) },
					"leadership": func(_, v *yaml.Node) { u.Leadership, _ = d.boolean(v, "leadership") },
				}, "id", "name")
				if u.ID == "" {
					continue
				}
				if first, dup := unitAt[u.ID]; dup {
					d.errorf(idNode, "unit %q defined twice (first at line %d)", u.ID, first.Line)
					continue
				}
				unitAt[u.ID] = idNode
				units = append(units, u)
			}
		},
		"people": func(_, v *yaml.Node) {
			items, _ := d.seq(v, "people")
			for _, it := range items {
				p := engine.Person{Active: true}
				var idNode *yaml.Node
				d.mapping(it, "person", fields{
					"id":    func(_, v *yaml.Node) { idNode = v; p.ID, _ = d.id(v, "person id", personPattern) },
					"name":  func(_, v *yaml.Node) { p.Name, _ = d.nonEmpty(v, "name") },
					"email": func(_, v *yaml.Node) { p.Email = d.email(v) },
					"units": func(_, v *yaml.Node) {
						var nodes []*yaml.Node
						p.Units, nodes = d.strs(v, "units", true)
						unitRefs = append(unitRefs, nodes...)
					},
					"roles": func(_, v *yaml.Node) {
						names, nodes := d.strs(v, "roles", true)
						for i, r := range names {
							switch engine.Role(r) {
							case engine.RoleOfficer, engine.RoleHead, engine.RoleLeader, engine.RoleAdmin, engine.RoleViewer, engine.RolePortal:
								p.Roles = append(p.Roles, engine.Role(r))
							default:
								d.errorf(nodes[i], "unknown role %q (want officer, head, leader, admin, viewer or portal)", r)
							}
						}
					},
					"active": func(_, v *yaml.Node) { p.Active, _ = d.boolean(v, "active") },
				}, "id", "name", "email")
				if p.ID == "" {
					continue
				}
				if first, dup := personAt[p.ID]; dup {
					d.errorf(idNode, "person %q defined twice (first at line %d)", p.ID, first.Line)
					continue
				}
				personAt[p.ID] = idNode
				people = append(people, p)
			}
		},
	}, "units")
	for _, n := range headRefs {
		if _, ok := personAt[n.Value]; !ok && n.Value != "" {
			d.errorf(n, "head %q is not a person of this directory", n.Value)
		}
	}
	for _, n := range unitRefs {
		if _, ok := unitAt[n.Value]; !ok {
			d.errorf(n, "unit %q is not a unit of this directory", n.Value)
		}
	}
	if len(d.Probs) > 0 {
		return nil, asError(d.Probs)
	}
	dir, err := engine.NewDirectory(units, people)
	if err != nil {
		d.errorf(root, "%v", err)
		return nil, asError(d.Probs)
	}
	dir.Agency, dir.Place = agency, place
	return dir, nil
}

func (d *decoder) email(n *yaml.Node) string {
	s, ok := d.nonEmpty(n, "email")
	if !ok {
		return ""
	}
	if at := strings.IndexByte(s, '@'); at <= 0 || at == len(s)-1 || strings.ContainsAny(s, " \t<>") {
		d.errorf(n, "email %q is not an address", s)
	}
	return s
}
