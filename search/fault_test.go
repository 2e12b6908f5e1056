package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// openWrapped opens the index folder with every bleve index the Index
// opens wrapped by wrap (fault injection), and a follower that retries
// quickly.
func (e *env) openWrapped(wrap func(bleve.Index) bleve.Index) {
	e.t.Helper()
	idx, err := newIndex(e.dir, wrap)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := idx.load(false); err != nil {
		e.t.Fatalf("load: %v", err)
	}
	e.t.Cleanup(func() { _ = idx.Close() })
	e.idx = idx
	e.fol = &Follower{Index: idx, Source: e.db, Renderer: testRenderer(), Watch: e.db.Watch, RetryEvery: 20 * time.Millisecond}
	e.svc.SetSearch(idx)
}

// fullDisk makes the bleve indexes it wraps fail as bleve does when their
// disk is full: a batch fails (persist err … no space left on device) or
// panics, and from then on that index panics on every batch and search
// ("assignment to entry in nil map" on a segment it could not write),
// until it is closed and opened again.
type fullDisk struct {
	on       atomic.Bool
	panics   bool         // the first failure is a panic rather than an error
	attempts atomic.Int32 // batches tried while the disk is full
}

// inner is bleve.Index under a name that does not clash with its method
// Index.
type inner = bleve.Index

func (d *fullDisk) wrap(b bleve.Index) bleve.Index { return &fullIndex{inner: b, disk: d} }

type fullIndex struct {
	inner
	disk   *fullDisk
	failed atomic.Bool
}

func (x *fullIndex) Batch(b *bleve.Batch) error {
	if x.disk.on.Load() {
		x.disk.attempts.Add(1)
	}
	if x.failed.Load() {
		panic("assignment to entry in nil map")
	}
	if x.disk.on.Load() {
		x.failed.Store(true)
		if x.disk.panics {
			panic("assignment to entry in nil map")
		}
		return fmt.Errorf("segment: 00000000002f.zap persist err: %w", &fs.PathError{Op: "write", Path: "00000000002f.zap", Err: syscall.ENOSPC})
	}
	return x.inner.Batch(b)
}

func (x *fullIndex) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if x.failed.Load() {
		panic("assignment to entry in nil map")
	}
	return x.inner.SearchInContext(ctx, req)
}

func TestFollower_FullDisk(t *testing.T) {
	t.Parallel()
	for _, panics := range []bool{false, true} {
		name := map[bool]string{false: "batch fails", true: "batch panics"}[panics]
		t.Run(name, func(t *testing.T) {
			t.Parallel() // each waits on its own follower
			e := newEnv(t)
			_ = e.idx.Close()
			disk := &fullDisk{panics: panics}
			e.openWrapped(disk.wrap)
			e.save("club/avant", "# Avant\n\nLe mot avantmot est ancien.\n")
			e.run()
			if !waitFor(t, 5*time.Second, func() bool { return !e.idx.Partial() }) {
				t.Fatal("the follower never caught up")
			}

			disk.on.Store(true)
			e.save("club/pendant", "# Pendant\n\nLe mot pendantmot est écrit disque plein.\n")
			// The follower fails (a panic without recover ended the
			// process); searches answer from what the index holds,
			// marked partial: it is behind.
			if !waitFor(t, 5*time.Second, func() bool { r := e.search("avantmot"); return r.Partial && r.Total == 1 }) {
				t.Fatalf("while the disk is full, search says %+v", e.search("avantmot"))
			}
			// The follower tries again and fails again: no search says
			// the index is complete meanwhile, checked until it has
			// failed twice more (an attempt counter, not a guessed
			// wait).
			tried := disk.attempts.Load()
			if !waitFor(t, 10*time.Second, func() bool {
				if r := e.search("avantmot"); !r.Partial {
					t.Fatal("a search said the index is complete while it cannot write")
				}
				return disk.attempts.Load() >= tried+2
			}) {
				t.Fatalf("the follower tried %d times in 10 s while the disk was full, want it to keep trying", disk.attempts.Load()-tried)
			}

			disk.on.Store(false)
			if !waitFor(t, 10*time.Second, func() bool { r := e.search("pendantmot"); return !r.Partial && r.Total == 1 }) {
				t.Fatalf("after space came back: %+v", e.search("pendantmot"))
			}
			if r := e.search("avantmot"); r.Total != 1 {
				t.Errorf("the page saved before lost: %+v", r)
			}
		})
	}
}

