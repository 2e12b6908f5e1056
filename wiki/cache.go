package wiki

import (
	"container/list"
	"sync"
)

// renderCache keeps rendered revisions so that reading a page does not
// render it again. Entries are keyed by path and revision (revisions never
// change) and tagged with the existence generation they were rendered in.
type renderCache struct {
	mu     sync.Mutex
	budget int
	used   int
	lru    *list.List // of *cacheEntry, most recent first
	byKey  map[cacheKey]*list.Element
}

type cacheKey struct {
	path string
	rev  int
}

type cacheEntry struct {
	key  cacheKey
	gen  uint64
	view *PageView
	size int
}

func newRenderCache(budget int) *renderCache {
	return &renderCache{budget: budget, lru: list.New(), byKey: make(map[cacheKey]*list.Element)}
}

func (c *renderCache) get(p Path, rev int, gen uint64) *PageView {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[cacheKey{p.String(), rev}]
	if !ok {
		return nil
	}
	e := el.Value.(*cacheEntry)
	if e.gen != gen {
		return nil
	}
	c.lru.MoveToFront(el)
	return e.view
}

func (c *renderCache) put(p Path, rev int, gen uint64, v *PageView) {
	size := len(v.Markdown) + len(v.HTML) + 256
	if size > c.budget/8 {
		return // one huge page must not flush everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := cacheKey{p.String(), rev}
	if el, ok := c.byKey[k]; ok {
		e := el.Value.(*cacheEntry)
		c.used += size - e.size
		e.gen, e.view, e.size = gen, v, size
		c.lru.MoveToFront(el)
	} else {
		c.byKey[k] = c.lru.PushFront(&cacheEntry{key: k, gen: gen, view: v, size: size})
		c.used += size
	}
	for c.used > c.budget {
		el := c.lru.Back()
		e := el.Value.(*cacheEntry)
		c.lru.Remove(el)
		delete(c.byKey, e.key)
		c.used -= e.size
	}
}
