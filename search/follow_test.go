package search

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// run starts the follower as the server does and stops it at the end.
func (e *env) run() {
	e.t.Helper()
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- e.fol.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
	})
}

// TestFollower_SavedPageFound checks that saves, deletions and new
// revisions reach the index. How soon is a figure of bench/search (the lag
// between a save and the page being findable), not asserted here: the
// waits are only long enough to tell "never" from "late on a busy machine".
func TestFollower_SavedPageFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.run()
	if !waitFor(t, 5*time.Second, func() bool { return !e.idx.Partial() }) {
		t.Fatal("the follower never caught up")
	}
	for i := range 3 {
		word := fmt.Sprintf("zorglub%d", i)
		saved := time.Now()
		e.save(fmt.Sprintf("assistance/nouvelle-%d", i), "# Nouvelle\n\nLe mot "+word+" est rare.\n")
		found := waitFor(t, 10*time.Second, func() bool { return len(e.search(word).Hits) == 1 })
		if !found {
			t.Fatalf("%s not found within 10 s of the save", word)
		}
		t.Logf("found after %s", time.Since(saved).Round(time.Millisecond))
	}
	t.Run("deleted page leaves the index", func(t *testing.T) {
		if _, err := e.svc.Delete(e.ctx, e.user, wiki.MustPath("assistance/nouvelle-0"), "ménage"); err != nil {
			t.Fatal(err)
		}
		if !waitFor(t, 10*time.Second, func() bool { return e.search("zorglub0").Total == 0 }) {
			t.Error("deleted page still found after 10 s")
		}
	})
	t.Run("old revisions are not indexed", func(t *testing.T) {
		e.save("assistance/nouvelle-1", "# Nouvelle\n\nTexte remplacé par brouillamini.\n")
		if !waitFor(t, 10*time.Second, func() bool { return e.search("brouillamini").Total == 1 }) {
			t.Fatal("new text not found")
		}
		if n := e.search("zorglub1").Total; n != 0 {
			t.Errorf("old revision's word still found (%d)", n)
		}
	})
}

func TestIndex_RebuiltWhenFolderDeleted(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	want := e.search("")
	if want.Total < len(corpusPages) {
		t.Fatalf("only %d pages before", want.Total)
	}
	seq, _ := e.idx.LastSeq()
	if err := e.idx.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(e.dir); err != nil {
		t.Fatal(err)
	}
	e.open()
	if !e.idx.NeedsRebuild() {
		t.Fatal("a missing folder should need a rebuild")
	}
	if res := e.search(""); !res.Partial || res.PartialReason != wiki.PartialRebuilding {
		t.Errorf("before the rebuild: partial %v, reason %q", res.Partial, res.PartialReason)
	}
	e.run()
	if !waitFor(t, 10*time.Second, func() bool { return !e.idx.Partial() }) {
		t.Fatal("rebuild did not finish")
	}
	got := e.search("")
	if !slices.Equal(paths(got), paths(want)) || got.Partial {
		t.Errorf("after rebuild: %v (partial %v), want %v", paths(got), got.Partial, paths(want))
	}
	if s2, _ := e.idx.LastSeq(); s2 != seq {
		t.Errorf("LastSeq = %d, want %d", s2, seq)
	}
}

