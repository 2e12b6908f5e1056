package wiki_test

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/kdecole-club/clubwiki/wiki"
	"github.com/kdecole-club/clubwiki/wiki/textdiff"
)

// feedWords returns the HTML of a feed entry's diff from a to b, at most
// limit bytes.
func feedWords(t testing.TB, a, b string, limit int) (string, bool) {
	t.Helper()
	wd, err := textdiff.New().Words(context.Background(), a, b)
	if err != nil {
		t.Fatal(err)
	}
	return wiki.FeedWordsHTML(wd, wiki.FeedWords{}, limit)
}

// wellFormed checks that s holds only the diff's own elements, each
// closed in order, and returns the texts of its paragraphs on each side:
// old without what is inside <ins>, new without what is inside <del>.
func wellFormed(t testing.TB, s string) (old, new string) {
	t.Helper()
	allowed := map[string]bool{"div": true, "p": true, "del": true, "ins": true, "em": true}
	var open []string
	var a, b strings.Builder
	in := func(tag string) bool { return slices.Contains(open, tag) }
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatalf("tokenizing: %v", z.Err())
			}
			if len(open) != 0 {
				t.Fatalf("left open: %v in %s", open, s)
			}
			return a.String(), b.String()
		case html.TextToken:
			if text := z.Text(); in("p") && !in("em") {
				if !in("ins") {
					a.Write(text)
				}
				if !in("del") {
					b.Write(text)
				}
			}
		case html.StartTagToken:
			tok := z.Token()
			if tok.Data == "br" && len(tok.Attr) == 0 {
				continue
			}
			if !allowed[tok.Data] || (tok.Data != "p" && tok.Data != "div" && len(tok.Attr) > 0) {
				t.Fatalf("element %s in %s", tok, s)
			}
			open = append(open, tok.Data)
		case html.EndTagToken:
			tok := z.Token()
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				t.Fatalf("</%s> closes %v in %s", tok.Data, open, s)
			}
			open = open[:len(open)-1]
		default:
			t.Fatalf("token %s in %s", z.Token(), s)
		}
	}
}

func TestFeed_WordsHTML(t *testing.T) {
	t.Run("one word of French prose", func(t *testing.T) {
		got, cut := feedWords(t, "# Appel\n\nL'élève arrive à l'heure, aujourd'hui.\n",
			"# Appel\n\nL'élève arrive à l'école, aujourd'hui.\n", wiki.FeedEntryMax)
		want := `<div class="diff">` + "\n" + `<p class="same">… 2 lignes inchangées …</p>` + "\n" +
			`<p class="changed">L&#39;élève arrive à l&#39;<del>heure</del><ins>école</ins>, aujourd&#39;hui.</p>` + "\n</div>\n"
		if got != want || cut {
			t.Fatalf("got  %q\nwant %q", got, want)
		}
	})
	t.Run("a moved paragraph reads as moved", func(t *testing.T) {
		p1 := "Le premier paragraphe parle de la rentrée des classes en septembre.\n\n"
		p2 := "Le deuxième paragraphe décrit les réunions avec les parents d'élèves.\n\n"
		p3 := "Le troisième paragraphe présente le calendrier des conseils de classe.\n"
		got, _ := feedWords(t, p1+p2+p3, p2+p3+"\n"+strings.TrimSuffix(p1, "\n"), wiki.FeedEntryMax)
		wellFormed(t, got)
		if !strings.Contains(got, "(paragraphe déplacé plus bas)") || !strings.Contains(got, "Paragraphe déplacé ici depuis plus haut :") ||
			strings.Contains(got, "<del>Le premier") || strings.Contains(got, "<ins>Le premier") {
			t.Fatalf("move: %s", got)
		}
	})
	t.Run("markup in the page stays text", func(t *testing.T) {
		a := "Un <b>gras</b> & une </p></div><script>alert(1)</script>\n"
		b := "Un </ins><del>x</del> & une <img src=x onerror=alert(1)>\n"
		got, _ := feedWords(t, a, b, wiki.FeedEntryMax)
		if old, new := wellFormed(t, got); old+"\n" != a || new+"\n" != b {
			t.Fatalf("texts %q and %q of %s", old, new, got)
		}
	})
	t.Run("bounded, cut inside a paragraph", func(t *testing.T) {
		var a, b strings.Builder
		for i := range 3000 {
			a.WriteString("Ligne d'origine numéro " + strings.Repeat("é", i%7) + " \"fin\".\n")
			b.WriteString("Ligne modifiée numéro " + strings.Repeat("é", i%7) + " <fin>.\n")
		}
		// One word diff, written under each bound: writing reads the
		// diff and does not change it, and diffing is the time here.
		wd, err := textdiff.New().Words(context.Background(), a.String(), b.String())
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{wiki.FeedEntryMax, 4096, 300} {
			got, cut := wiki.FeedWordsHTML(wd, wiki.FeedWords{}, limit)
			if !cut || len(got) > limit || !utf8.ValidString(got) || !strings.Contains(got, "…") {
				t.Fatalf("limit %d: %d bytes, cut %v: %s", limit, len(got), cut, got[max(0, len(got)-200):])
			}
			wellFormed(t, got)
		}
	})
	t.Run("an empty page and no change", func(t *testing.T) {
		for _, c := range [][2]string{{"", ""}, {"Un.\n", "Un.\n"}, {"", "Un.\n"}, {"Un.\n", ""}} {
			got, cut := feedWords(t, c[0], c[1], wiki.FeedEntryMax)
			if old, new := wellFormed(t, got); cut || (c[0] != c[1] && (old != strings.TrimSpace(c[0]) || new != strings.TrimSpace(c[1]))) {
				t.Errorf("%q → %q: %s", c[0], c[1], got)
			}
		}
	})
}

// FuzzFeed_WordsHTML: whatever the two texts, an entry's diff is well
// formed, holds only its own elements, is valid UTF-8 and keeps to its
// bound.
func FuzzFeed_WordsHTML(f *testing.F) {
	f.Add("Un <b>gras</b>.\n\nDeux.\n", "Un </ins>gras.\n\nTrois & <p>.\n", 200)
	f.Add("a\nb\nc\n", "c\na\nb\n", 64)
	f.Add("l'école d'été\n", "l'\"école\" d'hiver\n", 5000)
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) || len(a)+len(b) > 1<<16 {
			return
		}
		limit = 150 + abs(limit)%wiki.FeedEntryMax
		got, _ := feedWords(t, a, b, limit)
		if len(got) > limit || !utf8.ValidString(got) {
			t.Fatalf("%d bytes for %d: %q", len(got), limit, got)
		}
		wellFormed(t, got)
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
