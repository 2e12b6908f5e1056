package textdiff

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kdecole-club/clubwiki/wiki"
)

// The word diff: lines are matched first (the line diff of lines.go), then
// the lines of each changed region are compared token by token (tokens.go)
// with the same engines, go-diff or the bounded Myers, each token numbered
// as one rune the way go-diff's DiffLinesToRunes numbers lines; go-diff's
// semantic cleanup then merges the small equalities that make a diff hard
// to read. Paragraphs that moved are found before (moves.go) and left out
// of the word comparison.

// The bounds of the word comparison, besides the differ's time bound. A
// region past them is shown replaced whole, as the line diff does, and
// the result says so (Coarse).
const (
	// MaxRegionTokens is the most tokens one side of one compared region
	// may have: about 12 KB of prose, more than a long paragraph. Its worst
	// case, every other word changed, costs the bounded Myers about 50 ms
	// on a small server (BenchmarkDiffer_Words); four times more tokens
	// cost sixteen times more, a second. Longer regions with as many lines
	// on both sides are compared line by line, each line within the bound.
	MaxRegionTokens = 1 << 12
	// MaxWordTokens is the most tokens one word diff compares, both sides
	// of every region together: a 2 MiB page changed in every paragraph
	// is compared word by word up to about 3 MB of text.
	MaxWordTokens = 1 << 20
)

// Words returns the word diff turning a into b: unchanged runs of lines,
// changed lines with their changed words marked, and paragraphs moved
// elsewhere. It is bounded like Diff, and stops with ctx.
func (d Differ) Words(ctx context.Context, a, b string) (wd wiki.WordDiff, err error) {
	defer recoverInternal(&err)
	if err := ctx.Err(); err != nil {
		return wiki.WordDiff{}, err
	}
	return words(d.newBudget(ctx), a, b)
}

// words is Words within the budget bud.
func words(bud *budget, a, b string) (wd wiki.WordDiff, err error) {
	w := &wordDiffer{bud: bud, a: split(a), b: split(b), left: MaxWordTokens}
	var regions []Region
	if a != b {
		if regions, err = diff(w.bud, w.a, w.b); err != nil {
			return wiki.WordDiff{}, err
		}
	}
	// Moved paragraphs out, the line diff of the rest pairs the lines
	// that were on either side of them: a paragraph edited next to one
	// that moved reads as edited, not as deleted and written anew.
	ms := w.findMoves(regions)
	ka, kb := w.a, w.b
	var cutsA, cutsB []cut
	if len(ms) > 0 {
		ka, cutsA = without(w.a, ms, func(m move) (int, int) { return m.oa0, m.oa1 })
		kb, cutsB = without(w.b, ms, func(m move) (int, int) { return m.ob0, m.ob1 })
		if regions, err = diff(w.bud, ka, kb); err != nil {
			return wiki.WordDiff{}, err
		}
	}
	w.place(w.pieces(ka, kb, regions), cutsA, cutsB, ms)
	if w.bud.err != nil {
		return wiki.WordDiff{}, w.bud.err
	}
	w.link(ms)
	return w.out, nil
}

// wordDiffer holds the state of one word diff.
type wordDiffer struct {
	bud  *budget
	a, b text
	left int // tokens the diff may still compare
	out  wiki.WordDiff
	// The line where the next block starts in each text, 1-based.
	fromLine, toLine int
}

// add appends b, numbering its lines from where the last block ended, and
// returns its index. A block without text is dropped unless keep is set.
func (w *wordDiffer) add(b wiki.WordBlock, keep bool) int {
	if len(b.Segments) == 0 && !keep {
		return -1
	}
	if w.fromLine == 0 {
		w.fromLine, w.toLine = 1, 1
	}
	var newlines int
	b.FromLine = w.fromLine
	newlines, b.FromCount = lineCount(b.Segments, wiki.SegInsert)
	w.fromLine += newlines
	b.ToLine = w.toLine
	newlines, b.ToCount = lineCount(b.Segments, wiki.SegDelete)
	w.toLine += newlines
	if b.Kind != wiki.BlockMovedFrom && b.Kind != wiki.BlockMovedTo {
		b.Move = -1
	}
	w.out.Coarse = w.out.Coarse || b.Coarse
	w.out.Blocks = append(w.out.Blocks, b)
	return len(w.out.Blocks) - 1
}

// lineCount returns the newlines of the text of segs but those of op
// skip, and the number of lines that text touches.
func lineCount(segs []wiki.Segment, skip wiki.SegmentOp) (newlines, lines int) {
	last := byte('\n') // the text's last byte; an empty text ends no line
	for _, s := range segs {
		if s.Op != skip && s.Text != "" {
			newlines += strings.Count(s.Text, "\n")
			last = s.Text[len(s.Text)-1]
		}
	}
	if last != '\n' {
		return newlines, newlines + 1
	}
	return newlines, newlines
}

// compareLines returns the segments turning lines olds into news: word by
// word when the bounds allow, else line by line.
func (w *wordDiffer) compareLines(olds, news []string) (segs []wiki.Segment, coarse bool) {
	old, neu := strings.Join(olds, ""), strings.Join(news, "")
	if segs, ok := w.compare(old, neu); ok {
		return segs, false
	}
	if len(olds) != len(news) || len(olds) < 2 {
		return coarseSegments(old, neu), true
	}
	// Too long as a whole: as many lines changed as there were, so
	// compare them in pairs, as a reader reads them.
	for i := range olds {
		s, ok := w.compare(olds[i], news[i])
		if !ok {
			s, coarse = coarseSegments(olds[i], news[i]), true
		}
		segs = wiki.AppendSegments(segs, s...)
	}
	return segs, coarse
}

