package wiki_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// follower follows the fixture's store into a; only commits and the
// fake clock, when given, wake it (the idle poll is an hour).
func newFollower(f *fixture, a wiki.Applier, clock wiki.Clock) *wiki.Follower {
	return &wiki.Follower{Log: f.db, Applier: a, Watch: f.db.Watch, Batch: 2, Poll: time.Hour, Clock: clock}
}

func savePages(t *testing.T, f *fixture, names ...string) {
	t.Helper()
	for _, n := range names {
		f.save(t, "club/"+n, "# "+n+"\n\ntexte", 0)
	}
}

func TestFollower_Run(t *testing.T) {
	t.Run("catches up at start, then follows each commit", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un", "deux", "trois")
		a := &fileApplier{path: filepath.Join(t.TempDir(), "derived")}
		fol := newFollower(f, a, nil)
		r := startFollower(fol)
		defer r.stop(t)
		want := logSeqs(t, f, 0)
		eventually(t, "caught up", func() bool { return slices.Equal(a.seenNow(), want) && fol.CaughtUp() })
		savePages(t, f, "quatre", "cinq")
		want = logSeqs(t, f, 0)
		eventually(t, "following the new commits", func() bool { return slices.Equal(a.seenNow(), want) })
	})
	t.Run("after a restart, applies only what came since, in order, none twice", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		derived := filepath.Join(t.TempDir(), "derived")
		savePages(t, f, "un", "deux", "trois")
		first := &fileApplier{path: derived}
		r := startFollower(newFollower(f, first, nil))
		before := logSeqs(t, f, 0)
		eventually(t, "caught up", func() bool { return slices.Equal(first.seenNow(), before) })
		r.stop(t)

		savePages(t, f, "quatre", "cinq", "six")
		again := &fileApplier{path: derived} // the same owner, restarted
		r = startFollower(newFollower(f, again, nil))
		defer r.stop(t)
		news := logSeqs(t, f, before[len(before)-1])
		eventually(t, "caught up after the restart", func() bool { return len(again.seenNow()) >= len(news) })
		if got := again.seenNow(); !slices.Equal(got, news) {
			t.Errorf("after the restart applied %v, want only the new %v", got, news)
		}
		if all, _ := again.lines(); !slices.Equal(all, logSeqs(t, f, 0)) {
			t.Errorf("derived file holds %v, want each change once in order %v", all, logSeqs(t, f, 0))
		}
	})
	t.Run("two followers at different positions progress independently", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un", "deux", "trois")
		all := logSeqs(t, f, 0)
		behind := &fileApplier{path: filepath.Join(t.TempDir(), "behind")}
		ahead := &fileApplier{path: filepath.Join(t.TempDir(), "ahead")}
		changes, err := f.db.ChangesAfter(f.ctx, 0, len(all)-1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ahead.Apply(f.ctx, changes); err != nil { // ahead starts one change short of the end
			t.Fatal(err)
		}
		rb, ra := startFollower(newFollower(f, behind, nil)), startFollower(newFollower(f, ahead, nil))
		defer rb.stop(t)
		defer ra.stop(t)
		savePages(t, f, "quatre")
		all = logSeqs(t, f, 0)
		eventually(t, "both at the end", func() bool {
			return len(behind.seenNow()) >= len(all) && len(ahead.seenNow()) >= len(all)
		})
		if got := behind.seenNow(); !slices.Equal(got, all) {
			t.Errorf("the follower from the start applied %v, want %v", got, all)
		}
		if got, _ := ahead.lines(); !slices.Equal(got, all) {
			t.Errorf("the follower ahead holds %v, want %v", got, all)
		}
	})
}

func TestFollower_Retry(t *testing.T) {
	t.Run("a failing apply is tried again, the wait doubling, nothing skipped", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un", "deux", "trois")
		a := &fileApplier{path: filepath.Join(t.TempDir(), "derived"), fails: 4}
		clock := newFakeClock(time.Hour)
		fol := newFollower(f, a, clock)
		fol.RetryFirst, fol.RetryMax = 10*time.Millisecond, 40*time.Millisecond
		r := startFollower(fol)
		defer r.stop(t)
		want := logSeqs(t, f, 0)
		eventually(t, "caught up", func() bool { return slices.Equal(a.seenNow(), want) && fol.CaughtUp() })
		ms := time.Millisecond
		if got := clock.waitsNow(); !slices.Equal(got[:4], []time.Duration{10 * ms, 20 * ms, 40 * ms, 40 * ms}) {
			t.Errorf("waits %v, want 10, 20, 40, 40 ms then the poll", got)
		}
		if all, _ := a.lines(); !slices.Equal(all, want) {
			t.Errorf("derived %v, want %v", all, want)
		}
	})
	t.Run("a panic in apply is a failure, not the end", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un")
		a := &fileApplier{path: filepath.Join(t.TempDir(), "derived"), panics: 2}
		fol := newFollower(f, a, newFakeClock(time.Hour))
		r := startFollower(fol)
		defer r.stop(t)
		want := logSeqs(t, f, 0)
		eventually(t, "caught up", func() bool { return slices.Equal(a.seenNow(), want) })
		if a.callsNow() < 3 {
			t.Errorf("%d calls to Apply, want the two panics then a success", a.callsNow())
		}
	})
	t.Run("the wait after failures is bounded", func(t *testing.T) {
		got := []time.Duration{}
		for n := 1; n <= 8; n++ {
			got = append(got, wiki.RetryDelay(time.Second, time.Minute, n))
		}
		s := time.Second
		want := []time.Duration{s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, time.Minute, time.Minute}
		if !slices.Equal(got, want) {
			t.Errorf("delays %v, want %v", got, want)
		}
	})
}

