package wiki_test

import (
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// BenchmarkService_PageKeptOut measures a page view by a member a rule
// keeps out of marches: their rendering (links into marches missing) is
// cached apart, so it costs what BenchmarkService_Page costs, not a
// render per view.
func BenchmarkService_PageKeptOut(b *testing.B) {
	f := newFixture(b, wiki.Config{Rules: wiki.DefaultRules()})
	p := wiki.MustPath("usages/cahier-de-textes")
	f.save(b, p.String(), frenchPage(20<<10)+"\n\n[[marches/accueil]] [[usages/accueil]]\n", 0)
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.svc.Page(f.ctx, f.reader, p, 0); err != nil {
			b.Fatal(err)
		}
	}
}
