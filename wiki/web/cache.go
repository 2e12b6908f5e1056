package web

import "github.com/kdecole-club/clubwiki/wiki/lru"

// bodyCache keeps encoded answers: the JSON of page reads (the service
// caches the rendered page already; what is left is encoding tens of
// kilobytes of JSON) and the executed page articles of the HTML view. An
// entry per page revision holds the ETag it was encoded for: a new ETag (the
// set of pages changed, so missing-link marks may differ) replaces the entry
// in place. The budget is in bytes, least recently used entries go first.
type bodyCache struct {
	c *lru.Cache[bodyKey, tagged]
}

type bodyKey struct {
	path string
	rev  int
}

type tagged struct {
	etag string
	body []byte
}

func newBodyCache(budget int) *bodyCache {
	return &bodyCache{lru.New[bodyKey, tagged](budget, func(t tagged) int { return len(t.body) })}
}

// get returns the body encoded for etag, or nil. Callers must not modify it.
func (c *bodyCache) get(path string, rev int, etag string) []byte {
	e, ok := c.c.Get(bodyKey{path, rev})
	if !ok || e.etag != etag {
		return nil
	}
	return e.body
}

// put stores a body; one larger than an eighth of the budget is not kept,
// so that a huge page cannot flush every other.
func (c *bodyCache) put(path string, rev int, etag string, body []byte) {
	c.c.Put(bodyKey{path, rev}, tagged{etag, body})
}

// len returns the number of entries and the bytes they hold.
func (c *bodyCache) len() (entries, bytes int) { return c.c.Len() }
