package wiki

import "github.com/kdecole-club/clubwiki/wiki/lru"

// renderCache keeps rendered revisions so that reading a page does not
// render it again. Entries are keyed by path and revision (revisions never
// change) and tagged with the store's LogState.Links they were rendered at:
// links to missing pages look different once the set of pages changes.
type renderCache struct {
	c *lru.Cache[cacheKey, cached]
}

type cacheKey struct {
	path string
	rev  int
	// hidden is hiddenFrom of the readers the rendering is for: links
	// into a namespace they may not read look missing in it.
	hidden string
}

type cached struct {
	gen  uint64
	view *PageView
}

func newRenderCache(budget *lru.Budget) *renderCache {
	return &renderCache{lru.NewIn[cacheKey, cached](budget, func(c cached) int {
		return len(c.view.Markdown) + len(c.view.HTML) + 256
	})}
}

// get returns the view rendered in generation gen, or nil. Callers must not
// modify it, nor its Meta and Headings: it is shared (see PageView).
func (c *renderCache) get(p Path, rev int, gen uint64, hidden string) *PageView {
	e, ok := c.c.Get(cacheKey{p.String(), rev, hidden})
	if !ok || e.gen != gen {
		return nil
	}
	return e.view
}

func (c *renderCache) put(p Path, rev int, gen uint64, hidden string, v *PageView) {
	c.c.Put(cacheKey{p.String(), rev, hidden}, cached{gen, v})
}
