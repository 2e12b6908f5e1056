package textdiff

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// mergeBenchPage returns a page of about size bytes of French paragraphs
// of five sentences each, and the sentences of each paragraph.
func mergeBenchPage(size int) (page string, paras [][]string) {
	r := rand.New(rand.NewPCG(20, 10))
	var b strings.Builder
	b.WriteString("# Bonne pratique\n\n")
	for b.Len() < size {
		var ss []string
		for range 5 {
			words := make([]string, 8+r.IntN(8))
			for i := range words {
				words[i] = propWords[r.IntN(len(propWords))]
			}
			ss = append(ss, strings.Join(words, " ")+".")
		}
		paras = append(paras, ss)
		b.WriteString(strings.Join(ss, " ") + "\n\n")
	}
	return b.String(), paras
}

// mergeBenchEdits returns page with sentence s of n paragraphs spread
// over the page rewritten.
func mergeBenchEdits(page string, paras [][]string, n, s int, who string) string {
	step := len(paras) / n
	for k := range n {
		old := paras[k*step][s]
		page = strings.Replace(page, old, fmt.Sprintf("%s récrit la phrase %d, l'ENT d'abord.", who, k), 1)
	}
	return page
}

// BenchmarkDiffer_MergeWords measures the merge of a save onto a head
// both 20 KB, each with 10 changes: in different paragraphs (merged by
// lines) and in different sentences of the same paragraphs (each merged by
// words). Aim: under 20 ms.
func BenchmarkDiffer_MergeWords(b *testing.B) {
	page, paras := mergeBenchPage(20 << 10)
	cases := []struct{ name, mine, theirs string }{
		{"20KB 10+10 changes same paragraphs", mergeBenchEdits(page, paras, 10, 1, "Anne"), mergeBenchEdits(page, paras, 10, 3, "Paul")},
		{"20KB 10+10 changes other paragraphs", mergeBenchEdits(page, paras, 10, 1, "Anne"),
			mergeBenchEdits(page, paras[1:], 10, 3, "Paul")},
	}
	for _, c := range cases {
		m, err := New().Merge(context.Background(), page, c.mine, c.theirs)
		if err != nil || len(m.Conflicts()) > 0 {
			b.Fatalf("%s: %v, %d conflicts", c.name, err, len(m.Conflicts()))
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New().Merge(context.Background(), page, c.mine, c.theirs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
