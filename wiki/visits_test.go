package wiki

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// countingVisits is a VisitStore in memory that counts its writes.
type countingVisits struct {
	mu     sync.Mutex
	kept   map[visitKey]int
	writes atomic.Int64
	fail   bool
}

func (c *countingVisits) PutVisits(_ context.Context, vs []Visit) error {
	c.writes.Add(1)
	if c.fail {
		return errors.New("disk full")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range vs {
		k := visitKey{v.Login, v.Path}
		c.kept[k] = max(c.kept[k], v.Rev)
	}
	return nil
}

func (c *countingVisits) Visits(_ context.Context, login string, ps []Path) (map[Path]int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[Path]int{}
	for _, p := range ps {
		if r, ok := c.kept[visitKey{login, p}]; ok {
			out[p] = r
		}
	}
	return out, nil
}

func TestVisitBuffer_Flood(t *testing.T) {
	const workers, each, limit = 8, 5000, 64
	st := &countingVisits{kept: map[visitKey]int{}}
	b := newVisitBuffer(st, limit)
	var peak atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				b.record("m", MustPath(fmt.Sprintf("usages/w%d-%d", w, i)), 1)
				if n := int64(b.size()); n > peak.Load() {
					peak.Store(n)
				}
			}
		})
	}
	wg.Wait()
	b.flush(context.Background())
	t.Run("memory bounded", func(t *testing.T) {
		// pending and inflight each hold at most limit, plus the visits
		// of recorders that found it full at the same moment.
		if p := peak.Load(); p > 2*limit+workers {
			t.Fatalf("peak %d visits in memory, want at most %d", p, 2*limit+workers)
		}
	})
	t.Run("nothing lost, written in batches", func(t *testing.T) {
		if len(st.kept) != workers*each {
			t.Fatalf("%d visits kept, want %d", len(st.kept), workers*each)
		}
		if w := st.writes.Load(); w > workers*each/limit*2 {
			t.Fatalf("%d writes for %d visits: not batched", w, workers*each)
		}
	})
}

func TestVisitBuffer_Flush(t *testing.T) {
	t.Run("a failed write is dropped, not kept", func(t *testing.T) {
		st := &countingVisits{kept: map[visitKey]int{}, fail: true}
		b := newVisitBuffer(st, 4)
		b.record("m", MustPath("usages/a"), 3)
		b.flush(context.Background())
		if b.size() != 0 || st.writes.Load() != 1 {
			t.Fatalf("after a failed write: %d in memory, %d writes", b.size(), st.writes.Load())
		}
	})
	t.Run("the buffer answers before the store", func(t *testing.T) {
		st := &countingVisits{kept: map[visitKey]int{{"m", MustPath("usages/a")}: 2}}
		b := newVisitBuffer(st, 4)
		b.record("m", MustPath("usages/a"), 5)
		if got, _ := b.seen(context.Background(), "m", MustPath("usages/a")); got != 5 {
			t.Fatalf("seen = %d, want 5 from the buffer", got)
		}
		b.record("m", MustPath("usages/a"), 4)
		if got, _ := b.seen(context.Background(), "m", MustPath("usages/a")); got != 5 {
			t.Fatalf("seen after an older visit = %d, want 5", got)
		}
		if st.writes.Load() != 0 {
			t.Fatal("a visit wrote to the store")
		}
	})
}
