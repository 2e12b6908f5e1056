package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testDrafts covers the members' drafts: one per member and page, each
// member's alone, replaced in place, deleted idempotently, listed by path
// without their text, and bounded in number per member.
func testDrafts(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)
	draft := func(login, p, md string, base int) wiki.Draft {
		return wiki.Draft{Login: login, Path: wiki.MustPath(p), Markdown: md, BaseRev: base, Saved: at}
	}
	put := func(t *testing.T, d wiki.Draft, max int) {
		t.Helper()
		if err := s.PutDraft(ctx, d, max); err != nil {
			t.Fatalf("PutDraft(%+v): %v", d, err)
		}
	}
	t.Run("kept and read back", func(t *testing.T) {
		put(t, draft("alice", "usages/b", "# B\n\nl'école à côté\n", 3), 10)
		got, err := s.Draft(ctx, "alice", wiki.MustPath("usages/b"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Markdown != "# B\n\nl'école à côté\n" || got.BaseRev != 3 || !got.Saved.Equal(at) || got.Login != "alice" {
			t.Fatalf("Draft = %+v", got)
		}
	})
	t.Run("each member's alone", func(t *testing.T) {
		_, err := s.Draft(ctx, "bob", wiki.MustPath("usages/b"))
		wantCode(t, err, wiki.ENotFound)
		_, err = s.Draft(ctx, "ali", wiki.MustPath("usages/b"))
		wantCode(t, err, wiki.ENotFound)
		_, err = s.Draft(ctx, "alice", wiki.MustPath("usages/c"))
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("replaced in place", func(t *testing.T) {
		put(t, draft("alice", "usages/b", "plus récent", 4), 10)
		got, err := s.Draft(ctx, "alice", wiki.MustPath("usages/b"))
		if err != nil || got.Markdown != "plus récent" || got.BaseRev != 4 {
			t.Fatalf("Draft = %+v, %v", got, err)
		}
	})
	t.Run("listed by path without text", func(t *testing.T) {
		put(t, draft("alice", "club/a", "a", 0), 10)
		put(t, draft("bob", "club/z", "z", 1), 10)
		ds, err := s.Drafts(ctx, "alice", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 || ds[0].Path.String() != "club/a" || ds[1].Path.String() != "usages/b" || ds[0].Markdown != "" || ds[1].BaseRev != 4 {
			t.Fatalf("Drafts = %+v", ds)
		}
		if ds, _ := s.Drafts(ctx, "alice", 1); len(ds) != 1 {
			t.Fatalf("Drafts with limit 1 = %+v", ds)
		}
	})
	t.Run("bounded per member", func(t *testing.T) {
		err := s.PutDraft(ctx, draft("alice", "club/c", "c", 0), 2)
		wantCode(t, err, wiki.ETooLarge)
		if _, err := s.Draft(ctx, "alice", wiki.MustPath("club/c")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("a refused draft was kept: %v", err)
		}
		put(t, draft("alice", "club/a", "a again", 0), 2) // replacing is not adding
		put(t, draft("carol", "club/c", "c", 0), 2)       // another member's count
	})
	t.Run("deleted", func(t *testing.T) {
		for range 2 {
			if err := s.DeleteDraft(ctx, "alice", wiki.MustPath("usages/b")); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.Draft(ctx, "alice", wiki.MustPath("usages/b"))
		wantCode(t, err, wiki.ENotFound)
		if got, err := s.Draft(ctx, "bob", wiki.MustPath("club/z")); err != nil || got.Markdown != "z" {
			t.Fatalf("bob's draft: %+v, %v", got, err)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		wantCode(t, s.PutDraft(ctx, draft("", "club/a", "a", 0), 10), wiki.EInvalid)
		wantCode(t, s.PutDraft(ctx, wiki.Draft{Login: "alice"}, 10), wiki.EInvalid)
	})
}