// coarseSegments replaces a by b whole.
func coarseSegments(a, b string) []wiki.Segment {
	return wiki.AppendSegments(nil, wiki.Segment{Op: wiki.SegDelete, Text: a}, wiki.Segment{Op: wiki.SegInsert, Text: b})
}

// compare returns the word segments turning a into b; ok is false when
// they are past the bounds, or the time bound ran out.
func (w *wordDiffer) compare(a, b string) (segs []wiki.Segment, ok bool) {
	if a == b {
		return wiki.AppendSegments(nil, wiki.Segment{Op: wiki.SegEqual, Text: a}), true
	}
	if w.bud.spend(0) {
		return nil, false // out of time, or the context ended
	}
	if segs, ok := w.compareMiddle(a, b); ok || w.bud.expired || w.bud.err != nil {
		return segs, ok
	}
	// Too long: the common ends cost nothing to compare, so that one word
	// changed in a very long paragraph is still found. (Not first: an
	// edit next to them could not slide to where it reads best.)
	pre, suf := commonEnds(a, b)
	mid, ok := w.compareMiddle(a[pre:len(a)-suf], b[pre:len(b)-suf])
	if !ok {
		return nil, false
	}
	segs = wiki.AppendSegments(segs, wiki.Segment{Op: wiki.SegEqual, Text: a[:pre]})
	segs = wiki.AppendSegments(segs, mid...)
	return wiki.AppendSegments(segs, wiki.Segment{Op: wiki.SegEqual, Text: a[len(a)-suf:]}), true
}

// commonEnds returns the lengths of the common prefix and suffix of a and
// b, cut back to token boundaries both texts share.
func commonEnds(a, b string) (pre, suf int) {
	n := min(len(a), len(b))
	for pre < n && a[pre] == b[pre] {
		pre++
	}
	for pre > 0 && !(pre < n && boundary(a, pre) && boundary(b, pre)) {
		pre--
	}
	n -= pre
	for suf < n && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	for suf > 0 && !(boundary(a, len(a)-suf) && boundary(b, len(b)-suf)) {
		suf--
	}
	return pre, suf
}

// boundary reports whether a token surely starts at i < len(s), whatever
// comes before or after: at the start, after a newline, or where a space
// meets what is not white space.
func boundary(s string, i int) bool {
	if i == 0 || s[i-1] == '\n' {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return s[i-1] == ' ' && !unicode.IsSpace(r)
}

// compareMiddle is compare once the common ends are cut off.
func (w *wordDiffer) compareMiddle(a, b string) (segs []wiki.Segment, ok bool) {
	ta, ok := tokenStartsMax(a, min(MaxRegionTokens, w.left))
	if !ok {
		return nil, false
	}
	tb, ok := tokenStartsMax(b, min(MaxRegionTokens, w.left-(len(ta)-1)))
	if !ok {
		return nil, false
	}
	w.left -= len(ta) + len(tb) - 2
	ia, ib := tokenIDs(a, ta, b, tb)
	var runs []run
	ok = false
	if w.bud.useGoDiff(len(ia), len(ib), len(ia)+len(ib)) {
		runs, ok = goDiff(w.bud, ia, ib)
	}
	if !ok {
		w.bud.guards++
		runs = diffIDs(w.bud, ia, ib)
	}
	if w.bud.expired || w.bud.err != nil {
		return nil, false
	}
	at, bt := text{a, ta}, text{b, tb}
	runs = shiftEdits(cleanup(runs, ia, ib), at, bt, ia, ib)
	return segments(runs, at, bt), true
}

// segments turns a script over the tokens of a and b into segments of
// their text. Tokens the script holds equal but whose bytes differ (equal
// only once composed, see tokenIDs) are a deletion and an insertion, so
// that the segments still rebuild both texts exactly.
func segments(runs []run, a, b text) []wiki.Segment {
	var out []wiki.Segment
	i, j := 0, 0
	for _, r := range runs {
		switch r.op {
		case Delete:
			out = wiki.AppendSegments(out, wiki.Segment{Op: wiki.SegDelete, Text: a.span(i, i+r.n)})
			i += r.n
		case Insert:
			out = wiki.AppendSegments(out, wiki.Segment{Op: wiki.SegInsert, Text: b.span(j, j+r.n)})
			j += r.n
		case Equal:
			if a.span(i, i+r.n) == b.span(j, j+r.n) {
				out = wiki.AppendSegments(out, wiki.Segment{Op: wiki.SegEqual, Text: a.span(i, i+r.n)})
			} else {
				out = equalTokens(out, a, b, i, j, r.n)
			}
			i, j = i+r.n, j+r.n
		}
	}
	return out
}

// equalTokens appends n tokens from a[i] and b[j] that are equal once
// composed: spans of byte-equal ones as '=', the others as a replacement.
func equalTokens(out []wiki.Segment, a, b text, i, j, n int) []wiki.Segment {
	start := 0 // of the span of byte-equal tokens not yet appended
	for k := range n {
		x, y := a.line(i+k), b.line(j+k)
		if x == y {
			continue
		}
		out = wiki.AppendSegments(out,
			wiki.Segment{Op: wiki.SegEqual, Text: a.span(i+start, i+k)},
			wiki.Segment{Op: wiki.SegDelete, Text: x}, wiki.Segment{Op: wiki.SegInsert, Text: y})
		start = k + 1
	}
	return wiki.AppendSegments(out, wiki.Segment{Op: wiki.SegEqual, Text: a.span(i+start, i+n)})
}
