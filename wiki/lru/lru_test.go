package lru

import (
	"fmt"
	"sync"
	"testing"
)

func TestCache_PutGet(t *testing.T) {
	c := New[string, string](100, func(s string) int { return len(s) })
	c.Put("a", "0123456789")
	c.Put("b", "0123456789")
	if v, ok := c.Get("a"); !ok || v != "0123456789" {
		t.Fatalf("Get(a) = %q %v", v, ok)
	}
	t.Run("replace keeps one entry", func(t *testing.T) {
		c.Put("a", "x")
		if n, bytes := c.Len(); n != 2 || bytes != 11 {
			t.Errorf("Len = %d entries, %d bytes; want 2, 11", n, bytes)
		}
	})
	t.Run("too large is not kept", func(t *testing.T) {
		c.Put("big", string(make([]byte, 13)))
		if _, ok := c.Get("big"); ok {
			t.Error("a value over budget/8 was kept")
		}
	})
	t.Run("too large replacing a value drops the old one", func(t *testing.T) {
		c.Put("a", "0123456789")
		c.Put("a", string(make([]byte, 13)))
		if v, ok := c.Get("a"); ok {
			t.Errorf("Get(a) = %q after a Put that was too large to keep; want nothing, not the old value", v)
		}
		if n, bytes := c.Len(); n != 1 || bytes != 10 {
			t.Errorf("Len = %d entries, %d bytes; want 1, 10", n, bytes)
		}
	})
	t.Run("least recently used goes first", func(t *testing.T) {
		c := New[int, string](80, func(s string) int { return len(s) })
		for i := range 8 {
			c.Put(i, "0123456789")
		}
		c.Get(0) // 1 is now the least recently used
		c.Put(8, "0123456789")
		if _, ok := c.Get(1); ok {
			t.Error("entry 1 survived eviction")
		}
		for _, k := range []int{0, 2, 8} {
			if _, ok := c.Get(k); !ok {
				t.Errorf("entry %d evicted", k)
			}
		}
		if _, bytes := c.Len(); bytes > 80 {
			t.Errorf("%d bytes over a budget of 80", bytes)
		}
	})
}

func TestCache_Concurrent(t *testing.T) {
	c := New[string, []byte](1<<10, func(b []byte) int { return len(b) })
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				k := fmt.Sprint((g + i) % 50)
				c.Put(k, make([]byte, 40))
				c.Get(k)
			}
		})
	}
	wg.Wait()
	if _, bytes := c.Len(); bytes > 1<<10 {
		t.Errorf("%d bytes over budget", bytes)
	}
}
