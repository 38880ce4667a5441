package sqlitestore

import (
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
)

func newStore(t *testing.T) engine.Store {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	enginetest.RunStoreSuite(t, newStore, enginetest.SuiteOptions{})
}
