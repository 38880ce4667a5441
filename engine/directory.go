package engine

import (
	"fmt"
	"sort"
)

// Role is what a person may do beyond acting for their units.
type Role string

// Roles a person can hold.
const (
	RoleOfficer Role = "officer" // acts on steps of their own units
	RoleHead    Role = "head"    // sees their units, gets escalations and digests
	RoleLeader  Role = "leader"  // the agency's leadership: sees every dossier and the agency's figures
	RoleAdmin   Role = "admin"   // manages procedures, sees everything
	RoleViewer  Role = "viewer"  // reads everything, acts on nothing
)

// Unit is an organisational unit: the one-stop desk, an office, leadership.
type Unit struct {
	ID   string
	Name string
	// NameEN is the English name, when given.
	NameEN string
	// Code prefixes dossier codes received by this unit ({code}-{YYMMDD}-{NNNN},
	// Circular 03/2025 Art 13); defaults to the upper-cased id.
	Code string
	// Head is the person id of the unit head (trưởng phòng, chủ tịch).
	Head string
	// Email is the unit's shared mailbox, if any.
	Email string
	// Leadership marks the agency's leadership (lãnh đạo UBND): its head,
	// and people with the head role in it, lead the agency (Person.Leads).
	Leadership bool
}

// Person is someone who signs in and acts.
type Person struct {
	ID     string
	Name   string
	Email  string
	Units  []string
	Roles  []Role
	Active bool

	// leads is set by NewDirectory for the heads of a leadership unit,
	// whose role in the file says only "head".
	leads bool
}

// Leads reports whether p leads the agency: the leader role, or the head
// of a unit marked as the agency's leadership (the commune chairman and
// deputies). Leaders see every dossier and the whole agency's figures.
func (p *Person) Leads() bool {
	return p != nil && (p.HasRole(RoleLeader) || p.leads)
}

// HasRole reports whether p holds r.
func (p *Person) HasRole(r Role) bool {
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// InUnit reports whether p belongs to unit.
func (p *Person) InUnit(unit string) bool { return contains(p.Units, unit) }

// Directory holds units and people; it is immutable once built.
type Directory struct {
	// Agency names the body the units belong to (e.g. "UBND xã Thử
	// Nghiệm"), printed above the issuing unit on documents; Place is the
	// place name of their date line ("Thử Nghiệm, ngày … tháng … năm …").
	// Both are set when the directory is built and optional.
	Agency, Place string

	units  map[string]*Unit
	people map[string]*Person
	order  []string
	porder []string
}

// NewDirectory indexes units and people, rejecting duplicate ids and
// references to unknown units or heads.
func NewDirectory(units []Unit, people []Person) (*Directory, error) {
	d := &Directory{units: map[string]*Unit{}, people: map[string]*Person{}}
	for i := range units {
		u := units[i]
		if _, dup := d.units[u.ID]; dup {
			return nil, fmt.Errorf("unit %q defined twice", u.ID)
		}
		if u.Code == "" {
			u.Code = upper(u.ID)
		}
		d.units[u.ID] = &u
		d.order = append(d.order, u.ID)
	}
	for i := range people {
		p := people[i]
		if _, dup := d.people[p.ID]; dup {
			return nil, fmt.Errorf("person %q defined twice", p.ID)
		}
		for _, u := range p.Units {
			if _, ok := d.units[u]; !ok {
				return nil, fmt.Errorf("person %q: unknown unit %q", p.ID, u)
			}
		}
		d.people[p.ID] = &p
		d.porder = append(d.porder, p.ID)
	}
	for _, u := range d.units {
		if u.Head != "" {
			if _, ok := d.people[u.Head]; !ok {
				return nil, fmt.Errorf("unit %q: unknown head %q", u.ID, u.Head)
			}
		}
	}
	for _, p := range d.people {
		for _, id := range p.Units {
			u := d.units[id]
			if u.Leadership && (u.Head == p.ID || p.HasRole(RoleHead)) {
				p.leads = true
			}
		}
	}
	return d, nil
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

// Unit returns the unit with id.
func (d *Directory) Unit(id string) (*Unit, bool) {
	u, ok := d.units[id]
	return u, ok
}

// Person returns the person with id.
func (d *Directory) Person(id string) (*Person, bool) {
	p, ok := d.people[id]
	return p, ok
}

// Units returns all units in definition order.
func (d *Directory) Units() []*Unit {
	out := make([]*Unit, len(d.order))
	for i, id := range d.order {
		out[i] = d.units[id]
	}
	return out
}

// People returns all people in definition order.
func (d *Directory) People() []*Person {
	out := make([]*Person, len(d.porder))
	for i, id := range d.porder {
		out[i] = d.people[id]
	}
	return out
}

// Members returns the ids of the people of unit, sorted.
func (d *Directory) Members(unit string) []string {
	var out []string
	for _, p := range d.people {
		if p.InUnit(unit) {
			out = append(out, p.ID)
		}
	}
	sort.Strings(out)
	return out
}

// Officers returns the ids of the people of unit who may act on its
// dossiers, sorted: active, with the officer or head role. Notices that
// ask for action go to them, never to an admin or viewer who merely
// belongs to the unit, nor to someone who has left.
func (d *Directory) Officers(unit string) []string {
	var out []string
	for _, p := range d.people {
		if p.Active && p.InUnit(unit) && (p.HasRole(RoleOfficer) || p.HasRole(RoleHead)) {
			out = append(out, p.ID)
		}
	}
	sort.Strings(out)
	return out
}

// Head returns the head of unit, resolved now (not at definition time).
func (d *Directory) Head(unit string) (string, bool) {
	u, ok := d.units[unit]
	if !ok || u.Head == "" {
		return "", false
	}
	return u.Head, true
}
