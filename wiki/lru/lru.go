// Package lru is a small least-recently-used cache bounded in bytes. Several
// caches of different types may draw from one Budget: the render cache of
// the domain and the answer caches of the web layer hold the same pages in
// different forms, and one bound on their sum is what keeps the process's
// memory bounded.
package lru

import (
	"container/list"
	"sync"
)

// Budget is a number of bytes shared by caches: past it, the least recently
// used entry of any of them goes first. It is safe for concurrent use.
type Budget struct {
	mu    sync.Mutex // guards everything here and every cache drawing on it
	limit int
	used  int
	order list.List // of entry, most recent first, across all caches
}

// NewBudget returns a budget of limit bytes.
func NewBudget(limit int) *Budget {
	return &Budget{limit: limit}
}

// Limit returns the budget's size in bytes.
func (b *Budget) Limit() int { return b.limit }

// Len returns the number of entries of all the caches and the bytes they
// hold.
func (b *Budget) Len() (entries, bytes int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.order.Len(), b.used
}

// entry is what the shared order holds: each knows how to leave its cache.
type entry interface {
	size() int
	drop() // removes it from its cache's index
}

// evict drops least recently used entries until the budget holds.
func (b *Budget) evict() {
	for b.used > b.limit {
		el := b.order.Back()
		e := el.Value.(entry)
		e.drop()
		b.used -= e.size()
		b.order.Remove(el)
	}
}

// Cache maps keys to values, dropping the least recently used entries of
// its budget when the sizes of the values there pass it. It is safe for
// concurrent use.
type Cache[K comparable, V any] struct {
	b     *Budget
	size  func(V) int
	used  int // bytes of this cache's entries
	byKey map[K]*list.Element
}

type item[K comparable, V any] struct {
	c     *Cache[K, V]
	key   K
	val   V
	bytes int
}

func (it *item[K, V]) size() int { return it.bytes }

func (it *item[K, V]) drop() {
	delete(it.c.byKey, it.key)
	it.c.used -= it.bytes
}

// New returns a cache with a budget of its own of budget bytes, as
// measured by size.
func New[K comparable, V any](budget int, size func(V) int) *Cache[K, V] {
	return NewIn[K, V](NewBudget(budget), size)
}

// NewIn returns a cache drawing on b, its values measured by size.
func NewIn[K comparable, V any](b *Budget, size func(V) int) *Cache[K, V] {
	return &Cache[K, V]{b: b, size: size, byKey: make(map[K]*list.Element)}
}

// Get returns the value for k and marks it recently used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.b.mu.Lock()
	defer c.b.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.b.order.MoveToFront(el)
	return el.Value.(*item[K, V]).val, true
}

// Put stores v under k, replacing what was there. A value larger than an
// eighth of the budget is not kept, so that one huge entry cannot flush
// every other; what k held before goes all the same, since a caller that
// stores a new value must never read the old one back.
func (c *Cache[K, V]) Put(k K, v V) {
	size := c.size(v)
	c.b.mu.Lock()
	defer c.b.mu.Unlock()
	if size > c.b.limit/8 {
		if el, ok := c.byKey[k]; ok {
			c.remove(el)
		}
		return
	}
	if el, ok := c.byKey[k]; ok {
		it := el.Value.(*item[K, V])
		c.used += size - it.bytes
		c.b.used += size - it.bytes
		it.val, it.bytes = v, size
		c.b.order.MoveToFront(el)
	} else {
		c.byKey[k] = c.b.order.PushFront(&item[K, V]{c: c, key: k, val: v, bytes: size})
		c.used += size
		c.b.used += size
	}
	c.b.evict()
}

func (c *Cache[K, V]) remove(el *list.Element) {
	it := el.Value.(*item[K, V])
	it.drop()
	c.b.used -= it.bytes
	c.b.order.Remove(el)
}

// Len returns the number of this cache's entries and the bytes they hold.
func (c *Cache[K, V]) Len() (entries, bytes int) {
	c.b.mu.Lock()
	defer c.b.mu.Unlock()
	return len(c.byKey), c.used
}
