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
	"github.com/kdecole-club/clubwiki/wiki/lru"
)

// Defaults of a Follower.
const (
	// defaultBatch bounds the pages rendered, analysed and held in one
	// bleve batch: 500 made the heap peak at 260 MB while the server
	// indexed 20,000 pages, 100 at 200 MB, no slower (bench/memory.sh).
	defaultBatch = 100
	// batchBytes also bounds a batch, of the rebuild or of the
	// catch-up, by the Markdown of its pages: each is held rendered, as
	// text twice, while the batch is analysed. Twenty pages of a megabyte
	// made a rebuild peak at 192 MB.
	batchBytes  = 4 << 20
	pollEvery   = 30 * time.Second // safety net besides the commit signal
	retryEvery  = time.Second      // first wait after a failure
	retryAtMost = time.Minute      // the wait doubles up to this
)

// Follower keeps an Index in step with the store: it applies the change log
// in order, in batches, and records in the index the last sequence applied,
// in the same batch as the pages, so that a restart resumes exactly there.
type Follower struct {
	Index    *Index
	Source   Source
	Renderer wiki.Renderer
	// Watch returns a channel closed at the next commit (the store's
	// wiki.ChangeLog.Watch). Nil: the follower polls.
	Watch func(ctx context.Context) <-chan struct{}
	Log   *slog.Logger
	Batch int // changes or pages per index batch; default 100
	// BatchBytes bounds the Markdown of the pages of one batch, of the
	// rebuild or of the catch-up; default batchBytes (4 MiB).
	BatchBytes int
	Workers    int // pages rendered in parallel; default GOMAXPROCS
	// RetryEvery is the first wait after a failure, doubled at each
	// failure in a row up to a minute; default a second.
	RetryEvery time.Duration
	// Rebuilt, when set, is called after a rebuild, before the follower
	// reports it caught up: the server gives the rebuild's memory back to
	// the system there (the garbage of 20,000 pages analysed would
	// otherwise stay resident until the runtime's slow return).
	Rebuilt func()
	// Settle is how long the follower lets commits gather after the
	// first one wakes it, so that a burst of saves goes into one index
	// batch rather than one each: every batch is a segment that bleve
	// merges later, and merges are most of the memory a server under a
	// load of saves allocates. Zero: each commit at once.
	Settle time.Duration
	// Budget is the cache budget the attachments' extracted texts draw on
	// (the server's one budget of pages, wiki.Service.CacheBudget); nil:
	// a budget of extractBudget bytes of their own.
	Budget *lru.Budget

	textsOnce sync.Once
	texts     *textCache
}

// extracted returns the cache of the attachments' texts.
func (f *Follower) extracted() *textCache {
	f.textsOnce.Do(func() { f.texts = newTextCache(f.Budget) })
	return f.texts
}

func (f *Follower) batch() int {
	if f.Batch > 0 {
		return f.Batch
	}
	return defaultBatch
}

func (f *Follower) batchBytes() int {
	if f.BatchBytes > 0 {
		return f.BatchBytes
	}
	return batchBytes
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
// The following itself is a wiki.Follower's: nothing stops it but ctx, a
// failure (a full disk, a damaged index, bleve panicking) is logged and
// tried again later, the wait growing at each failure in a row. What is
// the index's own is here: a failed index is repaired at once (opened
// again from its files, or rebuilt when they are damaged), so that
// searches answer from what was written while the changes wait.
func (f *Follower) Run(ctx context.Context) error {
	if reason, err := f.Index.CheckOrigin(ctx, f.Source); err != nil {
		f.log().Error("search index: checking it belongs to this wiki", "error", err)
	} else if reason != "" {
		f.log().Warn("rebuilding the search index", "reason", reason)
	}
	if err := f.Index.check(); err != nil {
		f.log().Error("search index: damaged, rebuilding it", "error", err)
	}
	if err := f.loadSynonyms(ctx); err != nil {
		// The next change to the page loads them again.
		f.log().Error("search index: reading the synonyms page", "error", err)
	}
	k := &keeper{applier: applier{f}, r: retry{first: f.RetryEvery}}
	return f.follower(k).Run(ctx)
}

// follower is the wiki.Follower that applies the log to the index.
func (f *Follower) follower(a wiki.Applier) *wiki.Follower {
	return &wiki.Follower{
		Log:        f.Source,
		Applier:    a,
		Watch:      f.settled(),
		Batch:      f.batch(),
		Poll:       pollEvery,
		RetryFirst: cmp.Or(f.RetryEvery, retryEvery),
		RetryMax:   retryAtMost,
		Logger:     f.log(),
		Name:       "search index",
	}
}

// settled returns Watch delayed by Settle: its channel closes Settle after
// the next commit, and at once when ctx ends.
func (f *Follower) settled() func(ctx context.Context) <-chan struct{} {
	if f.Watch == nil || f.Settle <= 0 {
		return f.Watch
	}
	return func(ctx context.Context) <-chan struct{} {
		commit, out := f.Watch(ctx), make(chan struct{})
		go func() {
			defer close(out)
			select {
			case <-commit:
			case <-ctx.Done():
				return
			}
			t := time.NewTimer(f.Settle)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
			}
		}()
		return out
	}
}

