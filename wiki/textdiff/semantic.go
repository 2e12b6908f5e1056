package textdiff

import (
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Semantic cleanup of a word diff's script. go-diff's semantic cleanup
// works on the token numbers: it merges short equalities into the
// changes around them well, but the numbers cannot tell where a sentence
// or a line ends, so shiftEdits then slides each lone insertion or
// deletion to where it reads best, as go-diff's lossless cleanup does
// with characters.

// cleanup runs go-diff's semantic cleanup on the script, which merges the
// equalities shorter than the changes around them ("le" between two
// changed words) into the changes: a reader then sees one phrase replaced
// rather than alternating fragments. It keeps runs if go-diff's answer
// does not cover both sequences.
func cleanup(runs []run, ia, ib []int32) []run {
	ra, rb := idRunes(ia), idRunes(ib)
	diffs := make([]diffmatchpatch.Diff, 0, len(runs))
	i, j := 0, 0
	for _, r := range runs {
		switch r.op {
		case Equal:
			diffs = append(diffs, diffmatchpatch.Diff{Type: diffmatchpatch.DiffEqual, Text: string(ra[i : i+r.n])})
			i, j = i+r.n, j+r.n
		case Delete:
			diffs = append(diffs, diffmatchpatch.Diff{Type: diffmatchpatch.DiffDelete, Text: string(ra[i : i+r.n])})
			i += r.n
		case Insert:
			diffs = append(diffs, diffmatchpatch.Diff{Type: diffmatchpatch.DiffInsert, Text: string(rb[j : j+r.n])})
			j += r.n
		}
	}
	diffs = diffmatchpatch.New().DiffCleanupSemantic(diffs)
	if clean, ok := scriptOf(diffs, len(ia), len(ib)); ok {
		return clean
	}
	return runs
}

// shiftEdits moves each lone insertion or deletion between two equal runs
// to the position, among those giving the same texts, whose two
// boundaries read best (boundaryScore): « dort.⟨ Le chat boit.⟩ Le chat
// mange » rather than « dort. Le chat ⟨boit. Le chat ⟩mange ».
func shiftEdits(runs []run, a, b text, ia, ib []int32) []run {
	i, j := 0, 0 // where run r starts in a and b
	for r := range runs {
		if r > 0 && r+1 < len(runs) && runs[r].op != Equal && runs[r-1].op == Equal && runs[r+1].op == Equal {
			t, ids, p := a, ia, i
			if runs[r].op == Insert {
				t, ids, p = b, ib, j
			}
			s := bestShift(t, ids, p, runs[r].n, runs[r-1].n, runs[r+1].n)
			runs[r-1].n += s
			runs[r+1].n -= s
			i, j = i+s, j+s
		}
		switch runs[r].op {
		case Equal:
			i, j = i+runs[r].n, j+runs[r].n
		case Delete:
			i += runs[r].n
		case Insert:
			j += runs[r].n
		}
	}
	var out script // drops the runs emptied, merges the ones now adjacent
	for _, r := range runs {
		out.add(r.op, r.n)
	}
	return out.runs
}

// bestShift returns how far to move the edit of tokens [p, p+n) of t,
// between before equal tokens before it and after after it.
func bestShift(t text, ids []int32, p, n, before, after int) int {
	s := 0
	for s > -before && ids[p+s-1] == ids[p+s+n-1] {
		s--
	}
	best, bestScore := s, boundaryScore(t, p+s)+boundaryScore(t, p+s+n)
	for s < after && ids[p+s] == ids[p+s+n] {
		s++
		// >= prefers the last best place: edits end with their space.
		if sc := boundaryScore(t, p+s) + boundaryScore(t, p+s+n); sc >= bestScore {
			best, bestScore = s, sc
		}
	}
	return best
}

// boundaryScore says how well an edit reads starting or ending before
// token k of t: 6 at an end of the text, 5 at a blank line, 4 at a line
// break, 3 after punctuation and before a space, 2 next to a space, 1 next to
// punctuation, 0 inside a run of words.
func boundaryScore(t text, k int) int {
	if k == 0 || k == t.n() {
		return 6
	}
	left, right := t.line(k-1), t.line(k)
	lr, _ := utf8.DecodeRuneInString(left)
	rr, _ := utf8.DecodeRuneInString(right)
	switch {
	case left == "\n" && k >= 2 && t.line(k-2) == "\n", right == "\n" && k+1 < t.n() && t.line(k+1) == "\n":
		return 5
	case left == "\n" || right == "\n":
		return 4
	case !isWordRune(lr) && !isSpace(lr) && isSpace(rr):
		return 3 // after punctuation: the end of a sentence or a clause
	case isSpace(lr) || isSpace(rr):
		return 2
	case !isWordRune(lr) || !isWordRune(rr):
		return 1
	}
	return 0
}

// isSpace reports whether r starts a token of white space.
func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\u00a0' || r == '\n' || r == '\r' }
