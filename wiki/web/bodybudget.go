package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Request bodies held at once. A body is read whole before the use case
// sees it (and decoded once more), so 64 readers each posting a 2 MB
// preview held about 250 MB before any gate in the wiki could refuse
// them. Bodies above smallBody share a budget of bytes; a request that
// does not fit waits a little, then is answered busy (503 with
// Retry-After) without its body being read. Small bodies, such as most
// saves, sign-ins and every form but the editor's, never wait.
const (
	defaultBodyBudget = 32 << 20
	smallBody         = 64 << 10
	bodyBudgetWait    = 2 * time.Second // default of Options.BodyBudgetWait
)

// bodyBudget is a counting semaphore of bytes.
type bodyBudget struct {
	mu    sync.Mutex
	free  int64
	freed chan struct{} // closed, and replaced, whenever bytes are given back
}

func newBodyBudget(total int64) *bodyBudget {
	return &bodyBudget{free: total, freed: make(chan struct{})}
}

// take reserves what r's body may hold in memory and returns what gives
// it back. A body of unknown length counts as the largest allowed.
func (s *core) takeBody(r *http.Request) (release func(), err error) {
	n := r.ContentLength
	if r.Body == nil || r.Body == http.NoBody || (n >= 0 && n <= smallBody) {
		return func() {}, nil
	}
	if n < 0 || n > s.maxBody {
		n = s.maxBody
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.bodiesWait)
	defer cancel()
	if err := s.bodies.acquire(ctx, n); err != nil {
		if r.Context().Err() != nil {
			return nil, r.Context().Err()
		}
		return nil, wiki.Errorf(wiki.EUnavailable, "the wiki is receiving too much at once; try again in a moment")
	}
	return func() { s.bodies.release(n) }, nil
}

func (b *bodyBudget) acquire(ctx context.Context, n int64) error {
	for {
		b.mu.Lock()
		if b.free >= n {
			b.free -= n
			b.mu.Unlock()
			return nil
		}
		freed := b.freed
		b.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (b *bodyBudget) release(n int64) {
	b.mu.Lock()
	b.free += n
	close(b.freed)
	b.freed = make(chan struct{})
	b.mu.Unlock()
}
