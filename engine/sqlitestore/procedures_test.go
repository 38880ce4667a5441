package sqlitestore

import (
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

// TestProcedureVersions runs the published-version contract in full,
// concurrent first registration included.
func TestProcedureVersions(t *testing.T) {
	enginetest.RunProcedureVersionSuite(t, func(t *testing.T) engine.ProcedureStore {
		s, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, enginetest.SuiteOptions{})
}

// TestProcedureVersionsSurviveReopen: a version is published for as long
// as the data folder lives, not for one process.
func TestProcedureVersionsSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	v := engine.ProcedureVersion{Code: "1.001193", Version: 1, Source: []byte("code: x\n"), SHA256: "aa"}
	if err := s.PutProcedureVersion(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vs, err := s.ProcedureVersions(t.Context())
	if err != nil || len(vs) != 1 || string(vs[0].Source) != "code: x\n" {
		t.Errorf("after reopening: %+v (%v), want the one version", vs, err)
	}
}
