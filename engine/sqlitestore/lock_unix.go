//go:build unix

package sqlitestore

import (
	"errors"
	"os"
	"syscall"
)

// lockFolder takes an exclusive, non-blocking flock on path. The lock
// belongs to the open file: it is released on Close and when the process
// dies, so a crash never leaves a stale lock behind.
func lockFolder(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return f, nil
}
