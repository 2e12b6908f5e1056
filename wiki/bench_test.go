package wiki_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
	"github.com/kdecole-club/clubwiki/wiki"
)

// frenchPage builds a Markdown page of about size bytes from sentences
// written for these tests, with headings, lists, a table and wiki links, so
// that rendering costs what a real page costs.
func frenchPage(size int) string {
	sentences := []string{
		"Les enseignants saisissent le cahier de textes après chaque séance, ce qui rassure les familles.",
		"L'établissement a ouvert l'accès à l'ENT dès la rentrée, avec une formation d'une heure pour les nouveaux arrivants.",
		"Le problème de connexion venait d'un certificat expiré sur le serveur d'authentification académique.",
		"Les élèves de sixième découvrent la messagerie en classe, accompagnés par le professeur principal.",
		"Le référent numérique centralise les demandes d'assistance et les transmet au niveau 2 du projet.",
		"Les parents d'élèves reçoivent leurs identifiants ÉduConnect par courrier, puis les activent en ligne.",
		"L'éditeur a corrigé l'anomalie dans la version suivante ; le contournement consistait à vider le cache.",
	}
	var b strings.Builder
	b.WriteString("---\ntitle: Bonnes pratiques du cahier de textes\ntype: bonne-pratique\ntags: [cahier-de-textes, collège]\n---\n\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "## Étape %d : retour d'expérience\n\n", i+1)
		for j := range 4 {
			b.WriteString(sentences[(i+j)%len(sentences)] + " ")
		}
		fmt.Fprintf(&b, "Voir aussi [[assistance/probleme-%d]] et [[usages/accueil|l'accueil des usages]].\n\n", i)
		b.WriteString("- **Contexte** : collège rural, 450 élèves\n- ~~Ancienne méthode~~ abandonnée\n- [x] Formation faite\n\n")
		if i%3 == 0 {
			b.WriteString("| Projet | Version | État |\n|---|---|---|\n| e-lyco | 2026.2 | résolu |\n| ENT-MIP | 2026.1 | en cours |\n\n")
		}
	}
	return b.String()
}

// BenchmarkService_Save measures a whole save of a 20 KB page: validation,
// rendering (title, links), the head-text comparison and the bbolt commit
// with fsync.
func BenchmarkService_Save(b *testing.B) {
	f := newFixture(b, wiki.Config{})
	base := frenchPage(20 << 10)
	p := wiki.MustPath("usages/cahier-de-textes")
	rev := 0
	var took []time.Duration
	b.SetBytes(int64(len(base)))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		md := base + fmt.Sprintf("\nModification %d.\n", i)
		start := time.Now()
		res, err := f.svc.Save(f.ctx, f.editor, wiki.SaveRequest{Path: p, Markdown: md, BaseRev: rev})
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		rev = res.Rev
	}
	// The target is on the median save, which the mean of ns/op hides
	// behind the occasional slow fsync.
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkService_Page measures reading a 20 KB page at head, as the API
// does: head lookup and the render cache.
func BenchmarkService_Page(b *testing.B) {
	f := newFixture(b, wiki.Config{})
	p := wiki.MustPath("usages/cahier-de-textes")
	f.save(b, p.String(), frenchPage(20<<10), 0)
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.svc.Page(f.ctx, f.reader, p, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkService_PageLarge reads a page of 600 KB of Markdown, too large
// for the cache as it is: kept compressed (packed), or rendered at every
// read, as before packing (rendered: a cache too small for it packed).
func BenchmarkService_PageLarge(b *testing.B) {
	for _, c := range []struct {
		name  string
		bytes int
	}{{"packed", wiki.DefaultCacheBytes}, {"rendered", 256 << 10}} {
		b.Run(c.name, func(b *testing.B) {
			f := newFixture(b, wiki.Config{CacheBytes: c.bytes})
			p := wiki.MustPath("club/compte-rendu")
			f.save(b, p.String(), "# Compte rendu\n\n"+hostile.FrenchProse(600<<10), 0)
			b.ResetTimer()
			for b.Loop() {
				if _, err := f.svc.Page(f.ctx, f.reader, p, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkService_PageUncached measures reading an old revision the first
// time: store read plus a full render.
func BenchmarkService_PageUncached(b *testing.B) {
	f := newFixture(b, wiki.Config{CacheBytes: 1})
	p := wiki.MustPath("usages/cahier-de-textes")
	f.save(b, p.String(), frenchPage(20<<10), 0)
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.svc.Page(f.ctx, f.reader, p, 0); err != nil {
			b.Fatal(err)
		}
	}
}
