package textdiff

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// renderBlocks diffs a and b and returns their rendered-diff blocks,
// checking that the blocks rebuild the new text: '=' blocks without their
// deletion marks, and '+' blocks.
func renderBlocks(t *testing.T, a, b string) []wiki.DiffBlock {
	t.Helper()
	bs := RenderBlocks(checkWords(t, New(), a, b))
	var neu strings.Builder
	for i, bl := range bs {
		if bl.Op != wiki.SegDelete {
			neu.WriteString(view(bl.Markdown, wiki.MarkDelStart, wiki.MarkDelEnd))
		}
		checkMarks(t, i, bl)
	}
	if b = clean(b); neu.String() != b {
		t.Fatalf("the blocks do not rebuild the new text:\n got %q\nwant %q", neu.String(), b)
	}
	return bs
}

// checkMarks checks that the marks of block i open and close in pairs,
// never nested nor across a line, and only in a marked block.
func checkMarks(t testing.TB, i int, bl wiki.DiffBlock) {
	t.Helper()
	var open rune
	for _, r := range bl.Markdown {
		switch {
		case r == wiki.MarkInsStart || r == wiki.MarkDelStart:
			if open != 0 || !bl.Marked {
				t.Fatalf("block %d: a mark opens inside another, or in a block not marked: %q", i, bl.Markdown)
			}
			open = r
		case r == wiki.MarkInsEnd || r == wiki.MarkDelEnd:
			if open != r-1 {
				t.Fatalf("block %d: a mark closes that is not open: %q", i, bl.Markdown)
			}
			open = 0
		case r == '\n' && open != 0:
			t.Fatalf("block %d: a mark spans a line: %q", i, bl.Markdown)
		}
	}
	if open != 0 {
		t.Fatalf("block %d: a mark is left open: %q", i, bl.Markdown)
	}
}

// view returns md without the text between the marks open and end, and
// without any other mark.
func view(md string, open, end rune) string {
	var sb strings.Builder
	skip := false
	for i := 0; i < len(md); {
		r, n := utf8.DecodeRuneInString(md[i:])
		switch {
		case r == open:
			skip = true
		case r == end:
			skip = false
		case isMark(r) || skip:
		default:
			sb.WriteString(md[i : i+n]) // invalid bytes as they are
		}
		i += n
	}
	return sb.String()
}

// blockOps returns the blocks' ops, "m" for a marked one.
func blockOps(bs []wiki.DiffBlock) string {
	var sb strings.Builder
	for _, b := range bs {
		if b.Marked {
			sb.WriteByte('m')
		} else {
			sb.WriteByte(byte(b.Op))
		}
	}
	return sb.String()
}