// damageSegments damages every segment file of the closed index in dir,
// the way a disk or a careless copy does.
func damageSegments(t *testing.T, dir, how string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if len(files) == 0 {
		t.Fatal("no segment file to damage")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		switch how {
		case "flipped start": // the stored texts: the index opens
			hostile.Flip(b, 0, 200)
		case "flipped bytes":
			hostile.Flip(b, len(b)/3, 200)
		case "flipped footer":
			hostile.Flip(b, len(b)-300, 200)
		case "truncated":
			b = hostile.Halved(b)
		}
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIndex_RebuiltWhenSegmentDamaged(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"flipped start", "flipped bytes", "flipped footer", "truncated"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel() // each waits on its own follower's rebuild
			e := newCorpusEnv(t)
			want := e.search("").Total
			_ = e.idx.Close()
			damageSegments(t, e.dir, how)
			e.open()
			e.run()
			// No search fails (they answered 500 for ever), and none
			// says it is complete before the index is rebuilt.
			rebuilt := waitFor(t, 10*time.Second, func() bool {
				res := e.search("")
				if !res.Partial && res.Total != want {
					t.Fatalf("a complete answer with %d pages, want %d", res.Total, want)
				}
				return !res.Partial
			})
			if !rebuilt {
				t.Fatalf("never rebuilt: still %q", e.idx.PartialReason())
			}
			if got := e.search(""); got.Total != want || got.Partial {
				t.Errorf("after the rebuild: %d pages (partial %v), want %d", got.Total, got.Partial, want)
			}
			if got := paths(e.search("messagerie")); len(got) != 2 {
				t.Errorf("messagerie finds %v after the rebuild", got)
			}
		})
	}
}

func TestIndex_SegmentsVerified(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	if err := e.idx.check(); err != nil {
		t.Fatalf("a sound index fails its check: %v", err)
	}
	// Damaged under the running server: the check finds it.
	damageSegments(t, e.dir, "flipped start")
	if err := e.idx.check(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("check of a damaged index = %v", err)
	}
}

// TestIndex_DamagedSegmentNotOpened checks that segments are verified
// before bleve reads them: damaged stored texts would open (bleve reads
// them only for a hit), and damage elsewhere can make bleve allocate
// terabytes, a fatal error.
func TestIndex_DamagedSegmentNotOpened(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	_ = e.idx.Close()
	damageSegments(t, e.dir, "flipped start")
	idx, reason, err := Open(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idx.Close() })
	if !idx.NeedsRebuild() || !strings.Contains(reason, "damaged") {
		t.Errorf("a damaged index opened: NeedsRebuild %v, reason %q", idx.NeedsRebuild(), reason)
	}
}

// readFault makes the first bleve index it wraps fail every search as a
// damaged one does; the indexes opened after it are sound.
type readFault struct{ opened atomic.Int32 }

func (r *readFault) wrap(b bleve.Index) bleve.Index {
	if r.opened.Add(1) == 1 {
		return &failingReads{inner: b}
	}
	return b
}

type failingReads struct{ inner }

func (failingReads) SearchInContext(context.Context, *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return nil, errors.New("failed to read the chunk")
}

func TestIndex_SearchMeetsFailingIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("club/ici", "# Ici\n\nLe mot zorglub.\n")
	e.sync()
	_ = e.idx.Close()
	faults := &readFault{}
	e.openWrapped(faults.wrap)
	e.run()
	// The search reports the failure, the follower opens the index
	// again (its segments check sound: it is not rebuilt), and the search
	// asks the new one.
	res := e.search("zorglub")
	if res.Total != 1 || faults.opened.Load() < 2 {
		t.Errorf("search = %d hits (%d opens), want the page from the reopened index", res.Total, faults.opened.Load())
	}
	if !waitFor(t, 5*time.Second, func() bool { return !e.idx.Partial() }) {
		t.Errorf("still partial (%q)", e.idx.PartialReason())
	}
	if e.idx.NeedsRebuild() {
		t.Error("a sound index was rebuilt")
	}
	if r := e.search("zorglub"); r.PartialReason != "" || r.Total != 1 {
		t.Errorf("after the repair: %d hits, partial %q", r.Total, r.PartialReason)
	}
}

func TestRetry_Wait(t *testing.T) {
	t.Parallel()
	t.Run("the wait doubles after each failure, up to a minute", func(t *testing.T) {
		r := retry{first: time.Second}
		var got []time.Duration
		for range 9 {
			r.failed()
			got = append(got, r.wait(pollEvery, false).Round(time.Second))
		}
		want := []time.Duration{1, 2, 4, 8, 16, 32, 60, 60, 60}
		for i := range want {
			if got[i] != want[i]*time.Second {
				t.Fatalf("waits %v, want %v seconds", got, want)
			}
		}
		r.succeeded()
		if d := r.wait(pollEvery, false); d != pollEvery {
			t.Errorf("after a success the wait is %v, want %v", d, pollEvery)
		}
	})
	t.Run("a repair that failed is not retried at once", func(t *testing.T) {
		r := retry{first: time.Second, stuck: true}
		r.failed()
		if d := r.wait(pollEvery, true); d < 500*time.Millisecond {
			t.Errorf("wait %v: the follower would spin on an index it cannot open", d)
		}
	})
	t.Run("a fault is repaired at once", func(t *testing.T) {
		r := retry{first: time.Second}
		if d := r.wait(pollEvery, true); d > 10*time.Millisecond {
			t.Errorf("wait %v before repairing a failed index", d)
		}
	})
}
