package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// Defaults of a Follower.
const (
	defaultBatch = 500
	pollEvery    = 30 * time.Second // safety net besides the commit signal
	retryEvery   = time.Second      // first wait after a failure
	retryAtMost  = time.Minute      // the wait doubles up to this
)

// Follower keeps an Index in step with the store: it applies the change log
// in order, in batches, and records in the index the last sequence applied,
// in the same batch as the pages, so that a restart resumes exactly there.
type Follower struct {
	Index    *Index
	Source   Source
	Renderer wiki.Renderer
	// Changed returns a channel closed at the next commit
	// (wiki.Service.Changed). Nil: the follower polls.
	Changed func() <-chan struct{}
	Log     *slog.Logger
	Batch   int // changes or pages per index batch; default 500
	Workers int // pages rendered in parallel; default GOMAXPROCS
	// RetryEvery is the first wait after a failure, doubled at each
	// failure in a row up to a minute; default a second.
	RetryEvery time.Duration
}

func (f *Follower) batch() int {
	if f.Batch > 0 {
		return f.Batch
	}
	return defaultBatch
}

func (f *Follower) log() *slog.Logger {
	if f.Log != nil {
		return f.Log
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// Run rebuilds the index when it is empty, catches up with the log, then
// applies each commit as it comes, until ctx ends. Searches are served all
// along; they say "partial" until the first catch-up is done.
//
// Nothing stops it but ctx: a failure (a full disk, a damaged index, bleve
// panicking) is logged and tried again later, the wait growing at each
// failure in a row; a failed index is repaired at once (opened again from
// its files, or rebuilt when they are damaged), so that searches answer
// from what was written while the changes wait.
func (f *Follower) Run(ctx context.Context) error {
	if reason, err := f.Index.CheckOrigin(ctx, f.Source); err != nil {
		f.log().Error("search index: checking it belongs to this wiki", "error", err)
	} else if reason != "" {
		f.log().Warn("rebuilding the search index", "reason", reason)
	}
	if err := f.Index.check(); err != nil {
		f.log().Error("search index: damaged, rebuilding it", "error", err)
	}
	r := retry{first: f.RetryEvery}
	for {
		var wake <-chan struct{}
		if f.Changed != nil {
			wake = f.Changed() // before reading the log: no commit slips by
		}
		f.step(ctx, &r)
		if ctx.Err() != nil {
			return nil
		}
		t := time.NewTimer(r.wait(pollEvery, f.Index.Broken()))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-wake:
		case <-f.Index.faults:
		case <-t.C:
		}
		t.Stop()
	}
}

// repairGap is the least time between two repairs: a search error taken
// for damage must not have the index checked again and again.
const repairGap = 10 * time.Second

// retry spaces the attempts after failures.
type retry struct {
	first    time.Duration
	failures int       // failures in a row
	next     time.Time // no catch-up (or failed repair) again before
	repaired time.Time // no repair again before
	stuck    bool      // the last repair failed
}

func (r *retry) failed() {
	d := cmp.Or(r.first, retryEvery)
	for i := 0; i < r.failures && d < retryAtMost; i++ {
		d *= 2
	}
	r.failures++
	r.next = time.Now().Add(min(d, retryAtMost))
}

func (r *retry) succeeded() { r.failures, r.next = 0, time.Time{} }

func (r *retry) due() bool { return !time.Now().Before(r.next) }

// wait is how long to sleep: until the next attempt due, else idle.
func (r *retry) wait(idle time.Duration, broken bool) time.Duration {
	d := idle
	if r.failures > 0 {
		d = time.Until(r.next)
	}
	if broken && !r.stuck { // a failed repair waits like any failure
		d = min(d, time.Until(r.repaired))
	}
	return max(d, time.Millisecond)
}

// step repairs a failed index, then rebuilds or catches up when the wait
// after the last failure is over.
func (f *Follower) step(ctx context.Context, r *retry) {
	if f.Index.Broken() && !f.repair(r, false) {
		return
	}
	if !r.due() {
		return
	}
	err := f.sync(ctx)
	switch {
	case err == nil:
		r.succeeded()
		f.Index.partial.Store(false)
		return
	case ctx.Err() != nil:
		return
	}
	r.failed()
	f.log().Error("search index: applying changes, will try again", "error", err, "in", time.Until(r.next).Round(time.Second))
	if f.Index.Broken() {
		// Bleve failed with the index in memory (a full disk): open it
		// again at once, so that searches answer from what was written.
		f.repair(r, true)
	}
}

// repair repairs the index and reports whether it is usable again. A
// failed repair is tried again after the growing wait; a repair for a
// fault met by searches (not by the follower itself: now) comes at least
// repairGap after the last one.
func (f *Follower) repair(r *retry, now bool) bool {
	if !now && time.Now().Before(r.repaired) || r.stuck && !r.due() {
		return false
	}
	reason, err := f.Index.repair()
	if err != nil {
		r.stuck = true
		r.failed()
		f.log().Error("search index: repairing, will try again", "error", err, "in", time.Until(r.next).Round(time.Second))
		return false
	}
	r.stuck, r.repaired = false, time.Now().Add(repairGap)
	if reason != "" {
		f.log().Warn("rebuilding the search index", "reason", reason)
	} else {
		f.log().Info("search index opened again after a failure")
	}
	return true
}

// sync rebuilds the index when it is empty and applies the changes it
// lacks. A panic (bleve's are caught by the guard; this is a last resort)
// is a failure like another.
func (f *Follower) sync(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("search index: panic: %v", p)
			f.Index.fault(err, false)
		}
	}()
	if err := f.Index.writable(); err != nil {
		return fmt.Errorf("opening the index for writing: %w", err)
	}
	if f.Index.NeedsRebuild() {
		start := time.Now()
		n, err := f.Rebuild(ctx)
		if err != nil {
			return fmt.Errorf("rebuilding: %w", err)
		}
		f.log().Info("search index rebuilt", "pages", n, "took", time.Since(start).Round(time.Millisecond))
	}
	_, err = f.CatchUp(ctx)
	return err
}

