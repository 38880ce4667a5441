package mongostore

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestWritesTheV1Document checks that the store still writes the v1
// shape: the same field names, BSON types and values as the fixture
// (testdata/dossier-v1.json). A renamed field of engine.Dossier's tags
// must not show here; a renamed field of the stored document does, and
// must not happen.
func TestWritesTheV1Document(t *testing.T) {
	t.Parallel()
	js, err := os.ReadFile("testdata/dossier-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := docOf(enginetest.FixtureDossier())
	if doc.Outbox, err = notificationDocs([]engine.Notification{enginetest.FixtureNotification()}); err != nil {
		t.Fatal(err)
	}
	raw, err := bson.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var stored bson.D
	if err := bson.Unmarshal(raw, &stored); err != nil {
		t.Fatal(err)
	}
	written, err := bson.MarshalExtJSON(stored, true, false)
	if err != nil {
		t.Fatal(err)
	}
	// Canonical extended JSON is JSON that names every BSON type (an
	// int32 that became an int64 is a change of the stored shape);
	// decoded into maps, field order does not count.
	var want, got any
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(written, &got); err != nil {
		t.Fatal(err)
	}
	// Fields derived by later schemas are added, never renamed: search_lc
	// (schema 2), search_keys (schema 3) and figure_unit (schema 4) are
	// checked by the query and figure tests, the rest stays v1.
	if m, ok := got.(map[string]any); ok {
		if _, ok := m["search_lc"]; !ok {
			t.Error("search_lc (schema 2) not written")
		}
		delete(m, "search_lc")
		if _, ok := m["search_keys"]; !ok {
			t.Error("search_keys (schema 3) not written")
		}
		delete(m, "search_keys")
		if _, ok := m["figure_unit"]; !ok {
			t.Error("figure_unit (schema 4) not written")
		}
		delete(m, "figure_unit")
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("the written document is not the v1 document:\n got %s\nwant %s", written, js)
	}
}
