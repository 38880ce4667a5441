package engine

import (
	"context"
	"slices"
	"strings"
	"time"
)

// SlimDropped names the fields of a dossier that a Slim scan (Query.Slim)
// may leave empty: the personal data and free text that no figure reads
// (report's TestSlimCarriesWhatReportsRead pins that the report reads
// none of them). History[] names a field of every history row.
var SlimDropped = []string{
	"Applicant",                // name, ID number, phone, e-mail, address
	"ReceiveKey",               // the reception's idempotency key
	"Uses",                     // limited actions' counts (the ledger records extensions)
	"Fired",                    // escalation rungs fired
	"History[].Inputs",         // what the officer typed (reasons, notes)
	"History[].IdempotencyKey", // a request's retry key
}

// FigureUnit is the unit an unfinished dossier's figures are attributed
// to: its responsible unit, or, while it is in a state without one
// (waiting for the applicant), the unit that sent it there; the
// receiving unit before any handover. It is what report.Compute counts a
// dossier "in progress" under, kept by a FigureStore beside each
// dossier.
func FigureUnit(d *Dossier) string {
	return figureUnitOf(d, len(d.History))
}

// FigureUnitBefore is FigureUnit of d as it stood just before t, from its
// history rows before t: the unit a report attributes d to at t.
func FigureUnitBefore(d *Dossier, t time.Time) string {
	n := 0
	for i := range d.History {
		if d.History[i].At.Before(t) {
			n = i + 1
		}
	}
	return figureUnitOf(d, n)
}

// figureUnitOf is FigureUnit of d's first n history rows.
func figureUnitOf(d *Dossier, n int) string {
	for i := n - 1; i >= 0; i-- {
		h := &d.History[i]
		if h.ToUnit != "" {
			return h.ToUnit
		}
		if h.FromUnit != "" {
			return h.FromUnit
		}
	}
	return d.ReceivingUnit
}

// OpenCount is one group of the unfinished dossiers.
type OpenCount struct {
	// Unit is the responsible unit (Dossier.Unit; empty in states
	// without one); FigureUnit the unit the figures attribute them to
	// (FigureUnit).
	Unit, FigureUnit string
	// Open counts the unfinished dossiers, Paused those of them waiting
	// for the applicant (StatusPaused).
	Open, Paused int
	// Overdue counts those due before now, DueToday those due at or
	// after now and before the end of the day (DueFlags' two flags).
	Overdue, DueToday int
}

// SortOpenCounts puts counts in the order FigureStore.OpenCounts answers
// them: by Unit, then FigureUnit.
func SortOpenCounts(counts []OpenCount) {
	slices.SortFunc(counts, func(a, b OpenCount) int {
		if c := strings.Compare(a.Unit, b.Unit); c != 0 {
			return c
		}
		return strings.Compare(a.FigureUnit, b.FigureUnit)
	})
}

// OpenStatuses are the statuses OpenCounts counts: in progress, or
// waiting for the applicant. An online submission the desk has not
// received yet (StatusRegistered) runs no clock and is not open yet,
// as the reports do not count it received (NeverReceived).
var OpenStatuses = []Status{StatusInProgress, StatusPaused}

// OpenCountsByScan is OpenCounts computed from a Slim scan of the open
// dossiers: the answer for a store that does not count them itself, and
// the answer every FigureStore must agree with (enginetest pins it).
func OpenCountsByScan(ctx context.Context, s Store, now, dayEnd time.Time) ([]OpenCount, error) {
	type key struct{ unit, figure string }
	groups := map[key]*OpenCount{}
	err := s.Scan(ctx, Query{Status: OpenStatuses, Slim: true}, func(d *Dossier) error {
		k := key{d.Unit, FigureUnit(d)}
		g := groups[k]
		if g == nil {
			g = &OpenCount{Unit: k.unit, FigureUnit: k.figure}
			groups[k] = g
		}
		g.Open++
		if d.Status == StatusPaused {
			g.Paused++
		}
		switch {
		case d.DueAt == nil:
		case d.DueAt.Before(now):
			g.Overdue++
		case d.DueAt.Before(dayEnd):
			g.DueToday++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]OpenCount, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	SortOpenCounts(out)
	return out, nil
}

// FigureStore is a Store that counts the unfinished dossiers without
// reading them: the metrics scrape and the dashboard ask on every view,
// and at a province's scale (hundreds of thousands of open dossiers) a
// scan is seconds. Both stores implement it; enginetest pins it against
// a count of what Scan returns.
type FigureStore interface {
	Store
	// OpenCounts groups the open dossiers (OpenStatuses) by (Unit, FigureUnit),
	// ordered by Unit then FigureUnit, groups with no dossier left out:
	// Open and Paused as they are; Overdue those whose DueAt is before
	// now; DueToday those whose DueAt is at or after now and before
	// dayEnd (the end of now's day in the calendar's zone).
	OpenCounts(ctx context.Context, now, dayEnd time.Time) ([]OpenCount, error)
}
