package storetest

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// testListing covers Pages and PageCounts: live pages only, by path, with
// an exact namespace filter, a total and paging.
func testListing(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	for _, p := range []string{"usages/b", "usages/a", "assistance/z", "usages/c", "usages-bis/x", "club/accueil"} {
		commit(t, s, p, 0, "texte de "+p)
	}
	deletePage(t, s, "usages/b", 1)
	cases := []struct {
		name          string
		ns            string
		limit, offset int
		want          []string
		total         int
	}{
		{"all live pages by path", "", 0, 0, []string{"assistance/z", "club/accueil", "usages-bis/x", "usages/a", "usages/c"}, 5},
		{"namespace filter is exact", "usages", 0, 0, []string{"usages/a", "usages/c"}, 2},
		{"limit and offset skip deleted pages", "", 2, 2, []string{"usages-bis/x", "usages/a"}, 5},
		{"limit and offset in a namespace", "usages", 1, 1, []string{"usages/c"}, 2},
		{"offset past the end", "", 10, 50, []string{}, 5},
		{"unknown namespace", "marches", 0, 0, []string{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, total, err := s.Pages(ctx, c.ns, nil, c.limit, c.offset)
			if err != nil || total != c.total || !slices.Equal(paths(got), c.want) {
				t.Fatalf("Pages(%q, %d, %d) = %v, %d, %v; want %v, %d", c.ns, c.limit, c.offset, paths(got), total, err, c.want, c.total)
			}
		})
	}
	t.Run("within a set of namespaces", func(t *testing.T) {
		within := wiki.NamespaceSet{"usages": true, "club": true}
		got, total, err := s.Pages(ctx, "", within, 2, 1)
		if err != nil || total != 3 || !slices.Equal(paths(got), []string{"usages/a", "usages/c"}) {
			t.Fatalf("Pages(usages+club, 2, 1) = %v, %d, %v", paths(got), total, err)
		}
		got, total, _ = s.Pages(ctx, "assistance", within, 0, 0)
		if total != 0 || len(got) != 0 {
			t.Fatalf("Pages(assistance outside the set) = %v, %d", paths(got), total)
		}
	})
	t.Run("page counts follow deletes and recreations", func(t *testing.T) {
		got, err := s.PageCounts(ctx)
		want := map[string]int{"usages": 2, "assistance": 1, "usages-bis": 1, "club": 1}
		if err != nil || !maps.Equal(got, want) {
			t.Fatalf("PageCounts = %v, %v; want %v", got, err, want)
		}
		commit(t, s, "usages/b", 2, "recréée")
		deletePage(t, s, "assistance/z", 1)
		got, err = s.PageCounts(ctx)
		want = map[string]int{"usages": 3, "usages-bis": 1, "club": 1}
		if err != nil || !maps.Equal(got, want) {
			t.Fatalf("PageCounts = %v, %v; want %v", got, err, want)
		}
	})
}

// testBacklinks covers the link table: sorted by the linking path, following
// edits, deletions and recreations of the linking page.
func testBacklinks(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	back := func(t *testing.T, target string) []string {
		t.Helper()
		hs, err := s.Backlinks(ctx, wiki.MustPath(target), nil)
		if err != nil {
			t.Fatalf("Backlinks(%s): %v", target, err)
		}
		return paths(hs)
	}
	commit(t, s, "usages/b", 0, "x", "assistance/connexion", "club/accueil")
	commit(t, s, "usages/a", 0, "x", "assistance/connexion", "assistance/connexion")
	commit(t, s, "assistance/connexion-bis", 0, "x", "club/accueil")
	t.Run("sorted by linking path", func(t *testing.T) {
		if got := back(t, "assistance/connexion"); !slices.Equal(got, []string{"usages/a", "usages/b"}) {
			t.Fatalf("Backlinks = %v", got)
		}
	})
	t.Run("heads of the linking pages", func(t *testing.T) {
		hs, err := s.Backlinks(ctx, wiki.MustPath("assistance/connexion"), nil)
		if err != nil || len(hs) != 2 || hs[0].Rev != 1 || hs[0].Title != "Titre usages/a" {
			t.Fatalf("Backlinks = %+v, %v", hs, err)
		}
	})
	t.Run("a page nothing links to has none", func(t *testing.T) {
		if got := back(t, "club/jamais"); len(got) != 0 {
			t.Fatalf("Backlinks = %v", got)
		}
	})
	t.Run("a link removed by an edit goes", func(t *testing.T) {
		commit(t, s, "usages/a", 1, "y", "club/accueil")
		if got := back(t, "assistance/connexion"); !slices.Equal(got, []string{"usages/b"}) {
			t.Fatalf("Backlinks = %v", got)
		}
	})
	t.Run("a deleted page links nowhere", func(t *testing.T) {
		deletePage(t, s, "usages/b", 1)
		if got := back(t, "assistance/connexion"); len(got) != 0 {
			t.Fatalf("Backlinks = %v", got)
		}
		if got := back(t, "club/accueil"); !slices.Equal(got, []string{"assistance/connexion-bis", "usages/a"}) {
			t.Fatalf("Backlinks(club/accueil) = %v", got)
		}
	})
	t.Run("only from the namespaces asked", func(t *testing.T) {
		home := wiki.MustPath("club/accueil")
		hs, _ := s.Backlinks(ctx, home, wiki.NamespaceSet{"assistance": true})
		if got := paths(hs); !slices.Equal(got, []string{"assistance/connexion-bis"}) {
			t.Fatalf("Backlinks(club/accueil, assistance) = %v", got)
		}
		if hs, _ := s.Backlinks(ctx, home, wiki.NamespaceSet{}); len(hs) != 0 {
			t.Fatalf("Backlinks(club/accueil, none) = %v", paths(hs))
		}
	})
	t.Run("a recreated page links again", func(t *testing.T) {
		commit(t, s, "usages/b", 2, "z", "assistance/connexion")
		if got := back(t, "assistance/connexion"); !slices.Equal(got, []string{"usages/b"}) {
			t.Fatalf("Backlinks = %v", got)
		}
	})
}
