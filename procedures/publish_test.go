package procedures

import (
	"context"
	"errors"
	"os"
	"reflect"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// versionStore is an engine.ProcedureStore in memory that keeps the
// contract's rules (insert only, same bytes a no-op, other bytes a
// *ProcedureChangedError). race, when set, is published by "another
// process" just before the first put, the way a concurrent start would.
type versionStore struct {
	byKey map[string]engine.ProcedureVersion
	race  *engine.ProcedureVersion
}

func newVersionStore(vs ...engine.ProcedureVersion) *versionStore {
	s := &versionStore{byKey: map[string]engine.ProcedureVersion{}}
	for _, v := range vs {
		s.byKey[v.Key()] = v
	}
	return s
}

func (s *versionStore) PutProcedureVersion(_ context.Context, v engine.ProcedureVersion) error {
	if s.race != nil {
		s.byKey[s.race.Key()] = *s.race
		s.race = nil
	}
	if old, ok := s.byKey[v.Key()]; ok {
		if old.SHA256 != v.SHA256 {
			return &engine.ProcedureChangedError{Code: v.Code, Version: v.Version, Stored: old.SHA256, Given: v.SHA256}
		}
		return nil
	}
	s.byKey[v.Key()] = v
	return nil
}

func (s *versionStore) ProcedureVersions(context.Context) ([]engine.ProcedureVersion, error) {
	out := make([]engine.ProcedureVersion, 0, len(s.byKey))
	for _, v := range s.byKey {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out, nil
}

// published is v as the store holds it after a first start at t.
func published(l Loaded, t time.Time) engine.ProcedureVersion {
	return engine.ProcedureVersion{Code: l.Procedure.Code, Version: l.Procedure.Version, Source: l.Source, SHA256: l.SHA256, FirstSeen: t}
}

// birth returns birth registration (1.001193) as a file at path, its
// version line replaced by version and edit appended (a comment is an
// edit: the hash is over the bytes).
func birth(t *testing.T, path, version, edit string) Loaded {
	t.Helper()
	data, err := os.ReadFile("../examples/procedures/1.001193-dang-ky-khai-sinh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The example is at some version; the fixture sets its own.
	line := regexp.MustCompile(`\nversion: [0-9]+\n`)
	if !line.Match(data) {
		t.Fatal("the example birth registration has no version line; adjust the fixture")
	}
	data = line.ReplaceAll(data, []byte("\nversion: "+version+"\n"))
	data = append(data, edit...)
	p, err := Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return Loaded{Procedure: p, Source: data, SHA256: SourceHash(data)}
}

// TestPublish pins the publishing policy case by case: what each start
// publishes, keeps, offers to new dossiers or refuses.
func TestPublish(t *testing.T) {
	t.Parallel()
	first := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	later := first.Add(48 * time.Hour)
	v1 := birth(t, "khai-sinh.yaml", "1", "")
	v1edited := birth(t, "khai-sinh.yaml", "1", "# sửa tại chỗ\n")
	v2 := birth(t, "khai-sinh-v2.yaml", "2", "")
	v3 := birth(t, "khai-sinh-v3.yaml", "3", "")
	v1broken := published(v1, first)
	v1broken.Source = []byte("code: \"1.001193\"\nversion: 1\n") // compiled by an older, laxer motcua

	for _, tc := range []struct {
		rule  string
		store []engine.ProcedureVersion
		race  *engine.ProcedureVersion
		files []Loaded
		// want: the versions stored afterwards with their FirstSeen, the
		// latest version new dossiers get, every version the catalog
		// serves, the versions read from the store only.
		stored    map[string]time.Time
		latest    int
		versions  []int
		fromStore []string
		// refused: the files named by a *PublishedEditError and the
		// version the refusal asks for; wantErr: another error.
		refused []string
		next    int
		wantErr bool
	}{
		{rule: "a first start publishes every file at now",
			files: []Loaded{v1}, stored: map[string]time.Time{"1.001193@1": later}, latest: 1, versions: []int{1}},
		{rule: "a version already published with the same bytes is not published again",
			store: []engine.ProcedureVersion{published(v1, first)}, files: []Loaded{v1},
			stored: map[string]time.Time{"1.001193@1": first}, latest: 1, versions: []int{1}},
		{rule: "a published version edited in place refuses the start and asks for the next version",
			store: []engine.ProcedureVersion{published(v1, first)}, files: []Loaded{v1edited},
			stored: map[string]time.Time{"1.001193@1": first}, refused: []string{"khai-sinh.yaml"}, next: 2},
		{rule: "a refused start publishes nothing, not even the new versions beside the edit",
			store: []engine.ProcedureVersion{published(v1, first)}, files: []Loaded{v1edited, v3},
			stored: map[string]time.Time{"1.001193@1": first}, refused: []string{"khai-sinh.yaml"}, next: 4},
		{rule: "a version published by another process meanwhile with other bytes is refused",
			race:  &engine.ProcedureVersion{Code: "1.001193", Version: 1, Source: []byte("other"), SHA256: SourceHash([]byte("other")), FirstSeen: first},
			files: []Loaded{v1}, stored: map[string]time.Time{"1.001193@1": first}, refused: []string{"khai-sinh.yaml"}, next: 2},
		{rule: "a new version is published and becomes the latest; the old one stays served",
			store: []engine.ProcedureVersion{published(v1, first)}, files: []Loaded{v1, v2},
			stored: map[string]time.Time{"1.001193@1": first, "1.001193@2": later}, latest: 2, versions: []int{1, 2}},
		{rule: "a version the files no longer hold is kept from the store, never the latest",
			store: []engine.ProcedureVersion{published(v1, first), published(v3, first)}, files: []Loaded{v2},
			stored: map[string]time.Time{"1.001193@1": first, "1.001193@2": later, "1.001193@3": first},
			latest: 2, versions: []int{1, 2, 3}, fromStore: []string{"1.001193@1", "1.001193@3"}},
		{rule: "a kept version that no longer compiles is an error, not dropped",
			store: []engine.ProcedureVersion{v1broken}, files: []Loaded{v2}, wantErr: true,
			stored: map[string]time.Time{"1.001193@1": first, "1.001193@2": later}},
		{rule: "a version defined by two files is refused before the store is touched",
			files: []Loaded{v1, birth(t, "copy.yaml", "1", "")}, wantErr: true, stored: map[string]time.Time{}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			st := newVersionStore(tc.store...)
			st.race = tc.race
			pub, err := Publish(context.Background(), st, tc.files, later)

			got := map[string]time.Time{}
			for k, v := range st.byKey {
				got[k] = v.FirstSeen
			}
			if !reflect.DeepEqual(got, tc.stored) {
				t.Errorf("stored afterwards %v, want %v", got, tc.stored)
			}
			var pe *PublishedEditError
			switch {
			case tc.refused != nil:
				if !errors.As(err, &pe) {
					t.Fatalf("got %v, want a *PublishedEditError", err)
				}
				var files []string
				for _, e := range pe.Edits {
					files = append(files, e.File)
					if pe.Next[e.Changed.Code] != tc.next {
						t.Errorf("asks for version %d of %s, want %d", pe.Next[e.Changed.Code], e.Changed.Code, tc.next)
					}
				}
				if !reflect.DeepEqual(files, tc.refused) {
					t.Errorf("refusal names %v, want %v", files, tc.refused)
				}
				var ce *engine.ProcedureChangedError
				if !errors.As(err, &ce) || engine.ErrorCode(err) != engine.ECONFLICT {
					t.Errorf("the refusal %v is not a conflict unwrapping to *ProcedureChangedError", err)
				}
				return
			case tc.wantErr:
				if err == nil || errors.As(err, &pe) {
					t.Fatalf("got %v, want an error other than a refusal of edits", err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if p, err := pub.Catalog.Get("1.001193", 0); err != nil || p.Version != tc.latest {
				t.Errorf("new dossiers get %v (%v), want version %d", p, err, tc.latest)
			}
			for _, v := range tc.versions {
				if _, err := pub.Catalog.Get("1.001193", v); err != nil {
					t.Errorf("version %d is not served: %v", v, err)
				}
			}
			if !reflect.DeepEqual(pub.FromStore, tc.fromStore) {
				t.Errorf("read from the store only %v, want %v", pub.FromStore, tc.fromStore)
			}
		})
	}
}
