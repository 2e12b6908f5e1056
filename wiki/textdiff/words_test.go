package textdiff

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/wiki"
)

// checkWords diffs a and b word by word and checks what every word diff
// must hold: the segments, flat and block by block, rebuild both texts
// exactly; blocks number their lines in order; moved blocks point at each
// other; no segment is empty.
func checkWords(t testing.TB, d Differ, a, b string) wiki.WordDiff {
	t.Helper()
	wd, err := d.Words(context.Background(), a, b)
	if err != nil {
		t.Fatalf("Words: %v", err)
	}
	checkWordDiff(t, wd, a, b)
	return wd
}

// checkWordDiff checks that wd, the word diff of a and b, rebuilds both
// texts, block by block, with its lines numbered and its moves paired.
func checkWordDiff(t testing.TB, wd wiki.WordDiff, a, b string) {
	t.Helper()
	if old, neu := wiki.SegmentTexts(wd.Segments()); old != a || neu != b {
		t.Fatalf("the segments do not rebuild the texts:\nold %q\nwant %q\nnew %q\nwant %q", old, a, neu, b)
	}
	var olds, news strings.Builder
	from, to := 1, 1
	for i, bl := range wd.Blocks {
		old, neu := wiki.SegmentTexts(bl.Segments)
		olds.WriteString(old)
		news.WriteString(neu)
		if bl.FromLine != from || bl.ToLine != to {
			t.Fatalf("block %d starts at lines %d/%d, want %d/%d", i, bl.FromLine, bl.ToLine, from, to)
		}
		from += strings.Count(old, "\n")
		to += strings.Count(neu, "\n")
		for _, s := range append(bl.Segments, bl.Edits...) {
			if s.Text == "" {
				t.Fatalf("block %d has an empty segment", i)
			}
		}
		checkMove(t, wd, i)
	}
	if olds.String() != a || news.String() != b {
		t.Fatalf("the blocks do not rebuild the texts")
	}
}

// checkMove checks that block i, if moved, and its other end agree.
func checkMove(t testing.TB, wd wiki.WordDiff, i int) {
	t.Helper()
	bl := wd.Blocks[i]
	switch bl.Kind {
	case wiki.BlockMovedFrom, wiki.BlockMovedTo:
		other := wd.Blocks[bl.Move]
		if other.Move != i || other.Kind == bl.Kind || (other.Kind != wiki.BlockMovedFrom && other.Kind != wiki.BlockMovedTo) {
			t.Fatalf("moved block %d points at block %d, which does not point back", i, bl.Move)
		}
		if bl.Kind == wiki.BlockMovedTo && bl.Edits != nil {
			old, neu := wiki.SegmentTexts(bl.Edits)
			if strings.TrimSpace(old) != strings.TrimSpace(other.Segments[0].Text) || neu != bl.Segments[0].Text {
				t.Fatalf("the edits of moved block %d do not rebuild its two texts", i)
			}
		}
	default:
		if bl.Move != -1 {
			t.Fatalf("block %d of kind %d has Move %d", i, bl.Kind, bl.Move)
		}
	}
}

// seg is a segment, for short expectations.
func seg(op wiki.SegmentOp, text string) wiki.Segment { return wiki.Segment{Op: op, Text: text} }

