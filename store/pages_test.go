package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

func revs(rs []wiki.Revision) []int {
	out := []int{}
	for _, r := range rs {
		out = append(out, r.Rev)
	}
	return out
}

func paths(hs []wiki.Head) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Path.String())
	}
	return out
}

func TestDB_History(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	p := wiki.MustPath("usages/cahier-de-textes")
	for rev := 1; rev <= 7; rev++ {
		commit(t, db, p.String(), rev-1, pageText(p.String(), rev))
	}
	cases := []struct {
		name          string
		limit, before int
		want          []int
	}{
		{"all", 0, 0, []int{7, 6, 5, 4, 3, 2, 1}},
		{"first page", 3, 0, []int{7, 6, 5}},
		{"next page", 3, 5, []int{4, 3, 2}},
		{"last page", 3, 2, []int{1}},
		{"before 1 is empty", 3, 1, []int{}},
		{"before past head", 2, 100, []int{7, 6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := db.History(ctx, p, c.limit, c.before)
			if err != nil || !slices.Equal(revs(got), c.want) {
				t.Fatalf("History(%d, %d) = %v, %v; want %v", c.limit, c.before, revs(got), err, c.want)
			}
		})
	}
	t.Run("metadata without text", func(t *testing.T) {
		got, err := db.History(ctx, p, 1, 0)
		if err != nil || got[0].Summary != "résumé "+p.String() || got[0].Size != len(pageText(p.String(), 7)) {
			t.Fatalf("History = %+v, %v", got, err)
		}
	})
	t.Run("missing page", func(t *testing.T) {
		_, err := db.History(ctx, wiki.MustPath("usages/absente"), 0, 0)
		wantCode(t, err, wiki.ENotFound)
	})
}

func TestDB_Pages(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	for _, p := range []string{"usages/b", "usages/a", "assistance/z", "usages/c", "usages-bis/x", "club/accueil"} {
		commit(t, db, p, 0, "texte de "+p)
	}
	deletePage(t, db, "usages/b", 1)
	t.Run("all live pages by path", func(t *testing.T) {
		got, total, err := db.Pages(ctx, "", nil, 0, 0)
		want := []string{"assistance/z", "club/accueil", "usages-bis/x", "usages/a", "usages/c"}
		if err != nil || total != 5 || !slices.Equal(paths(got), want) {
			t.Fatalf("Pages = %v, %d, %v; want %v, 5", paths(got), total, err, want)
		}
	})
	t.Run("namespace filter is exact", func(t *testing.T) {
		got, total, err := db.Pages(ctx, "usages", nil, 0, 0)
		if err != nil || total != 2 || !slices.Equal(paths(got), []string{"usages/a", "usages/c"}) {
			t.Fatalf("Pages(usages) = %v, %d, %v", paths(got), total, err)
		}
	})
	t.Run("limit and offset skip deleted pages", func(t *testing.T) {
		got, total, err := db.Pages(ctx, "", nil, 2, 2)
		if err != nil || total != 5 || !slices.Equal(paths(got), []string{"usages-bis/x", "usages/a"}) {
			t.Fatalf("Pages(2, 2) = %v, %d, %v", paths(got), total, err)
		}
	})
	t.Run("offset past the end", func(t *testing.T) {
		got, total, err := db.Pages(ctx, "", nil, 10, 50)
		if err != nil || total != 5 || len(got) != 0 {
			t.Fatalf("Pages(10, 50) = %v, %d, %v", paths(got), total, err)
		}
	})
	t.Run("within a set of namespaces", func(t *testing.T) {
		within := wiki.NamespaceSet{"usages": true, "club": true}
		got, total, err := db.Pages(ctx, "", within, 2, 1)
		if err != nil || total != 3 || !slices.Equal(paths(got), []string{"usages/a", "usages/c"}) {
			t.Fatalf("Pages(usages+club, 2, 1) = %v, %d, %v", paths(got), total, err)
		}
		got, total, _ = db.Pages(ctx, "assistance", within, 0, 0)
		if total != 0 || len(got) != 0 {
			t.Fatalf("Pages(assistance outside the set) = %v, %d", paths(got), total)
		}
	})
	t.Run("unknown namespace", func(t *testing.T) {
		got, total, err := db.Pages(ctx, "marches", nil, 0, 0)
		if err != nil || total != 0 || len(got) != 0 {
			t.Fatalf("Pages(marches) = %v, %d, %v", paths(got), total, err)
		}
	})
	t.Run("page counts follow deletes and recreations", func(t *testing.T) {
		got, err := db.PageCounts(ctx)
		want := map[string]int{"usages": 2, "assistance": 1, "usages-bis": 1, "club": 1}
		if err != nil || !mapEq(got, want) {
			t.Fatalf("PageCounts = %v, %v; want %v", got, err, want)
		}
		commit(t, db, "usages/b", 2, "recréée")
		deletePage(t, db, "assistance/z", 1)
		got, _ = db.PageCounts(ctx)
		want = map[string]int{"usages": 3, "usages-bis": 1, "club": 1}
		if !mapEq(got, want) {
			t.Fatalf("PageCounts = %v, want %v", got, want)
		}
	})
}

