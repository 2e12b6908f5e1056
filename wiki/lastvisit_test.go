package wiki_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// view reads p at head as who and records the visit, as a page view does.
func view(t *testing.T, f *fixture, who *wiki.User, p string) (prev int) {
	t.Helper()
	v, err := f.svc.Page(f.ctx, who, wiki.MustPath(p), 0)
	if err != nil {
		t.Fatalf("Page(%s): %v", p, err)
	}
	prev, err = f.svc.Visited(f.ctx, who, v)
	if err != nil {
		t.Fatalf("Visited(%s): %v", p, err)
	}
	return prev
}

func stored(t *testing.T, f *fixture, login, p string) int {
	t.Helper()
	got, err := f.db.Visits(f.ctx, login, []wiki.Path{wiki.MustPath(p)})
	if err != nil {
		t.Fatal(err)
	}
	return got[wiki.MustPath(p)]
}

func TestService_Visited(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	other := f.user(t, "dominique", wiki.RoleReader)
	f.save(t, "usages/cahier", "# Cahier\n\nun", 0)
	f.save(t, "usages/cahier", "# Cahier\n\ndeux", 1)

	t.Run("per member, the revision seen before", func(t *testing.T) {
		if prev := view(t, f, f.reader, "usages/cahier"); prev != 0 {
			t.Fatalf("first visit: prev %d, want 0", prev)
		}
		if prev := view(t, f, f.reader, "usages/cahier"); prev != 2 {
			t.Fatalf("second visit: prev %d, want 2", prev)
		}
		if seen, err := f.svc.Seen(f.ctx, other, wiki.MustPath("usages/cahier")); err != nil || seen != 0 {
			t.Fatalf("another member's Seen = %d, %v; want 0", seen, err)
		}
	})
	t.Run("no write before the flush", func(t *testing.T) {
		if got := stored(t, f, "lecteur", "usages/cahier"); got != 0 {
			t.Fatalf("stored before the flush: %d", got)
		}
		f.svc.FlushVisits(f.ctx)
		if got := stored(t, f, "lecteur", "usages/cahier"); got != 2 {
			t.Fatalf("stored after the flush: %d, want 2", got)
		}
		if seen, _ := f.svc.Seen(f.ctx, f.reader, wiki.MustPath("usages/cahier")); seen != 2 {
			t.Fatalf("Seen from the store = %d, want 2", seen)
		}
	})
	t.Run("an old revision is not a visit", func(t *testing.T) {
		f.save(t, "usages/cahier", "# Cahier\n\ntrois", 2)
		old, err := f.svc.Page(f.ctx, other, wiki.MustPath("usages/cahier"), 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Visited(f.ctx, other, old); err != nil {
			t.Fatal(err)
		}
		if seen, _ := f.svc.Seen(f.ctx, other, wiki.MustPath("usages/cahier")); seen != 0 {
			t.Fatalf("Seen after an old revision = %d, want 0", seen)
		}
	})
	t.Run("a visit still buffered follows its page's move", func(t *testing.T) {
		f.save(t, "usages/a-deplacer", "# À déplacer\n\nun", 0)
		f.save(t, "usages/a-deplacer", "# À déplacer\n\ndeux", 1)
		view(t, f, other, "usages/a-deplacer") // buffered, not written
		if got := stored(t, f, "dominique", "usages/a-deplacer"); got != 0 {
			t.Fatalf("stored before the flush: %d", got)
		}
		admin := f.user(t, "chef-deplace", wiki.RoleAdmin)
		if _, err := f.svc.Move(f.ctx, admin, wiki.MoveRequest{From: wiki.MustPath("usages/a-deplacer"), To: wiki.MustPath("usages/deplacee")}); err != nil {
			t.Fatal(err)
		}
		if seen, _ := f.svc.Seen(f.ctx, other, wiki.MustPath("usages/deplacee")); seen != 2 {
			t.Errorf("Seen at the new path before the flush = %d, want 2", seen)
		}
		f.svc.FlushVisits(f.ctx)
		if got := stored(t, f, "dominique", "usages/deplacee"); got != 2 {
			t.Errorf("stored at the new path = %d, want 2", got)
		}
		if got := stored(t, f, "dominique", "usages/a-deplacer"); got != 0 {
			t.Errorf("stored at the old path = %d, want 0", got)
		}
	})
	t.Run("seen revisions of many pages", func(t *testing.T) {
		got, err := f.svc.SeenRevs(f.ctx, f.reader, []wiki.Path{wiki.MustPath("usages/cahier"), wiki.MustPath("club/accueil")})
		if err != nil || got[wiki.MustPath("usages/cahier")] != 2 || got[wiki.MustPath("club/accueil")] != 0 {
			t.Fatalf("SeenRevs = %v, %v", got, err)
		}
	})
}

func TestService_SinceSeen(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	p := wiki.MustPath("usages/journal")
	f.save(t, p.String(), "v1", 0)
	base := 1
	for i := range 7 {
		u := f.user(t, fmt.Sprintf("auteur%d", i), wiki.RoleEditor)
		if _, err := f.svc.Save(f.ctx, u, wiki.SaveRequest{Path: p, Markdown: fmt.Sprintf("v%d", i+2), BaseRev: base}); err != nil {
			t.Fatal(err)
		}
		base++
	}
	t.Run("authors since, newest first, bounded", func(t *testing.T) {
		got, err := f.svc.SinceSeen(f.ctx, f.reader, p, 1, base)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"auteur6", "auteur5", "auteur4", "auteur3", "auteur2"}
		if !slices.Equal(got.Authors, want) || got.More != 2 || got.Seen != 1 || got.Head != 8 {
			t.Fatalf("SinceSeen = %+v, want %v and 2 more", got, want)
		}
	})
	t.Run("only after the revision seen", func(t *testing.T) {
		got, err := f.svc.SinceSeen(f.ctx, f.reader, p, 6, base)
		if err != nil || !slices.Equal(got.Authors, []string{"auteur6", "auteur5"}) || got.More != 0 {
			t.Fatalf("SinceSeen = %+v, %v", got, err)
		}
	})
	t.Run("nothing when up to date or never seen", func(t *testing.T) {
		for _, seen := range []int{0, 8} {
			got, err := f.svc.SinceSeen(f.ctx, f.reader, p, seen, base)
			if err != nil || len(got.Authors) != 0 {
				t.Fatalf("SinceSeen(seen %d) = %+v, %v", seen, got, err)
			}
		}
	})
}

