package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// pageText makes a distinct text per page and revision, some of them long.
func pageText(p string, rev int) string {
	s := fmt.Sprintf("# %s\n\nRévision %d : l'élève consulte le cahier de textes de l'ENT.\n", p, rev)
	if rev%3 == 0 {
		s += strings.Repeat(fmt.Sprintf("Paragraphe %d sur la messagerie et la vie scolaire.\n", rev), 40)
	}
	return s
}

// testPages covers one page's head: what a commit returns and what is read
// back, deleted pages, missing pages and Existing.
func testPages(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	t.Run("returned change matches what is read back", func(t *testing.T) {
		ch := commit(t, s, "club/accueil", 0, "# Bienvenue", "club/reglement")
		if ch.Seq != 1 || ch.Rev != 1 || ch.Kind != wiki.KindCreate || ch.Title != "Titre club/accueil" || ch.Author != "alice" || ch.Summary != "résumé club/accueil" {
			t.Fatalf("Commit returned %+v", ch)
		}
		h, err := s.Head(ctx, ch.Path)
		if err != nil || h.Rev != 1 || h.Deleted || h.Size != len("# Bienvenue") || h.Title != ch.Title || h.Author != "alice" {
			t.Fatalf("Head = %+v, %v", h, err)
		}
		got, err := s.Changes(ctx, wiki.ChangeQuery{})
		if err != nil || len(got) != 1 || got[0] != ch {
			t.Fatalf("Changes = %+v, %v; want [%+v]", got, err, ch)
		}
		r, text, err := s.Revision(ctx, ch.Path, 1)
		if err != nil || text != "# Bienvenue" || r.Kind != wiki.KindCreate || r.Author != "alice" || r.Title != ch.Title {
			t.Fatalf("Revision = %+v, %q, %v", r, text, err)
		}
		if !r.Time.Equal(ch.Time) || !h.Updated.Equal(ch.Time) || ch.Time.IsZero() {
			t.Fatalf("revision %v, head %v, change %v: one timestamp expected", r.Time, h.Updated, ch.Time)
		}
	})
	testDeleted(t, s)
	testMissing(t, s)
}

// testDeleted deletes and recreates "club/ancienne": the head and the
// history stay readable throughout.
func testDeleted(t *testing.T, s wiki.PageStore) {
	ctx := context.Background()
	commit(t, s, "club/ancienne", 0, "v1")
	deletePage(t, s, "club/ancienne", 1)
	t.Run("deleted page keeps a head", func(t *testing.T) {
		h, err := s.Head(ctx, wiki.MustPath("club/ancienne"))
		if err != nil || !h.Deleted || h.Rev != 2 || h.Size != 0 || h.Author != "bob" {
			t.Fatalf("Head = %+v, %v", h, err)
		}
	})
	t.Run("history of a deleted page is readable", func(t *testing.T) {
		hist, err := s.History(ctx, wiki.MustPath("club/ancienne"), 0, 0)
		if err != nil || len(hist) != 2 || !hist[0].Deleted || hist[0].Kind != wiki.KindDelete || hist[1].Deleted {
			t.Fatalf("History = %+v, %v", hist, err)
		}
		if _, text, err := s.Revision(ctx, wiki.MustPath("club/ancienne"), 1); err != nil || text != "v1" {
			t.Fatalf("Revision 1 = %q, %v", text, err)
		}
		if _, text, err := s.Revision(ctx, wiki.MustPath("club/ancienne"), 2); err != nil || text != "" {
			t.Fatalf("Revision 2 (the deletion) = %q, %v", text, err)
		}
	})
	t.Run("a deleted page can be created again", func(t *testing.T) {
		ch := commit(t, s, "club/ancienne", 2, "v3")
		h, err := s.Head(ctx, ch.Path)
		if err != nil || ch.Rev != 3 || h.Rev != 3 || h.Deleted {
			t.Fatalf("change %+v, head %+v, %v", ch, h, err)
		}
		deletePage(t, s, "club/ancienne", 3)
	})
}