func TestDiffer_Words_French(t *testing.T) {
	const (
		decomposed = "L'e\u0301le\u0300ve re\u0301vise.\n"
		composed   = "L'élève révise bien.\n"
	)
	for _, c := range []struct {
		name, a, b string
		want       []wiki.Segment
	}{
		{"one word", "Le professeur publie le cahier de textes.\n", "Le professeur remplit le cahier de textes.\n",
			[]wiki.Segment{seg('=', "Le professeur "), seg('-', "publie"), seg('+', "remplit"), seg('=', " le cahier de textes.\n")}},
		{"elision keeps the article", "Voir l'école du quartier.\n", "Voir l'établissement du quartier.\n",
			[]wiki.Segment{seg('=', "Voir l'"), seg('-', "école"), seg('+', "établissement"), seg('=', " du quartier.\n")}},
		{"typographic apostrophe", "C’est l’ENT.\n", "C’est l’ENT académique.\n",
			[]wiki.Segment{seg('=', "C’est l’ENT"), seg('+', " académique"), seg('=', ".\n")}},
		{"accented word whole", "Un élève attentif.\n", "Des élèves attentifs.\n",
			[]wiki.Segment{seg('-', "Un élève attentif"), seg('+', "Des élèves attentifs"), seg('=', ".\n")}},
		{"punctuation apart", "Fin de l'année.\n", "Fin de l'année !\n",
			[]wiki.Segment{seg('=', "Fin de l'année"), seg('-', "."), seg('+', " !"), seg('=', "\n")}},
		{"guillemets", "Le bouton « Envoyer » échoue.\n", "Le bouton « Valider » échoue.\n",
			[]wiki.Segment{seg('=', "Le bouton « "), seg('-', "Envoyer"), seg('+', "Valider"), seg('=', " » échoue.\n")}},
		{"hyphenated compound", "Il faut peut-être relancer.\n", "Il faut sans doute relancer.\n",
			[]wiki.Segment{seg('=', "Il faut "), seg('-', "peut-être"), seg('+', "sans doute"), seg('=', " relancer.\n")}},
		{"decimal comma", "La version 2,5 est déployée.\n", "La version 2,6 est déployée.\n",
			[]wiki.Segment{seg('=', "La version "), seg('-', "2,5"), seg('+', "2,6"), seg('=', " est déployée.\n")}},
		{"decomposed accents", decomposed, composed,
			[]wiki.Segment{seg('=', "L'"), seg('-', "e\u0301le\u0300ve re\u0301vise"), seg('+', "élève révise bien"), seg('=', ".\n")}},
		{"decomposed accent in a long line", "Un e\u0301le\u0300ve travaille bien avec ses camarades.\n", "Un élève travaille bien avec ses camarades.\n",
			[]wiki.Segment{seg('=', "Un "), seg('-', "e\u0301le\u0300ve"), seg('+', "élève"), seg('=', " travaille bien avec ses camarades.\n")}},
		{"a sentence added among alike ones", "Le chat dort. Le chat mange.\n", "Le chat dort. Le chat boit. Le chat mange.\n",
			[]wiki.Segment{seg('=', "Le chat dort."), seg('+', " Le chat boit."), seg('=', " Le chat mange.\n")}},
		{"a word added before a repeated one", "Voir la page, puis la suite.\n", "Voir la page, puis la page, puis la suite.\n",
			[]wiki.Segment{seg('=', "Voir la page,"), seg('+', " puis la page,"), seg('=', " puis la suite.\n")}},
		{"empty old page", "", "Nouvelle page.\n", []wiki.Segment{seg('+', "Nouvelle page.\n")}},
		{"emptied page", "Ancienne page.\n", "", []wiki.Segment{seg('-', "Ancienne page.\n")}},
		{"equal", "Même texte.\n", "Même texte.\n", []wiki.Segment{seg('=', "Même texte.\n")}},
		{"both empty", "", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			wd := checkWords(t, New(), c.a, c.b)
			if got := wd.Segments(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("segments\n got %q\nwant %q", got, c.want)
			}
			if wd.Coarse {
				t.Error("Coarse is set")
			}
		})
	}
}

// paragraphs joins paragraphs as Markdown does, a blank line between.
func paragraphs(ps ...string) string { return strings.Join(ps, "\n\n") + "\n" }

// frenchParagraphs are distinct paragraphs of ordinary French prose.
var frenchParagraphs = []string{
	"L'établissement a ouvert l'ENT aux familles dès la rentrée, après une réunion d'information.",
	"Les enseignants publient le cahier de textes chaque soir ; les élèves le consultent depuis leur téléphone.",
	"Quand la connexion échoue, vérifiez d'abord l'identifiant académique puis le mot de passe ÉduConnect.",
	"La vie scolaire saisit les absences en temps réel, et les parents reçoivent une notification.",
	"Le référent numérique a rédigé une fiche pas à pas pour l'accompagnement des nouveaux personnels.",
	"Les pièces jointes trop lourdes sont refusées par la messagerie : compressez-les avant l'envoi.",
}

// kinds returns the kinds of wd's blocks.
func kinds(wd wiki.WordDiff) []wiki.BlockKind {
	var out []wiki.BlockKind
	for _, b := range wd.Blocks {
		out = append(out, b.Kind)
	}
	return out
}

