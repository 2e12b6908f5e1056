package storetest

import (
	"context"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// titled is edit with a title of its own.
func titled(p string, expectRev int, title string) wiki.Commit {
	c := edit(p, expectRev, "# "+title)
	c.Title = title
	return c
}

// testTitles covers TitleIndex: live pages are found by their title's
// TitleKey, in one read with the heads of link targets; a retitled,
// deleted or moved page follows, and a title change moves LogState.Links.
func testTitles(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	p := wiki.MustPath
	mustCommit(t, s, titled("usages/a", 0, "Accès à l'ENT"))
	mustCommit(t, s, titled("club/b", 0, "accès  à l'ENT"))
	mustCommit(t, s, titled("club/c", 0, "Autre"))
	key := wiki.TitleKey("Accès à l'ENT")
	paths := func(hs []wiki.Head) []string {
		var out []string
		for _, h := range hs {
			out = append(out, h.Path.String())
		}
		return out
	}
	t.Run("by title and by path in one read", func(t *testing.T) {
		lt, err := s.LinkTargets(ctx, []wiki.Path{p("club/c"), p("club/rien")}, []string{key, "nulle part"})
		if err != nil {
			t.Fatal(err)
		}
		if h, ok := lt.Live[p("club/c")]; !ok || h.Title != "Autre" || len(lt.Live) != 1 {
			t.Fatalf("Live = %+v", lt.Live)
		}
		if got := paths(lt.ByTitle[key]); len(got) != 2 || got[0] != "club/b" || got[1] != "usages/a" || len(lt.ByTitle) != 1 {
			t.Fatalf("ByTitle = %+v", lt.ByTitle)
		}
	})
	t.Run("a title change follows and moves the links state", func(t *testing.T) {
		before, _ := s.State(ctx)
		ch := commit(t, s, "club/c", 1, "same title", "club/b")
		after, _ := s.State(ctx)
		if after.Links != ch.Seq || after.Links == before.Links {
			t.Fatalf("Links = %d, was %d; change %d", after.Links, before.Links, ch.Seq)
		}
		if hs, _ := s.PagesTitled(ctx, wiki.TitleKey("Autre"), 10); len(hs) != 0 {
			t.Fatalf("the old title still finds %v", paths(hs))
		}
		if hs, _ := s.PagesTitled(ctx, wiki.TitleKey("titre club/c"), 10); len(hs) != 1 || hs[0].Title != "Titre club/c" {
			t.Fatalf("the new title finds %+v", hs)
		}
		commit(t, s, "club/c", 2, "same title again")
		if again, _ := s.State(ctx); again.Links != after.Links {
			t.Fatalf("an edit keeping the title moved Links from %d to %d", after.Links, again.Links)
		}
	})
	t.Run("deleted and moved pages follow", func(t *testing.T) {
		deletePage(t, s, "club/b", 1)
		if hs, _ := s.PagesTitled(ctx, key, 10); len(paths(hs)) != 1 || hs[0].Path != p("usages/a") {
			t.Fatalf("after the deletion: %v", paths(hs))
		}
		_, err := s.Move(ctx, wiki.Move{Pages: []wiki.PageMove{{From: p("usages/a"), To: p("portails/a"), ExpectRev: 1, Markdown: "x", Title: "Accès à l'ENT"}}, Author: "carol"})
		if err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.PagesTitled(ctx, key, 10); len(hs) != 1 || hs[0].Path != p("portails/a") {
			t.Fatalf("after the move: %v", paths(hs))
		}
	})
	t.Run("limit", func(t *testing.T) {
		if hs, _ := s.PagesTitled(ctx, wiki.TitleKey("titre club/c"), 0); len(hs) != 0 {
			t.Fatalf("limit 0 gave %v", paths(hs))
		}
	})
}
