package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/store"
	"github.com/kdecole-club/clubwiki/wiki"
)

// frenchPage builds about n bytes of French prose about the ENT by cycling
// through sentences with varying numbers, so compression sees realistic text
// rather than one repeated line.
func frenchPage(n int) string {
	sentences := []string{
		"Les enseignants du collège saisissent le cahier de textes dans l'ENT avant la fin de la séance.",
		"Une famille signale qu'elle ne reçoit plus les notifications de la messagerie depuis la rentrée.",
		"Le conseiller TICE de l'académie propose une formation sur l'évaluation par compétences.",
		"L'intégrateur a corrigé le connecteur vers l'annuaire fédérateur après la mise à jour du portail.",
		"La vie scolaire exporte les absences chaque vendredi pour les transmettre aux responsables légaux.",
		"Les élèves de quatrième déposent leurs devoirs en ligne ; le professeur les annote directement.",
		"Le département finance l'hébergement et demande un bilan trimestriel de la fréquentation.",
		"Une bonne pratique : créer un espace de classe par niveau plutôt qu'un espace par enseignant.",
		"La résolution de la difficulté a demandé trois échanges avec l'éditeur et un correctif mineur.",
		"Le compte rendu de la visioconférence thématique est publié dans l'espace du club.",
		"Les parents d'élèves utilisent surtout l'application mobile pour consulter l'emploi du temps.",
		"Le marché d'hébergement arrive à échéance ; le cahier des charges précise la réversibilité.",
	}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i%9 == 0 {
			fmt.Fprintf(&b, "\n## Section %d : retours du projet n°%d\n\n", i/9+1, i%4+1)
		}
		b.WriteString(sentences[(i*7+i/12)%len(sentences)])
		if i%5 == 4 {
			fmt.Fprintf(&b, " Voir [[assistance/fiche-%d]] (%d établissements).\n", i%17, 40+i*3%600)
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func benchDB(b *testing.B, noSync bool) *store.DB {
	b.Helper()
	db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	return db
}

// BenchmarkDB_Commit saves successive revisions of one 20 KB page; each
// revision changes one sentence so the text is never the same twice.
func BenchmarkDB_Commit(b *testing.B) {
	text := frenchPage(20 << 10)
	links := []wiki.Path{wiki.MustPath("assistance/connexion"), wiki.MustPath("club/accueil")}
	for _, mode := range []struct {
		name   string
		noSync bool
	}{{"fsync", false}, {"nosync", true}} {
		b.Run(mode.name, func(b *testing.B) {
			db := benchDB(b, mode.noSync)
			ctx := context.Background()
			p := wiki.MustPath("usages/cahier-de-textes")
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			rev := 0
			for b.Loop() {
				md := fmt.Sprintf("Révision %d.\n%s", rev, text)
				_, err := db.Commit(ctx, wiki.Commit{
					Path: p, ExpectRev: rev, Kind: wiki.KindEdit, Author: "alice",
					Summary: "mise à jour", Markdown: md, Title: "Cahier de textes", Links: links,
				})
				if err != nil {
					b.Fatal(err)
				}
				rev++
			}
		})
	}
}

// seeded returns a store with 200 pages of 20 KB, 3 revisions each.
func seeded(b *testing.B) (*store.DB, wiki.Path) {
	db := benchDB(b, true)
	ctx := context.Background()
	text := frenchPage(20 << 10)
	var p wiki.Path
	for i := range 200 {
		p = wiki.MustPath(fmt.Sprintf("assistance/fiche-%d", i))
		for rev := range 3 {
			_, err := db.Commit(ctx, wiki.Commit{Path: p, ExpectRev: rev, Kind: wiki.KindEdit, Author: "bob", Markdown: fmt.Sprintf("%d %s", rev, text)})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	return db, wiki.MustPath("assistance/fiche-100")
}

func BenchmarkDB_Head(b *testing.B) {
	db, p := seeded(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Head(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDB_State measures what every page read adds to key the render
// cache by the store's state rather than by a counter in memory.
func BenchmarkDB_State(b *testing.B) {
	db, _ := seeded(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.State(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDB_Revision(b *testing.B) {
	db, p := seeded(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, text, err := db.Revision(ctx, p, 3); err != nil || len(text) < 20<<10 {
			b.Fatal(len(text), err)
		}
	}
}

// BenchmarkDB_RevisionOld reads the worst case of the delta chains: a
// revision Spacing-1 behind the next full text, so that many deltas are
// applied to the head's text.
func BenchmarkDB_RevisionOld(b *testing.B) {
	db := benchDB(b, true)
	ctx := context.Background()
	p := wiki.MustPath("usages/cahier-de-textes")
	text := frenchPage(20 << 10)
	every := store.Spacing(len(text))
	head := 2 * every
	for rev := range head {
		_, err := db.Commit(ctx, wiki.Commit{Path: p, ExpectRev: rev, Kind: wiki.KindEdit, Author: "bob", Markdown: fmt.Sprintf("Révision %d.\n%s", rev, text)})
		if err != nil {
			b.Fatal(err)
		}
	}
	old := head - (every - 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, text, err := db.Revision(ctx, p, old); err != nil || len(text) < 20<<10 {
			b.Fatal(len(text), err)
		}
	}
}