func TestService_VisitedPolicy(t *testing.T) {
	f := newFixture(t, wiki.Config{ReadRule: hideMarches})
	ext := f.user(t, "ext", wiki.RoleEditor)
	f.save(t, "marches/appel", "# Appel", 0)
	secret := wiki.MustPath("marches/appel")
	// A view another member got cannot be recorded for ext.
	v, err := f.svc.Page(f.ctx, f.editor, secret, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Visited(f.ctx, ext, v); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("Visited of a hidden page: %v, want not found", err)
	}
	if _, err := f.svc.Seen(f.ctx, ext, secret); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("Seen of a hidden page: %v, want not found", err)
	}
	if _, err := f.svc.SinceSeen(f.ctx, ext, secret, 1, 2); wiki.ErrorCode(err) != wiki.ENotFound {
		t.Fatalf("SinceSeen of a hidden page: %v, want not found", err)
	}
	got, err := f.svc.SeenRevs(f.ctx, ext, []wiki.Path{secret})
	if err != nil || len(got) != 0 {
		t.Fatalf("SeenRevs of a hidden page = %v, %v; want nothing", got, err)
	}
	// A member kept out of a namespace has their own renderings; their
	// visits of what they read count all the same.
	f.save(t, "usages/ouvert", "# Ouvert", 0)
	view(t, f, ext, "usages/ouvert")
	if prev := view(t, f, ext, "usages/ouvert"); prev != 1 {
		t.Fatalf("ext's visit of a page they read: prev %d, want 1", prev)
	}
	f.svc.FlushVisits(f.ctx)
	if n := stored(t, f, "ext", secret.String()); n != 0 {
		t.Fatalf("a visit of a hidden page was recorded: %d", n)
	}
}

func TestService_RunVisits(t *testing.T) {
	f := newFixture(t, wiki.Config{})
	f.save(t, "usages/a", "a", 0)
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() { f.svc.RunVisits(ctx, nil); close(done) }()
	view(t, f, f.reader, "usages/a")
	cancel()
	<-done
	if got := stored(t, f, "lecteur", "usages/a"); got != 1 {
		t.Fatalf("after RunVisits ended: stored %d, want 1", got)
	}
}

// TestService_VisitFlood visits many distinct pages with a small buffer:
// the buffer is written when full, nothing is lost, memory stays bounded.
func TestService_VisitFlood(t *testing.T) {
	f := newFixture(t, wiki.Config{VisitBuffer: 8})
	const n = 60
	for i := range n {
		f.save(t, fmt.Sprintf("usages/p%d", i), "x", 0)
	}
	for i := range n {
		view(t, f, f.reader, fmt.Sprintf("usages/p%d", i))
		if got := f.svc.PendingVisits(); got > 8 {
			t.Fatalf("after %d visits %d wait in memory, want at most 8", i+1, got)
		}
	}
	f.svc.FlushVisits(f.ctx)
	for i := range n {
		if got := stored(t, f, "lecteur", fmt.Sprintf("usages/p%d", i)); got != 1 {
			t.Fatalf("p%d stored %d, want 1", i, got)
		}
	}
}
