package textdiff

import (
	"slices"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The blocks of a word diff: the texts without their moved paragraphs are
// cut into pieces, unchanged runs of lines and changed regions compared
// word by word; each moved paragraph's block then goes where its lines
// were, cutting the piece it falls in.

// piece is a run of the texts without their moved paragraphs.
type piece struct {
	kind   wiki.BlockKind // BlockSame or BlockChanged
	segs   []wiki.Segment
	coarse bool
}

// pieces cuts a and b, whose line diff is regions, into pieces.
func (w *wordDiffer) pieces(a, b text, regions []Region) []piece {
	var out []piece
	same := func(i, j int) {
		if i < j {
			out = append(out, piece{kind: wiki.BlockSame, segs: []wiki.Segment{{Op: wiki.SegEqual, Text: a.span(i, j)}}})
		}
	}
	i := 0
	for _, e := range regions {
		same(i, e.A0)
		segs, coarse := w.compareLines(lineSlice(a, e.A0, e.A1), lineSlice(b, e.B0, e.B1))
		out = append(out, piece{kind: wiki.BlockChanged, segs: segs, coarse: coarse})
		i = e.A1
	}
	same(i, a.n())
	return out
}

// lineSlice returns lines [i, j) of t.
func lineSlice(t text, i, j int) []string {
	out := make([]string, 0, j-i)
	for ; i < j; i++ {
		out = append(out, t.line(i))
	}
	return out
}

// cut is where a moved paragraph's block goes: at offset at of the text
// without the moved paragraphs, on its side.
type cut struct{ at, move int }

// without returns t without the lines of the moves (which lines tells),
// and a cut for each move, in the order of t.
func without(t text, ms []move, lines func(move) (int, int)) (text, []cut) {
	order := make([]int, len(ms))
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(x, y int) int {
		a, _ := lines(ms[x])
		b, _ := lines(ms[y])
		return a - b
	})
	var cuts []cut
	buf := make([]byte, 0, len(t.s))
	i := 0
	for _, k := range order {
		l0, l1 := lines(ms[k])
		buf = append(buf, t.span(i, l0)...)
		cuts = append(cuts, cut{len(buf), k})
		i = l1
	}
	buf = append(buf, t.span(i, t.n())...)
	return split(string(buf)), cuts
}

// place appends the blocks of the pieces, with each moved paragraph's
// block at its cut.
func (w *wordDiffer) place(ps []piece, oldCuts, newCuts []cut, ms []move) {
	var cur []wiki.Segment
	kind, coarse := wiki.BlockSame, false
	flush := func() {
		w.add(wiki.WordBlock{Kind: kind, Segments: cur, Coarse: coarse}, false)
		cur = nil
	}
	oo, no := 0, 0 // offsets reached in the texts without moves
	moves := func() {
		for len(oldCuts) > 0 && oldCuts[0].at == oo {
			flush()
			w.movedFrom(&ms[oldCuts[0].move])
			oldCuts = oldCuts[1:]
		}
		for len(newCuts) > 0 && newCuts[0].at == no {
			flush()
			w.movedTo(&ms[newCuts[0].move])
			newCuts = newCuts[1:]
		}
	}
	for _, p := range ps {
		flush()
		kind, coarse = p.kind, p.coarse
		for _, s := range p.segs {
			for s.Text != "" {
				moves()
				n := len(s.Text) // up to the next cut on the segment's sides
				if s.Op != wiki.SegInsert && len(oldCuts) > 0 {
					n = min(n, oldCuts[0].at-oo)
				}
				if s.Op != wiki.SegDelete && len(newCuts) > 0 {
					n = min(n, newCuts[0].at-no)
				}
				cur = wiki.AppendSegments(cur, wiki.Segment{Op: s.Op, Text: s.Text[:n]})
				oo, no = advance(s.Op, oo, no, n)
				s.Text = s.Text[n:]
			}
		}
	}
	moves()
	flush()
}

// advance moves the offsets reached in each text past n bytes of a
// segment of op.
func advance(op wiki.SegmentOp, oo, no, n int) (int, int) {
	if op != wiki.SegInsert {
		oo += n
	}
	if op != wiki.SegDelete {
		no += n
	}
	return oo, no
}
