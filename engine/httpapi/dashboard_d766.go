package httpapi

import (
	"fmt"

	"github.com/motcua/motcua/engine/report"
)

// The dashboard's Decision 766 panel: the indicators of Decision
// 766/QĐ-TTg for the same month and the same units as the rest of the
// page, from the report's own section (report/d766.go), so the panel and
// the filed report can never disagree.

// d766Targets are the levels at which the national portal gives an
// indicator full marks (below them the score is proportional), from the
// description of the national formulas in docs/reports.md. They only
// label the panel; nothing is computed from them.
var d766Targets = map[int]string{2: "≥ 50%", 3: "≥ 80%", 6: "≥ 80%", 7: "≥ 80%"}

// d766TargetLevels are the same levels as fractions, to shade a tile.
var d766TargetLevels = map[int]float64{2: 0.5, 3: 0.8, 6: 0.8, 7: 0.8}

// d766Item is one tile of the panel.
type d766Item struct {
	// ID names the tile for tests and styles ("d766-2-1", …).
	ID     string
	Label  string
	Value  string
	Sub    string
	Target string
	// Class shades the tile: good or poor against its target, the
	// on-time tiles like the page's on-time rate, plain otherwise; none
	// without data ("—"): no data is not 0%.
	Class string
}

// d766Line is one line of the panel's detail lists.
type d766Line struct {
	Name, Value string
}

// d766Panel is the panel's data.
type d766Panel struct {
	Items []d766Item
	// Times is indicator 2.2 per procedure; Ratings the ratings per unit.
	Times   []d766Line
	Ratings []d766Line
}

// newD766Panel lays the report's section out for the page; nil without one.
func newD766Panel(s *report.D766, lang string) *d766Panel {
	if s == nil {
		return nil
	}
	f := &s.Total
	p := &d766Panel{}
	ids := []string{"2-1", "2-1-legal", "3-3", "3-5", "3-6", "4-1", "4-2", "4-3"}
	for i, r := range f.Indicators() {
		it := d766Item{ID: "d766-" + ids[i], Label: report.IndicatorLabel(i, lang), Target: d766Targets[i], Value: "—", Class: "none"}
		if r.Den > 0 {
			it.Value = ratePercent(r.Num, r.Den, lang)
			it.Sub = fmt.Sprintf("%d/%d", r.Num, r.Den)
			it.Class = "plain"
			if level, ok := d766TargetLevels[i]; ok {
				it.Class = targetClass(float64(r.Num)/float64(r.Den), level)
			} else if i < 2 {
				it.Class = rateClass(r.Num, r.Den)
			}
		}
		p.Items = append(p.Items, it)
	}
	res := d766Item{ID: "d766-2-2", Label: tr("d766_resolution", lang), Value: "—", Class: "none"}
	if f.ResolutionAvg != nil {
		res.Value = commaIf(fmt.Sprintf("%.2f", *f.ResolutionAvg), lang)
		res.Sub = fmt.Sprintf(tr("d766_resolution_sub", lang), report.TimeUnitName(f.ResolutionUnit, lang), f.ResolutionCount)
		res.Class = "plain"
	} else if f.ResolutionCount > 0 {
		res.Sub = tr("d766_mixed_units", lang)
	}
	sat := d766Item{ID: "d766-5-4", Label: tr("d766_satisfaction", lang), Value: "—", Target: "≥ 90%", Class: "none",
		Sub: fmt.Sprintf(tr("d766_satisfaction_sub", lang), f.Satisfaction.Overdue, f.Satisfaction.Judged, f.Satisfaction.Disliked, f.Satisfaction.Rated)}
	if f.Satisfaction.Rate != nil {
		sat.Value = ratePercent(int(*f.Satisfaction.Rate*1000+0.5), 1000, lang)
		sat.Class = targetClass(*f.Satisfaction.Rate, 0.9)
	}
	rated := d766Item{ID: "d766-ratings", Label: tr("d766_ratings", lang), Value: "—", Class: "none",
		Sub: fmt.Sprintf(tr("d766_ratings_sub", lang), f.Ratings.Count)}
	if f.Ratings.Overall != nil {
		rated.Value = commaIf(fmt.Sprintf("%.2f", *f.Ratings.Overall), lang)
		rated.Class = "plain"
	}
	p.Items = append(p.Items, res, sat, rated)
	for _, t := range s.ResolutionTimes {
		name := t.Name
		if lang == "en" && t.NameEN != "" {
			name = t.NameEN
		}
		if name == "" {
			name = t.Procedure
		}
		v := "—"
		if t.Average != nil {
			v = commaIf(fmt.Sprintf("%.2f", *t.Average), lang) + " " + report.TimeUnitName(t.Unit, lang)
		}
		p.Times = append(p.Times, d766Line{Name: name, Value: fmt.Sprintf("%s (%d)", v, t.Count)})
	}
	for _, r := range s.RatingsByUnit {
		name := r.Name
		if lang == "en" && r.NameEN != "" {
			name = r.NameEN
		}
		if name == "" {
			name = r.Group
		}
		v := "—"
		if r.Overall != nil {
			v = commaIf(fmt.Sprintf("%.2f", *r.Overall), lang)
		}
		p.Ratings = append(p.Ratings, d766Line{Name: name, Value: fmt.Sprintf(tr("d766_rating_line", lang), v, r.Count, r.Disliked)})
	}
	return p
}

// targetClass shades a rate against the level of full marks.
func targetClass(rate, level float64) string {
	if rate >= level {
		return "good"
	}
	return "poor"
}

func commaIf(s, lang string) string {
	if lang == "en" {
		return s
	}
	return commaDecimal(s)
}

// commaDecimal writes the decimal point of s as Vietnamese does.
func commaDecimal(s string) string {
	for i := range len(s) {
		if s[i] == '.' {
			return s[:i] + "," + s[i+1:]
		}
	}
	return s
}