func TestRenderBlocks(t *testing.T) {
	const ins, endIns, del, endDel = string(wiki.MarkInsStart), string(wiki.MarkInsEnd), string(wiki.MarkDelStart), string(wiki.MarkDelEnd)
	t.Run("words marked inside a paragraph", func(t *testing.T) {
		a := "# Titre\n\nLe professeur publie le *cahier de textes*.\n\nFin.\n"
		b := strings.Replace(a, "publie", "remplit", 1)
		bs := renderBlocks(t, a, b)
		if got := blockOps(bs); got != "=m=" {
			t.Fatalf("ops = %q, want one marked block between unchanged ones", got)
		}
		if want := "Le professeur " + del + "publie" + endDel + ins + "remplit" + endIns + " le *cahier de textes*.\n"; bs[1].Markdown != want {
			t.Errorf("marked block = %q, want %q", bs[1].Markdown, want)
		}
	})
	for _, c := range []struct{ name, a, b string }{
		{"a heading", "# Ancien titre\n", "# Nouveau titre\n"},
		{"a setext heading", "Ancien titre\n===\n", "Nouveau titre\n===\n"},
		{"a link's text", "Voir [la page](club/accueil).\n", "Voir [l'accueil](club/accueil).\n"},
		{"a link's address", "Voir [la page](club/accueil).\n", "Voir [la page](club/membres).\n"},
		{"an image's text", "![le logo](logo.png)\n", "![le nouveau logo](logo.png)\n"},
		{"a bare address", "Voir https://exemple.fr/ancien ici.\n", "Voir https://exemple.fr/nouveau ici.\n"},
		{"inline HTML", "Un <span title=\"ancien\">mot</span>.\n", "Un <span title=\"nouveau\">mot</span>.\n"},
		{"emphasis added", "Un mot important.\n", "Un mot **important**.\n"},
		{"a list's number", "1. Premier point\n", "2. Premier point\n"},
		{"a line added", "Premier.\n", "Premier.\n- Second.\n"},
		{"front matter", "---\ntitle: Ancien\n---\nTexte.\n", "---\ntitle: Nouveau\n---\nTexte.\n"},
	} {
		t.Run("whole blocks for "+c.name, func(t *testing.T) {
			bs := renderBlocks(t, c.a, c.b)
			for _, b := range bs {
				if b.Marked {
					t.Fatalf("ops = %q: a change inside Markdown syntax was marked inside it", blockOps(bs))
				}
			}
			if !strings.Contains(blockOps(bs), "-") && !strings.Contains(blockOps(bs), "+") {
				t.Errorf("ops = %q, want the old and new versions whole", blockOps(bs))
			}
		})
	}
	t.Run("marks in the page are not marks", func(t *testing.T) {
		a := "Un " + ins + "faux" + endIns + " repère.\n\nFin.\n"
		b := "Un " + ins + "faux" + endIns + " repère changé.\n\nFin.\n"
		bs := RenderBlocks(checkWords(t, New(), a, b))
		if got := bs[0].Markdown; strings.Count(got, ins) != 1 || !strings.Contains(got, "\uFFFDfaux\uFFFD") {
			t.Errorf("block = %q: only the differ's insertion may be marked", got)
		}
	})
	t.Run("unchanged blocks cut at blank lines, fences whole", func(t *testing.T) {
		a := "Un.\n\nDeux.\n\n```\ncode\n\nsuite\n```\n\nTrois.\n\nQuatre.\n"
		bs := renderBlocks(t, a, strings.Replace(a, "Quatre", "Cinq", 1))
		var got []string
		for _, b := range bs {
			got = append(got, b.Markdown)
		}
		want := []string{"Un.\n\n", "Deux.\n\n", "```\ncode\n\nsuite\n```\n\n", "Trois.\n\n", del + "Quatre" + endDel + ins + "Cinq" + endIns + ".\n"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("blocks\n got %q\nwant %q", got, want)
		}
	})
	t.Run("a moved paragraph", func(t *testing.T) {
		p := frenchParagraphs
		edited := strings.Replace(p[0], "dès la rentrée", "dès septembre", 1)
		bs := renderBlocks(t, paragraphs(p[:4]...), paragraphs(p[1], p[2], p[3], edited))
		if got := blockOps(bs); got != "-===m" || bs[0].Kind != wiki.BlockMovedFrom || bs[4].Kind != wiki.BlockMovedTo {
			t.Errorf("ops = %q, want the old place deleted and the new one marked", got)
		}
	})
}

func TestRenderBlocks_random(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 3))
	for range 300 {
		a := randomPage(r)
		b := a
		for range 1 + r.IntN(4) {
			b = randomEdit(r, b)
		}
		renderBlocks(t, a, b)
	}
}

func FuzzRenderBlocks(f *testing.F) {
	f.Add("# Titre\n\nLe chat dort.\n", "# Titre\n\nLe chien dort.\n")
	f.Add("Voir [la page](a).\n", "Voir [une page](a).\n")
	f.Add("---\ntitle: a\n---\nb\n", "---\ntitle: c\n---\nb\n")
	f.Add("Un \ue000faux\ue001.\n", "Un \ue002vrai\ue003.\n")
	f.Add("```\na\n\nb\n```\n", "```\na\n\nc\n```\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		renderBlocks(t, a, b)
	})
}
