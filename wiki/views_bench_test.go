package wiki_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/render"
	"github.com/kdecole-club/clubwiki/search"
	"github.com/kdecole-club/clubwiki/wiki"
)

// BenchmarkService_PageViews reads a page with three views over a wiki of
// 20,000 typed pages: "cached" while nothing changes (the views' results
// are kept under the index's change sequence), "after a change" when a
// save elsewhere has made them stale, so that the three searches and the
// rows' front matter are read again.
//
//	go test -run '^$' -bench PageViews -benchtime 200x ./wiki/
func BenchmarkService_PageViews(b *testing.B) {
	f := newFixture(b, wiki.Config{})
	const pages = 20000
	types := []string{"resolution", "bonne-pratique", "compte-rendu", "fiche-projet"}
	statuts := []string{"ouvert", "contourné", "résolu", "validée"}
	projets := []string{"cyber-colleges-42", "ecollege-31", "ent-mip", "e-lyco"}
	nss := []string{"assistance", "usages", "services", "accompagnement"}
	var batch []wiki.Commit
	for i := range pages {
		title := fmt.Sprintf("Fiche %d sur l'ENT", i)
		md := fmt.Sprintf("---\ntype: %s\nstatut: %s\nprojets: [%s]\nversion: \"4.%d\"\n---\n# %s\n\nLe cahier de textes et la messagerie, page %d.\n",
			types[i%4], statuts[i/4%4], projets[i/16%4], i%7, title, i)
		batch = append(batch, wiki.Commit{Path: wiki.MustPath(fmt.Sprintf("%s/fiche-%d", nss[i/64%4], i)), Kind: wiki.KindCreate,
			Author: "camille", Markdown: md, Title: title})
		if len(batch) == 1000 || i == pages-1 {
			if _, err := f.db.Commit(f.ctx, batch...); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	idx, _, err := search.Open(filepath.Join(b.TempDir(), "index"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = idx.Close() })
	// The follower runs as in serve: the index then says it is caught
	// up (not partial), and views keep their results.
	fol := &search.Follower{Index: idx, Source: f.db, Renderer: render.New(render.Options{}), Watch: f.db.Watch}
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = fol.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	catchUp := func() {
		want, err := f.db.LastSeq(f.ctx)
		if err != nil {
			b.Fatal(err)
		}
		for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(time.Millisecond) {
			if n, _ := idx.LastSeq(); n >= want && !idx.Partial() {
				return
			}
			if time.Now().After(deadline) {
				b.Fatal("the index never caught up")
			}
		}
	}
	catchUp()
	f.svc.SetSearch(idx)
	p := wiki.MustPath("assistance/tableau")
	f.save(b, p.String(), "# Tableau\n\n## Ouvertes\n\n```vue\nns:assistance type:resolution -statut:resolu\n```\n\n"+
		"## Résolues\n\n```vue\nns:assistance type:resolution statut:resolu\n```\n\n## Pratiques\n\n```vue tri=titre\ntype:bonne-pratique\n```\n", 0)
	catchUp()
	read := func() {
		v, err := f.svc.Page(f.ctx, f.reader, p, 0)
		if err != nil {
			b.Fatal(err)
		}
		if strings.Count(v.HTML, "<tr>") != 3*21 {
			b.Fatalf("%d rows", strings.Count(v.HTML, "<tr>"))
		}
	}
	b.Run("cached", func(b *testing.B) {
		read()
		for b.Loop() {
			read()
		}
	})
	rev := 0
	afterAChange := func(b *testing.B, read func()) {
		other := wiki.MustPath("club/ailleurs")
		for b.Loop() {
			b.StopTimer()
			res, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: other, Markdown: fmt.Sprintf("# Ailleurs\n\n%d\n", rev), BaseRev: rev})
			if err != nil {
				b.Fatal(err)
			}
			rev = res.Rev
			catchUp()
			b.StartTimer()
			read()
		}
	}
	b.Run("after a change", func(b *testing.B) { afterAChange(b, read) })
	// The most a page can ask: the eight views a page may hold, each of
	// every page sorted by title (by the index, over all 20,000), with
	// their longest tables.
	worst := wiki.MustPath("club/pire")
	var eight strings.Builder
	for i := range wiki.MaxViews { // eight queries, not one cached once
		fmt.Fprintf(&eight, "```vue tri=titre max=100\n-type:aucun-%d\n```\n\n", i)
	}
	f.save(b, worst.String(), "# Pire\n\n"+eight.String(), 0)
	catchUp()
	b.Run("eight views of every page, after a change", func(b *testing.B) {
		afterAChange(b, func() {
			v, err := f.svc.Page(f.ctx, f.reader, worst, 0)
			if err != nil {
				b.Fatal(err)
			}
			if n := strings.Count(v.HTML, "<tr>"); n != wiki.MaxViews*101 {
				b.Fatalf("%d rows", n)
			}
		})
	})
}
