package wiki_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// A page too large for the cache as it is (over an eighth of the
// budget, Markdown and HTML together) is kept compressed and read
// without being rendered again, the same as rendered; one that does not
// compress enough is rendered at each read, as before.
//
// The budget is 1 MiB (Config.CacheBytes) rather than the default 8 MiB,
// and the pages an eighth of their size at the default, past the bound
// by the same factor: rendering them is most of the test's time.
func TestService_LargePageCachedPacked(t *testing.T) {
	const cacheBytes = wiki.DefaultCacheBytes / 8
	f := newFixture(t, wiki.Config{})
	r := &countingRenderer{Renderer: fixtureRenderer()}
	svc := wiki.NewService(f.db, r, textdiff.New(), wiki.Config{CacheBytes: cacheBytes})
	if err := svc.Init(f.ctx); err != nil {
		t.Fatal(err)
	}
	fresh := wiki.NewService(f.db, fixtureRenderer(), textdiff.New(), wiki.Config{CacheBytes: cacheBytes})
	read := func(t *testing.T, s *wiki.Service, p string) *wiki.PageView {
		t.Helper()
		pv, err := s.Page(f.ctx, f.reader, wiki.MustPath(p), 0)
		if err != nil {
			t.Fatal(err)
		}
		return pv
	}
	save := func(t *testing.T, p, md string) {
		t.Helper()
		if _, err := svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: wiki.MustPath(p), Markdown: md}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("compressible: rendered once", func(t *testing.T) {
		md := "# Compte rendu annuel\n\n" + hostile.FrenchProse(600<<10/8) + "\n\nDernière ligne du compte rendu.\n"
		save(t, "club/compte-rendu", md)
		want := read(t, fresh, "club/compte-rendu")
		if len(want.Markdown)+len(want.HTML) <= cacheBytes/8 {
			t.Fatalf("the page is only %d bytes: cannot test", len(want.Markdown)+len(want.HTML))
		}
		for i := range 3 {
			before := r.n.Load()
			pv := read(t, svc, "club/compte-rendu")
			if n := r.n.Load() - before; n != 0 {
				t.Errorf("read %d rendered %d times, want 0", i, n)
			}
			if pv.Markdown != md || pv.HTML != want.HTML || pv.BodyStart != want.BodyStart || pv.Title != "Compte rendu annuel" ||
				!strings.Contains(pv.Body(), "Dernière ligne du compte rendu.") {
				t.Fatalf("read %d differs from a rendering: %d/%d bytes of Markdown, %d/%d of HTML, title %q", i,
					len(pv.Markdown), len(md), len(pv.HTML), len(want.HTML), pv.Title)
			}
		}
		// Readers share the entry: one changing its copy changes no other.
		a := read(t, svc, "club/compte-rendu")
		a.HTML, a.Title = "", "changé"
		if b := read(t, svc, "club/compte-rendu"); b.HTML != want.HTML || b.Title != "Compte rendu annuel" {
			t.Error("a reader's change reached the cache")
		}
	})
	t.Run("incompressible: rendered at each read", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		var b strings.Builder
		b.WriteString("# Données\n\n")
		for b.Len() < 900<<10/8 {
			for range 60 {
				b.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[rng.IntN(36)])
			}
			b.WriteString("\n\n")
		}
		save(t, "club/donnees", b.String())
		for i := range 2 {
			before := r.n.Load()
			if pv := read(t, svc, "club/donnees"); pv.Markdown != b.String() {
				t.Fatalf("read %d: the Markdown differs", i)
			}
			if n := r.n.Load() - before; n != 1 {
				t.Errorf("read %d rendered %d times, want 1 (not cached)", i, n)
			}
		}
	})
	t.Run("headings count", func(t *testing.T) {
		// Thousands of headings compress well but are held as they are,
		// outside the packed texts: the budget counts them.
		var b strings.Builder
		b.WriteString("# Sommaire\n\n")
		for i := range 9000 / 8 {
			b.WriteString("## Point numéro " + itoa(i) + " du relevé\n\n")
		}
		_, before := svc.CacheBudget().Len()
		save(t, "club/sommaire", b.String())
		pv := read(t, svc, "club/sommaire")
		if len(pv.Headings) < 9000/8 {
			t.Fatalf("%d headings", len(pv.Headings))
		}
		_, used := svc.CacheBudget().Len()
		if held := 9000 / 8 * (48 + len("Point numéro 1000 du relevé")); used-before < held {
			t.Errorf("the page adds %d bytes to the budget, less than the %d its headings alone hold", used-before, held)
		}
		if used > cacheBytes {
			t.Errorf("the budget counts %d bytes, past its %d", used, cacheBytes)
		}
	})
}
