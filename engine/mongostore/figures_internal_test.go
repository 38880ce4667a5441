package mongostore

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// pipelineFields lists the document fields an aggregation reads: the
// keys of its $match (and of their operators' operands, none here) and
// every "$field" path its later stages name.
func pipelineFields(p bson.A) []string {
	var out []string
	var paths func(v any)
	paths = func(v any) {
		switch x := v.(type) {
		case string:
			if strings.HasPrefix(x, "$") && !strings.HasPrefix(x, "$$") {
				out = append(out, strings.TrimPrefix(x, "$"))
			}
		case bson.D:
			for _, e := range x {
				paths(e.Value)
			}
		case bson.A:
			for _, c := range x {
				paths(c)
			}
		}
	}
	for _, st := range p {
		stage := st.(bson.D)[0]
		if stage.Key == "$match" {
			for _, e := range stage.Value.(bson.D) {
				out = append(out, e.Key)
			}
			continue
		}
		paths(stage.Value)
	}
	return out
}

// TestOpenCountsReadIndexKeysOnly checks, without a server, what lets
// MongoDB cover the open counts: every field each aggregation reads is a
// key of open_figures, none of them is an array in a dossier's document
// (a multikey index covers nothing), and the stages are ones a covered
// plan can run ($match, $group). The explain test shows the plan itself
// on a real server.
func TestOpenCountsReadIndexKeysOnly(t *testing.T) {
	t.Parallel()
	keys := indexesFigures()[0].Keys.(bson.D)
	var names []string
	for _, k := range keys {
		names = append(names, k.Key)
	}
	// The document's fields by BSON name, to tell arrays from scalars.
	kinds := map[string]reflect.Kind{}
	dt := reflect.TypeOf(dossierDoc{})
	for i := 0; i < dt.NumField(); i++ {
		name, _, _ := strings.Cut(dt.Field(i).Tag.Get("bson"), ",")
		kinds[name] = dt.Field(i).Type.Kind()
	}
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for _, q := range figureQueries(now, now.Add(9*time.Hour)) {
		p := q.pipeline()
		for _, st := range p {
			if k := st.(bson.D)[0].Key; k != "$match" && k != "$group" {
				t.Errorf("%s: stage %s", q.rule, k)
			}
		}
		fields := pipelineFields(p)
		if len(fields) == 0 {
			t.Fatalf("%s: reads no field; the check reads nothing", q.rule)
		}
		for _, f := range fields {
			if !slices.Contains(names, f) {
				t.Errorf("%s reads %s, not a key of %s %v: the server must fetch documents", q.rule, f, idxOpenFigures, names)
			}
			switch k, ok := kinds[f]; {
			case !ok:
				t.Errorf("%s reads %s, not a field of the dossier's document", q.rule, f)
			case k == reflect.Slice || k == reflect.Array || k == reflect.Map:
				t.Errorf("%s reads %s, a %s: the index would be multikey or hold subdocuments, and cover nothing", q.rule, f, k)
			}
		}
	}
	// The checker itself: a pipeline that reads a field outside the
	// index is caught.
	bad := bson.A{bson.D{{Key: "$match", Value: bson.D{{Key: "status", Value: "x"}}}},
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$procedure"}}}}}
	if f := pipelineFields(bad); !slices.Contains(f, "procedure") {
		t.Errorf("pipelineFields misses a $group's field path: %v", f)
	}
}
