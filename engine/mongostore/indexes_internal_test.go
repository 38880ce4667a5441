package mongostore

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/internal/ferrettest"
)

// indexQuery is one query of the store as it is sent: the collection,
// filter, sort and hint, what the plan allows, and the fields the case
// says are filtered on the documents (or index keys) rather than by the
// index bounds.
type indexQuery struct {
	rule        string
	coll        string
	filter      bson.D
	sort        bson.D
	hint        string
	boundedSort string
	residual    []string
	// pipeline, when set, is the aggregation the query is the $match
	// of: explain runs it instead of a find, and, covered, fails on any
	// FETCH (the plan must read index keys only).
	pipeline bson.A
	covered  bool
}

func dossierQuery(rule string, q engine.Query, residual ...string) indexQuery {
	p := planDossiers(q)
	return indexQuery{rule: rule, coll: collDossiers, filter: filterOf(q), sort: sortOf(q),
		hint: p.index, boundedSort: p.boundedSort, residual: residual}
}

// storeQueries are the queries of the store, one per shape a caller uses
// (engine.Query as the inbox, the digest, the metrics, the reports, the
// watch and the dispatcher build it).
func storeQueries() []indexQuery {
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	units := []string{"tu-phap", "dia-chinh"}
	open := []engine.Status{engine.StatusInProgress, engine.StatusPaused}
	qs := []indexQuery{
		dossierQuery("an inbox: units and statuses by due instant", engine.Query{Units: units, Status: open, OrderByDue: true}),
		dossierQuery("a unit's dossiers by due instant, any status", engine.Query{Units: units, OrderByDue: true}),
		dossierQuery("a unit's dossiers by code", engine.Query{Units: units}),
		dossierQuery("a head's digest: units in progress by code", engine.Query{Units: units, Status: []engine.Status{engine.StatusInProgress}}),
		dossierQuery("open dossiers by code: metrics, recompute", engine.Query{Status: open}),
		dossierQuery("paused dossiers: the digest", engine.Query{Status: []engine.Status{engine.StatusPaused}}),
		dossierQuery("every dossier by due instant", engine.Query{OrderByDue: true}),
		dossierQuery("overdue by due instant", engine.Query{Overdue: true, Now: now, OrderByDue: true}),
		dossierQuery("a unit's overdue by due instant", engine.Query{Units: units, Overdue: true, Now: now, OrderByDue: true}),
		dossierQuery("overdue by code: walks the in-progress dossiers in code order", engine.Query{Overdue: true, Now: now}, "due_order"),
		dossierQuery("every dossier by code", engine.Query{}),
		dossierQuery("a page of every dossier", engine.Query{Offset: 50, Limit: 50}),
		dossierQuery("text search alone: a range of the search keys", engine.Query{Text: "Nguyễn"}),
		dossierQuery("text search in units by due: the keys, the rest checked on them", engine.Query{Units: units, Text: "0001", OrderByDue: true},
			"unit", "status"),
		dossierQuery("text search in an inbox with every filter", engine.Query{Units: units, Status: open, Text: "binh", Channel: engine.ChannelPost,
			State: "tham_dinh", Procedure: "1.001", DueFrom: now, DueTo: now.Add(72 * time.Hour), OrderByDue: true},
			"unit", "status", "channel", "state", "procedure", "due_order"),
		dossierQuery("a due range by due instant", engine.Query{DueFrom: now, DueTo: now.Add(72 * time.Hour), OrderByDue: true}),
		dossierQuery("a channel in an inbox", engine.Query{Units: units, Status: open, Channel: engine.ChannelOnline, OrderByDue: true}, "channel"),
		dossierQuery("the next page of an inbox (keyset)", engine.Query{Units: units, Status: open, OrderByDue: true, Limit: 51,
			After: &engine.Position{Code: "XA01-260302-0001", Due: &now}}, "_id"),
		dossierQuery("the next page of every dossier by due (keyset)", engine.Query{OrderByDue: true, Limit: 51,
			After: &engine.Position{Code: "XA01-260302-0001"}}, "_id"),
		dossierQuery("the next page by code (keyset)", engine.Query{Units: units, Limit: 51, After: &engine.Position{Code: "XA01-260302-0001"}}),
		dossierQuery("a state, procedure and kind in units", engine.Query{Units: units, State: "tham_dinh", Procedure: "1.001", Kind: "tthc"}, "state", "procedure", "kind"),
		dossierQuery("finished yesterday: the digest", engine.Query{FinishedFrom: now.Add(-24 * time.Hour), FinishedTo: now}),
		dossierQuery("a report's period: received before its end, open at its start", engine.Query{ReceivedTo: now, OpenAt: now.Add(-90 * 24 * time.Hour)}, "received_at"),
		dossierQuery("a chart's month", engine.Query{ReceivedTo: now, FinishedFrom: now.Add(-30 * 24 * time.Hour), FinishedTo: now}, "received_at"),
		dossierQuery("received in a range", engine.Query{ReceivedFrom: now.Add(-24 * time.Hour), ReceivedTo: now}),
	}
	for _, c := range []struct {
		rule  string
		after engine.Cursor
	}{{"the watch's first page", engine.Cursor{}}, {"the watch's next page", engine.Cursor{At: now.Add(-time.Hour), Code: "XA01-260302-0001"}}} {
		f, o := dueForCheckQuery(now, c.after, 100)
		qs = append(qs, indexQuery{rule: c.rule, coll: collDossiers, filter: f, sort: sortFrom(o), hint: idxWatch,
			residual: []string{"status", "_id"}})
	}
	qs = append(qs,
		indexQuery{rule: "the dispatcher's pending notifications", coll: collNotifications,
			filter: bson.D{{Key: "status", Value: engine.NotificationPending}, {Key: "next_attempt", Value: bson.D{{Key: "$lte", Value: now}}}},
			sort:   bson.D{{Key: "next_attempt", Value: 1}, {Key: "_id", Value: 1}}, hint: idxPending},
		indexQuery{rule: "a dossier's notifications, newest first", coll: collNotifications,
			filter: bson.D{{Key: "dossier", Value: "XA01-260302-0001"}},
			sort:   bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}, hint: idxByDossier},
		indexQuery{rule: "every notification, newest first", coll: collNotifications,
			filter: bson.D{}, sort: bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}, hint: idxNewest},
		indexQuery{rule: "the relay: dossiers holding notifications", coll: collDossiers,
			filter: bson.D{{Key: "outbox._id", Value: bson.D{{Key: "$exists", Value: true}}}}, hint: idxOutbox},
	)
	for _, f := range figureQueries(now, now.Add(14*time.Hour)) {
		qs = append(qs, indexQuery{rule: f.rule, coll: collDossiers, filter: f.match, hint: idxOpenFigures,
			pipeline: f.pipeline(), covered: true})
	}
	return qs
}

