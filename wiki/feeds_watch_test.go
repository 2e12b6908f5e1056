package wiki_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// TestFeed_WatchlistModified: a watchlist feed's date follows what its
// reader watches as well as the log, so that a reader asking with
// If-Modified-Since alone gets the feed again after a watch; the other
// feeds keep the log's date.
func TestFeed_WatchlistModified(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC).UnixNano())
	tick := func(d time.Duration) { now.Add(int64(d)) }
	db, err := store.Open(filepath.Join(t.TempDir(), "wiki.db"), store.Options{NoSync: true,
		Now: func() time.Time { return time.Unix(0, now.Load()).UTC() }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	svc := wiki.NewService(db, fixtureRenderer(), textdiff.New(), wiki.Config{BcryptCost: 4})
	if err := svc.Init(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := svc.CreateUser(ctx, wiki.NewUser{Login: "anne", Role: wiki.RoleEditor, Password: "un mot de passe long"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetAutoWatch(ctx, &u, false); err != nil {
		t.Fatal(err)
	}
	tick(time.Minute)
	if _, err := svc.Save(ctx, &u, wiki.SaveRequest{Path: wiki.MustPath("usages/cahier"), Markdown: "# Cahier\n\nUn.\n"}); err != nil {
		t.Fatal(err)
	}
	saved := time.Unix(0, now.Load()).UTC()
	modified := func(t *testing.T, q wiki.FeedQuery) time.Time {
		t.Helper()
		f, err := svc.Feed(ctx, &u, q)
		if err != nil {
			t.Fatal(err)
		}
		return f.Modified
	}
	if got := modified(t, wiki.FeedQuery{Watchlist: true}); !got.Equal(saved) {
		t.Fatalf("before any watch: %v, want the save's %v", got, saved)
	}
	tick(time.Hour)
	if err := svc.Watch(ctx, &u, wiki.Watched{Path: wiki.MustPath("usages/cahier")}, true); err != nil {
		t.Fatal(err)
	}
	watched := time.Unix(0, now.Load()).UTC()
	t.Run("a watch dates the watchlist's feed", func(t *testing.T) {
		if got := modified(t, wiki.FeedQuery{Watchlist: true}); !got.Equal(watched) {
			t.Fatalf("after watching: %v, want %v", got, watched)
		}
	})
	t.Run("not the other feeds", func(t *testing.T) {
		if got := modified(t, wiki.FeedQuery{}); !got.Equal(saved) {
			t.Fatalf("recent changes: %v, want %v", got, saved)
		}
	})
	t.Run("unwatching too", func(t *testing.T) {
		tick(time.Hour)
		if err := svc.Watch(ctx, &u, wiki.Watched{Path: wiki.MustPath("usages/cahier")}, false); err != nil {
			t.Fatal(err)
		}
		if got, want := modified(t, wiki.FeedQuery{Watchlist: true}), time.Unix(0, now.Load()).UTC(); !got.Equal(want) {
			t.Fatalf("after unwatching: %v, want %v", got, want)
		}
	})
}
