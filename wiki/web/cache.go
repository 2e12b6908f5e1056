package web

import (
	"container/list"
	"sync"
)

// bodyCache keeps the encoded JSON answers of page reads. The service caches
// the rendered page already; what is left on a read is encoding tens of
// kilobytes of JSON, which this cache saves. An entry per page revision
// holds the ETag it was encoded for: a new ETag (the set of pages changed,
// so missing-link marks may differ) replaces the entry in place. The budget
// is in bytes, least recently used entries go first.
type bodyCache struct {
	mu     sync.Mutex
	budget int
	used   int
	lru    *list.List // of *bodyEntry, most recent first
	byKey  map[bodyKey]*list.Element
}

type bodyKey struct {
	path string
	rev  int
}

type bodyEntry struct {
	key  bodyKey
	etag string
	body []byte
}

func newBodyCache(budget int) *bodyCache {
	return &bodyCache{budget: budget, lru: list.New(), byKey: make(map[bodyKey]*list.Element)}
}

// get returns the body encoded for etag, or nil. Callers must not modify it.
func (c *bodyCache) get(path string, rev int, etag string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[bodyKey{path, rev}]
	if !ok {
		return nil
	}
	e := el.Value.(*bodyEntry)
	if e.etag != etag {
		return nil
	}
	c.lru.MoveToFront(el)
	return e.body
}

// put stores a body; one larger than an eighth of the budget is not kept,
// so that a huge page cannot flush every other.
func (c *bodyCache) put(path string, rev int, etag string, body []byte) {
	if len(body) > c.budget/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := bodyKey{path, rev}
	if el, ok := c.byKey[k]; ok {
		e := el.Value.(*bodyEntry)
		c.used += len(body) - len(e.body)
		e.etag, e.body = etag, body
		c.lru.MoveToFront(el)
	} else {
		c.byKey[k] = c.lru.PushFront(&bodyEntry{key: k, etag: etag, body: body})
		c.used += len(body)
	}
	for c.used > c.budget {
		el := c.lru.Back()
		e := el.Value.(*bodyEntry)
		c.lru.Remove(el)
		delete(c.byKey, e.key)
		c.used -= len(e.body)
	}
}

// len returns the number of entries and the bytes they hold.
func (c *bodyCache) len() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byKey), c.used
}