// sortFrom reads the sort a find's options carry.
func sortFrom(o *options.FindOptionsBuilder) bson.D {
	var fo options.FindOptions
	for _, set := range o.List() {
		_ = set(&fo)
	}
	d, _ := fo.Sort.(bson.D)
	return d
}

// declaredIndexes are the indexes of the current schema, by collection
// and name: schema 1's, minus those schema 2 drops, plus schema 2's.
func declaredIndexes(t *testing.T) map[string]map[string]bson.D {
	t.Helper()
	out := map[string]map[string]bson.D{
		collDossiers:      {idxID: {{Key: "_id", Value: 1}}},
		collNotifications: {idxID: {{Key: "_id", Value: 1}}},
	}
	add := func(coll string, ms []mongo.IndexModel) {
		for _, m := range ms {
			var o options.IndexOptions
			for _, set := range m.Options.List() {
				_ = set(&o)
			}
			if o.Name == nil {
				t.Fatalf("an index of %s has no name", coll)
			}
			out[coll][*o.Name] = m.Keys.(bson.D)
		}
	}
	d1, n1 := indexModelsV1()
	d2, n2 := indexesV2()
	add(collDossiers, d1)
	add(collNotifications, n1)
	for _, name := range droppedByV2 {
		delete(out[collNotifications], name)
	}
	add(collDossiers, d2)
	add(collNotifications, n2)
	add(collDossiers, indexesSearch())
	add(collDossiers, indexesFigures())
	return out
}

