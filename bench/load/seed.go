package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// Seeded pages live in these namespaces (keys of the default wiki).
var seedNS = []string{"usages", "accompagnement", "assistance", "portails", "connecteurs", "marches", "services", "club"}

// The two pages whose revisions 1 and 2 the attackers diff.
const (
	diffDistinct = "usages/banc-diff-lignes-distinctes"
	diffXY       = "usages/banc-diff-x-puis-y"
)

// seedTree writes pages .md files under dir/<namespace>/ for
// "clubwiki import", and under dir2 the second revisions of the two diff
// pages (a second import adds them).
func seedTree(dir, dir2 string, pages int, sentences []string) (int64, error) {
	total, err := seedPages(dir, pages, sentences)
	if err != nil {
		return 0, err
	}
	for _, p := range []struct {
		dir, path, md string
	}{
		{dir, diffDistinct, hostile.DistinctLines(60000, 1)},
		{dir2, diffDistinct, hostile.DistinctLines(60000, 2)},
		{dir, diffXY, hostile.SameLines(40000, "x")},
		{dir2, diffXY, hostile.SameLines(40000, "y")},
	} {
		if err := writePage(p.dir, p.path, p.md); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// seedPages writes the ordinary pages only: what the memory test imports.
func seedPages(dir string, pages int, sentences []string) (int64, error) {
	g := &pageGen{rng: rand.New(rand.NewPCG(3, 4)), sentences: sentences}
	var total int64
	for i := range pages {
		md := g.page()
		total += int64(len(md))
		if err := writePage(dir, pagePath(i), md); err != nil {
			return 0, err
		}
	}
	return total, nil
}

func pagePath(i int) string { return fmt.Sprintf("%s/banc-page-%d", seedNS[i%len(seedNS)], i) }

func writePage(dir, path, md string) error {
	name := filepath.Join(dir, filepath.FromSlash(path)+".md")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(md), 0o644)
}

// pageGen makes pages of 5 to 30 sentences with typed front matter.
type pageGen struct {
	rng       *rand.Rand
	sentences []string
}

func (g *pageGen) one(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *pageGen) page() string {
	var b strings.Builder
	// Statuses the page types allow (wiki.DefaultTypes): a save of
	// another is refused.
	typ := g.one([]string{"resolution", "bonne-pratique", "compte-rendu"})
	status := map[string][]string{"resolution": {"ouvert", "résolu", "contourné"}, "bonne-pratique": {"brouillon", "validée"}, "compte-rendu": {"ouvert", "résolu"}}[typ]
	fmt.Fprintf(&b, "---\ntype: %s\nstatus: %s\ntags: [%s]\n---\n",
		typ, g.one(status), g.one([]string{"connexion", "messagerie", "vie scolaire", "familles"}))
	title := strings.Fields(g.one(g.sentences))
	fmt.Fprintf(&b, "# %s\n\n", strings.Join(title[:min(6, len(title))], " "))
	for i := range 5 + g.rng.IntN(26) {
		b.WriteString(g.one(g.sentences))
		if i%5 == 4 {
			b.WriteString("\n\n")
		} else {
			b.WriteString(" ")
		}
	}
	b.WriteString("\n")
	return b.String()
}

// syntheticSentences makes French-looking sentences when no corpus is
// given. Prefix expansion costs what the vocabulary holds, so the words
// are many (about 20,000 made of syllables) as in a real wiki, mixed with
// the common words every page has.
func syntheticSentences(n int) []string {
	rng := rand.New(rand.NewPCG(5, 6))
	syl := strings.Fields("pro pré de dé con com la ma ti on re ser vi ce men tion par to ca ni sa lu mi for ges ré ex in é lè cla ta ble au ri")
	common := strings.Fields("le la les des de du un une et est pour dans sur avec par que qui ne pas ce cette au aux")
	seen := map[string]bool{}
	var vocab []string
	for len(vocab) < 20000 {
		var w strings.Builder
		for range 2 + rng.IntN(3) {
			w.WriteString(syl[rng.IntN(len(syl))])
		}
		if !seen[w.String()] {
			seen[w.String()] = true
			vocab = append(vocab, w.String())
		}
	}
	out := make([]string, n)
	for i := range out {
		words := make([]string, 8+rng.IntN(12))
		for j := range words {
			if j%2 == 1 {
				words[j] = common[rng.IntN(len(common))]
			} else {
				words[j] = vocab[rng.IntN(len(vocab))]
			}
		}
		r, size := utf8.DecodeRuneInString(words[0])
		words[0] = string(unicode.ToUpper(r)) + words[0][size:]
		out[i] = strings.Join(words, " ") + "."
	}
	return out
}
