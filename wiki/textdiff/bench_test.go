package textdiff

import (
	"context"
	"strings"
	"testing"
)

// BenchmarkDiffer_Unified measures the line diff on an ordinary edit and on
// the hostile inputs of issue 7.
func BenchmarkDiffer_Unified(b *testing.B) {
	page := distinctText("Le cahier de textes de l'ENT est saisi le jour même, ligne", 400)
	cases := []struct{ name, a, b string }{
		{"20KB page one edit", page, replaceLines(page, "moi", 200)},
		{"2000 distinct lines 100 edits", distinctText("l", 2000), replaceLines(distinctText("l", 2000), "moi", spaced(0, 2000, 20)...)},
		{"40000 x vs y", strings.Repeat("x\n", 40000), strings.Repeat("y\n", 40000)},
		{"160000 x vs y", strings.Repeat("x\n", 160000), strings.Repeat("y\n", 160000)},
		{"60000 distinct three edits", distinctText("l", 60000), replaceLines(distinctText("l", 60000), "moi", 10, 30000, 59990)},
		{"200000 shifted run", "b\n" + strings.Repeat("a\n", 200000), strings.Repeat("a\n", 100000) + "d\n"},
	}
	for _, c := range cases {
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

// spaced returns lo, lo+step, … below hi.
func spaced(lo, hi, step int) []int {
	var out []int
	for i := lo; i < hi; i += step {
		out = append(out, i)
	}
	return out
}