// shape splits a filter into the fields it tests for equality (a value
// or $in), the fields it bounds (ranges, an $or of ranges on one field)
// and the ones no index bound can serve ($ne, $regex, $exists, an $or
// across fields).
func shape(filter bson.D) (eq, rng, other []string) {
	var walk func(d bson.D)
	walk = func(d bson.D) {
		for _, e := range d {
			switch e.Key {
			case "$and":
				for _, c := range e.Value.(bson.A) {
					walk(c.(bson.D))
				}
				continue
			case "$or":
				fields := map[string]bool{}
				for _, c := range e.Value.(bson.A) {
					for _, ce := range c.(bson.D) {
						fields[ce.Key] = true
					}
				}
				for f := range fields {
					if len(fields) == 1 {
						rng = append(rng, f)
					} else {
						other = append(other, f)
					}
				}
				continue
			}
			ops, isOps := e.Value.(bson.D)
			if !isOps || len(ops) == 0 || !strings.HasPrefix(ops[0].Key, "$") {
				eq = append(eq, e.Key)
				continue
			}
			switch ops[0].Key {
			case "$in":
				eq = append(eq, e.Key)
			case "$lt", "$lte", "$gt", "$gte":
				rng = append(rng, e.Key)
			case "$regex":
				// An anchored literal prefix ("^" then a quoted text) is
				// a range of the index; any other pattern is not.
				if p, _ := ops[0].Value.(string); strings.HasPrefix(p, "^") && regexp.QuoteMeta(unquoteMeta(p[1:])) == p[1:] {
					rng = append(rng, e.Key)
				} else {
					other = append(other, e.Key)
				}
			case "$exists":
				// served by a sparse index on the field, as the relay's
				if v, _ := ops[0].Value.(bool); v {
					rng = append(rng, e.Key)
				} else {
					other = append(other, e.Key)
				}
			default:
				other = append(other, e.Key)
			}
		}
	}
	walk(filter)
	return eq, rng, other
}

// served checks the prefix rules of q against the keys of its index:
// the equality fields the index holds come first (in any order), then
// the sort (the index's direction or its exact reverse), then the
// ranges; a field of the filter the index does not serve must be one the
// case names as residual.
func served(q indexQuery, keys bson.D) error {
	eq, rng, other := shape(q.filter)
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Key
	}
	i := 0
	servedSet := map[string]bool{}
	for i < len(names) && slices.Contains(eq, names[i]) {
		servedSet[names[i]] = true
		i++
	}
	sortStart := i
	if q.boundedSort == "" && len(q.sort) > 0 {
		dir := 0
		for _, s := range q.sort {
			for i < len(names) && slices.Contains(eq, names[i]) && names[i] != s.Key {
				servedSet[names[i]] = true
				i++
			}
			if i >= len(names) || names[i] != s.Key {
				return fmt.Errorf("sort %v not served by %v after the equality prefix", q.sort, names)
			}
			d := toInt(s.Value) * toInt(keys[i].Value)
			if dir == 0 {
				dir = d
			} else if d != dir {
				return fmt.Errorf("sort %v mixes directions against %v", q.sort, keys)
			}
			i++
		}
	}
	// A range is served on the first key after the equality prefix, or
	// further on when every key between is a sort or range key (ESR).
	bounded := func(at int) bool {
		if at < sortStart {
			return false
		}
		for j := sortStart; j < at; j++ {
			if !slices.Contains(rng, names[j]) && !slices.ContainsFunc(q.sort, func(e bson.E) bool { return e.Key == names[j] }) {
				return false
			}
		}
		return true
	}
	for _, f := range rng {
		at := slices.Index(names, f)
		switch {
		case at >= 0 && bounded(at):
			servedSet[f] = true
		case at >= 0 && servedSet[f]:
		case slices.Contains(q.residual, f):
		default:
			return fmt.Errorf("range on %s not served by %v", f, names)
		}
	}
	if q.boundedSort != "" && (len(rng) == 0 || !servedSet[names[sortStart]]) {
		return fmt.Errorf("an in-memory sort (%s) needs its range on %v's first key after equality", q.boundedSort, names)
	}
	for _, f := range append(slices.Clone(eq), other...) {
		if !servedSet[f] && !slices.Contains(q.residual, f) {
			return fmt.Errorf("%s is filtered but neither served by %v nor declared residual", f, names)
		}
	}
	for _, f := range q.residual {
		if servedSet[f] {
			return fmt.Errorf("%s is declared residual but %v serves it", f, names)
		}
	}
	return nil
}

