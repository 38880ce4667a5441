package enginetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/engine"
)

// RatingStoreUnderTest is what RunRatingSuite needs: a Store to insert
// dossiers into and the RatingStore under test.
type RatingStoreUnderTest interface {
	engine.Store
	engine.RatingStore
}

// RunRatingSuite runs the engine.RatingStore contract against fresh,
// empty stores made by newStore: a rating is stored once, a second one
// is refused without changing the first, also when both race.
func RunRatingSuite(t *testing.T, newStore func(t *testing.T) RatingStoreUnderTest, opts SuiteOptions) {
	t.Helper()
	for _, tc := range []struct {
		name       string
		concurrent bool
		run        func(t *testing.T, s RatingStoreUnderTest)
	}{
		{"Rate/StoresTheRatingAndRaisesTheVersion", false, testRateStores},
		{"Rate/ASecondRatingIsRefusedAndTheFirstKept", false, testRateTwice},
		{"Rate/UnknownDossierIsNotFound", false, testRateUnknown},
		{"Concurrency/OfTwoRatingsOneIsStored", true, testRateConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.concurrent && opts.SkipConcurrency != "" {
				t.Skip(opts.SkipConcurrency)
			}
			tc.run(t, newStore(t))
		})
	}
}

func unrated(t *testing.T, s engine.Store, code string) *engine.Dossier {
	t.Helper()
	d := NewDossier(code, func(d *engine.Dossier) { d.Rating = nil })
	if err := s.Insert(t.Context(), d, nil); err != nil {
		t.Fatalf("Insert %s: %v", code, err)
	}
	return d
}

func sampleRating(score int, comment string) engine.Rating {
	scores := map[string]int{}
	for _, c := range engine.RatingCriteria {
		scores[c.ID] = score
	}
	return engine.Rating{At: base.Add(90 * 24 * time.Hour).UTC(), Scores: scores, Comment: comment}
}

func testRateStores(t *testing.T, s RatingStoreUnderTest) {
	d := unrated(t, s, "RT-260302-0001")
	r := sampleRating(3, "Nhanh, chu đáo")
	if err := s.Rate(t.Context(), d.Code, r); err != nil {
		t.Fatalf("Rate: %v", err)
	}
	got, err := s.Get(t.Context(), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rating == nil || !got.Rating.At.Equal(r.At) || got.Rating.Comment != r.Comment || len(got.Rating.Scores) != len(r.Scores) {
		t.Fatalf("stored rating = %+v, want %+v", got.Rating, r)
	}
	for k, v := range r.Scores {
		if got.Rating.Scores[k] != v {
			t.Errorf("score %s = %d, want %d", k, got.Rating.Scores[k], v)
		}
	}
	if got.Version != d.Version+1 {
		t.Errorf("version = %d, want %d: a rating is a write like any other", got.Version, d.Version+1)
	}
	if got.State != d.State || len(got.History) != len(d.History) {
		t.Errorf("a rating changed the state or the history: %s/%d rows", got.State, len(got.History))
	}
	// Reports read slim copies (indicator 5.4): the rating is in them too.
	var slimRating *engine.Rating
	err = s.Scan(t.Context(), engine.Query{Slim: true}, func(sd *engine.Dossier) error {
		if sd.Code == d.Code {
			slimRating = sd.Rating
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if slimRating == nil || slimRating.Comment != r.Comment {
		t.Errorf("a Slim scan after Rate reads rating %+v, want the stored one", slimRating)
	}
}

func testRateTwice(t *testing.T, s RatingStoreUnderTest) {
	d := unrated(t, s, "RT-260302-0002")
	if err := s.Rate(t.Context(), d.Code, sampleRating(3, "lần đầu")); err != nil {
		t.Fatal(err)
	}
	err := s.Rate(t.Context(), d.Code, sampleRating(1, "lần hai"))
	if already := (*engine.AlreadyRatedError)(nil); !errors.As(err, &already) {
		t.Fatalf("second Rate = %v, want *AlreadyRatedError", err)
	}
	got, _ := s.Get(t.Context(), d.Code)
	if got.Rating == nil || got.Rating.Comment != "lần đầu" || got.Version != d.Version+1 {
		t.Fatalf("after a refused second rating: %+v version %d, want the first kept at version %d", got.Rating, got.Version, d.Version+1)
	}
}

func testRateUnknown(t *testing.T, s RatingStoreUnderTest) {
	err := s.Rate(t.Context(), "RT-260302-9999", sampleRating(2, ""))
	if engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Fatalf("Rate of an unknown code = %v, want not found", err)
	}
}

func testRateConcurrent(t *testing.T, s RatingStoreUnderTest) {
	d := unrated(t, s, "RT-260302-0003")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = s.Rate(t.Context(), d.Code, sampleRating(1+i%3, "song song"))
		}()
	}
	close(start)
	wg.Wait()
	stored := 0
	for _, err := range errs {
		var already *engine.AlreadyRatedError
		switch {
		case err == nil:
			stored++
		case errors.As(err, &already):
		default:
			t.Errorf("concurrent Rate: %v, want nil or *AlreadyRatedError", err)
		}
	}
	if stored != 1 {
		t.Fatalf("%d of %d concurrent ratings stored, want exactly 1", stored, n)
	}
	got, _ := s.Get(t.Context(), d.Code)
	if got.Version != d.Version+1 {
		t.Fatalf("version = %d after one stored rating, want %d", got.Version, d.Version+1)
	}
}
