package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testWatches covers what members watch: pages and namespaces per member,
// namespaces listed first, idempotent, and the own-edits setting.
func testWatches(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	page := func(p string) wiki.Watched { return wiki.Watched{Path: wiki.MustPath(p)} }
	ns := func(k string) wiki.Watched { return wiki.Watched{Namespace: k} }
	put := func(t *testing.T, login string, w wiki.Watched, on bool) {
		t.Helper()
		if err := s.PutWatch(ctx, login, w, on); err != nil {
			t.Fatalf("PutWatch(%s, %+v, %v): %v", login, w, on, err)
		}
	}
	list := func(t *testing.T, login string, limit int) []wiki.Watched {
		t.Helper()
		got, err := s.Watches(ctx, login, limit)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	t.Run("per member, namespaces first", func(t *testing.T) {
		put(t, "alice", page("usages/b"), true)
		put(t, "alice", ns("usages"), true)
		put(t, "alice", page("club/a"), true)
		put(t, "alice", page("club/a"), true)
		put(t, "bob", page("usages/b"), true)
		want := []wiki.Watched{ns("usages"), page("club/a"), page("usages/b")}
		if got := list(t, "alice", 10); !slices.Equal(got, want) {
			t.Fatalf("Watches = %+v, want %+v", got, want)
		}
		if got := list(t, "alice", 2); len(got) != 2 {
			t.Fatalf("Watches with limit 2 = %+v", got)
		}
		if got := list(t, "ali", 10); len(got) != 0 {
			t.Fatalf("a login that prefixes another's sees %+v", got)
		}
		on, err := s.Watching(ctx, "bob", page("usages/b"))
		if err != nil || !on {
			t.Fatalf("Watching = %v, %v", on, err)
		}
	})
	t.Run("stop watching", func(t *testing.T) {
		put(t, "alice", ns("usages"), false)
		put(t, "alice", ns("usages"), false)
		if got := list(t, "alice", 10); !slices.Equal(got, []wiki.Watched{page("club/a"), page("usages/b")}) {
			t.Fatalf("Watches = %+v", got)
		}
		if on, _ := s.Watching(ctx, "alice", ns("usages")); on {
			t.Fatal("still watching")
		}
	})
	t.Run("own edits watched by default", func(t *testing.T) {
		if on, err := s.AutoWatch(ctx, "carol"); err != nil || !on {
			t.Fatalf("AutoWatch = %v, %v; want true", on, err)
		}
		if err := s.SetAutoWatch(ctx, "carol", false); err != nil {
			t.Fatal(err)
		}
		if on, _ := s.AutoWatch(ctx, "carol"); on {
			t.Fatal("AutoWatch stays on")
		}
		if got := list(t, "carol", 10); len(got) != 0 {
			t.Fatalf("the setting shows as a watch: %+v", got)
		}
		if err := s.SetAutoWatch(ctx, "carol", true); err != nil {
			t.Fatal(err)
		}
		if on, _ := s.AutoWatch(ctx, "carol"); !on {
			t.Fatal("AutoWatch stays off")
		}
	})
	t.Run("when watches last changed", func(t *testing.T) {
		changed := func(t *testing.T, login string) time.Time {
			t.Helper()
			at, err := s.WatchesChanged(ctx, login)
			if err != nil {
				t.Fatal(err)
			}
			return at
		}
		if at := changed(t, "dave"); !at.IsZero() {
			t.Fatalf("never watched: %v", at)
		}
		put(t, "dave", page("club/a"), true)
		first := changed(t, "dave")
		if first.IsZero() {
			t.Fatal("a watch left no time")
		}
		put(t, "dave", page("club/a"), true)
		put(t, "dave", page("club/z"), false)
		if at := changed(t, "dave"); !at.Equal(first) {
			t.Fatalf("a watch that changed nothing moved the time: %v, then %v", first, at)
		}
		put(t, "dave", page("club/a"), false)
		if at := changed(t, "dave"); at.Before(first) {
			t.Fatalf("unwatching: %v, before %v", at, first)
		}
		if err := s.SetAutoWatch(ctx, "erin", false); err != nil {
			t.Fatal(err)
		}
		if at := changed(t, "erin"); !at.IsZero() {
			t.Fatalf("a setting is no watch: %v", at)
		}
		if got := list(t, "dave", 10); len(got) != 0 {
			t.Fatalf("the time shows as a watch: %+v", got)
		}
	})
	t.Run("refused", func(t *testing.T) {
		wantCode(t, s.PutWatch(ctx, "", page("club/a"), true), wiki.EInvalid)
		wantCode(t, s.PutWatch(ctx, "alice", wiki.Watched{}, true), wiki.EInvalid)
	})
}
