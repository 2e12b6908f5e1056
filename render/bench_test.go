package render_test

import (
	"context"
	"fmt"
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
