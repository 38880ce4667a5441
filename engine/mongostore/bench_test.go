package mongostore_test

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkApply measures one transition (the conditional update) on a
// collection of 100 dossiers. Through FerretDB the figure says little
// about MongoDB; it shows what the test stand-in costs.
func BenchmarkApply(b *testing.B) {
	s := newStore(b)
	ctx := b.Context()
	const n = 100
	for i := range n {
		if err := s.Insert(ctx, dossier(fmt.Sprintf("MC-260302-%04d", i+1)), nil); err != nil {
			b.Fatal(err)
		}
	}
	d, err := s.Get(ctx, "MC-260302-0050")
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		nd := next(d, "step", fmt.Sprintf("s%d", i), t0.Add(time.Duration(i)*time.Second))
		if err := s.Apply(ctx, nd, d.Version, nil); err != nil {
			b.Fatal(err)
		}
		d = nd
	}
}
