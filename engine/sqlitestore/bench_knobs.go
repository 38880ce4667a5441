//go:build motcua_bench

package sqlitestore

import (
	"context"
	"fmt"
)

// SetSynchronous switches the writer connection's synchronous pragma
// between FULL (every commit fsynced: what the store always runs with)
// and OFF (no fsync at all). It exists only in binaries built with the
// motcua_bench tag, for one measurement: how fast the desk could go if
// durability cost nothing, in the same process and run as the real
// thing (TestActionSendersCeiling in engine/httpapi). A production
// binary cannot turn durability off.
func (s *Store) SetSynchronous(ctx context.Context, mode string) error {
	if mode != "FULL" && mode != "OFF" {
		return fmt.Errorf("sqlitestore: synchronous %q: want FULL or OFF", mode)
	}
	// The writer pool holds one connection, so this runs between two
	// batches, on the connection every batch uses.
	_, err := s.w.ExecContext(ctx, "PRAGMA synchronous = "+mode)
	return err
}
