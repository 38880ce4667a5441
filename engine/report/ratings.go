package report

import (
	"sort"

	"github.com/motcua/motcua/engine"
)

// The applicants' ratings of the service (Decree 61/2018 Art 30–31, kept
// by Decree 118/2025), reported per unit and procedure and feeding
// Decision 766 indicator 5.4. Criteria are whatever ids the ratings
// stored: averages are kept per id, plus an overall score.

// CriterionScore is the average score of one rating criterion.
type CriterionScore struct {
	// ID is the criterion's id as the rating stored it.
	ID      string  `json:"id"`
	Count   int     `json:"count"`
	Average float64 `json:"average"`
}

// Ratings summarises the applicants' ratings (Decree 61/2018 Art 30–31)
// of the dossiers finished in the period.
type Ratings struct {
	Count int `json:"count"`
	// Overall is the mean of each rating's mean score; nil when Count is 0.
	Overall *float64 `json:"overall"`
	// Disliked counts ratings with a dislike (see Query.DislikeAtMost).
	Disliked int `json:"disliked"`
	// Criteria are the per-criterion averages, by id.
	Criteria []CriterionScore `json:"criteria"`

	sum      float64
	criteria map[string]*[2]float64 // id → sum, count
}

// RatingRow is the ratings of one unit or procedure.
type RatingRow struct {
	Group  string `json:"group"`
	Name   string `json:"name,omitempty"`
	NameEN string `json:"name_en,omitempty"`
	Ratings
}

// add counts one rating: a dislike when any criterion is scored at or
// below dislikeAt.
func (r *Ratings) add(rt *engine.Rating, dislikeAt int) {
	if r.criteria == nil {
		r.criteria = map[string]*[2]float64{}
	}
	sum, n, disliked := 0, 0, false
	for id, s := range rt.Scores {
		c := r.criteria[id]
		if c == nil {
			c = &[2]float64{}
			r.criteria[id] = c
		}
		c[0] += float64(s)
		c[1]++
		sum += s
		n++
		disliked = disliked || s <= dislikeAt
	}
	r.Count++
	if n > 0 {
		r.sum += float64(sum) / float64(n)
	}
	if disliked {
		r.Disliked++
	}
}

func (r *Ratings) finish() {
	r.Overall = nil
	if r.Count > 0 {
		v := round2(r.sum / float64(r.Count))
		r.Overall = &v
	}
	ids := make([]string, 0, len(r.criteria))
	for id := range r.criteria {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	r.Criteria = make([]CriterionScore, 0, len(ids))
	for _, id := range ids {
		c := r.criteria[id]
		r.Criteria = append(r.Criteria, CriterionScore{ID: id, Count: int(c[1]), Average: round2(c[0] / c[1])})
	}
}

func ratingRows(m map[string]*Ratings, name func(string) (string, string)) []RatingRow {
	out := []RatingRow{}
	for _, k := range sortedKeys(m) {
		r := m[k]
		r.finish()
		row := RatingRow{Group: k, Ratings: *r}
		row.Name, row.NameEN = name(k)
		out = append(out, row)
	}
	return out
}
