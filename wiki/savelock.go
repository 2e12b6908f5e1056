package wiki

import (
	"context"
	"hash/maphash"
	"sync"
)

// Saves of one page take turns. Without turns, twenty members saving one
// page at once from the same revision all merge against the same head,
// one commit wins, the others merge again against the new head, and a
// save that kept losing would be refused after maxCommitAttempts although
// its change merges. With turns, each save merges against the head the
// previous one wrote and commits at once; the commit's own check of the
// head (ErrStaleHead) still guards against writers that take no turn
// (a delete, a revert, another process).

// pageLockStripes is how many turns there are: pages whose paths hash
// alike share one, which costs them a little waiting, never correctness.
const pageLockStripes = 64

// pageLocks hands out the turns. The zero value is ready to use.
type pageLocks struct {
	once sync.Once
	seed maphash.Seed
	ch   [pageLockStripes]chan struct{}
}

// lock waits for p's turn, or for ctx to end (its error is returned
// then). The caller calls the returned function when done.
func (l *pageLocks) lock(ctx context.Context, p Path) (unlock func(), err error) {
	l.once.Do(func() {
		l.seed = maphash.MakeSeed()
		for i := range l.ch {
			l.ch[i] = make(chan struct{}, 1)
		}
	})
	c := l.ch[maphash.String(l.seed, p.String())%pageLockStripes]
	select {
	case c <- struct{}{}:
		return func() { <-c }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