// TestFollower_Rebuilt checks that the follower calls Rebuilt once a
// rebuild is done, before searches stop saying they are partial (the
// server gives the rebuild's memory back there), and not for changes
// applied to a whole index.
func TestFollower_Rebuilt(t *testing.T) {
	t.Parallel()
	t.Run("after a rebuild", func(t *testing.T) {
		t.Parallel() // each waits on its own follower
		e := newCorpusEnv(t)
		if err := e.idx.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(e.dir); err != nil {
			t.Fatal(err)
		}
		e.open()
		calls, partial := 0, make(chan bool, 1)
		e.fol.Rebuilt = func() { calls++; partial <- e.idx.Partial() }
		e.run()
		select {
		case p := <-partial:
			if !p {
				t.Error("Rebuilt was called after searches were whole again")
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Rebuilt not called within 10 s")
		}
		if !waitFor(t, 10*time.Second, func() bool { return !e.idx.Partial() }) {
			t.Fatal("rebuild did not finish")
		}
		if calls != 1 {
			t.Errorf("Rebuilt called %d times, want 1", calls)
		}
	})
	t.Run("not for changes", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.sync()
		var calls atomic.Int32
		e.fol.Rebuilt = func() { calls.Add(1) }
		e.run()
		e.save("assistance/nouvelle", "# Nouvelle\n\nLe mot zorglub est rare.\n")
		if !waitFor(t, 10*time.Second, func() bool { return len(e.search("zorglub").Hits) == 1 }) {
			t.Fatal("the saved page never reached the index")
		}
		if n := calls.Load(); n != 0 {
			t.Errorf("Rebuilt called %d times without a rebuild", n)
		}
	})
}

func TestIndex_RebuiltWhenCorruptOrOld(t *testing.T) {
	t.Parallel()
	for _, damage := range []string{"corrupt", "old version"} {
		t.Run(damage, func(t *testing.T) {
			e := newCorpusEnv(t)
			if damage == "old version" {
				if err := e.idx.bleve.b.SetInternal(keyVersion, []byte("clubwiki-search-0")); err != nil {
					t.Fatal(err)
				}
				_ = e.idx.Close()
			} else {
				_ = e.idx.Close()
				if err := os.WriteFile(e.dir+"/index_meta.json", []byte("{garbage"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			e.open()
			if !e.idx.NeedsRebuild() {
				t.Fatal("should need a rebuild")
			}
			e.sync()
			if got := e.search("").Total; got != len(corpusPages) {
				t.Errorf("after rebuild: %d pages, want %d", got, len(corpusPages))
			}
		})
	}
}

func TestIndex_CatchUpAfterRestart(t *testing.T) {
	t.Parallel()
	e := newCorpusEnv(t)
	_ = e.idx.Close()
	e.save("club/pendant-l-arret", "# Arrêt\n\nÉcrit pendant que l'index était fermé : xylophone.\n")
	e.open()
	if e.idx.NeedsRebuild() {
		t.Fatal("a sound index should not need a rebuild")
	}
	e.sync()
	if e.search("xylophone").Total != 1 {
		t.Error("the change made while the index was closed was not caught up")
	}
}

// flakySource fails the first read of one page's text, after running a hook
// (a change made while the rebuild is under way).
type flakySource struct {
	Source
	fail   wiki.Path
	failed bool
	hook   func()
}

func (s *flakySource) Revision(ctx context.Context, p wiki.Path, rev int) (wiki.Revision, string, error) {
	if p == s.fail && !s.failed {
		s.failed = true
		s.hook()
		return wiki.Revision{}, "", fmt.Errorf("disk hiccup")
	}
	return s.Source.Revision(ctx, p, rev)
}

func TestFollower_RebuildRetriedAfterFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, p := range []string{"assistance/a", "assistance/b", "assistance/c"} {
		e.save(p, "Le mot zorglub est ici.\n")
	}
	e.fol.Batch, e.fol.Workers = 1, 1
	e.fol.RetryEvery = 20 * time.Millisecond // the rebuild fails once: retry it soon
	e.fol.Source = &flakySource{Source: e.db, fail: wiki.MustPath("assistance/c"), hook: func() {
		if _, err := e.svc.Delete(e.ctx, e.user, wiki.MustPath("assistance/b"), ""); err != nil {
			t.Errorf("Delete: %v", err)
		}
	}}
	e.run()
	if !waitFor(t, 5*time.Second, func() bool { return !e.idx.Partial() }) {
		t.Fatalf("the follower gave up after a failed rebuild: still %q", e.idx.PartialReason())
	}
	got := paths(e.search("zorglub"))
	slices.Sort(got)
	if !slices.Equal(got, []string{"assistance/a", "assistance/c"}) {
		t.Errorf("after the retried rebuild zorglub found %v, want a and c (b was deleted meanwhile)", got)
	}
}
