package textdiff

import (
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// go-diff computes the line diffs: each line is numbered as one rune and
// go-diff diffs the rune strings. Its time limit bounds its Myers search but
// not its speed-ups: a naive substring search of the shorter text in the
// longer one costs up to n·m steps, the half-match (on whenever a time limit
// is set) n·m again, merging its output at most a few n·m more. n and m are
// the line counts once common first and last lines are skipped, so those
// costs are bounded by their product; past goDiffMaxWork the bounded Myers
// of myers.go, which counts every step against the budget, computes the
// diff instead.

// goDiffMaxWork is the largest product of the two texts' line counts (once
// their common ends are skipped) that go-diff diffs. Its slowest inputs at
// this size (a run of one line that the substring search and the half-match
// try at every offset) take about 40 ms on a small server, see
// BenchmarkDiffer_Threshold; a page of 2,000 lines edited at both ends is
// within it.
const goDiffMaxWork = 2048 * 2048

// maxRuneIDs is how many distinct lines go-diff's rune strings can name:
// every code point but the surrogates, which a string cannot hold (they
// would come back as U+FFFD and two lines would look equal).
const maxRuneIDs = utf8.MaxRune + 1 - (surrogateEnd - surrogateStart)

const surrogateStart, surrogateEnd = 0xD800, 0xE000

// useGoDiff reports whether go-diff can diff n lines against m lines,
// distinct of them different, in well under any budget: distinct must
// also fit in the ids the budget allows (maxRuneIDs unless a test lowered
// it, see Differ.goDiffIDs).
func (b *budget) useGoDiff(n, m, distinct int) bool {
	return int64(n)*int64(m) <= goDiffMaxWork && distinct <= b.maxIDs
}

// idRunes returns the line ids as runes, skipping the surrogates.
func idRunes(ids []int32) []rune {
	out := make([]rune, len(ids))
	for i, id := range ids {
		r := rune(id)
		if r >= surrogateStart {
			r += surrogateEnd - surrogateStart
		}
		out[i] = r
	}
	return out
}

// goDiff returns the edit script turning a into b as computed by go-diff,
// with the budget's time left as its time limit. ok is false when go-diff's
// answer does not cover both texts exactly: the caller then diffs them
// another way.
func goDiff(bud *budget, a, b []int32) (runs []run, ok bool) {
	bud.goDiffs++
	left := time.Until(bud.deadline)
	if bud.ctx.Err() != nil || left <= 0 {
		bud.spend(checkEvery) // records the expiry or the context's end
		return coarse(len(a), len(b)), true
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = left
	diffs := dmp.DiffMainRunes(idRunes(a), idRunes(b), false)
	// go-diff does not watch ctx; what it did is bounded, so look after.
	bud.spend(checkEvery)
	return scriptOf(diffs, len(a), len(b))
}

// scriptOf turns go-diff's answer over token runes back into a script of
// runs. ok is false when the answer does not cover exactly n tokens of
// the old sequence and m of the new one.
func scriptOf(diffs []diffmatchpatch.Diff, n, m int) (runs []run, ok bool) {
	var s script
	na, nb := 0, 0
	for _, d := range diffs {
		k := utf8.RuneCountInString(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			s.add(Equal, k)
			na, nb = na+k, nb+k
		case diffmatchpatch.DiffDelete:
			s.add(Delete, k)
			na += k
		case diffmatchpatch.DiffInsert:
			s.add(Insert, k)
			nb += k
		}
	}
	return s.runs, na == n && nb == m
}

// coarse is the script replacing n lines by m others whole.
func coarse(n, m int) []run {
	var s script
	s.add(Delete, n)
	s.add(Insert, m)
	return s.runs
}
