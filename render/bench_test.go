package render_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/render"
)

// sentences are varied French sentences for the benchmark page.
var sentences = []string{
	"Le club se réunit chaque mardi à midi dans la salle B204, à côté du CDI.",
	"Avant de signaler un problème, vérifiez que votre mot de passe n'a pas expiré.",
	"Les élèves de **seconde** accueillent les nouveaux membres en septembre.",
	"Consultez [[assistance/Problème de connexion]] si l'ENT refuse votre identifiant.",
	"Le compte rendu est publié sur [[club/Comptes rendus|la page dédiée]] le lendemain.",
	"Une *tablette* prêtée doit être rendue avant les vacances d'été.",
	"Pour les questions techniques, écrivez à https://assistance.example.fr ou passez au CDI.",
	"La charte numérique s'applique à tous, y compris pendant les sorties scolaires.",
	"Le `code Wi-Fi` change à chaque trimestre ; demandez-le à l'accueil.",
	"Les ateliers du jeudi portent sur la sécurité, la bureautique et la vie privée.",
}

// benchPage returns a French page of about n bytes with headings, lists, a
// table, code and wiki links.
func benchPage(n int) string {
	var b strings.Builder
	b.WriteString("---\ntitle: Page de test\ntags: [bench, club]\n---\n# Guide complet du club\n\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "## Partie %d : organisation et entraide\n\n", i+1)
		for j := range 4 {
			b.WriteString(sentences[(i+j)%len(sentences)])
			b.WriteByte(' ')
			b.WriteString(sentences[(i+j+3)%len(sentences)])
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "- [[club/Atelier %d]] avec les élèves\n- [ ] préparer la séance %d\n- [x] réserver la salle\n\n", i, i)
		b.WriteString("| Jour | Activité | Salle |\n|:-----|:--------:|------:|\n| Mardi | Réunion | B204 |\n| Jeudi | Atelier | CDI |\n\n")
		if i%3 == 0 {
			b.WriteString("```sh\nping -c 3 ent.example.fr # [[pas-un-lien]]\n```\n\n")
		}
	}
	return b.String()
}

func BenchmarkRenderer_Render(b *testing.B) {
	src := []byte(benchPage(20 << 10))
	r := render.New(render.Options{})
	opt := testOptions("club/atelier-1", "assistance/probleme-de-connexion")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(context.Background(), src, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// frenchProse is n bytes or more of ordinary French prose in paragraphs,
// valid CommonMark without any construct the bounds look at.
func frenchProse(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		for j := range 5 {
			b.WriteString(prose[(i*7+j*3)%len(prose)])
			b.WriteByte(' ')
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// prose are sentences of the kind the club writes.
var prose = []string{
	"Lors de la réunion de mars, les quatre projets ont comparé leurs procédures d'ouverture des comptes en début d'année.",
	"Dans l'académie de Nantes, e-lyco délègue la création des comptes parents aux établissements, qui s'en plaignent.",
	"Le conseiller TICE rappelle que l'ENT n'est pas un outil de surveillance mais un espace de travail partagé.",
	"Les collectivités financent l'hébergement ; l'éditeur livre deux versions majeures par an, rarement à l'heure.",
	"Plusieurs collèges signalent des lenteurs du cahier de textes le lundi matin, entre huit et neuf heures.",
	"La solution retenue en Haute-Garonne consiste à étaler les imports de l'emploi du temps sur la nuit.",
	"Il faudra demander à l'intégrateur un tableau de bord commun, plutôt qu'un rapport mensuel envoyé par courriel.",
	"Chacun s'accorde à dire que la messagerie reste le service le plus utilisé, devant les ressources numériques.",
	"Les familles découvrent souvent l'ENT à la rentrée : une courte vidéo d'accueil évite bien des appels à l'assistance.",
	"Le groupe de travail proposera, d'ici juin, une liste d'attentes communes à soumettre à k-d'école.",
}

// BenchmarkRenderer_Render_prose renders 2 MiB of French prose: a page at
// the size limit must render well under a second.
func BenchmarkRenderer_Render_prose(b *testing.B) {
	src := []byte(frenchProse(2 << 20))
	r := render.New(render.Options{})
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(context.Background(), src, testOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderer_Render_corpus renders the pages of the shared corpus
// (real club pages, outside the repository) concatenated to about 2 MiB.
func BenchmarkRenderer_Render_corpus(b *testing.B) {
	src := corpusPage(b, 2<<20)
	r := render.New(render.Options{})
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(context.Background(), src, testOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

// corpusDir holds real pages; it is not part of the repository.
const corpusDir = "/work/shared/corpus"

// corpusPage concatenates the Markdown files of corpusDir, front matter
// dropped, up to n bytes; it skips the benchmark when there is no corpus.
func corpusPage(b *testing.B, n int) []byte {
	var out []byte
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") || len(out) >= n {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if rest, ok := bytes.CutPrefix(data, []byte("---\n")); ok {
			if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
				data = rest[i+5:]
			}
		}
		out = append(append(out, data...), "\n\n"...)
		return nil
	})
	if err != nil || len(out) == 0 {
		b.Skipf("no corpus in %s: %v", corpusDir, err)
	}
	return out
}
