package procedures

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/motcua/motcua/engine/calendar"
	"github.com/motcua/motcua/internal/yamlnode"
)

// LoadCalendar reads a calendar YAML file (see ParseCalendar).
func LoadCalendar(path string) (*calendar.Calendar, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Problems{List: []Problem{readProblem(path, err)}}
	}
	return ParseCalendar(path, data)
}

// ParseCalendar compiles a calendar definition:
//
//	name: vn-hcm
//	extends: vn                  # the default; "none" starts from nothing
//	zone: Asia/Ho_Chi_Minh
//	weekdays: [mon, tue, wed, thu, fri]
//	sessions: ["07:00-11:30", "13:30-17:00"]
//	years:
//	  - year: 2026
//	    source: "..."
//	    provisional: false
//	    days_off: [{date: 2026-01-01, name: Tết Dương lịch}, {from: 2026-02-14, to: 2026-02-22, name: Tết Nguyên đán}]
//	    working_days: [{date: 2026-01-10, name: Làm bù}]
//
// A calendar file extends the built-in "vn" calendar unless it says
// "extends: none": keys given replace the built-in ones and a year listed
// replaces the built-in table of that year wholesale (the Prime Minister
// fixes each year's swaps as one decision, so tables are not merged day
// by day); the years it does not list keep the built-in tables. Extending
// is the default because a file written for one year used to replace the
// whole calendar, and a 20-working-day dossier landed on 1 January 2027
// (issue 15). Whatever the file says, the built-in calendar stays the
// reference: a due instant on one of its days off that this calendar
// counts as working carries a warning. Errors are *Problems.
func ParseCalendar(path string, data []byte) (*calendar.Calendar, error) {
	d := &decoder{yamlnode.Decoder{Path: path}}
	root := d.parseYAML(data)
	if root == nil {
		return nil, asError(d.Probs)
	}
	var cfg calendar.Config
	var years []calendar.Year
	var yearNodes []*yaml.Node
	extends := "vn"
	var sessionsNode *yaml.Node
	d.mapping(root, "calendar", fields{
		"name": func(_, v *yaml.Node) { cfg.Name, _ = d.nonEmpty(v, "name") },
		"extends": func(_, v *yaml.Node) {
			if s, ok := d.str(v, "extends"); ok {
				if s != "vn" && s != "none" {
					d.errorf(v, "extends: unknown calendar %q (built in: vn; or none to start from nothing)", s)
				}
				extends = s
			}
		},
		"zone": func(_, v *yaml.Node) {
			if s, ok := d.nonEmpty(v, "zone"); ok {
				if _, err := time.LoadLocation(s); err != nil {
					d.errorf(v, "zone: unknown time zone %q", s)
				}
				cfg.Zone = s
			}
		},
		"weekdays": func(_, v *yaml.Node) {
			names, nodes := d.strs(v, "weekdays", false)
			for i, s := range names {
				wd, ok := weekdayNames[strings.ToLower(s)]
				if !ok {
					d.errorf(nodes[i], "weekdays: unknown day %q (want mon, tue, ... sun)", s)
					continue
				}
				cfg.Weekdays = append(cfg.Weekdays, wd)
			}
			if len(names) == 0 && resolve(v).Kind == yaml.SequenceNode {
				d.errorf(v, "weekdays must not be empty")
			}
		},
		"sessions": func(_, v *yaml.Node) {
			sessionsNode = v
			names, nodes := d.strs(v, "sessions", false)
			for i, s := range names {
				if ss, ok := parseSession(s); ok {
					cfg.Sessions = append(cfg.Sessions, ss)
				} else {
					d.errorf(nodes[i], "sessions: %q is not a session; want \"HH:MM-HH:MM\" with the start before the end", s)
				}
			}
		},
		"years": func(_, v *yaml.Node) {
			items, _ := d.seq(v, "years")
			for _, it := range items {
				if y, ok := d.calendarYear(it); ok {
					for j, prev := range years {
						if prev.Year == y.Year {
							d.errorf(it, "year %d listed twice (first at line %d)", y.Year, yearNodes[j].Line)
						}
					}
					years = append(years, y)
					yearNodes = append(yearNodes, it)
				}
			}
		},
	}, "name")
	if len(d.Probs) > 0 {
		return nil, asError(d.Probs)
	}
	if extends == "vn" {
		base := calendar.VNConfig()
		if cfg.Zone == "" {
			cfg.Zone = base.Zone
		}
		if cfg.Weekdays == nil {
			cfg.Weekdays = base.Weekdays
		}
		if cfg.Sessions == nil {
			cfg.Sessions = base.Sessions
		}
		merged := years
		for _, by := range base.Years {
			overridden := false
			for _, y := range years {
				overridden = overridden || y.Year == by.Year
			}
			if !overridden {
				merged = append(merged, by)
			}
		}
		years = merged
	}
	cfg.Years = years
	cfg.Reference = builtinVN()
	c, err := calendar.New(cfg)
	if err != nil {
		// calendar.New catches overlaps and clashes the per-node checks do
		// not see; point at the part of the file they come from.
		at := root
		if strings.Contains(err.Error(), "session") && sessionsNode != nil {
			at = sessionsNode
		}
		d.errorf(at, "%v", err)
		return nil, asError(d.Probs)
	}
	return c, nil
}

