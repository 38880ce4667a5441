package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/motcua/motcua/engine/report"
)

// The dashboard's period figures (the report by unit over the period and
// the twelve months' chart) cost a report over every dossier open in the
// period and every one finished in it: at a province's scale (a million
// dossiers a year, 200,000 open) seconds, too slow for every view. So
// with Config.FigureMaxAge set they are computed at most that often per
// period and process, and the page says when they were (a stated
// staleness): a view of a fresh entry reads no dossier for them; a view
// of a stale one gets the stale figures at once and starts one refresh
// in the background; only the first view of a period waits for its
// computation. The figures "now" (open, overdue, due today, paused) are
// never cached: the store counts them (engine.FigureStore) on every view.
//
// Each process keeps its own cache, refreshed by its own views: there is
// nothing to share or elect, and processes behind one proxy may disagree
// by at most FigureMaxAge on these figures, which the page states.
// With FigureMaxAge 0 (the default) nothing is cached: every view
// computes, as small offices and the tests want.

// maxFigureEntries bounds the entries kept: per period viewed (the
// current month most; quarters, last year now and then), the chart and
// the report of each scope viewed, and every unit head has a scope of
// his own: a province's hundred heads on one month are a hundred and one
// entries. An entry is a report by unit, a few kilobytes.
const maxFigureEntries = 512

// periodFigures are the cached figures of one period: its report, its
// chart, or (as periodFiguresOf returns them) both.
type periodFigures struct {
	Report  *report.Report
	Monthly *report.Monthly
	// At is when they were computed (the server's clock).
	At time.Time
}

type figureCache struct {
	maxAge time.Duration
	mu     sync.Mutex
	byKey  map[string]*periodFigures
	// refreshing marks the periods being recomputed in the background,
	// so that a burst of views of a stale period starts one refresh.
	refreshing map[string]bool
	// background counts the refreshes running, for wait.
	background sync.WaitGroup
}

func newFigureCache(maxAge time.Duration) *figureCache {
	return &figureCache{maxAge: maxAge, byKey: map[string]*periodFigures{}, refreshing: map[string]bool{}}
}

// get returns the figures of the period key: cached when fresh enough,
// computed by compute otherwise (see above). now is the server's clock.
func (c *figureCache) get(ctx context.Context, key string, now time.Time, compute func(context.Context) (*periodFigures, error)) (*periodFigures, error) {
	if c.maxAge <= 0 {
		return compute(ctx)
	}
	c.mu.Lock()
	f := c.byKey[key]
	if f != nil && now.Sub(f.At) >= c.maxAge && !c.refreshing[key] {
		c.refreshing[key] = true
		c.background.Go(func() { c.refresh(key, compute) })
	}
	c.mu.Unlock()
	if f != nil {
		return f, nil
	}
	f, err := compute(ctx)
	if err != nil {
		return nil, err
	}
	c.put(key, f)
	return f, nil
}

// refresh recomputes a stale period in the background; a failure keeps
// the stale figures (their time says how old they are) and lets the next
// view try again.
func (c *figureCache) refresh(key string, compute func(context.Context) (*periodFigures, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	f, err := compute(ctx)
	c.mu.Lock()
	delete(c.refreshing, key)
	c.mu.Unlock()
	if err == nil {
		c.put(key, f)
	}
}

// wait returns once the background refreshes started so far are done.
func (c *figureCache) wait() { c.background.Wait() }

func (c *figureCache) put(key string, f *periodFigures) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.byKey[key]; old != nil && old.At.After(f.At) {
		return
	}
	c.byKey[key] = f
	for len(c.byKey) > maxFigureEntries {
		// Evict the oldest computation.
		var oldest string
		for k, v := range c.byKey {
			if oldest == "" || v.At.Before(c.byKey[oldest].At) {
				oldest = k
			}
		}
		delete(c.byKey, oldest)
	}
}
