package wiki

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// SearchLimits bound the searches of one wiki: how many run at once, how
// many wait for a slot and for how long, and how long one may run. A
// flood of searches is then answered « busy » at once instead of taking
// the memory and the processors that page reads and saves need. Zero
// fields take the defaults.
type SearchLimits struct {
	Running int           // searches at once; default half the processors, at least 1
	Waiting int           // searches waiting for a slot; more are refused at once; default 8 × Running
	Wait    time.Duration // longest wait for a slot; default 2 s
	Timeout time.Duration // longest search; default 5 s
}

func (l SearchLimits) withDefaults() SearchLimits {
	if l.Running <= 0 {
		// Searches never take every processor: page reads and saves
		// keep the others.
		l.Running = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if l.Waiting <= 0 {
		l.Waiting = 8 * l.Running
	}
	if l.Wait <= 0 {
		l.Wait = 2 * time.Second
	}
	if l.Timeout <= 0 {
		l.Timeout = 5 * time.Second
	}
	return l
}

// Errors of a search refused or stopped for the wiki's sake: the client may
// try again shortly (the HTTP layer adds Retry-After).
var (
	errSearchBusy = Errorf(EUnavailable, "too many searches are running: try again in a moment")
	errSearchSlow = Errorf(EUnavailable, "the search took too long: try again in a moment, or with fewer words")
)

// SetSearchLimited gives the Service its search index with the given
// limits; SetSearch uses the defaults.
func (s *Service) SetSearchLimited(idx SearchIndex, l SearchLimits) {
	if idx == nil {
		s.search = nil
		return
	}
	l = l.withDefaults()
	s.search = &gatedIndex{idx: idx, lim: l, slots: make(chan struct{}, l.Running)}
}

// gatedIndex runs the searches of idx within SearchLimits.
type gatedIndex struct {
	idx     SearchIndex
	lim     SearchLimits
	slots   chan struct{} // one token per running search
	waiting atomic.Int64
}

// acquire takes a slot, waiting for one at most lim.Wait, and returns its
// release. A full waiting room is refused at once; a request that ends
// while waiting leaves.
func (g *gatedIndex) acquire(ctx context.Context) (func(), error) {
	release := func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	if g.waiting.Add(1) > int64(g.lim.Waiting) {
		g.waiting.Add(-1)
		return nil, errSearchBusy
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.lim.Wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, errSearchBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run calls f with a slot and a context bounded by lim.Timeout. A search
// stopped by that bound, not by its request, is errSearchSlow.
func (g *gatedIndex) run(ctx context.Context, f func(context.Context) error) error {
	release, err := g.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	tctx, cancel := context.WithTimeout(ctx, g.lim.Timeout)
	defer cancel()
	err = f(tctx)
	if err != nil && ctx.Err() == nil && errors.Is(tctx.Err(), context.DeadlineExceeded) {
		return &Error{Code: errSearchSlow.Code, Message: errSearchSlow.Message, Err: err}
	}
	return err
}

func (g *gatedIndex) Search(ctx context.Context, q SearchQuery) (res SearchResult, err error) {
	err = g.run(ctx, func(ctx context.Context) error {
		res, err = g.idx.Search(ctx, q)
		return err
	})
	return res, err
}

func (g *gatedIndex) Suggest(ctx context.Context, prefix string, ns []string, limit int) (out []Suggestion, err error) {
	err = g.run(ctx, func(ctx context.Context) error {
		out, err = g.idx.Suggest(ctx, prefix, ns, limit)
		return err
	})
	return out, err
}
