// Package lru is a small least-recently-used cache bounded in bytes, shared
// by the render cache of the domain and the answer caches of the web layer.
package lru

import (
	"container/list"
	"sync"
)

// Cache maps keys to values, dropping the least recently used entries when
// the sizes of its values pass the budget. It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu     sync.Mutex
	budget int
	used   int
	size   func(V) int
	order  *list.List // of *entry[K, V], most recent first
	byKey  map[K]*list.Element
}

type entry[K comparable, V any] struct {
	key  K
	val  V
	size int
}

// New returns a cache holding at most budget bytes, as measured by size.
func New[K comparable, V any](budget int, size func(V) int) *Cache[K, V] {
	return &Cache[K, V]{budget: budget, size: size, order: list.New(), byKey: make(map[K]*list.Element)}
}

// Get returns the value for k and marks it recently used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[K, V]).val, true
}

// Put stores v under k, replacing what was there. A value larger than an
// eighth of the budget is not kept, so that one huge entry cannot flush
// every other; what k held before goes all the same, since a caller that
// stores a new value must never read the old one back.
func (c *Cache[K, V]) Put(k K, v V) {
	size := c.size(v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.budget/8 {
		if el, ok := c.byKey[k]; ok {
			c.remove(el)
		}
		return
	}
	if el, ok := c.byKey[k]; ok {
		e := el.Value.(*entry[K, V])
		c.used += size - e.size
		e.val, e.size = v, size
		c.order.MoveToFront(el)
	} else {
		c.byKey[k] = c.order.PushFront(&entry[K, V]{key: k, val: v, size: size})
		c.used += size
	}
	for c.used > c.budget {
		c.remove(c.order.Back())
	}
}

func (c *Cache[K, V]) remove(el *list.Element) {
	e := el.Value.(*entry[K, V])
	c.order.Remove(el)
	delete(c.byKey, e.key)
	c.used -= e.size
}

// Len returns the number of entries and the bytes they hold.
func (c *Cache[K, V]) Len() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byKey), c.used
}
