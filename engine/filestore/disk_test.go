package filestore_test

import (
	"testing"

	"github.com/motcua/motcua/engine"
	"github.com/motcua/motcua/engine/enginetest"
	"github.com/motcua/motcua/engine/filestore"
)

func TestDiskSuite(t *testing.T) {
	t.Parallel()
	enginetest.RunFileStoreSuite(t, func(t *testing.T) engine.FileStore {
		d, err := filestore.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}
