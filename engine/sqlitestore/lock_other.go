//go:build !unix

package sqlitestore

import "os"

// lockFolder on systems without flock only creates the lock file: the
// one-process rule is not enforced there.
func lockFolder(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}