// CatchUp applies every change after the index's last sequence and returns
// how many it applied. A change is applied by re-reading the page's head, so
// applying one twice, or out of a long series, is harmless.
func (f *Follower) CatchUp(ctx context.Context) (int, error) {
	total := 0
	for {
		since, err := f.Index.LastSeq()
		if err != nil {
			return total, err
		}
		changes, err := f.Source.ChangesAfter(ctx, since, f.batch())
		if err != nil || len(changes) == 0 {
			return total, err
		}
		u, err := f.updateFor(ctx, changes)
		if err != nil {
			return total, err
		}
		if err := f.Index.apply(u); err != nil {
			return total, err
		}
		total += len(changes)
	}
}

// updateFor turns changes into one batch: each page touched is indexed from
// its head, or dropped when it is deleted (or moved away).
func (f *Follower) updateFor(ctx context.Context, changes []wiki.Change) (update, error) {
	u := update{seq: changes[len(changes)-1].Seq, mark: changeMark(changes[len(changes)-1])}
	seen := make(map[wiki.Path]bool, len(changes))
	var live []wiki.Head
	for _, c := range changes {
		if seen[c.Path] {
			continue
		}
		seen[c.Path] = true
		h, err := f.Source.Head(ctx, c.Path)
		switch {
		case wiki.ErrorCode(err) == wiki.ENotFound || err == nil && h.Deleted:
			u.deletes = append(u.deletes, c.Path.String())
		case err != nil:
			return update{}, err
		default:
			live = append(live, h)
		}
	}
	docs, err := f.buildDocs(ctx, live)
	u.docs = docs
	return u, err
}

// Rebuild fills a fresh index from the store's live pages, then records the
// sequence the store was at when it began (changes since are applied by the
// next CatchUp) and the mapping version.
func (f *Follower) Rebuild(ctx context.Context) (int, error) {
	f.Index.rebuilding.Store(true)
	f.Index.partial.Store(true)
	seq, err := f.Source.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	id, err := storeID(ctx, f.Source)
	if err != nil {
		return 0, err
	}
	mark, err := markAt(ctx, f.Source, seq)
	if err != nil {
		return 0, err
	}
	heads, _, err := f.Source.Pages(ctx, "", nil, 0, 0)
	if err != nil {
		return 0, err
	}
	for i := 0; i < len(heads); i += f.batch() {
		docs, err := f.buildDocs(ctx, heads[i:min(i+f.batch(), len(heads))])
		if err != nil {
			return i, err
		}
		if err := f.Index.apply(update{docs: docs}); err != nil {
			return i, err
		}
	}
	// A failed attempt may have left pages deleted since: drop them.
	stale, err := f.Index.staleIDs(ctx, heads)
	if err != nil {
		return len(heads), err
	}
	return len(heads), f.Index.apply(update{deletes: stale, seq: seq, done: true, store: id, mark: mark})
}

// buildDocs renders the pages in parallel; the index analyses in parallel
// too, so rendering must not be the bottleneck.
func (f *Follower) buildDocs(ctx context.Context, heads []wiki.Head) ([]doc, error) {
	docs := make([]doc, len(heads))
	workers := f.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(heads))
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				d, err := buildDoc(ctx, f.Source, f.Renderer, heads[i])
				if err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
				}
				docs[i] = d
			}
		})
	}
	for i := range heads {
		next <- i
	}
	close(next)
	wg.Wait()
	return docs, first
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// Reindex deletes the index in dir and builds it again from src: what
// "clubwiki reindex" does, offline.
func Reindex(ctx context.Context, dir string, src Source, r wiki.Renderer) (int, error) {
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("removing the search index: %w", err)
	}
	idx, _, err := Open(dir)
	if err != nil {
		return 0, err
	}
	f := &Follower{Index: idx, Source: src, Renderer: r}
	n, err := f.Rebuild(ctx)
	if err == nil {
		_, err = f.CatchUp(ctx)
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	return n, err
}
