package textdiff

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
	"golang.org/x/text/unicode/norm"
)

// Moved paragraphs. The line diff keeps one order of the lines: a
// paragraph moved elsewhere is deleted in one region and inserted in
// another. A deleted line and an inserted line of two different regions
// that hold the same words, or nearly (moveSimilarity), are taken for one
// paragraph that moved; consecutive moved lines, and the blank lines
// between them, make one moved block.

// moveSimilarity is the share of words two lines must have in common to
// be the same paragraph moved: 2·common / (words of one + words of other).
const moveSimilarity = 0.9

// minMoveWords is the fewest words a moved line has: shorter lines (a
// rule, a lone word, a table's separator) recur anywhere and would pair
// by chance.
const minMoveWords = 2

// maxMoveWork bounds the words visited comparing deleted lines with
// inserted ones; past it only identical lines are paired. A test may
// lower it (Differ.moveWork, budget.maxMoveWork).
const maxMoveWork = 1 << 21

// move is a paragraph that moved: lines [a0, a1) of the old text are
// lines [b0, b1) of the new one, in regions ra and rb of the line diff.
// Its blocks hold the wider lines [oa0, oa1) and [ob0, ob1), which add a
// blank line next to it.
type move struct {
	a0, a1, b0, b1     int
	oa0, oa1, ob0, ob1 int
	ra, rb             int
	from, to           int // the indexes of its two blocks
}

// candidate is a changed line that may have moved.
type candidate struct {
	line, region int
	words        []int32 // its words' numbers, sorted
	used         bool
}

// findMoves returns the moved paragraphs between the regions, in the
// order of the old text.
func (w *wordDiffer) findMoves(regions []Region) []move {
	if len(regions) < 2 {
		return nil
	}
	words := make(map[string]int32)
	olds := candidates(w.a, regions, words, func(e Region) (int, int) { return e.A0, e.A1 })
	news := candidates(w.b, regions, words, func(e Region) (int, int) { return e.B0, e.B1 })
	if len(olds) == 0 || len(news) == 0 {
		return nil
	}
	var ms []move
	byText := make(map[string][]*candidate)
	for i := range news {
		l := w.b.line(news[i].line)
		byText[l] = append(byText[l], &news[i])
	}
	work := 0
	for i := range olds {
		o := &olds[i]
		l := w.a.line(o.line)
		n := sameLine(byText, l, o.region)
		if n == nil && work < w.bud.maxMoveWork {
			n, work = nearLine(o, news, work, w.bud)
		}
		if n != nil {
			n.used = true
			ms = append(ms, move{a0: o.line, a1: o.line + 1, b0: n.line, b1: n.line + 1, ra: o.region, rb: n.region})
		}
	}
	return w.joinMoves(ms)
}

// candidates returns the changed lines of t, in the regions' side that
// lines gives, that have enough words to have moved.
func candidates(t text, regions []Region, words map[string]int32, lines func(Region) (int, int)) []candidate {
	var out []candidate
	for r, e := range regions {
		l0, l1 := lines(e)
		for i := l0; i < l1; i++ {
			ws := lineWords(t.line(i), words)
			if len(ws) >= minMoveWords {
				out = append(out, candidate{line: i, region: r, words: ws})
			}
		}
	}
	return out
}

// lineWords returns the numbers of the words of line, sorted, numbering
// new words in words. Words equal once composed (NFC) are one word.
func lineWords(line string, words map[string]int32) []int32 {
	var out []int32
	for i := 0; i < len(line); {
		n := tokenLen(line[i:])
		tok := line[i : i+n]
		i += n
		if r, _ := utf8.DecodeRuneInString(tok); !isWordRune(r) {
			continue
		}
		if tok[0] >= utf8.RuneSelf && !norm.NFC.IsNormalString(tok) {
			tok = norm.NFC.String(tok)
		}
		id, ok := words[tok]
		if !ok {
			id = int32(len(words))
			words[tok] = id
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// maxSameScan is how many identical lines sameLine looks at past the used
// ones: a page of one line repeated could otherwise make finding moves
// quadratic.
const maxSameScan = 16

// sameLine returns an unused candidate of byText[l] outside region r, and
// drops the used ones first in the list.
func sameLine(byText map[string][]*candidate, l string, r int) *candidate {
	cs := byText[l]
	for len(cs) > 0 && cs[0].used {
		cs = cs[1:]
	}
	byText[l] = cs
	for _, c := range cs[:min(len(cs), maxSameScan)] {
		if !c.used && c.region != r {
			return c
		}
	}
	return nil
}

// nearLine returns the unused candidate of news outside o's region most
// similar to o, if one is similar enough, and the work counter advanced
// by the words it compared, up to bud's maxMoveWork.
func nearLine(o *candidate, news []candidate, work int, bud *budget) (*candidate, int) {
	var best *candidate
	bestSim := moveSimilarity
	p := float64(len(o.words))
	for i := range news {
		n := &news[i]
		q := float64(len(n.words))
		work++
		bud.moveVisits++
		if n.used || n.region == o.region || q < p*moveSimilarity || p < q*moveSimilarity {
			if work >= bud.maxMoveWork {
				break
			}
			continue // lengths alone rule them out
		}
		work += len(o.words) + len(n.words)
		if sim := 2 * float64(common(o.words, n.words)) / (p + q); sim >= bestSim {
			if best == nil || sim > bestSim {
				best, bestSim = n, sim
			}
		}
		if work >= bud.maxMoveWork {
			break
		}
	}
	return best, work
}

// common returns the size of the intersection of two sorted multisets.
func common(x, y []int32) int {
	n, i, j := 0, 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] < y[j]:
			i++
		case x[i] > y[j]:
			j++
		default:
			n, i, j = n+1, i+1, j+1
		}
	}
	return n
}

