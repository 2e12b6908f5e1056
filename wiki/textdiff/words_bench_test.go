package textdiff

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/bench/prose"
	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// wordBenchCases are a realistic page edited in a few words, the same
// with a paragraph moved, and the hostile inputs of the word diff.
func wordBenchCases() []benchCase {
	page := hostile.FrenchProse(20 << 10)
	edited := strings.Replace(page, "réunion d'information", "réunion de rentrée", 1)
	edited = strings.Replace(edited, "chaque soir", "chaque matin", 1)
	edited = edited[:len(edited)/2] + strings.Replace(edited[len(edited)/2:], "parents", "familles", 1)
	first := strings.Index(page, "\n\n") + 2
	para := page[first : first+strings.Index(page[first:], "\n\n")+2]
	moved := strings.Replace(page, para, "", 1) + para
	big := hostile.FrenchProse(2 << 20)
	alternating := strings.Repeat("a x ", MaxRegionTokens/4-1) + "\n" // just within the bound
	return []benchCase{
		{"20KB page three words", page, edited},
		{"20KB page paragraph moved", page, moved},
		{"2MiB page three words", big, strings.Replace(big, "chaque soir", "chaque matin", 1)},
		{"60000 distinct words vs 60000", hostile.DistinctWords("mot", 60000), hostile.DistinctWords("terme", 60000)},
		{"one line of alternating changes", alternating, strings.ReplaceAll(alternating, "x", "y")},
		{"60000 lines each changed", hostile.NumberedLines("ligne", 60000), hostile.NumberedLines("ligne modifiée", 60000)},
	}
}

// BenchmarkDiffer_Words measures the word diff; the line diff of the
// same texts is BenchmarkDiffer_Lines.
func BenchmarkDiffer_Words(b *testing.B) {
	for _, c := range wordBenchCases() {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New().Words(context.Background(), c.a, c.b); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDiffer_WordsCorpus diffs a 20 KB page of real French prose
// (sentences of the shared corpus: $CLUBWIKI_CORPUS, else ../shared/corpus
// next to the repository) against itself with a word changed in three
// paragraphs, the "word-level diff of two 20 KB revisions".
func BenchmarkDiffer_WordsCorpus(b *testing.B) {
	dir := os.Getenv("CLUBWIKI_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	sentences, err := prose.Sentences(dir)
	if err != nil {
		b.Skipf("no corpus (set CLUBWIKI_CORPUS): %v", err)
	}
	var paras []string
	for i, size := 0, 0; size < 20<<10; i += 3 {
		p := strings.Join(sentences[i%len(sentences):min(i%len(sentences)+3, len(sentences))], " ")
		paras = append(paras, p)
		size += len(p) + 2
	}
	page := strings.Join(paras, "\n\n") + "\n"
	for _, k := range []int{1, len(paras) / 2, len(paras) - 2} {
		w := strings.Fields(paras[k])
		paras[k] = strings.Replace(paras[k], w[len(w)/2], "modifié", 1)
	}
	edited := strings.Join(paras, "\n\n") + "\n"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New().Words(context.Background(), page, edited); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderBlocks measures cutting a word diff into the rendered
// diff's blocks, the differ's share of a rendered diff (the rendering of
// the blocks is the renderer's).
func BenchmarkRenderBlocks(b *testing.B) {
	for _, c := range wordBenchCases()[:3] {
		wd, err := New().Words(context.Background(), c.a, c.b)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				RenderBlocks(wd)
			}
		})
	}
}