// unquoteMeta undoes regexp.QuoteMeta: a backslash keeps the next byte.
func unquoteMeta(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func toInt(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int32:
		return int(x)
	case int64:
		return int(x)
	}
	return 0
}

// TestEveryQueryHasAnIndex: each query's hint names a declared index of
// its collection, and that index serves its filter and its sort by the
// prefix rules. No server needed.
func TestEveryQueryHasAnIndex(t *testing.T) {
	t.Parallel()
	declared := declaredIndexes(t)
	for _, q := range storeQueries() {
		keys, ok := declared[q.coll][q.hint]
		if !ok {
			t.Errorf("%s: hint %q is not a declared index of %s", q.rule, q.hint, q.coll)
			continue
		}
		if err := served(q, keys); err != nil {
			t.Errorf("%s: %v", q.rule, err)
		}
	}
}

// TestPrefixRules checks the checker: queries an index cannot serve are
// caught.
func TestPrefixRules(t *testing.T) {
	t.Parallel()
	inbox := bson.D{{Key: "unit", Value: 1}, {Key: "status", Value: 1}, {Key: "due_order", Value: 1}, {Key: "_id", Value: 1}}
	cases := []struct {
		rule string
		q    indexQuery
		ok   bool
	}{
		{"equality then sort is served", indexQuery{filter: bson.D{{Key: "unit", Value: "a"}, {Key: "status", Value: "b"}},
			sort: bson.D{{Key: "due_order", Value: 1}, {Key: "_id", Value: 1}}}, true},
		{"a sort that skips an index key is not served", indexQuery{filter: bson.D{{Key: "unit", Value: "a"}},
			sort: bson.D{{Key: "_id", Value: 1}}}, false},
		{"a sort against the index's directions is not served", indexQuery{filter: bson.D{{Key: "unit", Value: "a"}, {Key: "status", Value: "b"}},
			sort: bson.D{{Key: "due_order", Value: 1}, {Key: "_id", Value: -1}}}, false},
		{"an undeclared residual field fails", indexQuery{filter: bson.D{{Key: "unit", Value: "a"}, {Key: "state", Value: "x"}}}, false},
		{"a range before the equality prefix ends fails", indexQuery{filter: bson.D{{Key: "status", Value: bson.D{{Key: "$lt", Value: "b"}}}}}, false},
		{"an anchored literal prefix is a range", indexQuery{filter: bson.D{{Key: "unit", Value: "a"}, {Key: "status", Value: "b"},
			{Key: "due_order", Value: bson.D{{Key: "$regex", Value: "^x\\.y"}}}}}, true},
		{"an unanchored regex is no range", indexQuery{filter: bson.D{{Key: "unit", Value: "a"}, {Key: "status", Value: "b"},
			{Key: "due_order", Value: bson.D{{Key: "$regex", Value: "x"}}}}}, false},
		{"a pattern after the anchor is no range", indexQuery{filter: bson.D{{Key: "unit", Value: "a"}, {Key: "status", Value: "b"},
			{Key: "due_order", Value: bson.D{{Key: "$regex", Value: "^x.*y"}}}}}, false},
		{"a $ne is not an equality", indexQuery{filter: bson.D{{Key: "unit", Value: bson.D{{Key: "$ne", Value: "a"}}}}}, false},
	}
	for _, c := range cases {
		if err := served(c.q, inbox); (err == nil) != c.ok {
			t.Errorf("%s: got %v, want served=%v", c.rule, err, c.ok)
		}
	}
}

