package wiki_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// BenchmarkService_PageLinksByTitle renders (uncached) a page holding 100
// links by title and 100 links by path without a label, in a wiki of
// 5,000 pages: one store read resolves them all.
func BenchmarkService_PageLinksByTitle(b *testing.B) {
	f := newFixture(b, wiki.Config{CacheBytes: 1})
	const pages = 5000
	var batch []wiki.Commit
	for i := range pages {
		title := fmt.Sprintf("Fiche numéro %d", i)
		batch = append(batch, wiki.Commit{
			Path: wiki.MustPath(fmt.Sprintf("club/fiche-%d", i)), Kind: wiki.KindCreate, Author: "camille",
			Markdown: "# " + title + "\n", Title: title,
		})
		if len(batch) == 500 {
			if _, err := f.db.Commit(f.ctx, batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	var src strings.Builder
	src.WriteString("# Liens\n\n")
	for i := range 100 {
		fmt.Fprintf(&src, "- [[fiche numéro %d]] et [[club/fiche-%d]]\n", i*37%pages, i*53%pages)
	}
	p := wiki.MustPath("usages/liens")
	f.save(b, p.String(), src.String(), 0)
	if pv, _ := f.svc.Page(f.ctx, f.reader, p, 0); strings.Contains(pv.HTML, "missing") {
		b.Fatal("a link is missing")
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.svc.Page(f.ctx, f.reader, p, 0); err != nil {
			b.Fatal(err)
		}
	}
}
