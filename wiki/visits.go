package wiki

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultVisitBuffer is how many visits are kept in memory between two
// writes when Config.VisitBuffer is not set.
const DefaultVisitBuffer = 4096

// visitFlushEvery is how often RunVisits writes the buffered visits.
const visitFlushEvery = time.Second

type visitKey struct {
	login string
	path  Path
}

// visitBuffer keeps the latest revision viewed per member and page until it
// is written to the store in one transaction: a page view costs a map
// write, never a disk write. It holds at most max entries; one more visit
// then writes the buffer on the spot (the viewer waits for one
// transaction), so that a flood of views of distinct pages cannot grow
// memory. While a batch is being written it stays readable (inflight), so
// a read never goes back to an older revision than one just viewed.
type visitBuffer struct {
	store VisitStore
	max   int
	log   atomic.Pointer[slog.Logger] // nil: slog.Default

	mu       sync.Mutex
	pending  map[visitKey]int
	inflight map[visitKey]int

	flushMu sync.Mutex // one write at a time, in order
}

func newVisitBuffer(st VisitStore, max int) *visitBuffer {
	if max <= 0 {
		max = DefaultVisitBuffer
	}
	return &visitBuffer{store: st, max: max, pending: map[visitKey]int{}}
}

// seen returns what login last viewed of p: the buffer first, then the store.
func (b *visitBuffer) seen(ctx context.Context, login string, p Path) (int, error) {
	k := visitKey{login, p}
	b.mu.Lock()
	rev, ok := b.pending[k]
	if r, in := b.inflight[k]; in && r > rev {
		rev, ok = r, true
	}
	b.mu.Unlock()
	if ok {
		return rev, nil
	}
	got, err := b.store.Visits(ctx, login, []Path{p})
	return got[p], err
}

// seenMany is seen for many pages, in one store read.
func (b *visitBuffer) seenMany(ctx context.Context, login string, ps []Path) (map[Path]int, error) {
	got, err := b.store.Visits(ctx, login, ps)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range ps {
		k := visitKey{login, p}
		got[p] = max(got[p], b.pending[k], b.inflight[k])
	}
	return got, nil
}

// record keeps the visit; a full buffer is written first.
func (b *visitBuffer) record(login string, p Path, rev int) {
	k := visitKey{login, p}
	b.mu.Lock()
	if b.pending[k] >= rev {
		b.mu.Unlock()
		return
	}
	_, had := b.pending[k]
	full := !had && len(b.pending) >= b.max
	b.mu.Unlock()
	if full {
		b.flush(context.Background())
	}
	b.mu.Lock()
	if b.pending[k] < rev {
		b.pending[k] = rev
	}
	b.mu.Unlock()
}

// flush writes the buffered visits in one transaction. A failed write is
// logged and the batch dropped: visits are a convenience, and keeping them
// would let a store that stays down grow the buffer without bound.
func (b *visitBuffer) flush(ctx context.Context) {
	b.flushMu.Lock()
	defer b.flushMu.Unlock()
	b.mu.Lock()
	batch := b.pending
	if len(batch) == 0 {
		b.mu.Unlock()
		return
	}
	b.inflight, b.pending = batch, make(map[visitKey]int, len(batch))
	b.mu.Unlock()
	vs := make([]Visit, 0, len(batch))
	for k, rev := range batch {
		vs = append(vs, Visit{Login: k.login, Path: k.path, Rev: rev})
	}
	if err := b.store.PutVisits(ctx, vs); err != nil {
		log := b.log.Load()
		if log == nil {
			log = slog.Default()
		}
		log.Error("recording page visits; these are lost", "visits", len(vs), "error", err)
	}
	b.mu.Lock()
	b.inflight = nil
	b.mu.Unlock()
}

// moving runs commit, a move of the pages of mapping (old path → new),
// while no batch of visits is being written, then keys the visits still
// buffered under the pages' new paths: the store's move carries those
// already written, and a visit buffered before the move no longer lands
// under a path the page has left.
func (b *visitBuffer) moving(mapping map[Path]Path, commit func() error) error {
	b.flushMu.Lock()
	defer b.flushMu.Unlock()
	if err := commit(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	moved := map[visitKey]int{}
	for k, rev := range b.pending {
		if to, ok := mapping[k.path]; ok {
			delete(b.pending, k)
			moved[visitKey{k.login, to}] = rev
		}
	}
	for k, rev := range moved {
		b.pending[k] = max(b.pending[k], rev)
	}
	return nil
}

// size returns how many visits wait in memory, being written included.
func (b *visitBuffer) size() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending) + len(b.inflight)
}