// testMissing asks for what is not there, after testDeleted: a "not found"
// error, never a zero value with a nil error.
func testMissing(t *testing.T, s wiki.PageStore) {
	ctx := context.Background()
	t.Run("missing page is not found", func(t *testing.T) {
		_, err := s.Head(ctx, wiki.MustPath("club/jamais"))
		wantCode(t, err, wiki.ENotFound)
		_, _, err = s.Revision(ctx, wiki.MustPath("club/jamais"), 1)
		wantCode(t, err, wiki.ENotFound)
		_, err = s.History(ctx, wiki.MustPath("club/jamais"), 0, 0)
		wantCode(t, err, wiki.ENotFound)
	})
	t.Run("missing revision is not found", func(t *testing.T) {
		for _, rev := range []int{0, -1, 5} {
			_, _, err := s.Revision(ctx, wiki.MustPath("club/ancienne"), rev)
			wantCode(t, err, wiki.ENotFound)
		}
	})
	t.Run("existing reports live pages only", func(t *testing.T) {
		live, gone, never := wiki.MustPath("club/accueil"), wiki.MustPath("club/ancienne"), wiki.MustPath("club/jamais")
		got, err := s.Existing(ctx, []wiki.Path{live, gone, never})
		if err != nil || !got[live] || got[gone] || got[never] || len(got) != 3 {
			t.Fatalf("Existing = %v, %v", got, err)
		}
	})
}

// testRevisions covers many revisions of several pages: every text comes
// back whole, numbered from 1, and History pages through them newest first.
func testRevisions(t *testing.T, open func(t *testing.T) wiki.Store) {
	ctx := context.Background()
	s := open(t)
	pages := []string{"assistance/connexion", "usages/cahier-de-textes", "club/accueil"}
	n := revisions
	for rev := 1; rev <= n; rev++ {
		for _, p := range pages {
			if ch := commit(t, s, p, rev-1, pageText(p, rev)); ch.Rev != rev || ch.Path.String() != p {
				t.Fatalf("Commit returned %+v, want rev %d of %s", ch, rev, p)
			}
		}
	}
	t.Run("every revision keeps its text, size and hash", func(t *testing.T) {
		for _, p := range pages {
			for rev := 1; rev <= n; rev++ {
				r, text, err := s.Revision(ctx, wiki.MustPath(p), rev)
				want := pageText(p, rev)
				if err != nil || text != want || r.Rev != rev || r.Size != len(want) || r.SHA256 != sha256.Sum256([]byte(want)) {
					t.Fatalf("Revision(%s, %d) = %+v, %d bytes, %v; want %d bytes and its hash", p, rev, r, len(text), err, len(want))
				}
			}
			h, err := s.Head(ctx, wiki.MustPath(p))
			if err != nil || h.Rev != n || h.Size != len(pageText(p, n)) {
				t.Fatalf("Head(%s) = %+v, %v", p, h, err)
			}
		}
	})
	t.Run("sequence numbers are contiguous from 1", func(t *testing.T) {
		if got := lastSeq(t, s); got != uint64(n*len(pages)) {
			t.Fatalf("LastSeq = %d, want %d", got, n*len(pages))
		}
	})
	testHistory(t, s, wiki.MustPath(pages[1]))
}

// revisions is how many revisions testRevisions writes per page.
const revisions = 7

func testHistory(t *testing.T, s wiki.PageStore, p wiki.Path) {
	ctx := context.Background()
	cases := []struct {
		name          string
		limit, before int
		want          []int
	}{
		{"history all", 0, 0, []int{7, 6, 5, 4, 3, 2, 1}},
		{"history first page", 3, 0, []int{7, 6, 5}},
		{"history next page", 3, 5, []int{4, 3, 2}},
		{"history last page", 3, 2, []int{1}},
		{"history before 1 is empty", 3, 1, []int{}},
		{"history before past head", 2, 100, []int{7, 6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.History(context.Background(), p, c.limit, c.before)
			if err != nil || !slices.Equal(revs(got), c.want) {
				t.Fatalf("History(%d, %d) = %v, %v; want %v", c.limit, c.before, revs(got), err, c.want)
			}
		})
	}
	t.Run("history has metadata", func(t *testing.T) {
		got, err := s.History(ctx, p, 1, 0)
		want := pageText(p.String(), revisions)
		if err != nil || len(got) != 1 || got[0].Summary != "résumé "+p.String() || got[0].Size != len(want) || got[0].SHA256 != sha256.Sum256([]byte(want)) {
			t.Fatalf("History = %+v, %v", got, err)
		}
	})
}
