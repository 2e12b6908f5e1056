package textdiff

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The merge's property: two members edit random French documents; edits
// to different words merge to the text with both applied, edits to the
// same words conflict, each side of the conflict keeping its own words
// and every change of the other that does not conflict. Nothing is
// dropped, nothing written twice.

// propWords are the words of the random documents: elisions with both
// apostrophes, accents, compounds, numbers. No two are equal, and no
// replacement word below equals one of them, so that each edit can be
// found in the merge.
var propWords = []string{
	"l'école", "l’ENT", "d'abord", "qu'il", "aujourd'hui", "élève", "établissement", "réunion",
	"peut-être", "k-d'école", "2,5", "v2.4", "parents", "enseignants", "cahier", "textes",
	"messagerie", "connexion", "ÉduConnect", "où", "ça", "Noël", "cœur", "naïf", "vie",
	"scolaire", "académie", "collège", "lycée", "portail", "agenda", "notes", "absences",
}

// propSeps go between two words of a sentence.
var propSeps = []string{" ", " ", " ", " ", ", ", "\u00a0: ", "\u00a0; ", " — "}

// propDoc is a document as a list of pieces: even pieces are separators
// (never edited), odd ones words.
type propDoc []string

func (d propDoc) String() string { return strings.Join(d, "") }

// randomDoc returns a document of paragraphs of sentences, a table and a
// list, as members write best-practice pages.
func randomDoc(r *rand.Rand) propDoc {
	d := propDoc{"# "}
	word := func(sep string) {
		d = append(d, propWords[r.IntN(len(propWords))], sep)
	}
	word("\n\n")
	for range 1 + r.IntN(3) { // paragraphs of sentences
		for s := range 2 + r.IntN(3) {
			n := 3 + r.IntN(6)
			for w := range n {
				switch {
				case w < n-1:
					word(propSeps[r.IntN(len(propSeps))])
				case s == 0:
					word(". ")
				default:
					word("\u00a0! ")
				}
			}
		}
		d[len(d)-1] = ".\n\n"
	}
	d[len(d)-1] += "| "
	for row := range 2 + r.IntN(3) { // a table
		for c := range 3 {
			sep := " | "
			if c == 2 {
				sep = " |\n| "
				if row == 0 {
					sep = " |\n|---|---|---|\n| "
				}
			}
			word(sep)
		}
	}
	d[len(d)-1] = strings.TrimSuffix(d[len(d)-1], "| ") + "\n- "
	for range 3 + r.IntN(3) { // a list
		word(" ")
		word("\n- ")
	}
	d[len(d)-1] = "\n"
	return d
}

// propEdit is one edit of a word: a replacement by another word, by two
// words, the word's deletion with the space before it, or a word added
// after it.
type propEdit struct {
	at   int // the word's piece
	kind int
	word string
}

const (
	editReplace = iota
	editReplaceTwo
	editDelete
	editInsert
)

// apply returns d with the edits applied.
func (d propDoc) apply(es []propEdit) string {
	out := append(propDoc(nil), d...)
	for _, e := range es {
		switch e.kind {
		case editReplace:
			out[e.at] = e.word
		case editReplaceTwo:
			out[e.at] = e.word + " en plus"
		case editDelete:
			out[e.at-1], out[e.at] = "", ""
		case editInsert:
			out[e.at] += " " + e.word
		}
	}
	return out.String()
}

// randomEdits returns n edits of different words of d, avoiding the words
// taken. A word is deleted only where a plain space comes before it.
func randomEdits(r *rand.Rand, d propDoc, n int, who string, taken map[int]int) []propEdit {
	var es []propEdit
	for try := 0; len(es) < n && try < 100; try++ {
		e := propEdit{at: 1 + 2*r.IntN(len(d)/2), kind: r.IntN(4), word: fmt.Sprintf("%s%d", who, len(es))}
		if r.IntN(3) == 0 {
			e.word = "l'" + e.word // an elision inside the changed word
		}
		if e.kind == editDelete && d[e.at-1] != " " {
			e.kind = editReplace
		}
		if clashes(e, taken) {
			continue
		}
		taken[e.at] = e.kind
		es = append(es, e)
	}
	return es
}

// clashes reports whether e touches a word taken: the same word, or a
// word next to it when either edit does more than replace a word (an
// insertion or a deletion can be written on either side of a space).
func clashes(e propEdit, taken map[int]int) bool {
	for at, kind := range taken {
		gap := max(at-e.at, e.at-at) / 2
		if gap == 0 || gap == 1 && (kind != editReplace || e.kind != editReplace) {
			return true
		}
	}
	return false
}

func TestDiffer_MergeWordsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	ctx := context.Background()
	for i := range 400 {
		d := randomDoc(r)
		taken := map[int]int{}
		a := randomEdits(r, d, 1+r.IntN(4), "mien", taken)
		b := randomEdits(r, d, 1+r.IntN(4), "sien", taken)
		base, mine, theirs := d.String(), d.apply(a), d.apply(b)
		t.Run(fmt.Sprintf("different words %d", i), func(t *testing.T) {
			m, err := New().Merge(ctx, base, mine, theirs)
			if err != nil {
				t.Fatal(err)
			}
			if want := d.apply(append(a, b...)); len(m.Conflicts()) > 0 || m.Markdown(1) != want {
				t.Fatalf("base\n%q\nmine\n%q\ntheirs\n%q\nmerged (%d conflicts)\n%q\nwant\n%q", base, mine, theirs, len(m.Conflicts()), m.Markdown(1), want)
			}
		})
		// The same words: b's first word is given to a too, changed its
		// own way (both replace it).
		shared := propEdit{at: b[0].at, kind: editReplace, word: "mienbis"}
		b[0].kind = editReplace
		if clashesExcept(shared, a, b[0].at) {
			continue
		}
		a2 := append([]propEdit{shared}, a...)
		mine = d.apply(a2)
		theirs = d.apply(b)
		t.Run(fmt.Sprintf("same words %d", i), func(t *testing.T) {
			m, err := New().Merge(ctx, base, mine, theirs)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Conflicts()) == 0 {
				t.Fatalf("no conflict\nmine\n%q\ntheirs\n%q\nmerged\n%q", mine, theirs, m.Markdown(1))
			}
			y, th := mergeSides(m)
			if want := d.apply(append(a2, b[1:]...)); y != want {
				t.Errorf("keeping mine\n%q\nwant\n%q", y, want)
			}
			if want := d.apply(append(b, a...)); th != want {
				t.Errorf("keeping theirs\n%q\nwant\n%q", th, want)
			}
		})
	}
}

// clashesExcept reports whether e touches one of es other than the word
// at skip.
func clashesExcept(e propEdit, es []propEdit, skip int) bool {
	taken := map[int]int{}
	for _, x := range es {
		if x.at != skip {
			taken[x.at] = x.kind
		}
	}
	return clashes(e, taken)
}