// joinMoves joins moved lines that follow each other on both sides, with
// the blank lines between them, into moved blocks.
func (w *wordDiffer) joinMoves(ms []move) []move {
	var out []move
	for _, m := range ms {
		if k := len(out) - 1; k >= 0 && out[k].ra == m.ra && out[k].rb == m.rb {
			last := &out[k]
			if ga, gb := m.a0-last.a1, m.b0-last.b1; ga == gb && ga >= 0 &&
				blank(w.a.span(last.a1, m.a0)) && blank(w.b.span(last.b1, m.b0)) {
				last.a1, last.b1 = m.a1, m.b1
				continue
			}
		}
		out = append(out, m)
	}
	// A blank line next to a moved block goes with it on each side, so
	// that neither place keeps a stray empty line and the text left once
	// it is out (Words) has its paragraphs one blank line apart.
	usedA, usedB := make(map[int]bool), make(map[int]bool)
	for _, m := range out {
		for i := m.a0; i < m.a1; i++ {
			usedA[i] = true
		}
		for i := m.b0; i < m.b1; i++ {
			usedB[i] = true
		}
	}
	for i := range out {
		m := &out[i]
		m.oa0, m.oa1 = widen(w.a, m.a0, m.a1, usedA)
		m.ob0, m.ob1 = widen(w.b, m.b0, m.b1, usedB)
	}
	return out
}

// widen returns lines [l0, l1) of t with the blank line after them, or
// else the one before, when there is one not used yet; it marks the line
// used.
func widen(t text, l0, l1 int, used map[int]bool) (int, int) {
	switch {
	case l1 < t.n() && !used[l1] && blank(t.line(l1)):
		used[l1] = true
		return l0, l1 + 1
	case l0 > 0 && !used[l0-1] && blank(t.line(l0-1)):
		used[l0-1] = true
		return l0 - 1, l1
	}
	return l0, l1
}

// blank reports whether s holds only white space.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// link points each moved block at its other end.
func (w *wordDiffer) link(ms []move) {
	for _, m := range ms {
		w.out.Blocks[m.from].Move = m.to
		w.out.Blocks[m.to].Move = m.from
	}
}

// movedFrom appends the block of a moved paragraph's old place.
func (w *wordDiffer) movedFrom(m *move) {
	seg := wiki.Segment{Op: wiki.SegDelete, Text: w.a.span(m.oa0, m.oa1)}
	m.from = w.add(wiki.WordBlock{Kind: wiki.BlockMovedFrom, Segments: []wiki.Segment{seg}}, true)
}

// movedTo appends the block of a moved paragraph's new place, with the
// word diff of the changes its lines had on the way. The blank lines the
// block adds around them (widen) are equal in the diff, so that it
// rebuilds the block's text.
func (w *wordDiffer) movedTo(m *move) {
	old, neu := w.a.span(m.a0, m.a1), w.b.span(m.b0, m.b1)
	b := wiki.WordBlock{Kind: wiki.BlockMovedTo, Segments: []wiki.Segment{{Op: wiki.SegInsert, Text: w.b.span(m.ob0, m.ob1)}}}
	if old != neu {
		edits, ok := w.compare(old, neu)
		if !ok {
			edits, b.Coarse = coarseSegments(old, neu), true
		}
		b.Edits = wiki.AppendSegments(nil, wiki.Segment{Op: wiki.SegEqual, Text: w.b.span(m.ob0, m.b0)})
		b.Edits = wiki.AppendSegments(b.Edits, edits...)
		b.Edits = wiki.AppendSegments(b.Edits, wiki.Segment{Op: wiki.SegEqual, Text: w.b.span(m.b1, m.ob1)})
	}
	m.to = w.add(b, true)
}
