// Package hostile generates the worst inputs the wiki has been attacked
// with, so that tests, fuzz seeds and the load benchmark (bench/load) all
// use the same ones. Each generator is deterministic and sized by its
// argument; nothing big is committed to the repository.
//
// It lives under testdata/ so that `go build ./...` and `go vet ./...`
// leave it alone; tests and benchmark programs import it explicitly.
package hostile

import (
	"strconv"
	"strings"
)

// TableBomb is a GitHub table with cols header columns and rows body rows
// of one cell each: the renderer once padded every row to the header's
// width, so 60 KB became gigabytes.
func TableBomb(cols, rows int) string {
	var b strings.Builder
	b.Grow(cols*4 + rows*4)
	b.WriteString(strings.Repeat("|a", cols) + "|\n")
	b.WriteString(strings.Repeat("|-", cols) + "|\n")
	for range rows {
		b.WriteString("|b|\n")
	}
	return b.String()
}

// SquareTable is an n × n table with one-letter cells.
func SquareTable(n int) string {
	row := strings.Repeat("|x", n) + "|\n"
	var b strings.Builder
	b.Grow((n + 2) * len(row))
	b.WriteString(row)
	b.WriteString(strings.Repeat("|-", n) + "|\n")
	for range n {
		b.WriteString(row)
	}
	return b.String()
}

// Repeat repeats unit until the text is at least size bytes.
func Repeat(unit string, size int) string {
	return strings.Repeat(unit, (size+len(unit)-1)/len(unit))
}

// OpenLinks is "[a](<" repeated to size bytes: link destinations that
// never close, once quadratic in goldmark's link parser.
func OpenLinks(size int) string { return Repeat("[a](<", size) }

// RefDefinitions is size bytes of link reference definitions "[a]: /u".
func RefDefinitions(size int) string { return Repeat("[a]: /u\n", size) }

// FootnoteRefs is size bytes of references to one footnote, plus its
// definition: every reference becomes a superscript link and a back link.
func FootnoteRefs(size int) string {
	return Repeat("[^1]", size) + "\n\n[^1]: note\n"
}

// DistinctLines is n different lines: past 55,296 of them a line diff that
// maps lines to runes reaches the surrogate range.
func DistinctLines(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("ligne ")
		b.WriteString(strconv.Itoa(i))
		b.WriteByte('\n')
	}
	return b.String()
}

// SameLines is n copies of the line s: two such texts with different s are
// the worst case of a line diff without a time limit.
func SameLines(n int, s string) string { return strings.Repeat(s+"\n", n) }

// PrefixFloods are search queries that expand to as many index terms as
// possible.
var PrefixFloods = []string{
	"pr* de* la* co*",
	"a* b* c* d* e* f* g* h*",
	"p* s* c* m*",
	"con* pro* res* dis*",
}

// proseSentences is ordinary French text written for the tests: accents,
// elisions, lists and emphasis as members write them.
var proseSentences = []string{
	"L'établissement a ouvert l'ENT aux familles dès la rentrée, après une réunion d'information.",
	"Les enseignants publient le cahier de textes chaque soir ; les élèves le consultent depuis leur téléphone.",
	"Quand la connexion échoue, vérifiez d'abord l'identifiant académique puis le mot de passe ÉduConnect.",
	"La vie scolaire saisit les absences en temps réel, et les parents reçoivent une notification.",
	"Le référent numérique a rédigé une fiche pas à pas pour l'accompagnement des nouveaux personnels.",
	"Les pièces jointes trop lourdes sont refusées par la messagerie : compressez-les avant l'envoi.",
	"À chaque mise à jour de k-d'école, le club compare les versions déployées dans les quatre projets.",
	"Un connecteur vers le portail de la région permet l'accès unifié aux ressources numériques.",
}

// FrenchProse is ordinary French Markdown of at least size bytes: headings,
// paragraphs, lists, emphasis and a small table, as a long real page has.
func FrenchProse(size int) string {
	var b strings.Builder
	b.Grow(size + 1024)
	for i := 0; b.Len() < size; i++ {
		b.WriteString("## Partie " + strconv.Itoa(i+1) + " : retour d'expérience\n\n")
		for j, s := range proseSentences {
			if j%3 == 2 {
				b.WriteString("- *" + s + "*\n- **À retenir** : " + s + "\n\n")
				continue
			}
			b.WriteString(s + " " + proseSentences[(i+j)%len(proseSentences)] + "\n\n")
		}
		b.WriteString("| Projet | Version | Statut |\n|---|---|---|\n| e-lyco | 2.4 | résolu |\n| ENT-MIP | 2.3 | ouvert |\n\n")
	}
	return b.String()
}
