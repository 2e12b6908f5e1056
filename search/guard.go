package search

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// errNoIndex is returned by a guard that holds no open index: it was
// closed to be repaired, or could not be opened (a full disk).
var errNoIndex = errors.New("the search index is not open")

// guard holds the bleve index. Every call takes its lock for reading, so
// the follower can close the index and put another in its place (repair)
// once the calls in flight are done. It also turns a panic inside bleve
// into an error: bleve panics on segments it failed to write (a full disk)
// or cannot read (a damaged file), and a panic must never take the server
// down. Faults are reported to damaged, which schedules the repair.
type guard struct {
	mu      sync.RWMutex
	b       bleve.Index // nil while none is open
	mapping mapping.IndexMapping
	damaged func(err error, writing bool)
	// swapped is closed, and replaced, each time an index is put in.
	swapped chan struct{}
	// gen counts the indexes put in; the facet table follows it.
	gen uint64
	// used is when a search, a read or a write last began or ended, Unix
	// nanoseconds (Index.UsedAt); releasing mapped pages does not count.
	used atomic.Int64
	// reopening is set while the follower closes the index to open it
	// again: a search waits for it rather than finding nothing.
	reopening atomic.Bool
	// wrap, when set, wraps every index put in the guard: tests inject
	// faults (a full disk, a panicking bleve) through it.
	wrap func(bleve.Index) bleve.Index
}

// set puts b in the guard; the caller holds mu for writing.
func (g *guard) set(b bleve.Index) {
	if b != nil && g.wrap != nil {
		b = g.wrap(b)
	}
	g.b = b
	g.gen++
	close(g.swapped)
	g.swapped = make(chan struct{})
}

// recovered turns a panic into an error and reports it as damage. It is
// deferred by every call into bleve.
func (g *guard) recovered(what string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	*err = fmt.Errorf("the search index failed while %s: panic: %v", what, r)
	g.damaged(*err, what == "writing")
}

// isOpen reports whether the guard holds an index.
func (g *guard) isOpen() bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.b != nil
}

// Mapping returns the index mapping; it does not need an open index.
func (g *guard) Mapping() mapping.IndexMapping { return g.mapping }

// repairWait bounds how long a search that met a failed index waits for
// the follower to open it again before answering no hit.
const repairWait = 2 * time.Second

// touch notes a use's start or end (used).
func (g *guard) touch() { g.used.Store(time.Now().UnixNano()) }

// SearchInContext runs req. A search that meets a failed index (bleve
// panics on a segment it could not write, or a damaged file) reports it,
// waits for the follower to open the index again and asks once more; an
// index that is not open, or still failing, answers no hit rather than an
// error: the Index marks the answer partial meanwhile.
func (g *guard) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	g.touch()
	defer g.touch()
	sr, swapped, err := g.search(ctx, req)
	if swapped == nil {
		return sr, err
	}
	t := time.NewTimer(repairWait)
	defer t.Stop()
	select {
	case <-swapped:
	case <-t.C:
		return emptyResult(req), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if sr, swapped, err = g.search(ctx, req); swapped != nil {
		return emptyResult(req), nil
	}
	return sr, err
}

// search runs req on the index in the guard. When the index fails, it
// returns the channel closed once another index is put in the guard.
func (g *guard) search(ctx context.Context, req *bleve.SearchRequest) (sr *bleve.SearchResult, swapped <-chan struct{}, err error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.b == nil {
		if g.reopening.Load() {
			return nil, g.swapped, nil // back in a moment
		}
		return emptyResult(req), nil, nil
	}
	defer func() {
		if err != nil && isDamage(ctx, err) {
			g.damaged(err, false)
			sr, swapped, err = nil, g.swapped, nil
		}
	}()
	defer g.recovered("searching", &err)
	sr, err = g.b.SearchInContext(ctx, req)
	return sr, nil, err
}

// emptyResult is the answer of an index that cannot answer.
func emptyResult(req *bleve.SearchRequest) *bleve.SearchResult {
	return &bleve.SearchResult{Request: req, Hits: search.DocumentMatchCollection{}, Facets: search.FacetResults{}}
}

// isDamage tells the errors of a damaged index from those of a request:
// a cancelled request, a coded error, a query bleve refuses to expand. The
// repair checks the index before rebuilding it, so a request error taken
// for damage costs a check, not a rebuild.
func isDamage(ctx context.Context, err error) bool {
	var we *wiki.Error
	switch {
	case ctx.Err() != nil, errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &we), isTooComplex(err):
		return false
	}
	return true
}

// GetInternal reads a key of the index's own key/value space.
func (g *guard) GetInternal(key []byte) (v []byte, err error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.b == nil {
		return nil, errNoIndex
	}
	defer g.recovered("reading", &err)
	return g.b.GetInternal(key)
}

// read calls f with the open index, the guard's lock held so that a repair
// cannot close it under f, and a panic inside bleve turned into an error.
// It is for reads that hold an iterator or a document (word lists,
// stored fields) longer than one call.
// Like a search, a read that finds the index being reopened waits for it
// (at most repairWait) and tries once more.
func (g *guard) read(what string, f func(b bleve.Index) error) error {
	g.touch()
	defer g.touch()
	swapped, err := g.readOnce(what, f)
	if swapped == nil {
		return err
	}
	t := time.NewTimer(repairWait)
	defer t.Stop()
	select {
	case <-swapped:
	case <-t.C:
		return errNoIndex
	}
	if swapped, err = g.readOnce(what, f); swapped != nil {
		return errNoIndex
	}
	return err
}

// readOnce is one try of read: swapped is not nil when the index is
// being reopened.
func (g *guard) readOnce(what string, f func(b bleve.Index) error) (swapped <-chan struct{}, err error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.b == nil {
		if g.reopening.Load() {
			return g.swapped, nil
		}
		return nil, errNoIndex
	}
	defer g.recovered(what, &err)
	return nil, f(g.b)
}

// DocCount returns the number of indexed pages.
func (g *guard) DocCount() (n uint64, err error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.b == nil {
		return 0, errNoIndex
	}
	defer g.recovered("counting", &err)
	return g.b.DocCount()
}

// write fills a batch with fill, which may read the index through get
// (the guard's lock is already held), and applies it.
func (g *guard) write(fill func(b *bleve.Batch, get func([]byte) ([]byte, error)) error) (err error) {
	g.touch()
	defer g.touch()
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.b == nil {
		return errNoIndex
	}
	defer g.recovered("writing", &err)
	b := g.b.NewBatch()
	if err := fill(b, g.b.GetInternal); err != nil {
		return err
	}
	if err := g.b.Batch(b); err != nil {
		// Bleve may keep in memory a segment it failed to write (a full
		// disk) and panic on it later: open the index again.
		g.damaged(err, true)
		return err
	}
	return nil
}

// close closes the index and leaves the guard empty. A panic while
// closing (an index already broken) counts as closed: its files are
// reopened or replaced next.
func (g *guard) close() (err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.b == nil {
		return nil
	}
	b := g.b
	g.b = nil
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("closing a failed search index: panic: %v", r)
		}
	}()
	return b.Close()
}
