package sqlitestore

import (
	"context"
	"time"
)

// AcquireLease implements engine.Store: one conditional upsert; a lease
// whose until is at or before now is free.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
		WHERE leases.holder = excluded.holder OR leases.until <= ?`,
		name, holder, ms(until), ms(now))
	if err != nil {
		return false, interpretError(err, "lease", name)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

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
