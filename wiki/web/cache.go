package web

import "github.com/kdecole-club/clubwiki/wiki/lru"

// bodyCache keeps what the interface makes of a page around its HTML: the
// executed page articles without their content (ui.article), so that the
// page's HTML is held once, by the service's render cache. An entry per
// page revision holds the ETag it was made for: a new ETag (the set of
// pages changed, so missing-link marks may differ) replaces the entry in
// place. The budget is in bytes, shared with the service's render cache
// (wiki.Service.CacheBudget); least recently used entries of any go first.
//
// B is []byte or string, as the caller holds it.
type bodyCache[B []byte | string] struct {
	c *lru.Cache[bodyKey, tagged[B]]
}

type bodyKey struct {
	path string
	rev  int
}

type tagged[B []byte | string] struct {
	etag string
	body B
}

func newBodyCache[B []byte | string](budget int) *bodyCache[B] {
	return newBodyCacheIn[B](lru.NewBudget(budget))
}

func newBodyCacheIn[B []byte | string](b *lru.Budget) *bodyCache[B] {
	return &bodyCache[B]{lru.NewIn[bodyKey, tagged[B]](b, func(t tagged[B]) int { return len(t.body) })}
}

// get returns the body encoded for etag, or the zero B (nil, ""): callers
// never store an empty body. They must not modify a []byte body.
func (c *bodyCache[B]) get(path string, rev int, etag string) B {
	e, ok := c.c.Get(bodyKey{path, rev})
	if !ok || e.etag != etag {
		var none B
		return none
	}
	return e.body
}

// put stores a body; one larger than an eighth of the budget is not kept
// (lru.Cache.Put), so that a huge page cannot flush every other.
func (c *bodyCache[B]) put(path string, rev int, etag string, body B) {
	c.c.Put(bodyKey{path, rev}, tagged[B]{etag, body})
}

// len returns the number of entries and the bytes they hold.
func (c *bodyCache[B]) len() (entries, bytes int) { return c.c.Len() }
