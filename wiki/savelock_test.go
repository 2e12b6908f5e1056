package wiki

import (
	"context"
	"testing"
	"time"
)

func TestPageLocks_Lock(t *testing.T) {
	var l pageLocks
	ctx := context.Background()
	p := MustPath("usages/tour")
	unlock, err := l.lock(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a second save of the page waits for its turn", func(t *testing.T) {
		got := make(chan struct{})
		go func() {
			u, err := l.lock(ctx, p)
			if err == nil {
				u()
			}
			close(got)
		}()
		select {
		case <-got:
			t.Fatal("two saves of one page at once")
		case <-time.After(20 * time.Millisecond):
		}
		unlock()
		<-got
	})
	t.Run("waiting ends with the request", func(t *testing.T) {
		unlock, err := l.lock(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		c, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer cancel()
		if _, err := l.lock(c, p); err == nil {
			t.Fatal("got the turn while it was taken")
		}
	})
}