// TestExplainShowsNoScanOrSort runs explain on each query against a real
// MongoDB (MOTCUA_TEST_MONGODB_URI): no COLLSCAN anywhere in the winning
// plan, and no SORT stage but the bounded ones the plan declares; an
// aggregation declared covered (the open counts) must show an IXSCAN and
// no FETCH, whether MongoDB pushes its $group into the query layer (SBE)
// or runs it after a cursor stage. FerretDB's explain says nothing about MongoDB's planner, so the test
// skips without a real server.
func TestExplainShowsNoScanOrSort(t *testing.T) {
	if !ferrettest.Real() {
		t.Skip("explain needs a real MongoDB: set " + ferrettest.EnvURI)
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Open(ctx, ferrettest.Start(t), ferrettest.DBName(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.db.Drop(context.Background()); _ = s.Close() })
	for _, q := range storeQueries() {
		cmd := bson.D{{Key: "find", Value: q.coll}, {Key: "filter", Value: q.filter}, {Key: "hint", Value: q.hint}}
		if len(q.sort) > 0 {
			cmd = append(cmd, bson.E{Key: "sort", Value: q.sort})
		}
		if q.pipeline != nil {
			cmd = bson.D{{Key: "aggregate", Value: q.coll}, {Key: "pipeline", Value: q.pipeline},
				{Key: "cursor", Value: bson.D{}}, {Key: "hint", Value: q.hint}}
		}
		var res bson.M
		if err := s.db.RunCommand(ctx, bson.D{{Key: "explain", Value: cmd}, {Key: "verbosity", Value: "queryPlanner"}}).Decode(&res); err != nil {
			t.Errorf("%s: explain: %v", q.rule, err)
			continue
		}
		stages := planStages(res["queryPlanner"])
		if q.pipeline != nil {
			// The winning plan sits at the top (a pushed-down $group)
			// or in the first stage's $cursor: read every winning plan.
			stages = planStages(res)
		}
		if q.covered && (slices.Contains(stages, "FETCH") || !slices.Contains(stages, "IXSCAN")) {
			t.Errorf("%s: not covered by %s: %v (want an IXSCAN and no FETCH)", q.rule, q.hint, stages)
		}
		if slices.Contains(stages, "COLLSCAN") {
			t.Errorf("%s: COLLSCAN in %v", q.rule, stages)
		}
		if slices.Contains(stages, "SORT") && q.boundedSort == "" {
			t.Errorf("%s: an in-memory SORT in %v", q.rule, stages)
		}
	}
}

// planStages lists the stage names of a queryPlanner's winning plan.
func planStages(qp any) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case bson.M:
			if st, ok := x["stage"].(string); ok {
				out = append(out, st)
			}
			for k, c := range x {
				if k == "rejectedPlans" {
					continue
				}
				walk(c)
			}
		case bson.D:
			m := bson.M{}
			for _, e := range x {
				m[e.Key] = e.Value
			}
			walk(m)
		case bson.A:
			for _, c := range x {
				walk(c)
			}
		}
	}
	if m, ok := qp.(bson.M); ok && m["winningPlan"] != nil {
		walk(m["winningPlan"])
	} else {
		walk(qp)
	}
	return out
}
