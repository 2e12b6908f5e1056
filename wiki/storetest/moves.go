package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testMoves covers PageMover: a page moves with its history, marks,
// watchers and visits in one transaction, leaves a redirect, refuses a
// destination where a page is, and writes nothing when it fails.
func testMoves(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	p := wiki.MustPath
	commit(t, s, "usages/a", 0, "un")
	commit(t, s, "usages/a", 1, "deux", "club/x")
	commit(t, s, "club/lien", 0, "voir [[usages/a]]", "usages/a")
	if _, _, err := s.MarkReviewed(ctx, wiki.Review{Path: p("usages/a"), Rev: 1, By: "bob"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutWatch(ctx, "bob", wiki.Watched{Path: p("usages/a")}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.PutVisits(ctx, []wiki.Visit{{Login: "bob", Path: p("usages/a"), Rev: 2}}); err != nil {
		t.Fatal(err)
	}
	move := func(from, to string, rev int, rewrites ...wiki.Commit) ([]wiki.Change, error) {
		return s.Move(ctx, wiki.Move{
			Pages:  []wiki.PageMove{{From: p(from), To: p(to), ExpectRev: rev, Markdown: "deux", Title: "Titre", Links: []wiki.Path{p("club/x")}}},
			Author: "carol", Summary: "renommage", Rewrites: rewrites,
		})
	}
	t.Run("history, marks, watchers and visits follow", func(t *testing.T) {
		chs, err := move("usages/a", "portails/b", 2, edit("club/lien", 1, "voir [[portails/b]]", "portails/b"))
		if err != nil {
			t.Fatal(err)
		}
		if len(chs) != 2 || chs[0].Kind != wiki.KindMove || chs[0].From != p("usages/a") || chs[0].Path != p("portails/b") || chs[0].Rev != 3 || chs[1].Path != p("club/lien") {
			t.Fatalf("changes = %+v", chs)
		}
		revs, err := s.History(ctx, p("portails/b"), 0, 0)
		if err != nil || len(revs) != 3 || revs[0].Kind != wiki.KindMove || revs[0].Author != "carol" {
			t.Fatalf("History = %+v, %v", revs, err)
		}
		if _, text, err := s.Revision(ctx, p("portails/b"), 1); err != nil || text != "un" {
			t.Fatalf("revision 1 = %q, %v", text, err)
		}
		if _, err := s.Head(ctx, p("usages/a")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Fatalf("the old head is still there: %v", err)
		}
		marks, _ := s.Reviews(ctx, []wiki.RevisionKey{{Path: p("portails/b"), Rev: 1}})
		if len(marks) != 1 {
			t.Fatalf("the reviewed mark did not follow: %+v", marks)
		}
		if on, _ := s.Watching(ctx, "bob", wiki.Watched{Path: p("portails/b")}); !on {
			t.Fatal("the watcher did not follow")
		}
		if on, _ := s.Watching(ctx, "bob", wiki.Watched{Path: p("usages/a")}); on {
			t.Fatal("the old path is still watched")
		}
		if v, _ := s.Visits(ctx, "bob", []wiki.Path{p("portails/b")}); v[p("portails/b")] != 2 {
			t.Fatalf("the visit did not follow: %v", v)
		}
		counts, _ := s.PageCounts(ctx)
		if counts["usages"] != 0 || counts["portails"] != 1 {
			t.Fatalf("counts = %v", counts)
		}
		bl, _ := s.Backlinks(ctx, p("portails/b"), nil)
		if len(bl) != 1 || bl[0].Path != p("club/lien") {
			t.Fatalf("backlinks = %+v", bl)
		}
	})
	t.Run("redirects", func(t *testing.T) {
		r, err := s.Redirects(ctx, []wiki.Path{p("usages/a"), p("portails/b"), p("club/nulle")})
		if err != nil || len(r) != 1 || r[p("usages/a")] != p("portails/b") {
			t.Fatalf("Redirects = %v, %v", r, err)
		}
	})
	t.Run("a chain of moves redirects to the last place", func(t *testing.T) {
		if _, err := move("portails/b", "club/c", 3); err != nil {
			t.Fatal(err)
		}
		r, _ := s.Redirects(ctx, []wiki.Path{p("usages/a"), p("portails/b")})
		if r[p("usages/a")] != p("club/c") || r[p("portails/b")] != p("club/c") {
			t.Fatalf("Redirects = %v", r)
		}
	})
	t.Run("a move back leaves no loop", func(t *testing.T) {
		if _, err := move("club/c", "usages/a", 4); err != nil {
			t.Fatal(err)
		}
		r, _ := s.Redirects(ctx, []wiki.Path{p("usages/a"), p("portails/b"), p("club/c")})
		if len(r) != 2 || r[p("portails/b")] != p("usages/a") || r[p("club/c")] != p("usages/a") {
			t.Fatalf("Redirects = %v", r)
		}
		if revs, _ := s.History(ctx, p("usages/a"), 0, 0); len(revs) != 5 {
			t.Fatalf("history after the round trip has %d revisions", len(revs))
		}
	})
	t.Run("a page written at a redirect replaces it", func(t *testing.T) {
		commit(t, s, "club/c", 0, "nouvelle")
		if r, _ := s.Redirects(ctx, []wiki.Path{p("club/c")}); len(r) != 0 {
			t.Fatalf("Redirects = %v", r)
		}
	})
	t.Run("refusals write nothing", func(t *testing.T) {
		last, _ := s.LastSeq(ctx)
		if _, err := move("usages/a", "club/lien", 5); wiki.ErrorCode(err) != wiki.EExists {
			t.Fatalf("onto a live page: %v", err)
		}
		commit(t, s, "club/morte", 0, "x")
		if _, err := s.Commit(ctx, wiki.Commit{Path: p("club/morte"), ExpectRev: 1, Kind: wiki.KindDelete, Author: "a", Deleted: true}); err != nil {
			t.Fatal(err)
		}
		last += 2
		if _, err := move("usages/a", "club/morte", 5); wiki.ErrorCode(err) != wiki.EExists {
			t.Fatalf("onto a deleted page: %v", err)
		}
		if _, err := move("usages/a", "club/d", 4); !errors.Is(err, wiki.ErrStaleHead) {
			t.Fatalf("stale: %v", err)
		}
		// A stale rewrite undoes the whole move.
		if _, err := move("usages/a", "club/d", 5, edit("club/lien", 1, "x")); !errors.Is(err, wiki.ErrStaleHead) {
			t.Fatalf("stale rewrite: %v", err)
		}
		if h, err := s.Head(ctx, p("usages/a")); err != nil || h.Rev != 5 {
			t.Fatalf("head after refusals = %+v, %v", h, err)
		}
		if seq, _ := s.LastSeq(ctx); seq != last {
			t.Fatalf("log at %d, want %d", seq, last)
		}
	})
	t.Run("sub-pages", func(t *testing.T) {
		commit(t, s, "usages/a/b", 0, "b")
		commit(t, s, "usages/a/c", 0, "c")
		commit(t, s, "usages/ab", 0, "pas une sous-page")
		subs, err := s.SubPages(ctx, p("usages/a"), 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range subs {
			got = append(got, h.Path.String())
		}
		if !slices.Equal(got, []string{"usages/a/b", "usages/a/c"}) {
			t.Fatalf("SubPages = %v", got)
		}
		if subs, _ := s.SubPages(ctx, p("usages/a"), 1); len(subs) != 1 {
			t.Fatalf("limit: %v", subs)
		}
	})
}
