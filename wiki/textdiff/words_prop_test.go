package textdiff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Random French texts and random edits, for the reconstruction property:
// whatever the edits, the segments rebuild both texts exactly.

// frenchWords are words as members write them: accents precomposed and
// decomposed, elisions with both apostrophes, compounds, numbers,
// punctuation and Markdown.
var frenchWords = []string{
	"l'école", "l’ENT", "d'abord", "qu'il", "jusqu'ici", "aujourd'hui", "élève", "e\u0301le\u0300ve",
	"établissement", "réunion", "peut-être", "k-d'école", "2,5", "v2.4", "«", "»", ",", ".", ";", ":",
	"!", "?", "—", "**gras**", "*accent*", "[[club/accueil]]", "`code`", "le", "la", "les", "des",
	"parents", "enseignants", "cahier", "textes", "messagerie", "connexion", "ÉduConnect", "à", "où",
	"ça", "Noël", "cœur", "naïf", "\u00a0", "  ", "\t", "x\xffy",
}

// randomParagraph returns a line of n random words.
func randomParagraph(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 && r.IntN(6) != 0 {
			b.WriteByte(' ')
		}
		b.WriteString(frenchWords[r.IntN(len(frenchWords))])
	}
	return b.String()
}

// randomPage returns a page of random paragraphs, headings and list
// items, with or without a final newline.
func randomPage(r *rand.Rand) string {
	var lines []string
	for range r.IntN(12) {
		switch r.IntN(5) {
		case 0:
			lines = append(lines, "## "+randomParagraph(r, 1+r.IntN(4)))
		case 1:
			lines = append(lines, "- "+randomParagraph(r, 1+r.IntN(8)))
		case 2:
			lines = append(lines, "")
		default:
			lines = append(lines, randomParagraph(r, 1+r.IntN(30)))
		}
	}
	page := strings.Join(lines, "\n")
	if r.IntN(4) != 0 {
		page += "\n"
	}
	return page
}

// randomEdit applies one random edit to page: words changed, added or
// removed inside a line, or whole lines moved, added, removed, split or
// joined.
func randomEdit(r *rand.Rand, page string) string {
	lines := strings.SplitAfter(page, "\n")
	i := r.IntN(len(lines))
	switch r.IntN(7) {
	case 0, 1, 2: // words inside a line
		ws := strings.SplitAfter(lines[i], " ")
		k := r.IntN(len(ws))
		switch r.IntN(3) {
		case 0:
			ws[k] = frenchWords[r.IntN(len(frenchWords))] + " "
		case 1:
			ws = append(ws[:k], append([]string{randomParagraph(r, 1+r.IntN(3)) + " "}, ws[k:]...)...)
		default:
			ws = append(ws[:k], ws[k+1:]...)
		}
		lines[i] = strings.Join(ws, "")
	case 3: // a line moved
		l := lines[i]
		lines = append(lines[:i], lines[i+1:]...)
		j := r.IntN(len(lines) + 1)
		lines = append(lines[:j], append([]string{l}, lines[j:]...)...)
	case 4: // a line added
		lines = append(lines[:i], append([]string{randomParagraph(r, 1+r.IntN(20)) + "\n"}, lines[i:]...)...)
	case 5: // a line removed
		lines = append(lines[:i], lines[i+1:]...)
	default: // a line split or two joined
		if k := strings.IndexByte(lines[i], ' '); k >= 0 && r.IntN(2) == 0 {
			lines[i] = lines[i][:k] + "\n" + lines[i][k+1:]
		} else {
			lines[i] = strings.TrimSuffix(lines[i], "\n")
		}
	}
	return strings.Join(lines, "")
}

func TestDiffer_Words_reconstruction(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2026))
	d := New()
	for run := range 400 {
		revs := []string{randomPage(r)}
		for range 1 + r.IntN(6) {
			revs = append(revs, randomEdit(r, revs[len(revs)-1]))
		}
		for i := 1; i < len(revs); i++ {
			checkWords(t, d, revs[i-1], revs[i])
		}
		checkWords(t, d, revs[0], revs[len(revs)-1])
		checkWords(t, d, revs[len(revs)-1], revs[0])
		if t.Failed() {
			t.Fatalf("run %d", run)
		}
	}
}

func FuzzWordDiff(f *testing.F) {
	p := frenchParagraphs
	f.Add(paragraphs(p...), paragraphs(p[1], p[2], p[0]))
	f.Add("l'école\n", "l’école\n")
	f.Add("e\u0301le\u0300ve\n", "élève")
	f.Add("", "a")
	f.Add("a\xff\n\n", "\n\xffa")
	f.Add("un deux trois\n\nun deux trois\n", "un deux trois\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		checkWords(t, New(), a, b)
	})
}
