package wiki_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kdecole-club/clubwiki/assets"
	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// TestService_InitSeedsViews checks how a wiki made before the axis pages
// had views gets them: an axis page only the wiki wrote is brought up to
// date, one a member edited is left alone, and the example project
// sheets come only with a new wiki.
func TestService_InitSeedsViews(t *testing.T) {
	old := fstest.MapFS{
		"usages/accueil.md":     {Data: []byte("# Usages\n\nAncienne introduction.\n")},
		"assistance/accueil.md": {Data: []byte("# Assistance\n\nAncienne introduction.\n")},
	}
	f := newFixture(t, wiki.Config{Seed: old})
	f.save(t, "assistance/accueil", "# Assistance\n\nNotre introduction.\n", 1)
	svc := wiki.NewService(f.db, fixtureRenderer(), textdiff.New(), wiki.Config{Seed: assets.Seed()})
	for range 2 { // a second start changes nothing more
		if err := svc.Init(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	text := func(path string) (string, int) {
		h, err := f.db.Head(f.ctx, wiki.MustPath(path))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		_, md, err := f.db.Revision(f.ctx, h.Path, h.Rev)
		if err != nil {
			t.Fatal(err)
		}
		return md, h.Rev
	}
	t.Run("an axis page nobody edited gets its views", func(t *testing.T) {
		md, rev := text("usages/accueil")
		if rev != 2 || !strings.Contains(md, "## Difficultés ouvertes\n\n```vue\nns:usages type:resolution -statut:resolu\n```") {
			t.Errorf("rev %d:\n%s", rev, md)
		}
	})
	t.Run("an edited axis page is left alone", func(t *testing.T) {
		if md, rev := text("assistance/accueil"); rev != 2 || strings.Contains(md, "```vue") {
			t.Errorf("rev %d:\n%s", rev, md)
		}
	})
	t.Run("new pages of the seed come, example sheets do not", func(t *testing.T) {
		text("services/demandes")
		text("club/projets")
		if _, err := f.db.Head(f.ctx, wiki.MustPath("club/projets/e-lyco")); wiki.ErrorCode(err) != wiki.ENotFound {
			t.Errorf("an example sheet in an existing wiki: %v", err)
		}
	})
	t.Run("a new wiki gets the four sheets", func(t *testing.T) {
		g := newFixture(t, wiki.Config{})
		for _, p := range []string{"cyber-colleges-42", "ecollege-31", "ent-mip", "e-lyco"} {
			v, err := g.svc.Page(g.ctx, g.reader, wiki.MustPath("club/projets/"+p), 0)
			if err != nil || v.Meta["type"] != "fiche-projet" {
				t.Errorf("%s: %v %v", p, err, v)
			}
		}
	})
}
