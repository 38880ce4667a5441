package portalsync

import (
	"context"
	"time"

	"github.com/motcua/motcua/engine"
)

// Resync enqueues a fresh record of the current picture of every dossier
// received in [from, to) (to zero: up to now), for a portal that lost
// them. stamp names this resync in the records' ids: running it again
// with the same stamp adds nothing, a new stamp sends them again. It
// returns how many records it added.
func Resync(ctx context.Context, eng *engine.Engine, from, to time.Time, stamp string) (int, error) {
	q := engine.Query{ReceivedFrom: from, ReceivedTo: to}
	added := 0
	err := eng.Store.Scan(ctx, q, func(d *engine.Dossier) error {
		ok, err := eng.Resync(ctx, d, stamp)
		if ok {
			added++
		}
		return err
	})
	return added, err
}