// CatchUp applies every change after the index's last sequence and returns
// how many it applied. A change is applied by re-reading the page's head, so
// applying one twice, or out of a long series, is harmless.
func (f *Follower) CatchUp(ctx context.Context) (int, error) {
	return f.follower(applier{f}).CatchUp(ctx)
}

// applier applies changes to the index: its cursor is the last sequence
// the index recorded, in the same batch as the pages.
type applier struct{ f *Follower }

func (a applier) Cursor(context.Context) (uint64, error) { return a.f.Index.LastSeq() }

func (a applier) Apply(ctx context.Context, changes []wiki.Change) (uint64, error) {
	var seq uint64
	for rest := changes; len(rest) > 0; {
		u, n, err := a.f.updateFor(ctx, rest)
		if err != nil {
			return seq, err
		}
		if err := a.f.Index.apply(u); err != nil {
			return seq, err
		}
		seq, rest = u.seq, rest[n:]
	}
	if touchesSynonyms(changes) {
		// Query-time expansion: no page is indexed again.
		if err := a.f.loadSynonyms(ctx); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

// updateFor turns the first n of changes into one batch: each page touched
// is indexed from its head, or dropped when it is deleted (or moved away).
// The events of other nouns (namespaces, users, permissions) only move
// the cursor. The batch stops before the change whose pages would bring
// the Markdown to index past f.batchBytes() (the first change is
// always taken): a burst of long pages is indexed a few at a time.
func (f *Follower) updateFor(ctx context.Context, changes []wiki.Change) (update, int, error) {
	seen := make(map[wiki.Path]bool, len(changes))
	var (
		u     update
		live  []wiki.Head
		bytes int
		n     int
	)
	for _, c := range changes {
		var heads []wiki.Head
		var gone []wiki.Path
		if c.Kind.IsPage() || c.Kind == wiki.KindFile { // an attachment's text is its page's
			// A move drops the former path and takes the new one.
			for _, p := range []wiki.Path{c.From, c.Path} {
				if p.IsZero() || seen[p] {
					continue
				}
				h, err := f.Source.Head(ctx, p)
				switch {
				case wiki.ErrorCode(err) == wiki.ENotFound || err == nil && h.Deleted:
					gone = append(gone, p)
				case err != nil:
					return update{}, 0, err
				default:
					heads = append(heads, h)
				}
			}
		}
		size := 0
		for _, h := range heads {
			size += h.Size
		}
		if n > 0 && bytes+size > f.batchBytes() {
			break
		}
		for _, h := range heads {
			seen[h.Path] = true
		}
		for _, p := range gone {
			seen[p] = true
			u.deletes = append(u.deletes, p.String())
		}
		live, bytes, n = append(live, heads...), bytes+size, n+1
	}
	last := changes[n-1]
	u.seq, u.mark = last.Seq, changeMark(last)
	docs, err := f.buildDocs(ctx, live)
	u.docs = docs
	return u, n, err
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
	for i := 0; i < len(heads); {
		j := rebuildBatchEnd(heads, i, f.batch(), f.batchBytes())
		docs, err := f.buildDocs(ctx, heads[i:j])
		if err != nil {
			return i, err
		}
		if err := f.Index.apply(update{docs: docs}); err != nil {
			return i, err
		}
		i = j
	}
	// A failed attempt may have left pages deleted since: drop them.
	stale, err := f.Index.staleIDs(ctx, heads)
	if err != nil {
		return len(heads), err
	}
	return len(heads), f.Index.apply(update{deletes: stale, seq: seq, done: true, store: id, mark: mark})
}

// rebuildBatchEnd returns where the batch of heads starting at i ends: at
// most n pages, and no more once their Markdown reaches
// limit bytes (one page at least).
func rebuildBatchEnd(heads []wiki.Head, i, n, limit int) int {
	j, bytes := i, 0
	for j < len(heads) && j-i < n && (j == i || bytes+heads[j].Size <= limit) {
		bytes += heads[j].Size
		j++
	}
	return j
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
				d, err := buildDoc(ctx, f.Source, f.Renderer, f.extracted(), heads[i])
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
