package textdiff

import (
	"context"
	"strings"
	"testing"
	"time"
)

// worstCase returns n lines against m that cost go-diff the most for their
// size: no common first or last line, every line in both texts, and long
// runs of one line, which go-diff's substring search and half-match try at
// every offset.
func worstCase(n, m int) (a, b string) {
	x := func(k int) string { return strings.Repeat("x\n", k) }
	return "y\n" + x(n-2) + "z\n", "z\n" + x(m-2) + "y\n"
}

// BenchmarkDiffer_Threshold diffs the worst case at go-diff's threshold,
// which go-diff computes, and one line past it, which the bounded Myers
// computes.
func BenchmarkDiffer_Threshold(b *testing.B) {
	for _, c := range []struct {
		name string
		n, m int
	}{
		{"go-diff 2048x2048", 2048, 2048},
		{"guard 2049x2048", 2049, 2048},
	} {
		a, bb := worstCase(c.n, c.m)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := New().Lines(context.Background(), a, bb); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGoDiff_WorstCase runs go-diff itself on the worst case at the
// threshold and past it, to show why it stops there: its cost grows with
// n·m whatever its time limit.
func BenchmarkGoDiff_WorstCase(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
	}{
		{"2048x2048", 2048},
		{"4096x4096", 4096},
		{"8192x8192", 8192},
	} {
		a, bb := worstCase(c.n, c.n)
		ia, ib, _ := lineIDs(split(a), 0, c.n, split(bb), 0, c.n)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				bud := Differ{Timeout: 10 * time.Millisecond}.newBudget(context.Background())
				if _, ok := goDiff(bud, ia, ib); !ok {
					b.Fatal("go-diff's script does not cover the texts")
				}
			}
		})
	}
}