func mapEq(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func TestDB_Head(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	commit(t, db, "club/ancienne", 0, "v1")
	deletePage(t, db, "club/ancienne", 1)
	t.Run("deleted page keeps a head", func(t *testing.T) {
		h, err := db.Head(ctx, wiki.MustPath("club/ancienne"))
		if err != nil || !h.Deleted || h.Rev != 2 || h.Size != 0 || h.Author != "bob" {
			t.Fatalf("Head = %+v, %v", h, err)
		}
	})
	t.Run("history of a deleted page is readable", func(t *testing.T) {
		hist, err := db.History(ctx, wiki.MustPath("club/ancienne"), 0, 0)
		if err != nil || len(hist) != 2 || !hist[0].Deleted || hist[0].Kind != wiki.KindDelete || hist[1].Deleted {
			t.Fatalf("History = %+v, %v", hist, err)
		}
		_, text, err := db.Revision(ctx, wiki.MustPath("club/ancienne"), 1)
		if err != nil || text != "v1" {
			t.Fatalf("Revision 1 = %q, %v", text, err)
		}
	})
	t.Run("missing page is not found", func(t *testing.T) {
		_, err := db.Head(ctx, wiki.MustPath("club/jamais"))
		wantCode(t, err, wiki.ENotFound)
		_, _, err = db.Revision(ctx, wiki.MustPath("club/ancienne"), 0)
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("existing reports live pages only", func(t *testing.T) {
		commit(t, db, "club/vivante", 0, "ok")
		got, err := db.Existing(ctx, []wiki.Path{wiki.MustPath("club/vivante"), wiki.MustPath("club/ancienne"), wiki.MustPath("club/jamais")})
		if err != nil || !got[wiki.MustPath("club/vivante")] || got[wiki.MustPath("club/ancienne")] || got[wiki.MustPath("club/jamais")] || len(got) != 3 {
			t.Fatalf("Existing = %v, %v", got, err)
		}
	})
}

func TestDB_Backlinks(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	target := wiki.MustPath("assistance/connexion")
	back := func() []string {
		t.Helper()
		hs, err := db.Backlinks(ctx, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		return paths(hs)
	}
	commit(t, db, "usages/b", 0, "x", "assistance/connexion", "club/accueil")
	commit(t, db, "usages/a", 0, "x", "assistance/connexion", "assistance/connexion")
	commit(t, db, "assistance/connexion-bis", 0, "x", "club/accueil")
	t.Run("sorted by linking path", func(t *testing.T) {
		if got := back(); !slices.Equal(got, []string{"usages/a", "usages/b"}) {
			t.Fatalf("Backlinks = %v", got)
		}
	})
	t.Run("a link removed by an edit goes", func(t *testing.T) {
		commit(t, db, "usages/a", 1, "y", "club/accueil")
		if got := back(); !slices.Equal(got, []string{"usages/b"}) {
			t.Fatalf("Backlinks = %v", got)
		}
	})
	t.Run("a deleted page links nowhere", func(t *testing.T) {
		deletePage(t, db, "usages/b", 1)
		if got := back(); len(got) != 0 {
			t.Fatalf("Backlinks = %v", got)
		}
		hs, _ := db.Backlinks(ctx, wiki.MustPath("club/accueil"), nil)
		if got := paths(hs); !slices.Equal(got, []string{"assistance/connexion-bis", "usages/a"}) {
			t.Fatalf("Backlinks(club/accueil) = %v", got)
		}
	})
	t.Run("a recreated page links again", func(t *testing.T) {
		commit(t, db, "usages/b", 2, "z", "assistance/connexion")
		if got := back(); !slices.Equal(got, []string{"usages/b"}) {
			t.Fatalf("Backlinks = %v", got)
		}
	})
	t.Run("only from the namespaces asked", func(t *testing.T) {
		home := wiki.MustPath("club/accueil")
		hs, _ := db.Backlinks(ctx, home, wiki.NamespaceSet{"assistance": true})
		if got := paths(hs); !slices.Equal(got, []string{"assistance/connexion-bis"}) {
			t.Fatalf("Backlinks(club/accueil, assistance) = %v", got)
		}
		if hs, _ := db.Backlinks(ctx, home, wiki.NamespaceSet{}); len(hs) != 0 {
			t.Fatalf("Backlinks(club/accueil, none) = %v", paths(hs))
		}
	})
}