// stuckApplier never moves its cursor.
type stuckApplier struct{}

func (stuckApplier) Cursor(context.Context) (uint64, error) { return 0, nil }
func (stuckApplier) Apply(context.Context, []wiki.Change) (uint64, error) {
	return 0, nil
}

func TestFollower_CatchUp(t *testing.T) {
	t.Run("an applier whose cursor does not move is a failure, not a loop", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un")
		_, err := newFollower(f, stuckApplier{}, nil).CatchUp(f.ctx)
		if err == nil || !strings.Contains(err.Error(), "cursor") {
			t.Errorf("CatchUp = %v, want an error about the cursor", err)
		}
	})
	t.Run("applies in batches, oldest first", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un", "deux", "trois", "quatre", "cinq")
		a := &fileApplier{path: filepath.Join(t.TempDir(), "derived")}
		n, err := newFollower(f, a, nil).CatchUp(f.ctx)
		want := logSeqs(t, f, 0)
		if err != nil || n != len(want) || !slices.Equal(a.seenNow(), want) {
			t.Errorf("CatchUp = %d, %v, applied %v; want %d, %v", n, err, a.seenNow(), len(want), want)
		}
		if calls := a.callsNow(); calls != (len(want)+1)/2 {
			t.Errorf("%d calls to Apply for %d changes in batches of 2", calls, len(want))
		}
	})
}

func TestFollower_Stop(t *testing.T) {
	t.Run("idle, it stops when its context ends", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		a := &fileApplier{path: filepath.Join(t.TempDir(), "derived")}
		fol := newFollower(f, a, nil)
		r := startFollower(fol)
		eventually(t, "caught up", fol.CaughtUp)
		r.stop(t)
	})
	t.Run("waiting after a failure, it stops when its context ends", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un")
		a := &fileApplier{path: filepath.Join(t.TempDir(), "derived"), fails: 1 << 30}
		fol := newFollower(f, a, nil)
		fol.RetryFirst = time.Hour
		r := startFollower(fol)
		eventually(t, "failing", func() bool { return a.callsNow() > 0 })
		r.stop(t)
		if fol.CaughtUp() {
			t.Error("a follower whose every apply failed says it caught up")
		}
	})
}

// keeperApplier is a fileApplier with a state of its own to look after.
type keeperApplier struct {
	*fileApplier
	ready    atomic.Bool
	prepares atomic.Int32 // Prepare calls still to fail
	caught   atomic.Int32 // CaughtUp calls
	tends    atomic.Int32 // Tend calls
	wake     chan struct{}
}

func (k *keeperApplier) Tend(context.Context) (bool, time.Duration) {
	k.tends.Add(1)
	return k.ready.Load(), 0
}

func (k *keeperApplier) Prepare(context.Context) error {
	if k.prepares.Add(-1) >= 0 {
		return errApplyFailed
	}
	return nil
}

func (k *keeperApplier) CaughtUp()                { k.caught.Add(1) }
func (k *keeperApplier) Wakeups() <-chan struct{} { return k.wake }

func TestFollower_Keeper(t *testing.T) {
	t.Run("nothing is applied while the keeper is not ready; its wake-up resumes", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un")
		k := &keeperApplier{fileApplier: &fileApplier{path: filepath.Join(t.TempDir(), "derived")}, wake: make(chan struct{}, 1)}
		fol := newFollower(f, k, nil)
		r := startFollower(fol)
		defer r.stop(t)
		eventually(t, "started", func() bool { return k.tends.Load() > 0 })
		savePages(t, f, "deux") // a commit wakes it: still not ready
		eventually(t, "woken by the commit", func() bool { return k.tends.Load() > 1 })
		if n := k.callsNow(); n != 0 || fol.CaughtUp() || k.caught.Load() != 0 {
			t.Fatalf("%d applies, caught up %v, while the keeper was not ready", n, fol.CaughtUp())
		}
		k.ready.Store(true)
		k.wake <- struct{}{}
		want := logSeqs(t, f, 0)
		eventually(t, "caught up", func() bool { return slices.Equal(k.seenNow(), want) && k.caught.Load() > 0 })
	})
	t.Run("a failing prepare is tried again like a failing apply", func(t *testing.T) {
		f := newFixture(t, wiki.Config{})
		savePages(t, f, "un")
		k := &keeperApplier{fileApplier: &fileApplier{path: filepath.Join(t.TempDir(), "derived")}}
		k.ready.Store(true)
		k.prepares.Store(2)
		clock := newFakeClock(time.Hour)
		fol := newFollower(f, k, clock)
		fol.RetryFirst = 5 * time.Millisecond
		r := startFollower(fol)
		defer r.stop(t)
		want := logSeqs(t, f, 0)
		eventually(t, "caught up", func() bool { return slices.Equal(k.seenNow(), want) && fol.CaughtUp() })
		if got := clock.waitsNow(); len(got) < 2 || got[0] != 5*time.Millisecond || got[1] != 10*time.Millisecond {
			t.Errorf("waits %v, want 5 ms then 10 ms after the two failed prepares", got)
		}
	})
}