func TestDiffer_Words_blocks(t *testing.T) {
	p := frenchParagraphs
	const same, changed, from, to = wiki.BlockSame, wiki.BlockChanged, wiki.BlockMovedFrom, wiki.BlockMovedTo
	t.Run("unchanged paragraphs fold around a changed one", func(t *testing.T) {
		edited := strings.Replace(p[2], "d'abord", "avant tout", 1)
		wd := checkWords(t, New(), paragraphs(p...), paragraphs(p[0], p[1], edited, p[3], p[4], p[5]))
		if got, want := kinds(wd), []wiki.BlockKind{same, changed, same}; !reflect.DeepEqual(got, want) {
			t.Fatalf("kinds = %v, want %v", got, want)
		}
		if b := wd.Blocks[1]; b.FromLine != 5 || b.FromCount != 1 || b.ToLine != 5 || b.ToCount != 1 {
			t.Errorf("changed block at %d,%d → %d,%d, want line 5 on both sides", b.FromLine, b.FromCount, b.ToLine, b.ToCount)
		}
		want := []wiki.Segment{seg('=', "Quand la connexion échoue, vérifiez "), seg('-', "d'abord"), seg('+', "avant tout"),
			seg('=', " l'identifiant académique puis le mot de passe ÉduConnect.\n")}
		if got := wd.Blocks[1].Segments; !reflect.DeepEqual(got, want) {
			t.Errorf("changed block\n got %q\nwant %q", got, want)
		}
	})
	t.Run("a paragraph moved down", func(t *testing.T) {
		wd := checkWords(t, New(), paragraphs(p...), paragraphs(p[1], p[2], p[3], p[4], p[0], p[5]))
		if got, want := kinds(wd), []wiki.BlockKind{from, same, to, same}; !reflect.DeepEqual(got, want) {
			t.Fatalf("kinds = %v, want %v", got, want)
		}
		if got := wd.Blocks[0].Segments[0].Text; got != p[0]+"\n\n" {
			t.Errorf("moved from %q, want the first paragraph and its blank line", got)
		}
		if b := wd.Blocks[2]; b.Edits != nil || b.FromCount != 0 || b.ToLine != 9 || b.ToCount != 2 {
			t.Errorf("moved to lines %d,%d (from count %d), edits %q; want lines 9,2 unchanged", b.ToLine, b.ToCount, b.FromCount, b.Edits)
		}
	})
	t.Run("a paragraph moved up and edited", func(t *testing.T) {
		edited := strings.Replace(p[4], "nouveaux", "nouvelles", 1)
		wd := checkWords(t, New(), paragraphs(p...), paragraphs(p[0], edited, p[1], p[2], p[3], p[5]))
		if got, want := kinds(wd), []wiki.BlockKind{same, to, same, from, same}; !reflect.DeepEqual(got, want) {
			t.Fatalf("kinds = %v, want %v", got, want)
		}
		old, neu := wiki.SegmentTexts(wd.Blocks[1].Edits)
		if strings.TrimSpace(old) != p[4] || strings.TrimSpace(neu) != edited || !slicesContain(wd.Blocks[1].Edits, seg('+', "nouvelles")) {
			t.Errorf("edits of the moved paragraph = %q", wd.Blocks[1].Edits)
		}
	})
	t.Run("a paragraph rewritten is not moved", func(t *testing.T) {
		wd := checkWords(t, New(), paragraphs(p...), paragraphs(p[1], p[2], p[3], p[4], "Un tout autre paragraphe sur le même sujet, écrit autrement.", p[5]))
		for _, b := range wd.Blocks {
			if b.Kind == from || b.Kind == to {
				t.Fatalf("kinds = %v: a deletion and an unrelated insertion read as a move", kinds(wd))
			}
		}
	})
	t.Run("a paragraph edited next to one that moved", func(t *testing.T) {
		// The line diff alone puts the moved paragraph between the two
		// versions of its neighbour: they are compared once it is out.
		a := paragraphs("## Connexion", p[2], p[5], "- premier point")
		edited := strings.Replace(strings.Replace(p[2], "Quand", "Si", 1), "d'abord ", "", 1)
		b := paragraphs("## Connexion", strings.Replace(p[5], "l'envoi", "l’envoi", 1), edited, "- premier point")
		wd := checkWords(t, New(), a, b)
		// The old text has the edited paragraph first, the new one the
		// moved paragraph: the changed block comes between its two ends.
		if got, want := kinds(wd), []wiki.BlockKind{same, to, changed, same, from, same}; !reflect.DeepEqual(got, want) {
			t.Fatalf("kinds = %v, want %v", got, want)
		}
		want := []wiki.Segment{seg('-', "Quand"), seg('+', "Si"), seg('=', " la connexion échoue, vérifiez "), seg('-', "d'abord "),
			seg('=', "l'identifiant académique puis le mot de passe ÉduConnect.\n")}
		if got := wd.Blocks[2].Segments; !reflect.DeepEqual(got, want) {
			t.Errorf("changed block\n got %q\nwant %q", got, want)
		}
	})
	t.Run("two lines swapped in a list", func(t *testing.T) {
		a := "- un premier point de la liste\n- un deuxième point\n- un troisième point\n"
		b := "- un deuxième point\n- un troisième point\n- un premier point de la liste\n"
		if got, want := kinds(checkWords(t, New(), a, b)), []wiki.BlockKind{from, same, to}; !reflect.DeepEqual(got, want) {
			t.Fatalf("kinds = %v, want %v", got, want)
		}
	})
}

// slicesContain reports whether segs holds s.
func slicesContain(segs []wiki.Segment, s wiki.Segment) bool {
	for _, x := range segs {
		if x == s {
			return true
		}
	}
	return false
}
