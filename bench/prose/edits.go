package prose

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generated returns n French sentences composed from a seeded choice of
// words, for when the corpus is not there. They vary enough that DEFLATE
// shrinks a page of them about as much as real prose, not twentyfold as a
// dozen repeated sentences would.
func Generated(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, seed))
	pick := func(words ...string) string { return words[r.IntN(len(words))] }
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %s %s %s %s, %s %d %s.",
			pick("Le professeur", "La principale adjointe", "Un parent d'élève", "L'équipe de direction", "Le référent numérique", "La documentaliste", "Chaque élève", "Le conseiller TICE"),
			pick("consulte", "met à jour", "vérifie", "partage", "commente", "archive", "signale", "corrige"),
			pick("le cahier de textes", "l'emploi du temps", "les notes du trimestre", "la messagerie", "le carnet de liaison", "les ressources du CDI", "les absences"),
			pick("dans l'ENT", "depuis l'application mobile", "avant le conseil de classe", "pendant la séance", "en fin de semaine", "à la rentrée"),
			pick("du collège", "du lycée professionnel", "de la cité scolaire", "de l'école primaire", "du lycée général"),
			pick("selon la procédure", "comme prévu", "malgré la panne", "après la formation", "sans attendre"),
			1+r.IntN(2000), pick("de l'académie", "du département", "de la région", "du rectorat"))
	}
	return out
}

// History is a page of French paragraphs and a sequence of one-paragraph
// edits of it, the workload of the storage benchmarks: each edit replaces
// one sentence of one paragraph, as a member fixing a detail does.
type History struct {
	r          *rand.Rand
	sentences  []string
	paragraphs [][]string
}

// NewHistory starts a page of about pageBytes bytes made of paragraphs of
// three to seven sentences drawn from sentences (which must not be empty).
func NewHistory(sentences []string, pageBytes int, seed uint64) *History {
	h := &History{r: rand.New(rand.NewPCG(seed, ^seed)), sentences: sentences}
	for size := 0; size < pageBytes; {
		n := 3 + h.r.IntN(5)
		para := make([]string, n)
		for i := range para {
			para[i] = h.sentence()
			size += len(para[i]) + 1
		}
		h.paragraphs = append(h.paragraphs, para)
	}
	return h
}

func (h *History) sentence() string { return h.sentences[h.r.IntN(len(h.sentences))] }

// Text returns the page as Markdown: a title, then the paragraphs separated
// by blank lines.
func (h *History) Text() string {
	var b strings.Builder
	b.WriteString("# Historique d'une page\n")
	for _, p := range h.paragraphs {
		b.WriteString("\n")
		b.WriteString(strings.Join(p, " "))
		b.WriteString("\n")
	}
	return b.String()
}

// Edit replaces one sentence of one paragraph and returns the new text.
func (h *History) Edit() string {
	p := h.paragraphs[h.r.IntN(len(h.paragraphs))]
	p[h.r.IntN(len(p))] = h.sentence()
	return h.Text()
}
