package lru

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

func strLen(s string) int  { return len(s) }
func byteLen(b []byte) int { return len(b) }

func TestBudget_Shared(t *testing.T) {
	t.Run("two caches evict across each other", func(t *testing.T) {
		b := NewBudget(100)
		a := NewIn[string, string](b, strLen)
		c := NewIn[int, []byte](b, byteLen)
		for i := range 6 {
			a.Put(fmt.Sprint(i), "0123456789")
		}
		for i := range 6 {
			c.Put(i, make([]byte, 10))
		}
		// 120 bytes were put in a budget of 100: the two oldest, both
		// from the first cache, went.
		for _, k := range []string{"0", "1"} {
			if _, ok := a.Get(k); ok {
				t.Errorf("a[%s] survived although it was the least recently used", k)
			}
		}
		if n, bytes := a.Len(); n != 4 || bytes != 40 {
			t.Errorf("first cache: %d entries, %d bytes; want 4, 40", n, bytes)
		}
		if n, bytes := c.Len(); n != 6 || bytes != 60 {
			t.Errorf("second cache: %d entries, %d bytes; want 6, 60", n, bytes)
		}
		if n, bytes := b.Len(); n != 10 || bytes != 100 {
			t.Errorf("budget: %d entries, %d bytes; want 10, 100", n, bytes)
		}
	})
	t.Run("an entry read recently survives the other cache's puts", func(t *testing.T) {
		b := NewBudget(80)
		a := NewIn[string, string](b, strLen)
		c := NewIn[string, string](b, strLen)
		a.Put("kept", "0123456789")
		a.Put("old", "0123456789")
		for i := range 6 {
			c.Put(fmt.Sprint(i), "0123456789")
		}
		a.Get("kept")
		c.Put("6", "0123456789")
		c.Put("7", "0123456789") // evicts old, then 0
		if _, ok := a.Get("kept"); !ok {
			t.Error("the entry read last was evicted")
		}
		if _, ok := a.Get("old"); ok {
			t.Error("the least recently used entry survived")
		}
		if _, ok := c.Get("0"); ok {
			t.Error("the second cache's oldest entry survived")
		}
	})
	t.Run("an eighth of the shared budget is the largest entry", func(t *testing.T) {
		b := NewBudget(800)
		a := NewIn[string, string](b, strLen)
		a.Put("fits", string(make([]byte, 100)))
		a.Put("too big", string(make([]byte, 101)))
		if _, ok := a.Get("fits"); !ok {
			t.Error("an entry of an eighth of the budget was not kept")
		}
		if _, ok := a.Get("too big"); ok {
			t.Error("an entry over an eighth of the budget was kept")
		}
	})
}

// TestBudget_NeverExceeded puts random sizes in three caches of one budget
// and checks after every put that the budget holds and that it counts
// exactly what the caches hold.
func TestBudget_NeverExceeded(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	b := NewBudget(1000)
	a := NewIn[int, string](b, strLen)
	c := NewIn[int, []byte](b, byteLen)
	d := NewIn[string, string](b, func(s string) int { return len(s) + 7 })
	for i := range 5000 {
		k, n := rng.IntN(60), rng.IntN(140)
		switch rng.IntN(3) {
		case 0:
			a.Put(k, string(make([]byte, n)))
		case 1:
			c.Put(k, make([]byte, n))
		default:
			d.Put(fmt.Sprint(k), string(make([]byte, n)))
		}
		entries, used := b.Len()
		na, ua := a.Len()
		nc, uc := c.Len()
		nd, ud := d.Len()
		if used > 1000 || used != ua+uc+ud || entries != na+nc+nd {
			t.Fatalf("put %d: budget holds %d entries, %d bytes of 1000; the caches %d entries, %d bytes",
				i, entries, used, na+nc+nd, ua+uc+ud)
		}
	}
}

func TestBudget_Concurrent(t *testing.T) {
	b := NewBudget(4 << 10)
	a := NewIn[string, []byte](b, byteLen)
	c := NewIn[int, string](b, strLen)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				k := (g + i) % 50
				if g%2 == 0 {
					a.Put(fmt.Sprint(k), make([]byte, 40+k))
					a.Get(fmt.Sprint(k))
				} else {
					c.Put(k, string(make([]byte, 60+k)))
					c.Get(k)
				}
				if _, used := b.Len(); used > 4<<10 {
					t.Errorf("%d bytes over a budget of %d", used, 4<<10)
					return
				}
			}
		})
	}
	wg.Wait()
	_, ua := a.Len()
	_, uc := c.Len()
	if _, used := b.Len(); used != ua+uc {
		t.Errorf("the budget counts %d bytes, the caches hold %d", used, ua+uc)
	}
}
