// Package hostile generates the worst inputs the wiki has been attacked
// with, so that tests, fuzz seeds and the load benchmark (bench/load) all
// use the same ones. Each generator is deterministic and sized by its
// argument; nothing big is committed to the repository.
//
// hostile.go holds the pages and queries (table, link, definition and
// footnote bombs, 60,000-line pages, prefix floods), damage.go the damaged
// store and index files, and traps_unix.go the special files of an import
// tree (symbolic links out of it, /dev/zero, a FIFO).
//
// It lives under testdata/ so that `go build ./...` and `go vet ./...`
// leave it alone; tests and benchmark programs import it explicitly.
package hostile

import (
	"strconv"
	"strings"
)

// TableBomb is a table whose header has cols columns followed by rows
// one-cell rows (a row needs no pipe): the renderer once padded every row
// to the header's width, so 2 bytes per column and row asked for
// cols × rows cells. TableBomb(3000, 3000) is the 18 KB table.
func TableBomb(cols, rows int) string {
	var b strings.Builder
	b.Grow(2*cols + 2*rows + 4)
	b.WriteString(strings.Repeat("|a", cols))
	b.WriteString("|\n")
	b.WriteString(strings.Repeat("|-", cols))
	b.WriteString("|\n")
	b.WriteString(strings.Repeat("b\n", rows))
	return b.String()
}

// Repeat repeats unit as many whole times as fit in size bytes.
func Repeat(unit string, size int) string { return strings.Repeat(unit, size/len(unit)) }

// OpenLinks is "[a](<" repeated to size bytes: link destinations that
// never close, once quadratic in goldmark's link parser.
func OpenLinks(size int) string { return Repeat("[a](<", size) }

// RefDefinitions is size bytes of link reference definitions "[a]: /u".
func RefDefinitions(size int) string { return Repeat("[a]: /u\n", size) }

// FootnoteRefs is size bytes of references to one footnote, defined once:
// each reference becomes markup and a back link, about 30 times its size.
func FootnoteRefs(size int) string { return Repeat("[^1] ", size) + "\n\n[^1]: note\n" }

// FootnoteMany is about size bytes of distinct footnotes, each referenced
// once, the references first: goldmark looked every reference up in the
// list of definitions.
func FootnoteMany(size int) string {
	var defs, refs strings.Builder
	for i := 0; defs.Len()+refs.Len() < size; i++ {
		n := strconv.Itoa(i)
		defs.WriteString("[^" + n + "]: x\n")
		refs.WriteString("[^" + n + "]")
	}
	return refs.String() + "\n\n" + defs.String()
}

// NestedLabels is size/2 "[" then size/2 "]": every "]" copied the label
// between it and its "[", which grows by two bytes each time.
func NestedLabels(size int) string {
	return strings.Repeat("[", size/2) + strings.Repeat("]", size/2)
}

// OpenParens is "[a](x" repeated to size bytes: link destinations without
// their closing parenthesis, each one running to the end of the line.
func OpenParens(size int) string { return Repeat("[a](x", size) }

// EscapedPipes is a one-column table of about size bytes whose cells hold
// code spans with escaped pipes: goldmark matched every such cell against
// every other.
func EscapedPipes(size int) string { return "| a |\n|---|\n" + Repeat("| `x\\|y` |\n", size) }

// DistinctLines is a page of n distinct lines; gen tells its revisions
// apart (every tenth line differs). Past 55,296 distinct lines a diff
// that maps lines to runes reaches the surrogate range.
func DistinctLines(n, gen int) string {
	var b strings.Builder
	b.Grow(n * 16)
	for i := range n {
		b.WriteString("ligne ")
		b.WriteString(strconv.Itoa(i))
		if gen > 1 && i%10 == 0 {
			b.WriteString(" révisée " + strconv.Itoa(gen))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// NumberedLines is n distinct lines "tag i" (i from 0): two such texts
// with different tags share no line. NumberedLines("ligne", n) is
// DistinctLines(n, 1).
func NumberedLines(tag string, n int) string {
	var b strings.Builder
	b.Grow(n * (len(tag) + 8))
	for i := range n {
		b.WriteString(tag)
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(i))
		b.WriteByte('\n')
	}
	return b.String()
}

// DistinctWords is one line of n distinct words "tag1 tag2 …": two such
// lines with different tags share no word, the worst case of a word diff
// inside one changed paragraph.
func DistinctWords(tag string, n int) string {
	var b strings.Builder
	b.Grow(n * (len(tag) + 7))
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tag)
		b.WriteString(strconv.Itoa(i))
	}
	b.WriteByte('\n')
	return b.String()
}

// NestedLists is size bytes of lines each opening a list nested depth
// deep: every line makes 2×depth nodes (a list and an item per level).
func NestedLists(depth, size int) string { return Repeat(strings.Repeat("- ", depth)+"a\n", size) }

// SameLines is n copies of the line s: two such texts with different s are
// the worst case of a line diff without a time limit.
func SameLines(n int, s string) string { return strings.Repeat(s+"\n", n) }

// PrefixFlood is the query of issue 7: four short prefixes, each of which
// expands to thousands of index terms in a real wiki's vocabulary.
const PrefixFlood = "pr* de* la* co*"

// PrefixFloods are search queries that expand to as many index terms as
// possible, PrefixFlood first.
var PrefixFloods = []string{
	PrefixFlood,
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
