package sqlitestore

import "context"

// ReleaseLease implements engine.Store: the lease row is deleted when
// holder has it, whatever its expiry, so the next AcquireLease of any
// holder finds the lease free.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) (bool, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
	if err != nil {
		return false, interpretError(err, "lease", name)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}