// builtinVN is the built-in calendar, compiled once: every calendar file
// is checked against it.
var builtinVN = sync.OnceValue(calendar.VN)

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func parseSession(s string) (calendar.Session, bool) {
	a, b, ok := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
	if !ok {
		return calendar.Session{}, false
	}
	start, err1 := calendar.ParseClock(a)
	end, err2 := calendar.ParseClock(b)
	if err1 != nil || err2 != nil || end <= start {
		return calendar.Session{}, false
	}
	return calendar.Session{Start: start, End: end}, true
}

func (d *decoder) calendarYear(n *yaml.Node) (calendar.Year, bool) {
	var y calendar.Year
	before := len(d.Probs)
	var offNodes, workNodes []*yaml.Node
	d.mapping(n, "year", fields{
		"year": func(_, v *yaml.Node) {
			// Zero is out of range too: a year of 0 would switch off the
			// check that each listed day lies in the year.
			n, ok := d.integer(v, "year")
			if ok && (n < 1900 || n > 2200) {
				d.errorf(v, "year %d is out of range (1900–2200)", n)
				return
			}
			y.Year = n
		},
		"source":       func(_, v *yaml.Node) { y.Source, _ = d.str(v, "source") },
		"provisional":  func(_, v *yaml.Node) { y.Provisional, _ = d.boolean(v, "provisional") },
		"days_off":     func(_, v *yaml.Node) { offNodes, _ = d.seq(v, "days_off") },
		"working_days": func(_, v *yaml.Node) { workNodes, _ = d.seq(v, "working_days") },
	}, "year")
	for _, it := range offNodes {
		y.DaysOff = append(y.DaysOff, d.holidays(it, "days_off", y.Year)...)
	}
	for _, it := range workNodes {
		y.WorkingDays = append(y.WorkingDays, d.holidays(it, "working_days", y.Year)...)
	}
	return y, len(d.Probs) == before
}

// holidays reads {date, name} or {from, to, name}; a range expands to one
// Holiday per day, since tables list days, not spans.
func (d *decoder) holidays(n *yaml.Node, what string, year int) []calendar.Holiday {
	var name string
	var date, from, to *calendar.Date
	var dateNode, fromNode *yaml.Node
	parse := func(v *yaml.Node, key string) *calendar.Date {
		s, ok := d.str(v, what+"."+key)
		if !ok {
			return nil
		}
		t, err := calendar.ParseDate(s)
		if err != nil {
			d.errorf(v, "%s.%s: %v", what, key, err)
			return nil
		}
		if year != 0 && t.Year != year {
			d.errorf(v, "%s.%s: %s is not in year %d", what, key, t, year)
			return nil
		}
		return &t
	}
	if !d.mapping(n, what+" entry", fields{
		"date": func(_, v *yaml.Node) { dateNode = v; date = parse(v, "date") },
		"from": func(_, v *yaml.Node) { fromNode = v; from = parse(v, "from") },
		"to":   func(_, v *yaml.Node) { to = parse(v, "to") },
		"name": func(_, v *yaml.Node) { name, _ = d.nonEmpty(v, "name") },
	}, "name") {
		return nil
	}
	switch {
	case dateNode != nil && fromNode != nil:
		d.errorf(fromNode, "%s entry: give either date or from/to, not both", what)
	case date != nil:
		return []calendar.Holiday{{Date: *date, Name: name}}
	case from != nil && to != nil:
		a := time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, time.UTC)
		b := time.Date(to.Year, to.Month, to.Day, 0, 0, 0, 0, time.UTC)
		if b.Before(a) {
			d.errorf(fromNode, "%s entry: from %s is after to %s", what, from, to)
			return nil
		}
		// A span expands to one Holiday per day; keeping it within one
		// year bounds that even when the year itself failed to parse
		// (from 0001-01-01 to 9999-12-31 was 3.6 million days).
		if from.Year != to.Year {
			d.errorf(fromNode, "%s entry: from %s and to %s are in different years; list each year's days in that year", what, from, to)
			return nil
		}
		var out []calendar.Holiday
		for t := a; !t.After(b); t = t.AddDate(0, 0, 1) {
			out = append(out, calendar.Holiday{Date: calendar.DateOf(t, time.UTC), Name: name})
		}
		return out
	case dateNode == nil && fromNode == nil:
		d.errorf(n, "%s entry: missing date (or from and to)", what)
	case fromNode != nil && to == nil && from != nil:
		d.errorf(fromNode, "%s entry: from without to", what)
	}
	return nil
}

// unwrapPathError drops the path os errors repeat, since Problem has it.
func unwrapPathError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Sprintf("%s: %v", pe.Op, pe.Err)
	}
	return err.Error()
}
