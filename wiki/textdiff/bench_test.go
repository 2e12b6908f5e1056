package textdiff

import (
	"context"
	"strings"
	"testing"

	"github.com/kdecole-club/clubwiki/testdata/hostile"
)

// benchCase is a pair of texts to diff.
type benchCase struct{ name, a, b string }

// benchCases are an ordinary edit and the hostile inputs of issue 7.
func benchCases() []benchCase {
	page := hostile.NumberedLines("Le cahier de textes de l'ENT est saisi le jour même, ligne", 400)
	big := hostile.NumberedLines("l", 60000)
	swapped := swappedHalves(80000)
	return []benchCase{
		{"20KB page one edit", page, replaceLines(page, "moi", 200)},
		{"2000 shared lines 200 edits", vocabText(2000), replaceLines(vocabText(2000), "moi", spaced(0, 2000, 10)...)},
		{"40000 x vs y", hostile.SameLines(40000, "x"), hostile.SameLines(40000, "y")},
		{"160000 x vs y", hostile.SameLines(160000, "x"), hostile.SameLines(160000, "y")},
		{"60000 distinct three edits", big, replaceLines(big, "moi", 10, 30000, 59990)},
		{"200000 shifted run", "b\n" + strings.Repeat("a\n", 200000), strings.Repeat("a\n", 100000) + "d\n"},
		{"160000 halves swapped", swapped, swapped[len(swapped)/2:] + swapped[:len(swapped)/2]},
	}
}

// BenchmarkDiffer_Lines measures the line diff alone.
func BenchmarkDiffer_Lines(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New().Lines(context.Background(), c.a, c.b); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDiffer_Unified measures the diff page's and API's work.
func BenchmarkDiffer_Unified(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, _, err := New().Unified(context.Background(), c.a, c.b, "a", "b"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDiffer_Merge3 measures a merge of disjoint edits on a page of
// 60,000 distinct lines.
func BenchmarkDiffer_Merge3(b *testing.B) {
	base := hostile.NumberedLines("l", 60000)
	mine, theirs := replaceLines(base, "moi", 100), replaceLines(base, "eux", 50000)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := New().Merge3(context.Background(), base, mine, theirs, 2); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// spaced returns lo, lo+step, … below hi.
func spaced(lo, hi, step int) []int {
	var out []int
	for i := lo; i < hi; i += step {
		out = append(out, i)
	}
	return out
}
